#include "desktopwords.h"

#include <QLocale>

#include <cmath>

#include "providers/providerregistry.h"

namespace gw {

namespace {

// A TLS failure: what was wrong with the secure connection and what to do about it.
QString tlsSentence(const ChatFailure &f, const QString &who)
{
    switch (f.tls) {
    case TlsProblem::UntrustedIssuer:
        return DesktopWords::tr("%1's certificate comes from an issuer this computer does not "
                                "trust: add the CA certificate as the provider's CA file "
                                "(tls.ca_file) or set SSL_CERT_FILE")
            .arg(who);
    case TlsProblem::Expired:
        return DesktopWords::tr("%1's certificate has expired or is not valid yet: renew it on "
                                "the server, or check this computer's clock")
            .arg(who);
    case TlsProblem::WrongHost:
        return DesktopWords::tr("%1's certificate is for another host name: use the name it was "
                                "issued for in the base URL")
            .arg(who);
    case TlsProblem::HandshakeRefused:
        return DesktopWords::tr("%1 refused the secure connection: if it requires a client "
                                "certificate, set the certificate and key files")
            .arg(who);
    case TlsProblem::Other:
        break;
    }
    return DesktopWords::tr("Could not connect to %1 securely (TLS)").arg(who);
}

// The part of a failure that needs only the cause and the provider's name.
QString causeSentence(const ChatFailure &f, const QString &who)
{
    switch (f.cause) {
    case FailureCause::KeyMissing:
        return f.keyHints.isEmpty() ? DesktopWords::tr("No API key for %1: enter one").arg(who)
                                    : DesktopWords::tr("No API key for %1: enter one, or set %2")
                                          .arg(who, f.keyHints.join(DesktopWords::tr(" or ")));
    case FailureCause::KeyRejected:
        return f.keySource.isEmpty() ? DesktopWords::tr("%1 rejected the API key").arg(who)
                                     : DesktopWords::tr("%1 rejected the API key (it came from %2)")
                                           .arg(who, f.keySource);
    case FailureCause::AccessDenied:
        return DesktopWords::tr("%1 refused access").arg(who);
    case FailureCause::PaymentRequired:
        return DesktopWords::tr("%1 requires payment (the account is out of credit)").arg(who);
    case FailureCause::Unreachable:
        return DesktopWords::tr("Could not connect to %1").arg(who);
    case FailureCause::Tls:
        return tlsSentence(f, who);
    case FailureCause::Timeout:
        return DesktopWords::tr("%1 did not answer in time").arg(who);
    case FailureCause::ConnectionLost:
        return DesktopWords::tr("%1 closed the connection").arg(who);
    case FailureCause::RateLimited:
        return f.retryAfterSeconds > 0
                   ? DesktopWords::tr("%1 is rate limiting requests: try again in %2 s")
                         .arg(who)
                         .arg(f.retryAfterSeconds)
                   : DesktopWords::tr("%1 is rate limiting requests: try again later").arg(who);
    case FailureCause::QuotaExhausted:
        return DesktopWords::tr("%1 says the account is out of quota").arg(who);
    case FailureCause::ModelNotFound:
        return DesktopWords::tr("%1 does not know the model %2").arg(who, f.model);
    case FailureCause::ContextTooLong:
        return DesktopWords::tr("The prompt is too long for the model");
    case FailureCause::TooLarge:
        return DesktopWords::tr("%1 says the request is too large").arg(who);
    case FailureCause::BadRequest:
        return DesktopWords::tr("%1 refused the request").arg(who);
    case FailureCause::Unsupported:
        return DesktopWords::tr("%1 cannot do this").arg(who);
    case FailureCause::Overloaded:
        return DesktopWords::tr("%1 is overloaded: try again later").arg(who);
    case FailureCause::UpstreamFault:
        return DesktopWords::tr("%1 answered with an error").arg(who);
    case FailureCause::ContentFiltered:
        return DesktopWords::tr("%1 blocked the answer (content filter)").arg(who);
    case FailureCause::BudgetExhausted:
        return DesktopWords::tr("The budget is used up");
    case FailureCause::Loop:
        return DesktopWords::tr("The request came back to llm-gateway (a loop)");
    case FailureCause::ShuttingDown:
        return DesktopWords::tr("llm-gateway is shutting down");
    case FailureCause::ClientGone:
        return DesktopWords::tr("Canceled");
    case FailureCause::Internal:
        break;
    }
    return DesktopWords::tr("Internal error");
}

} // namespace

QString DesktopWords::failure(const ChatFailure &f)
{
    const QString who = f.provider.isEmpty() ? tr("the provider") : f.provider;
    const QString sentence = causeSentence(f, who);
    // The upstream's own words first (they say what is wrong), else the transport's.
    QString said = f.upstreamMessage.isEmpty() ? f.detail : f.upstreamMessage;
    if (said.isEmpty() && f.upstreamStatus > 0)
        said = tr("HTTP %1").arg(f.upstreamStatus);
    return said.isEmpty() ? sentence : tr("%1: %2").arg(sentence, said);
}

QString DesktopWords::connection(const ProviderConfig &p, const QStringList &ids,
                                 const std::optional<ChatFailure> &failure, bool *ok)
{
    *ok = !failure;
    if (failure)
        return DesktopWords::failure(*failure);
    if (p.type == u"echo")
        return tr("%1: connected — the built-in echo provider needs no network").arg(p.name);
    if (ids.isEmpty() && !ProviderRegistry::canListModels(p.type)) {
        *ok = false;
        return tr("%1: this provider type cannot list its models: use Try it on a mapping to "
                  "test it")
            .arg(p.name);
    }
    return ids.size() == 1 ? tr("%1: connected — 1 model").arg(p.name)
                           : tr("%1: connected — %2 models").arg(p.name).arg(ids.size());
}

QString DesktopWords::keychainProblem(const Keychain::Result &r)
{
    switch (r.status) {
    case Keychain::Status::Ok:
    case Keychain::Status::NotFound:
        return QString();
    case Keychain::Status::NoSessionBus:
        return tr("no keychain available on this system (no D-Bus session bus)");
    case Keychain::Status::NoAnswer:
        return tr("the keychain did not answer (is it locked, waiting for a password?)");
    case Keychain::Status::Denied:
        return r.detail.isEmpty()
                   ? tr("the keychain is locked or refused access")
                   : tr("the keychain is locked or refused access (%1)").arg(r.detail);
    case Keychain::Status::Unavailable:
        return r.detail.isEmpty() ? tr("no keychain available on this system")
                                  : tr("no keychain available on this system (%1)").arg(r.detail);
    case Keychain::Status::Failed:
        break;
    }
    return tr("the keychain failed: %1").arg(r.detail);
}

QString DesktopWords::keyOperation(const Keychain::Result &r, bool stored, const QString &envName)
{
    if (r.ok())
        return stored ? tr("Key stored in the keychain") : tr("Key deleted from the keychain");
    // Without a usable keychain, say plainly what to do instead: the key is kept nowhere else.
    if (stored && r.unusable())
        return tr("no keychain available on this system — set %1 instead (%2)")
            .arg(envName, keychainProblem(r));
    return keychainProblem(r);
}

// --- usage (issue 16) ---

QString DesktopWords::money(const std::optional<double> &dollars)
{
    if (!dollars)
        return QStringLiteral("–");
    const double v = *dollars;
    // Cents, or four places for amounts below a dollar that cents would round away.
    const int places = v != 0 && std::fabs(v) < 1 ? 4 : 2;
    return tr("$%1").arg(QLocale().toString(v, 'f', places));
}

QString DesktopWords::budgetName(const Budget &b)
{
    if (b.provider.isEmpty())
        return b.period == Budget::Period::Day ? tr("the daily budget for all providers")
                                               : tr("the monthly budget for all providers");
    return b.period == Budget::Period::Day ? tr("the daily budget for %1").arg(b.provider)
                                           : tr("the monthly budget for %1").arg(b.provider);
}

QString DesktopWords::budgetAlertTitle(const BudgetAlert &a)
{
    if (a.percent < 100)
        return tr("80 % of a budget spent");
    return a.budget.hard ? tr("Budget used up: requests are refused") : tr("Budget used up");
}

QString DesktopWords::budgetAlertMessage(const BudgetAlert &a)
{
    const QString spent = tr("%1 of %2 spent").arg(money(a.spent), money(a.budget.limit));
    QString text = tr("%1: %2.").arg(budgetName(a.budget), spent);
    text[0] = text[0].toUpper();
    if (a.percent >= 100 && a.budget.hard)
        text += u' ' + tr("Requests get “429 budget used up” until the period ends; raise the "
                          "budget in Settings → Usage.");
    return text;
}

QString DesktopWords::adjustment(const Adjustment &a)
{
    using R = Adjustment::Rule;
    QString why;
    switch (a.rule) {
    case R::OneOfTemperatureTopP:
        why = tr("the model takes temperature or top_p, not both; temperature wins");
        break;
    case R::ReasoningModel:
        why = tr("reasoning models refuse it");
        break;
    case R::ThinkingOn:
        why = tr("the model refuses it while thinking");
        break;
    case R::NoSampling:
        why = tr("the provider is set to send no sampling fields");
        break;
    case R::OutOfRange:
        why = tr("outside the provider's range");
        break;
    case R::ThinkingLevel:
        why = tr("the model has no such setting");
        break;
    }
    if (a.sent.isEmpty())
        return tr("%1 left out: %2").arg(a.field, why);
    if (a.asked.isEmpty())
        return tr("%1 sent as %2: %3").arg(a.field, a.sent, why);
    return tr("%1 %2 sent as %3: %4").arg(a.field, a.asked, a.sent, why);
}

} // namespace gw
