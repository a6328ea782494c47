#include "providererror.h"

#include "log/redact.h"

namespace gw {
namespace {

bool says(const UpstreamErrorBody &b, QLatin1StringView word)
{
    return b.code.contains(word, Qt::CaseInsensitive) || b.type.contains(word, Qt::CaseInsensitive);
}

// OpenAI's code, Anthropic's "prompt is too long", Gemini's token-count message, and the
// "maximum context length" of OpenAI-compatible servers (vLLM, llama.cpp).
bool contextTooLong(const UpstreamErrorBody &b)
{
    return says(b, QLatin1StringView("context_length_exceeded")) ||
           b.message.contains(QLatin1StringView("prompt is too long"), Qt::CaseInsensitive) ||
           b.message.contains(QLatin1StringView("exceeds the maximum number of tokens"),
                              Qt::CaseInsensitive) ||
           b.message.contains(QLatin1StringView("maximum context length"), Qt::CaseInsensitive);
}

bool overloaded(const UpstreamErrorBody &b)
{
    return says(b, QLatin1StringView("overloaded")) || b.type == u"UNAVAILABLE";
}

FailureCause transportCause(UpstreamError::Kind kind)
{
    switch (kind) {
    case UpstreamError::Kind::Timeout:
        return FailureCause::Timeout;
    case UpstreamError::Kind::Canceled:
        return FailureCause::ClientGone;
    case UpstreamError::Kind::Reset:
        return FailureCause::ConnectionLost;
    case UpstreamError::Kind::Tls:
        return FailureCause::Tls;
    default:
        return FailureCause::Unreachable;
    }
}

TlsProblem tlsProblem(UpstreamError::TlsFault fault)
{
    switch (fault) {
    case UpstreamError::TlsFault::UntrustedIssuer:
        return TlsProblem::UntrustedIssuer;
    case UpstreamError::TlsFault::Expired:
        return TlsProblem::Expired;
    case UpstreamError::TlsFault::WrongHost:
        return TlsProblem::WrongHost;
    case UpstreamError::TlsFault::HandshakeRefused:
        return TlsProblem::HandshakeRefused;
    case UpstreamError::TlsFault::Other:
        break;
    }
    return TlsProblem::Other;
}

} // namespace

QString ProviderError::scrub(const ProviderSettings &settings, QString text)
{
    if (settings.apiKey.size() >= 8)
        text.replace(settings.apiKey, QStringLiteral("[redacted]"));
    return redact(text).trimmed();
}

FailureCause ProviderError::causeOf(int st, const UpstreamErrorBody &b)
{
    if (st == 401 || says(b, QLatin1StringView("API_KEY_INVALID")) ||
        says(b, QLatin1StringView("invalid_api_key")))
        return FailureCause::KeyRejected;
    if (st == 402)
        return FailureCause::PaymentRequired;
    if (st == 403)
        return FailureCause::AccessDenied;
    if (st == 404)
        return FailureCause::ModelNotFound;
    if (st == 413)
        return FailureCause::TooLarge;
    if (says(b, QLatin1StringView("insufficient_quota")))
        return FailureCause::QuotaExhausted;
    if (st == 429 || (st == 0 && says(b, QLatin1StringView("rate_limit"))))
        return FailureCause::RateLimited;
    if (contextTooLong(b))
        return FailureCause::ContextTooLong;
    if (st >= 400 && st < 500)
        return FailureCause::BadRequest;
    // Overloaded upstreams (503, Anthropic's 529) are a temporary condition.
    if (st == 503 || st == 529 || overloaded(b))
        return FailureCause::Overloaded;
    return FailureCause::UpstreamFault;
}

int ProviderError::statusOf(FailureCause cause)
{
    switch (cause) {
    case FailureCause::KeyMissing:
    case FailureCause::KeyRejected:
        return 401;
    case FailureCause::PaymentRequired:
        return 402;
    case FailureCause::AccessDenied:
        return 403;
    case FailureCause::ModelNotFound:
        return 404;
    case FailureCause::TooLarge:
        return 413;
    case FailureCause::RateLimited:
    case FailureCause::QuotaExhausted:
    case FailureCause::BudgetExhausted:
        return 429;
    case FailureCause::ContextTooLong:
    case FailureCause::BadRequest:
    case FailureCause::ContentFiltered:
    case FailureCause::Unsupported:
        return 400;
    case FailureCause::ClientGone:
        return 499;
    case FailureCause::Overloaded:
    case FailureCause::ShuttingDown:
        return 503;
    case FailureCause::Timeout:
        return 504;
    case FailureCause::Loop:
        return 508;
    case FailureCause::Internal:
        return 500;
    default: // Unreachable, Tls, ConnectionLost, UpstreamFault
        return 502;
    }
}

ChatFailure ProviderError::classify(const ProviderSettings &s, const QString &upstreamModel,
                                    const UpstreamError &e, const UpstreamErrorBody &body)
{
    ChatFailure f;
    f.provider = s.name;
    f.model = upstreamModel;
    f.attempts = e.attempts;
    f.retryAfterSeconds = e.retryAfterSeconds > 0 ? e.retryAfterSeconds : body.retryAfterSeconds;
    f.detail = scrub(s, e.message);
    if (e.kind != UpstreamError::Kind::Http) {
        f.cause = transportCause(e.kind);
        if (e.kind == UpstreamError::Kind::Tls)
            f.tls = tlsProblem(e.tlsFault);
    } else {
        f.upstreamStatus = e.httpStatus;
        f.upstreamCode = body.bestCode();
        f.upstreamMessage = scrub(s, body.message);
        f.cause = causeOf(e.httpStatus, body);
    }
    f.status = statusOf(f.cause);
    if (f.cause == FailureCause::KeyRejected)
        f.keySource = s.keySource;
    return f;
}

ChatFailure ProviderError::reported(const UpstreamErrorBody &body)
{
    ChatFailure f;
    f.cause = causeOf(0, body);
    f.status = statusOf(f.cause);
    f.upstreamStatus = 200;
    f.upstreamCode = body.bestCode();
    f.upstreamMessage = body.message.isEmpty() ? QStringLiteral("unknown error") : body.message;
    f.retryAfterSeconds = body.retryAfterSeconds;
    return f;
}

ChatFailure ProviderError::fault(const QString &detail, FailureCause cause)
{
    ChatFailure f;
    f.cause = cause;
    f.status = statusOf(cause);
    f.upstreamStatus = 200;
    f.detail = detail;
    return f;
}

ChatFailure ProviderError::attribute(ChatFailure f, const ProviderSettings &s,
                                     const QString &upstreamModel)
{
    f.provider = s.name;
    if (f.model.isEmpty())
        f.model = upstreamModel;
    f.upstreamMessage = scrub(s, f.upstreamMessage);
    f.detail = scrub(s, f.detail);
    if (f.cause == FailureCause::KeyRejected)
        f.keySource = s.keySource;
    return f;
}

ChatFailure ProviderError::missingKey(const ProviderSettings &s)
{
    ChatFailure f;
    f.cause = FailureCause::KeyMissing;
    f.status = statusOf(f.cause);
    f.provider = s.name;
    f.keyHints = s.keyHints;
    return f;
}

ChatFailure ProviderError::unsupported(const ProviderSettings &s, const QString &what, int status)
{
    ChatFailure f;
    f.cause = FailureCause::Unsupported;
    f.status = status;
    f.provider = s.name;
    f.detail = what;
    return f;
}

} // namespace gw
