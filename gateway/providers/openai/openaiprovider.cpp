#include "openaiprovider.h"

#include "chat/failedchatjob.h"
#include "chat/instanceid.h"
#include "fimwire.h"
#include "net/networkpool.h"
#include "openaistreamdecoder.h"
#include "providers/httpchatjob.h"
#include "providers/httpembedjob.h"
#include "providers/providererror.h"
#include "providers/providerregistry.h"
#include "version.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {
OpenAiProvider::OpenAiProvider(ProviderSettings settings, NetworkPool &pool,
                               const QString &defaultBase)
    : Provider(std::move(settings), &pool)
{
    m_baseUrl = m_settings.baseUrl.isEmpty() ? defaultBase : m_settings.baseUrl;
    while (m_baseUrl.endsWith(u'/'))
        m_baseUrl.chop(1);
    const ProviderOptions &o = m_providerOptions;
    const bool official = QUrl(m_baseUrl).host() == u"api.openai.com";
    m_flavor.maxCompletionTokens =
        o.maxTokensField.isEmpty() ? official : o.maxTokensField == u"max_completion_tokens";
    m_flavor.maxTokensFieldSet = !o.maxTokensField.isEmpty();
    m_flavor.deepSeekThinking = QUrl(m_baseUrl).host() == u"api.deepseek.com";
    m_flavor.sendTopK = o.sendTopK.value_or(false);
    m_flavor.streamUsage = o.streamUsage.value_or(true);
    m_upstream = upstreamOptions(o);
    // Made once: its headers cost ~17 K instructions to set, and nothing in it changes.
    m_chatRequest = requestTo(QUrl(m_baseUrl + QStringLiteral("/chat/completions")));
}

UpstreamErrorReader OpenAiProvider::errorReader()
{
    return [](const QByteArray &body) { return OpenAiWire::errorBody(body); };
}

UpstreamOptions OpenAiProvider::upstreamOptions(const ProviderOptions &o)
{
    UpstreamOptions u;
    u.connectTimeoutMs = o.connectMs.value_or(u.connectTimeoutMs);
    u.firstByteTimeoutMs = o.firstByteMs.value_or(u.firstByteTimeoutMs);
    u.idleTimeoutMs = o.idleMs.value_or(u.idleTimeoutMs);
    u.maxRetries = o.maxRetries.value_or(u.maxRetries);
    u.backoffBaseMs = o.retryBaseMs.value_or(u.backoffBaseMs);
    // The config checked the files; one that went bad since leaves the defaults (the system's
    // roots, no client certificate), which fail safe.
    if (std::optional<UpstreamTransport> t = UpstreamTransport::make(o.tls, o.proxy))
        u.transport = std::make_shared<const UpstreamTransport>(std::move(*t));
    // A 429 for an empty account will not clear by waiting.
    u.retryable = [](const UpstreamError &e) {
        return e.kind != UpstreamError::Kind::Http ||
               ProviderError::causeOf(e.httpStatus, OpenAiWire::errorBody(e.body)) !=
                   FailureCause::QuotaExhausted;
    };
    return u;
}

bool OpenAiProvider::isLocal(const QUrl &url)
{
    const QString host = url.host();
    if (host == u"localhost" || host.endsWith(u".localhost") || host.endsWith(u".local"))
        return true;
    const QHostAddress a(host);
    if (a.isNull())
        return false;
    return a.isLoopback() || a.isInSubnet(QHostAddress(QStringLiteral("10.0.0.0")), 8) ||
           a.isInSubnet(QHostAddress(QStringLiteral("172.16.0.0")), 12) ||
           a.isInSubnet(QHostAddress(QStringLiteral("192.168.0.0")), 16) ||
           a.isInSubnet(QHostAddress(QStringLiteral("fc00::")), 7);
}

bool OpenAiProvider::needsKey() const
{
    return ProviderRegistry::needsKey(m_settings.type, m_baseUrl, m_providerOptions.requiresKey);
}

QNetworkRequest OpenAiProvider::request(const QString &path, const QString &) const
{
    if (path == u"/chat/completions")
        return m_chatRequest; // a shared copy
    return requestTo(QUrl(m_baseUrl + path));
}

QNetworkRequest OpenAiProvider::requestTo(const QUrl &url) const
{
    QNetworkRequest r(url);
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    r.setRawHeader("Accept", url.path().endsWith(u"/completions")
                                 ? "text/event-stream, application/json"
                                 : "application/json");
    r.setRawHeader("User-Agent", "llm-gateway/" LLMGW_VERSION);
    // Marks the request as ours: a gateway configured to call itself refuses instead of looping.
    r.setRawHeader("Via", viaHeader());
    if (!m_settings.apiKey.isEmpty())
        r.setRawHeader("Authorization", "Bearer " + m_settings.apiKey.toUtf8());
    const QJsonObject &headers = m_providerOptions.headers;
    for (auto it = headers.begin(); it != headers.end(); ++it)
        r.setRawHeader(it.key().toUtf8(), it.value().toString().toUtf8());
    return r;
}

ChatJob *OpenAiProvider::chat(const ChatRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && needsKey())
        return new FailedChatJob(ProviderError::missingKey(m_settings), parent);
    if (!req.suffix.isEmpty())
        return fillInTheMiddle(req, parent);
    Adjustments adjusted;
    const QByteArray body = OpenAiWire::chatBytes(req, m_flavor, &adjusted);
    auto *job =
        new HttpChatJob(*m_pool, m_settings, req.upstreamModel,
                        request(QStringLiteral("/chat/completions"), req.upstreamModel), body,
                        m_upstream, std::make_unique<OpenAiStreamDecoder>(), errorReader(), parent);
    job->setAdjustments(adjusted);
    return job;
}

ChatJob *OpenAiProvider::fillInTheMiddle(const ChatRequest &req, QObject *parent)
{
    const QUrl url = FimWire::url(m_baseUrl, m_providerOptions.fimUrl);
    if (req.logprobs && FimWire::formOf(url) == FimWire::Form::Mistral)
        return new FailedChatJob(
            ProviderError::unsupported(m_settings,
                                       QStringLiteral("(Mistral's fill-in-the-middle endpoint) "
                                                      "does not return log probabilities "
                                                      "(logprobs)"),
                                       400),
            parent);
    const QByteArray body = QJsonDocument(FimWire::body(req, FimWire::formOf(url), m_flavor))
                                .toJson(QJsonDocument::Compact);
    // Both forms stream SSE in the Chat Completions framing; the decoder reads choices[].text
    // as well as choices[].delta.content.
    return new HttpChatJob(*m_pool, m_settings, req.upstreamModel, requestTo(url), body, m_upstream,
                           std::make_unique<OpenAiStreamDecoder>(), errorReader(), parent);
}

EmbedJob *OpenAiProvider::embed(const EmbedRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && needsKey())
        return new FailedEmbedJob(ProviderError::missingKey(m_settings), parent);
    const QByteArray body =
        QJsonDocument(OpenAiWire::embedBody(req)).toJson(QJsonDocument::Compact);
    return new HttpEmbedJob(
        *m_pool, m_settings, req.upstreamModel,
        request(QStringLiteral("/embeddings"), req.upstreamModel), {body}, m_upstream,
        [](const QByteArray &answer, qsizetype) { return OpenAiWire::parseEmbeddings(answer); },
        errorReader(), parent);
}

void OpenAiProvider::listModels(QObject *context, ModelsCallback done)
{
    if (m_settings.apiKey.isEmpty() && needsKey())
        return done({}, ProviderError::missingKey(m_settings));
    UpstreamCall::collect(
        *m_pool, request(QStringLiteral("/models"), {}), "GET", {}, m_upstream, context,
        [settings = m_settings, done](const QByteArray &body, const UpstreamError *e) {
            if (!e)
                return done(OpenAiWire::parseModels(body), std::nullopt);
            done({}, ProviderError::classify(settings, {}, *e, OpenAiWire::errorBody(e->body)));
        });
}

} // namespace gw
