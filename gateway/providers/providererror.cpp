#include "providererror.h"

#include "log/redact.h"

namespace gw {

QString ProviderError::scrub(const ProviderSettings &settings, QString text)
{
    if (settings.apiKey.size() >= 8)
        text.replace(settings.apiKey, QStringLiteral("[redacted]"));
    return redact(text).trimmed();
}

ChatEvent ProviderError::missingKey(const ProviderSettings &s)
{
    const QString where =
        s.keyHints.isEmpty()
            ? QString()
            : QStringLiteral(" or set %1").arg(s.keyHints.join(QStringLiteral(" or ")));
    return ChatEvent::error(401,
                            QStringLiteral("no API key for provider '%1': add it in Settings → "
                                           "Providers%2")
                                .arg(s.name, where));
}

ChatEvent ProviderError::inStream(const ProviderSettings &s, const QString &message)
{
    return ChatEvent::error(
        502, QStringLiteral("provider '%1' reported an error: %2").arg(s.name, scrub(s, message)));
}

ChatEvent ProviderError::toEvent(const ProviderSettings &s, const QString &upstreamModel,
                                 const UpstreamError &e, const QString &upstreamMessage,
                                 const QString &upstreamCode)
{
    const QString said = scrub(s, upstreamMessage.isEmpty() ? e.message : upstreamMessage);
    const QString tries =
        e.attempts > 1 ? QStringLiteral(" (after %1 attempts)").arg(e.attempts) : QString();
    const auto make = [&](int status, const QString &message) {
        ChatEvent ev = ChatEvent::error(status, message);
        ev.retryAfterSeconds = e.retryAfterSeconds;
        return ev;
    };
    switch (e.kind) {
    case UpstreamError::Kind::Http:
        break;
    case UpstreamError::Kind::Timeout:
        return make(504,
                    QStringLiteral("provider '%1' timed out: %2%3").arg(s.name, e.message, tries));
    case UpstreamError::Kind::Canceled:
        return make(499, QStringLiteral("request canceled"));
    case UpstreamError::Kind::Reset:
        return make(502, QStringLiteral("provider '%1': %2%3").arg(s.name, e.message, tries));
    default:
        return make(
            502, QStringLiteral("cannot reach provider '%1': %2%3").arg(s.name, e.message, tries));
    }

    const int st = e.httpStatus;
    if (st == 401 || (st == 400 && upstreamCode.contains(QStringLiteral("API_KEY_INVALID"))))
        return make(401,
                    QStringLiteral("the provider rejected the API key for '%1' (%2): check the "
                                   "key in Settings → Providers%3")
                        .arg(s.name, said,
                             s.keySource.isEmpty()
                                 ? QString()
                                 : QStringLiteral(" (it came from %1)").arg(s.keySource)));
    if (st == 403)
        return make(403, QStringLiteral("provider '%1' refused access: %2").arg(s.name, said));
    if (st == 404)
        return make(404, QStringLiteral("model '%1' not found at provider '%2': %3")
                             .arg(upstreamModel, s.name, said));
    if (st == 402)
        return make(
            402,
            QStringLiteral("provider '%1' requires payment (out of credit): %2").arg(s.name, said));
    if (st == 429) {
        if (upstreamCode.contains(QStringLiteral("insufficient_quota")))
            return make(429, QStringLiteral("provider '%1' says the account is out of quota "
                                            "(insufficient_quota), which retrying will not fix: %2")
                                 .arg(s.name, said));
        const QString when = e.retryAfterSeconds > 0
                                 ? QStringLiteral("; retry after %1 s").arg(e.retryAfterSeconds)
                                 : QStringLiteral("; retry later");
        return make(429, QStringLiteral("provider '%1' is rate limiting requests%2: %3%4")
                             .arg(s.name, tries, said, when));
    }
    if (st == 413)
        return make(
            413,
            QStringLiteral("provider '%1' says the request is too large: %2").arg(s.name, said));
    if (st >= 400 && st < 500)
        return make(400, QStringLiteral("provider '%1' rejected the request (HTTP %2): %3")
                             .arg(s.name)
                             .arg(st)
                             .arg(said));
    // Overloaded upstreams (503, Anthropic's 529) are a temporary condition: say so with 503.
    const int status = (st == 503 || st == 529) ? 503 : 502;
    return make(status, QStringLiteral("provider '%1' failed (HTTP %2)%3: %4")
                            .arg(s.name)
                            .arg(st)
                            .arg(tries, said));
}

} // namespace gw
