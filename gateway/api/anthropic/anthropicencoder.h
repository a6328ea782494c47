#pragma once

#include "chat/chatevent.h"
#include "chat/chatrequest.h"

#include <QByteArray>
#include <QString>

namespace gw {

// The Messages API's shapes that are not a stream's state: ids, errors, stop reasons, usage and
// the token estimate of count_tokens.
class AnthropicEncoder
{
public:
    // "msg_" / "toolu_" + 24 random letters and digits.
    static QByteArray newId(const char *prefix);

    // {"type":"error","error":{"type":…,"message":…}}
    static QByteArray error(const char *type, const QString &message);
    static QByteArray error(int status, const QString &message);
    // A model call's failure: failureText's words, the type from the cause.
    static QByteArray error(const ChatFailure &failure);
    // Anthropic's error type for a status: invalid_request_error 400, authentication_error 401,
    // permission_error 403, not_found_error 404, request_too_large 413, rate_limit_error 429,
    // overloaded_error 503/529, api_error otherwise.
    static const char *errorType(int status);
    static const char *errorType(FailureCause cause);

    // end_turn, max_tokens, stop_sequence (when the provider named the one that fired),
    // tool_use (also when a provider ends a tool-calling turn with a plain stop), refusal.
    static const char *stopReason(FinishReason reason, bool toolCalls, const QString &stopSequence);
    // {"input_tokens":…,"output_tokens":…,"cache_creation_input_tokens":…,
    // "cache_read_input_tokens":…}. Anthropic's input_tokens excludes the cached part, the
    // canonical prompt count includes it. -1 (unknown) counts as 0.
    static QByteArray usage(qint64 prompt, qint64 completion, qint64 cacheRead, qint64 cacheWrite);

    // count_tokens, and the input_tokens of message_start before the provider reports them:
    // an estimate, not a tokenizer. Four characters of text (system, messages, thinking, tool
    // calls and results, tool names, descriptions and schemas as compact JSON) per token, plus
    // 1,600 per image (Anthropic's figure for an image at its largest size) and a few tokens of
    // framing per message and tool.
    static qint64 estimateTokens(const ChatRequest &request);
};

} // namespace gw
