#include "failuretext.h"

#include <cmath>

namespace gw {
namespace {

QString tries(const ChatFailure &f)
{
    return f.attempts > 1 ? QStringLiteral(" (after %1 attempts)").arg(f.attempts) : QString();
}

// A failure the upstream reported in words (HTTP error body, error inside a 200 stream).
QString upstreamWords(const ChatFailure &f, const QString &said)
{
    const QString &p = f.provider;
    const int st = f.upstreamStatus;
    switch (f.cause) {
    case FailureCause::KeyRejected:
        return QStringLiteral("the provider rejected the API key for '%1' (%2): check the key in "
                              "Settings → Providers%3")
            .arg(p, said,
                 f.keySource.isEmpty() ? QString()
                                       : QStringLiteral(" (it came from %1)").arg(f.keySource));
    case FailureCause::AccessDenied:
        return QStringLiteral("provider '%1' refused access: %2").arg(p, said);
    case FailureCause::PaymentRequired:
        return QStringLiteral("provider '%1' requires payment (out of credit): %2").arg(p, said);
    case FailureCause::ModelNotFound:
        return QStringLiteral("model '%1' not found at provider '%2': %3").arg(f.model, p, said);
    case FailureCause::QuotaExhausted:
        return QStringLiteral("provider '%1' says the account is out of quota (%2), which "
                              "retrying will not fix: %3")
            .arg(p,
                 f.upstreamCode.isEmpty() ? QStringLiteral("insufficient_quota") : f.upstreamCode,
                 said);
    case FailureCause::RateLimited:
        return QStringLiteral("provider '%1' is rate limiting requests%2: %3%4")
            .arg(p, tries(f), said,
                 f.retryAfterSeconds > 0
                     ? QStringLiteral("; retry after %1 s").arg(f.retryAfterSeconds)
                     : QStringLiteral("; retry later"));
    case FailureCause::TooLarge:
        return QStringLiteral("provider '%1' says the request is too large: %2").arg(p, said);
    case FailureCause::BadRequest:
    case FailureCause::ContextTooLong:
        return QStringLiteral("provider '%1' rejected the request (HTTP %2): %3")
            .arg(p)
            .arg(st)
            .arg(said);
    default:
        return QStringLiteral("provider '%1' failed (HTTP %2)%3: %4")
            .arg(p)
            .arg(st)
            .arg(tries(f), said);
    }
}

// A TLS failure: what was wrong and what to do about it, then what the handshake said.
QString tlsWords(const ChatFailure &f)
{
    const QString &p = f.provider;
    QString what;
    switch (f.tls) {
    case TlsProblem::UntrustedIssuer:
        what = QStringLiteral("its certificate is signed by an issuer this machine does not "
                              "trust (a private CA or a self-signed certificate); add the CA with "
                              "tls.ca_file in the provider's options or SSL_CERT_FILE");
        break;
    case TlsProblem::Expired:
        what = QStringLiteral("its certificate has expired or is not valid yet; renew it on the "
                              "server, or check this machine's clock");
        break;
    case TlsProblem::WrongHost:
        what = QStringLiteral("its certificate is for another host name; use the name the "
                              "certificate was issued for in the provider's base_url");
        break;
    case TlsProblem::HandshakeRefused:
        what = QStringLiteral("the server refused the TLS handshake; if it requires a client "
                              "certificate, set tls.cert_file and tls.key_file in the "
                              "provider's options");
        break;
    case TlsProblem::Other:
        return QStringLiteral("cannot reach provider '%1': %2%3").arg(p, f.detail, tries(f));
    }
    return QStringLiteral("cannot connect securely to provider '%1': %2 (%3)%4")
        .arg(p, what, f.detail, tries(f));
}

QString words(const ChatFailure &f)
{
    const QString &p = f.provider;
    const QString said = f.upstreamMessage.isEmpty() ? f.detail : f.upstreamMessage;
    // A failure no provider is named in (the echo provider's simulated upstream errors): the
    // upstream's words as they are.
    if (p.isEmpty() && !f.upstreamMessage.isEmpty())
        return f.upstreamMessage;
    switch (f.cause) {
    case FailureCause::KeyMissing:
        return QStringLiteral("no API key for provider '%1': add it in Settings → Providers%2")
            .arg(p,
                 f.keyHints.isEmpty()
                     ? QString()
                     : QStringLiteral(" or set %1").arg(f.keyHints.join(QStringLiteral(" or "))));
    case FailureCause::Unreachable:
        return QStringLiteral("cannot reach provider '%1': %2%3").arg(p, f.detail, tries(f));
    case FailureCause::Tls:
        return tlsWords(f);
    case FailureCause::Timeout:
        return QStringLiteral("provider '%1' timed out: %2%3").arg(p, f.detail, tries(f));
    case FailureCause::ConnectionLost:
        return QStringLiteral("provider '%1': %2%3").arg(p, f.detail, tries(f));
    case FailureCause::ClientGone:
        return QStringLiteral("request canceled");
    case FailureCause::ShuttingDown:
        return QStringLiteral("llm-gateway is shutting down");
    case FailureCause::Loop:
        return QStringLiteral("loop detected: a provider of this llm-gateway points back at the "
                              "gateway itself; check the provider's base_url");
    case FailureCause::BudgetExhausted:
        if (f.budget)
            return QStringLiteral("the %1 budget for %2 ($%3) is used up; raise it in Settings → "
                                  "Usage (or usage.budgets in the config)")
                .arg(f.budget->daily ? QStringLiteral("daily") : QStringLiteral("monthly"),
                     f.budget->provider.isEmpty() ? QStringLiteral("all providers")
                                                  : f.budget->provider,
                     // cents, or four places for a limit below them
                     QString::number(
                         f.budget->limit, 'f',
                         std::round(f.budget->limit * 100) == f.budget->limit * 100 ? 2 : 4));
        return QStringLiteral("the budget for this request is used up%1")
            .arg(said.isEmpty() ? QString() : QStringLiteral(": ") + said);
    case FailureCause::Unsupported:
        return p.isEmpty() ? f.detail : QStringLiteral("provider '%1' %2").arg(p, f.detail);
    case FailureCause::ModelNotFound:
        if (p.isEmpty() || f.upstreamStatus == 0)
            return QStringLiteral("model '%1' not found").arg(f.model);
        break;
    case FailureCause::Internal:
        if (p.isEmpty())
            return said.isEmpty() ? QStringLiteral("internal error") : said;
        break;
    default:
        break;
    }
    // Inside a 200 answer: the provider reported it, or its answer was unusable.
    if (f.upstreamStatus == 200 || f.upstreamStatus == 0)
        return QStringLiteral("provider '%1' reported an error: %2").arg(p, said);
    return upstreamWords(f, said);
}

} // namespace

QString failureText(const ChatFailure &failure)
{
    QString text = words(failure);
    if (failure.earlier.empty())
        return text;
    QStringList earlier;
    for (const auto &[model, f] : failure.earlier)
        earlier.append(QStringLiteral("%1: %2").arg(model, failureText(f)));
    return QStringLiteral("%1 (after fallbacks failed: %2)")
        .arg(text, earlier.join(QStringLiteral("; ")));
}

} // namespace gw
