#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace gw {

// Why a model call failed, as a fact: the encoders (one per dialect), the log and the desktop
// turn it into words and statuses at the edge. Nothing below them words or parses a failure.
enum class FailureCause {
    KeyMissing,      // no key found for a provider that needs one
    KeyRejected,     // the upstream answered 401 (or Gemini's API_KEY_INVALID)
    AccessDenied,    // the upstream answered 403
    PaymentRequired, // the upstream answered 402
    Unreachable,     // connection refused, DNS, proxy
    Tls,             // handshake or certificate failure
    Timeout,         // connect, first byte or idle timeout
    ConnectionLost,  // the upstream closed the connection mid-answer
    RateLimited,     // 429 that a retry later can fix
    QuotaExhausted,  // 429 insufficient_quota and the like: retrying will not help
    ModelNotFound,   // unknown to the gateway, or 404 from the upstream
    ContextTooLong,  // the prompt does not fit the model's window
    TooLarge,        // 413 from the upstream
    BadRequest,      // the upstream refused the request (other 4xx) or the gateway did
    ContentFiltered, // the provider's safety filter blocked the prompt or the answer
    Unsupported,     // the model or provider cannot do what the request asks
    Overloaded,      // 503 / 529: temporary
    UpstreamFault,   // 5xx, or an error object inside a 200 stream
    BudgetExhausted, // a hard budget is used up
    Loop,            // the request came back to this gateway
    ShuttingDown,    // the gateway is stopping
    ClientGone,      // the client hung up
    Internal,        // a bug of ours
};

// FailureCause::Tls: what was wrong with the secure connection, so each edge can say what to do.
enum class TlsProblem {
    Other,            // a handshake failure that says nothing more specific
    UntrustedIssuer,  // the certificate's issuer is not trusted here (private CA, self-signed)
    Expired,          // the certificate has expired or is not valid yet
    WrongHost,        // the certificate is for another host name
    HandshakeRefused, // the server broke off the handshake (e.g. it wants a client certificate)
};

struct EarlierFailure;

struct ChatFailure
{
    FailureCause cause = FailureCause::Internal;
    int status = 500;        // the HTTP status a client should see when nothing was sent yet
    QString provider;        // the provider's configured name, empty when none was involved
    QString model;           // the model the failure is about (client name or upstream id)
    int upstreamStatus = 0;  // the upstream's HTTP status, 0 when it never answered
    QString upstreamCode;    // the upstream's own error code / type, e.g. insufficient_quota
    QString upstreamMessage; // the upstream's own words, secrets already masked
    // What the gateway itself observed, masked: transport detail ("SSL handshake failed: ..."),
    // a broken answer ("the provider sent malformed data"), or for Unsupported what cannot be
    // done. Shown after the cause's own words; never parsed.
    QString detail;
    int retryAfterSeconds = 0;          // from Retry-After, 0 when unknown
    int attempts = 1;                   // how many times it was tried
    QString keySource;                  // KeyRejected: where the key came from ("OPENAI_API_KEY")
    QStringList keyHints;               // KeyMissing: variables the key may be put in
    TlsProblem tls = TlsProblem::Other; // Tls: which problem
    // BudgetExhausted: the budget that is used up.
    struct BudgetFacts
    {
        QString provider; // empty: the overall budget
        bool daily = false;
        double limit = 0; // US dollars
    };
    std::optional<BudgetFacts> budget;
    // FallbackChatJob: the models of the chain tried before this one, each with its failure.
    // (A struct declared ahead, not std::pair<QString, ChatFailure>: a pair needs ChatFailure
    // complete, and clang rejects the pair inside the class that it is part of.)
    std::vector<EarlierFailure> earlier;
};

struct EarlierFailure
{
    QString model;       // the model in the fallback chain
    ChatFailure failure; // why it failed
};

} // namespace gw
