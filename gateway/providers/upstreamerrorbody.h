#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace gw {

// What an upstream's error object said, read by the provider's wire format (each provider
// writes it differently) and classified by ProviderError. Empty fields: the body did not say.
struct UpstreamErrorBody
{
    QString code;              // OpenAI error.code; Gemini details[].reason (API_KEY_INVALID)
    QString type;              // OpenAI / Anthropic error.type; Gemini error.status; TGI error_type
    QString message;           // the upstream's own words, not yet masked
    int retryAfterSeconds = 0; // a delay the body gives (Gemini RetryInfo.retryDelay)

    // The code a client may see: the most specific the upstream gave.
    QString bestCode() const { return code.isEmpty() ? type : code; }
};

// Reads a provider's error body (each wire format has one).
using UpstreamErrorReader = std::function<UpstreamErrorBody(const QByteArray &body)>;

} // namespace gw
