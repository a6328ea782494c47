#include "anthropicencoder.h"

#include "api/failuretext.h"
#include "json/jsonwriter.h"

#include "api/randomid.h"
#include <QJsonDocument>

namespace gw {

QByteArray AnthropicEncoder::newId(const char *prefix)
{
    return randomId(prefix);
}

QByteArray AnthropicEncoder::error(const char *type, const QString &message)
{
    QByteArray out = "{\"type\":\"error\",\"error\":{\"type\":\"";
    out += type;
    out += "\",\"message\":";
    json::appendString(out, message);
    out += "}}";
    return out;
}

QByteArray AnthropicEncoder::error(int status, const QString &message)
{
    return error(errorType(status), message);
}

QByteArray AnthropicEncoder::error(const ChatFailure &failure)
{
    return error(errorType(failure.cause), failureText(failure));
}

const char *AnthropicEncoder::errorType(int status)
{
    switch (status) {
    case 401:
        return "authentication_error";
    case 402:
        return "billing_error";
    case 403:
        return "permission_error";
    case 404:
        return "not_found_error";
    case 413:
        return "request_too_large";
    case 429:
        return "rate_limit_error";
    case 503:
    case 529:
        return "overloaded_error";
    case 504:
        return "timeout_error";
    default:
        return status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
    }
}

const char *AnthropicEncoder::errorType(FailureCause cause)
{
    switch (cause) {
    case FailureCause::KeyMissing:
    case FailureCause::KeyRejected:
        return "authentication_error";
    case FailureCause::AccessDenied:
        return "permission_error";
    case FailureCause::PaymentRequired:
        return "billing_error";
    case FailureCause::RateLimited:
    case FailureCause::QuotaExhausted:
    case FailureCause::BudgetExhausted:
        return "rate_limit_error";
    case FailureCause::ModelNotFound:
        return "not_found_error";
    case FailureCause::TooLarge:
        return "request_too_large";
    case FailureCause::ContextTooLong:
    case FailureCause::BadRequest:
    case FailureCause::ContentFiltered:
    case FailureCause::Unsupported:
        return "invalid_request_error";
    case FailureCause::Overloaded:
    case FailureCause::ShuttingDown:
        return "overloaded_error";
    case FailureCause::Timeout:
        return "timeout_error";
    case FailureCause::Unreachable:
    case FailureCause::Tls:
    case FailureCause::ConnectionLost:
    case FailureCause::UpstreamFault:
    case FailureCause::Loop:
    case FailureCause::ClientGone:
    case FailureCause::Internal:
        return "api_error";
    }
    return "api_error";
}

const char *AnthropicEncoder::stopReason(FinishReason reason, bool toolCalls,
                                         const QString &stopSequence)
{
    switch (reason) {
    case FinishReason::Stop:
        if (toolCalls)
            return "tool_use";
        return stopSequence.isEmpty() ? "end_turn" : "stop_sequence";
    case FinishReason::Length:
        return "max_tokens";
    case FinishReason::ToolCalls:
        return "tool_use";
    case FinishReason::ContentFilter:
        return "refusal";
    }
    return "end_turn";
}

QByteArray AnthropicEncoder::usage(qint64 prompt, qint64 completion, qint64 cacheRead,
                                   qint64 cacheWrite)
{
    const qint64 read = qMax<qint64>(0, cacheRead);
    const qint64 write = qMax<qint64>(0, cacheWrite);
    const qint64 input = qMax<qint64>(0, prompt - read - write);
    return "{\"input_tokens\":" + QByteArray::number(input) +
           ",\"cache_creation_input_tokens\":" + QByteArray::number(write) +
           ",\"cache_read_input_tokens\":" + QByteArray::number(read) +
           ",\"output_tokens\":" + QByteArray::number(qMax<qint64>(0, completion)) + '}';
}

qint64 AnthropicEncoder::estimateTokens(const ChatRequest &r)
{
    qint64 chars = 0;
    qint64 tokens = 0;
    for (const ChatMessage &m : r.messages) {
        chars += m.content.size() + m.thinking.size();
        for (const ToolCall &c : m.toolCalls)
            chars +=
                c.name.size() + QJsonDocument(c.arguments).toJson(QJsonDocument::Compact).size();
        tokens += 4 + 1600 * m.images.size();
    }
    for (const ToolSpec &t : r.tools) {
        chars += t.name.size() + t.description.size() +
                 QJsonDocument(t.parameters).toJson(QJsonDocument::Compact).size();
        tokens += 8;
    }
    return qMax<qint64>(1, tokens + (chars + 3) / 4);
}

} // namespace gw
