#include "provideroptions.h"

#include "json/jsonfields.h"

#include <QUrl>

namespace gw {
namespace {

bool notNegative(JsonFields &f, QLatin1StringView key, std::optional<int> &out)
{
    if (!f.integer(key, out))
        return false;
    if (out && *out < 0)
        return f.fail(f.fieldPath(key) + QStringLiteral(" must not be negative"), f.fieldPath(key));
    return true;
}

bool readTimeouts(JsonFields &f, ProviderOptions &o)
{
    QJsonObject timeouts;
    if (!f.object(QLatin1StringView("timeouts"), timeouts))
        return false;
    JsonFields t(timeouts, f.fieldPath(QLatin1StringView("timeouts")), JsonStyle::Config);
    int connect = 0, firstByte = 0, idle = 0;
    if (!t.positive(QLatin1StringView("connect_ms"), connect) ||
        !t.positive(QLatin1StringView("first_byte_ms"), firstByte) ||
        !t.positive(QLatin1StringView("idle_ms"), idle))
        return f.fail(t.error(), t.errorField());
    const auto set = [](std::optional<int> &out, int v) {
        if (v > 0)
            out = v;
    };
    set(o.connectMs, connect);
    set(o.firstByteMs, firstByte);
    set(o.idleMs, idle);
    return true;
}

bool readHeaders(JsonFields &f, ProviderOptions &o)
{
    if (!f.object(QLatin1StringView("headers"), o.headers))
        return false;
    JsonFields h(o.headers, f.fieldPath(QLatin1StringView("headers")), JsonStyle::Config);
    for (auto it = o.headers.begin(); it != o.headers.end(); ++it) {
        QString value;
        if (!h.string(QLatin1StringView(it.key().toLatin1()), value))
            return f.fail(h.error(), h.errorField());
    }
    return true;
}

bool file(JsonFields &t, QLatin1StringView key, QString &out)
{
    if (!t.string(key, out))
        return false;
    out = out.trimmed();
    return true;
}

// The files are read here too, so a missing or unusable one is an error at load that names it.
bool readTls(JsonFields &f, ProviderOptions &o)
{
    QJsonObject tls;
    const QLatin1StringView key("tls");
    if (!f.object(key, tls))
        return false;
    JsonFields t(tls, f.fieldPath(key), JsonStyle::Config);
    TlsSettings &s = o.tls;
    if (!file(t, QLatin1StringView("ca_file"), s.caFile) ||
        !t.boolean(QLatin1StringView("insecure_skip_verify"), s.insecure) ||
        !file(t, QLatin1StringView("cert_file"), s.certFile) ||
        !file(t, QLatin1StringView("key_file"), s.keyFile))
        return f.fail(t.error(), t.errorField());
    // The files are checked without touching Qt's TLS (even a null QSslKey starts its backend,
    // about 4 MB of idle RSS): their certificates are read by the first request that needs them.
    const auto check = [&](QLatin1StringView field, const QString &why) {
        return why.isEmpty() ||
               t.fail(t.fieldPath(field) + QStringLiteral(": ") + why, t.fieldPath(field));
    };
    using Pem = UpstreamTransport::PemKind;
    if (!(s.caFile.isEmpty() ||
          check(QLatin1StringView("ca_file"),
                UpstreamTransport::checkPemFile(s.caFile, Pem::Certificates))) ||
        !(s.certFile.isEmpty() ||
          check(QLatin1StringView("cert_file"),
                UpstreamTransport::checkPemFile(s.certFile, Pem::Certificates))) ||
        !(s.keyFile.isEmpty() ||
          check(QLatin1StringView("key_file"),
                UpstreamTransport::checkPemFile(s.keyFile, Pem::PrivateKey))))
        return f.fail(t.error(), t.errorField());
    if (s.certFile.isEmpty() != s.keyFile.isEmpty()) {
        const QLatin1StringView missing(s.certFile.isEmpty() ? "cert_file" : "key_file");
        return f.fail(t.fieldPath(missing) +
                          QStringLiteral(" is needed too: a client certificate is a cert_file "
                                         "and its key_file"),
                      t.fieldPath(missing));
    }
    return true;
}

bool readProxy(JsonFields &f, ProviderOptions &o)
{
    const QLatin1StringView key("proxy");
    if (!f.string(key, o.proxy))
        return false;
    o.proxy = o.proxy.trimmed();
    QNetworkProxy proxy;
    QString why;
    if (!o.proxy.isEmpty() && !UpstreamTransport::parseProxy(o.proxy, proxy, &why))
        return f.fail(f.fieldPath(key) + u' ' + why, f.fieldPath(key));
    return true;
}

} // namespace

bool ProviderOptions::read(JsonFields &f, ProviderOptions &o)
{
    qint64 maxTokens = 0, maxNewTokens = 0;
    if (!readTimeouts(f, o) || !readHeaders(f, o) ||
        !notNegative(f, QLatin1StringView("max_retries"), o.maxRetries) ||
        !notNegative(f, QLatin1StringView("retry_base_ms"), o.retryBaseMs) ||
        !f.boolean(QLatin1StringView("requires_key"), o.requiresKey) ||
        !f.boolean(QLatin1StringView("list_models"), o.listModels) ||
        !f.string(QLatin1StringView("max_tokens_field"), o.maxTokensField) ||
        !f.boolean(QLatin1StringView("send_top_k"), o.sendTopK) ||
        !f.boolean(QLatin1StringView("stream_usage"), o.streamUsage) ||
        !f.string(QLatin1StringView("fim_url"), o.fimUrl) ||
        !f.positive(QLatin1StringView("max_tokens"), maxTokens) ||
        !f.boolean(QLatin1StringView("send_sampling"), o.sendSampling) ||
        !f.string(QLatin1StringView("anthropic_beta"), o.anthropicBeta) ||
        !f.boolean(QLatin1StringView("auto_cache"), o.autoCache) ||
        !f.string(QLatin1StringView("api_version"), o.apiVersion) ||
        !f.string(QLatin1StringView("embeddings_url"), o.embeddingsUrl) ||
        !f.string(QLatin1StringView("template"), o.chatTemplate) ||
        !f.positive(QLatin1StringView("max_new_tokens"), maxNewTokens) ||
        !notNegative(f, QLatin1StringView("delay_ms"), o.delayMs) || !readTls(f, o) ||
        !readProxy(f, o))
        return false;
    if (maxTokens > 0)
        o.maxTokens = maxTokens;
    if (maxNewTokens > 0)
        o.maxNewTokens = maxNewTokens;
    if (!o.fimUrl.isEmpty()) {
        const QUrl fim(o.fimUrl, QUrl::StrictMode);
        if (!fim.isValid() || (fim.scheme() != u"http" && fim.scheme() != u"https"))
            return f.fail(f.fieldPath(QLatin1StringView("fim_url")) +
                              QStringLiteral(" must be an http or https URL"),
                          f.fieldPath(QLatin1StringView("fim_url")));
    }
    const QLatin1StringView field("max_tokens_field");
    if (!o.maxTokensField.isEmpty() && o.maxTokensField != u"max_tokens" &&
        o.maxTokensField != u"max_completion_tokens")
        return f.fail(f.fieldPath(field) +
                          QStringLiteral(" must be \"max_tokens\" or \"max_completion_tokens\""),
                      f.fieldPath(field));
    return true;
}

ProviderOptions ProviderOptions::of(const QJsonObject &options)
{
    JsonFields f(options, QStringLiteral("options"), JsonStyle::Config);
    ProviderOptions o;
    if (!read(f, o))
        return {};
    return o;
}

} // namespace gw
