#pragma once

#include "net/upstreamtransport.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace gw {

class JsonFields;

// A provider's "options" from the config, typed. Every option has one meaning and one type,
// whatever the provider type; each provider reads the ones it knows. The config loader reads
// them through the same function (ProviderRegistry::checkOptions), so a bad value is an error
// naming the file, line and field at load, never a silent default.
struct ProviderOptions
{
    // Upstream call (net/UpstreamOptions); unset: its defaults.
    std::optional<int> connectMs, firstByteMs, idleMs; // "timeouts": {"connect_ms", ...}
    std::optional<int> maxRetries, retryBaseMs;
    QJsonObject headers;             // extra request headers, name → string
    std::optional<bool> requiresKey; // OpenAI-compatible servers: ask for a key or not
    std::optional<bool> listModels;  // list the provider's own models as provider/model
    // OpenAI-compatible wire
    QString maxTokensField; // "max_tokens" or "max_completion_tokens"
    std::optional<bool> sendTopK, streamUsage;
    QString fimUrl; // "fim_url": where fill-in-the-middle goes (FimWire's default when empty)
    // Anthropic
    std::optional<qint64> maxTokens; // the default max_tokens Anthropic requires
    std::optional<bool> sendSampling;
    QString anthropicBeta;
    std::optional<bool> autoCache; // place prompt-cache breakpoints (default on)
    // Others
    QString apiVersion;                 // Azure
    QString embeddingsUrl;              // HuggingFace
    QString chatTemplate;               // TGI "template"
    std::optional<qint64> maxNewTokens; // TGI
    std::optional<int> delayMs;         // echo
    // Connections: "tls": {"ca_file", "insecure_skip_verify", "cert_file", "key_file"} and
    // "proxy" ("direct" or a proxy URL; unset: HTTPS_PROXY … or the desktop's).
    TlsSettings tls;
    QString proxy;

    // False with the reader's error (field and message) when an option has the wrong type or
    // range.
    static bool read(JsonFields &f, ProviderOptions &out);
    // For a provider: options that passed the config's check. A value that did not (a provider
    // built from an unchecked entry) leaves the defaults.
    static ProviderOptions of(const QJsonObject &options);
};

} // namespace gw
