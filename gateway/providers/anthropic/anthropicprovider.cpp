#include "anthropicprovider.h"

#include "anthropicstreamdecoder.h"
#include "chat/failedchatjob.h"
#include "chat/instanceid.h"
#include "providers/httpchatjob.h"
#include "providers/openai/openaiprovider.h"
#include "providers/openai/openaiwire.h"
#include "providers/providererror.h"
#include "providers/providerregistry.h"
#include "version.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

AnthropicProvider::AnthropicProvider(ProviderSettings settings, NetworkPool &pool)
    : Provider(std::move(settings), &pool)
{
    m_baseUrl = m_settings.baseUrl.isEmpty() ? defaultBaseUrl() : m_settings.baseUrl;
    while (m_baseUrl.endsWith(u'/'))
        m_baseUrl.chop(1);
    // Accept a base URL given with or without the API version, as users copy either.
    if (m_baseUrl.endsWith(u"/v1"))
        m_baseUrl.chop(3);
    const ProviderOptions &o = m_providerOptions;
    m_options.defaultMaxTokens = o.maxTokens.value_or(0);
    m_options.sendSampling = o.sendSampling.value_or(true);
    m_options.autoCache = o.autoCache.value_or(true);
    m_upstream = OpenAiProvider::upstreamOptions(o);
    // Anthropic's 529 "overloaded" is worth the retry; everything else follows the default.
    m_upstream.retryable = nullptr;
}

QNetworkRequest AnthropicProvider::request(const QString &path) const
{
    QNetworkRequest r(QUrl(m_baseUrl + path));
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    r.setRawHeader("Accept", "text/event-stream, application/json");
    r.setRawHeader("User-Agent", "llm-gateway/" LLMGW_VERSION);
    r.setRawHeader("Via", viaHeader());
    r.setRawHeader("anthropic-version", "2023-06-01");
    r.setRawHeader("x-api-key", m_settings.apiKey.toUtf8());
    const QString &beta = m_providerOptions.anthropicBeta;
    if (!beta.isEmpty())
        r.setRawHeader("anthropic-beta", beta.toUtf8());
    const QJsonObject &headers = m_providerOptions.headers;
    for (auto it = headers.begin(); it != headers.end(); ++it)
        r.setRawHeader(it.key().toUtf8(), it.value().toString().toUtf8());
    return r;
}

ChatJob *AnthropicProvider::chat(const ChatRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() &&
        ProviderRegistry::needsKey(m_settings.type, m_baseUrl, m_providerOptions.requiresKey))
        return new FailedChatJob(ProviderError::missingKey(m_settings), parent);
    bool jsonViaTool = false;
    Adjustments adjusted;
    const QJsonObject body =
        AnthropicWire::messagesBody(req, m_options, *m_cache, &jsonViaTool, &adjusted);
    auto *job = new HttpChatJob(
        *m_pool, m_settings, req.upstreamModel, request(QStringLiteral("/v1/messages")),
        QJsonDocument(body).toJson(QJsonDocument::Compact), m_upstream,
        std::make_unique<AnthropicStreamDecoder>(m_cache, jsonViaTool), errorReader(), parent);
    job->setAdjustments(adjusted);
    return job;
}

UpstreamErrorReader AnthropicProvider::errorReader()
{
    return [](const QByteArray &body) { return AnthropicWire::errorBody(body); };
}

void AnthropicProvider::listModels(QObject *context, ModelsCallback done)
{
    if (m_settings.apiKey.isEmpty())
        return done({}, ProviderError::missingKey(m_settings));
    UpstreamCall::collect(
        *m_pool, request(QStringLiteral("/v1/models?limit=1000")), "GET", {}, m_upstream, context,
        [settings = m_settings, done](const QByteArray &body, const UpstreamError *e) {
            if (!e)
                return done(OpenAiWire::parseModels(body), std::nullopt);
            done({}, ProviderError::classify(settings, {}, *e, AnthropicWire::errorBody(e->body)));
        });
}

} // namespace gw
