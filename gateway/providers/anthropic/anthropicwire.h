#pragma once

#include "chat/adjustment.h"
#include "chat/chatevent.h"
#include "chat/chatrequest.h"
#include "providers/thinkingcache.h"
#include "providers/upstreamerrorbody.h"

#include <QJsonObject>

namespace gw {

struct AnthropicOptions
{
    qint64 defaultMaxTokens = 0; // 0: by model family
    bool sendSampling = true;    // the newest models refuse temperature/top_p/top_k
    // Place prompt-cache breakpoints when the client placed none (the "auto_cache" option).
    bool autoCache = true;
};

// The Messages API wire format. The tool a JSON format is forced through, whose input is the
// answer.
class AnthropicWire
{
public:
    static constexpr const char *kJsonTool = "json_response";

    // `jsonViaTool` is set when the answer will arrive as that tool's input; `adjusted` collects
    // what was changed for the model's rules.
    static QJsonObject messagesBody(const ChatRequest &request, const AnthropicOptions &options,
                                    const ThinkingCache &cache, bool *jsonViaTool,
                                    Adjustments *adjusted = nullptr);
    // A Claude model's version from its id, wherever the id has it ("claude-sonnet-4-5-2025…",
    // "claude-3-5-haiku-latest", Bedrock's "anthropic.claude-opus-4-1-…"): 45, 35, 41; 0 when
    // the id is not a Claude model's. Opus 4.1 and later take temperature or top_p, not both;
    // 4.6 and later think in the adaptive form.
    static int claudeVersion(const QString &model);
    static QString toolId(const QString &id); // ^[a-zA-Z0-9_-]+$, deterministic
    static qint64 thinkingBudget(Thinking t); // 0: off
    static qint64 defaultMaxTokens(const QString &model);
    static FinishReason stopReason(const QString &reason);
    // The shortest prefix, in tokens, that the model caches (shorter ones are not cached).
    static qint64 minCacheTokens(const QString &model);
    // Anthropic takes at most this many cache_control breakpoints per request.
    static constexpr int kMaxCacheBreakpoints = 4;
    // {"type":"error","error":{"type","message"}} (as an HTTP body or an SSE error event).
    static UpstreamErrorBody errorBody(const QJsonObject &body);
    static UpstreamErrorBody errorBody(const QByteArray &body);
};

} // namespace gw
