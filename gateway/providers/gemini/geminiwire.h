#pragma once

#include "chat/adjustment.h"
#include "chat/chatevent.h"
#include "chat/chatrequest.h"
#include "chat/embedrequest.h"
#include "providers/thinkingcache.h"
#include "providers/upstreamerrorbody.h"

#include <QJsonObject>

namespace gw {

// The Gemini API (v1beta, generateContent) wire format.
class GeminiWire
{
public:
    // Gemini 3 rejects a replayed function call without its thought signature; history we did
    // not see (or lost) gets the placeholder Google documents for that case.
    static constexpr const char *kSkipSignature = "skip_thought_signature_validator";

    // candidates[].logprobsResult: chosenCandidates[i] with topCandidates[i].candidates.
    static QList<Logprob> logprobs(const QJsonObject &logprobsResult);
    // `adjusted` collects what was changed for the model's rules (thinking levels it lacks).
    static QJsonObject generateBody(const ChatRequest &request, const ThinkingCache &signatures,
                                    Adjustments *adjusted = nullptr);
    static QJsonObject batchEmbedBody(const QString &model, const QStringList &inputs,
                                      std::optional<int> dimensions);
    static EmbedResult parseBatchEmbed(const QByteArray &body);
    static QStringList parseModels(const QByteArray &body);
    static QString modelPath(const QString &model); // "gemini-2.5-flash" (no "models/")

    // {"error":{"code","message","status","details":[{"reason"},{"retryDelay"}]}}, or an
    // array of one such object.
    static UpstreamErrorBody errorBody(const QByteArray &body);
    static UpstreamErrorBody errorBody(const QJsonObject &object);
    static ChatEvent usage(const QJsonObject &usageMetadata);
    static FinishReason finishReason(const QString &reason, bool hadCalls);
    static bool isBlocked(const QString &reason);
};

} // namespace gw
