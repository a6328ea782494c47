#include "openaiencoder.h"

#include "api/failuretext.h"
#include "json/jsonwriter.h"

#include "api/randomid.h"
#include <QtEndian>

#include <cmath>
#include <cstring>

namespace gw {

QByteArray OpenAiEncoder::newId(const char *prefix)
{
    return randomId(prefix, '-');
}

const char *OpenAiEncoder::errorType(int status)
{
    switch (status) {
    case 400:
    case 404:
    case 413:
    case 422:
    case 431:
        return "invalid_request_error";
    case 401:
        return "authentication_error";
    case 403:
        return "permission_error";
    case 429:
        return "rate_limit_error";
    default:
        return "api_error";
    }
}

const char *OpenAiEncoder::errorType(FailureCause cause)
{
    switch (cause) {
    case FailureCause::KeyMissing:
    case FailureCause::KeyRejected:
        return "authentication_error";
    case FailureCause::AccessDenied:
        return "permission_error";
    case FailureCause::RateLimited:
    case FailureCause::BudgetExhausted:
        return "rate_limit_error";
    case FailureCause::QuotaExhausted:
        return "insufficient_quota"; // OpenAI's own type for it
    case FailureCause::ModelNotFound:
    case FailureCause::ContextTooLong:
    case FailureCause::TooLarge:
    case FailureCause::BadRequest:
    case FailureCause::ContentFiltered:
    case FailureCause::Unsupported:
        return "invalid_request_error";
    default:
        return "api_error";
    }
}

QByteArray OpenAiEncoder::errorCode(const ChatFailure &f)
{
    if (!f.upstreamCode.isEmpty())
        return f.upstreamCode.toUtf8();
    // Only where the type alone does not tell the causes apart.
    switch (f.cause) {
    case FailureCause::ModelNotFound:
        return "model_not_found";
    case FailureCause::ContextTooLong:
        return "context_length_exceeded";
    case FailureCause::QuotaExhausted:
        return "insufficient_quota";
    default:
        return {};
    }
}

QByteArray OpenAiEncoder::error(const ChatFailure &f)
{
    return error(failureText(f), errorType(f.cause), errorCode(f));
}

QByteArray OpenAiEncoder::error(int status, const QString &message, const QByteArray &code)
{
    return error(message, errorType(status), code);
}

QByteArray OpenAiEncoder::error(const QString &message, const char *type, const QByteArray &code)
{
    QByteArray out = "{\"error\":{\"message\":";
    json::appendString(out, message);
    out += ",\"type\":\"";
    out += type;
    out += "\",\"param\":null,\"code\":";
    if (code.isEmpty())
        out += "null";
    else
        json::appendString(out, QString::fromUtf8(code));
    out += "}}";
    return out;
}

const char *OpenAiEncoder::finishReason(FinishReason reason)
{
    switch (reason) {
    case FinishReason::Stop:
        return "stop";
    case FinishReason::Length:
        return "length";
    case FinishReason::ToolCalls:
        return "tool_calls";
    case FinishReason::ContentFilter:
        return "content_filter";
    }
    return "stop";
}

void OpenAiEncoder::appendToolCall(QByteArray &out, const ToolCall &call, int index)
{
    out += "{\"index\":";
    out += QByteArray::number(index);
    out += ",\"id\":";
    // Clients pair results with calls by id, so a call must have one even if the provider
    // gave none.
    if (call.id.isEmpty())
        out += '"' + newId("call") + '"';
    else
        json::appendString(out, call.id);
    out += ",\"type\":\"function\",\"function\":{\"name\":";
    json::appendString(out, call.name);
    out += ",\"arguments\":";
    json::appendString(out, QString::fromUtf8(json::compact(call.arguments)));
    out += "}}";
}

QJsonObject OpenAiEncoder::model(const ModelInfo &m)
{
    const qint64 created = m.modifiedAt.isValid() ? m.modifiedAt.toSecsSinceEpoch() : 0;
    return QJsonObject{{QStringLiteral("id"), m.name},
                       {QStringLiteral("object"), QStringLiteral("model")},
                       {QStringLiteral("created"), created},
                       {QStringLiteral("owned_by"), m.provider}};
}

QList<double> OpenAiEncoder::normalized(QList<double> vector, std::optional<int> dimensions)
{
    if (dimensions && *dimensions > 0 && vector.size() > *dimensions)
        vector.resize(*dimensions);
    double norm = 0;
    for (double x : std::as_const(vector))
        norm += x * x;
    norm = std::sqrt(norm);
    if (norm > 0 && std::isfinite(norm))
        for (double &x : vector)
            x /= norm;
    return vector;
}

QByteArray OpenAiEncoder::float32Base64(const QList<double> &vector)
{
    QByteArray bytes;
    bytes.reserve(vector.size() * 4);
    for (double x : vector) {
        const float f = static_cast<float>(x);
        quint32 bits = 0;
        std::memcpy(&bits, &f, sizeof bits);
        const quint32 le = qToLittleEndian(bits);
        bytes.append(reinterpret_cast<const char *>(&le), 4);
    }
    return bytes.toBase64();
}

} // namespace gw
