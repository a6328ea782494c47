#include "geminiprovider.h"

#include "chat/failedchatjob.h"
#include "chat/instanceid.h"
#include "geministreamdecoder.h"
#include "geminiwire.h"
#include "providers/httpchatjob.h"
#include "providers/httpembedjob.h"
#include "providers/openai/openaiprovider.h"
#include "providers/providererror.h"
#include "providers/providerregistry.h"
#include "version.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace gw {
namespace {

constexpr int kBatch = 100; // batchEmbedContents takes about this many inputs

UpstreamErrorBody readError(const QByteArray &body)
{
    return GeminiWire::errorBody(body);
}

} // namespace

GeminiProvider::GeminiProvider(ProviderSettings settings, NetworkPool &pool)
    : Provider(std::move(settings), &pool)
{
    m_baseUrl = m_settings.baseUrl.isEmpty() ? defaultBaseUrl() : m_settings.baseUrl;
    while (m_baseUrl.endsWith(u'/'))
        m_baseUrl.chop(1);
    m_upstream = OpenAiProvider::upstreamOptions(m_providerOptions);
    m_upstream.retryable = nullptr;
}

QNetworkRequest GeminiProvider::request(const QString &path) const
{
    QNetworkRequest r(QUrl(m_baseUrl + path));
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    r.setRawHeader("User-Agent", "llm-gateway/" LLMGW_VERSION);
    r.setRawHeader("Via", viaHeader());
    // In a header rather than ?key=, so it never lands in a URL that something might log.
    r.setRawHeader("x-goog-api-key", m_settings.apiKey.toUtf8());
    const QJsonObject &headers = m_providerOptions.headers;
    for (auto it = headers.begin(); it != headers.end(); ++it)
        r.setRawHeader(it.key().toUtf8(), it.value().toString().toUtf8());
    return r;
}

ChatJob *GeminiProvider::chat(const ChatRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() &&
        ProviderRegistry::needsKey(m_settings.type, m_baseUrl, m_providerOptions.requiresKey))
        return new FailedChatJob(ProviderError::missingKey(m_settings), parent);
    Adjustments adjusted;
    const QByteArray body = QJsonDocument(GeminiWire::generateBody(req, *m_signatures, &adjusted))
                                .toJson(QJsonDocument::Compact);
    const QString path = QStringLiteral("/models/%1:streamGenerateContent?alt=sse")
                             .arg(GeminiWire::modelPath(req.upstreamModel));
    auto *job =
        new HttpChatJob(*m_pool, m_settings, req.upstreamModel, request(path), body, m_upstream,
                        std::make_unique<GeminiStreamDecoder>(m_signatures), &readError, parent);
    job->setAdjustments(adjusted);
    return job;
}

EmbedJob *GeminiProvider::embed(const EmbedRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() &&
        ProviderRegistry::needsKey(m_settings.type, m_baseUrl, m_providerOptions.requiresKey))
        return new FailedEmbedJob(ProviderError::missingKey(m_settings), parent);
    const QString path = QStringLiteral("/models/%1:batchEmbedContents")
                             .arg(GeminiWire::modelPath(req.upstreamModel));
    // Batches go one after the other; every vector comes back in input order.
    QList<QByteArray> bodies;
    QList<qsizetype> sizes;
    for (qsizetype at = 0; at < req.inputs.size(); at += kBatch) {
        const QStringList batch = req.inputs.mid(at, kBatch);
        bodies.append(
            QJsonDocument(GeminiWire::batchEmbedBody(req.upstreamModel, batch, req.dimensions))
                .toJson(QJsonDocument::Compact));
        sizes.append(batch.size());
    }
    return new HttpEmbedJob(
        *m_pool, m_settings, req.upstreamModel, request(path), bodies, m_upstream,
        [sizes](const QByteArray &answer, qsizetype batch) {
            EmbedResult part = GeminiWire::parseBatchEmbed(answer);
            if (part.ok() && part.vectors.size() != sizes.at(batch))
                return EmbedResult::failed(
                    ProviderError::fault(QStringLiteral("the provider returned %1 vectors for %2 "
                                                        "inputs")
                                             .arg(part.vectors.size())
                                             .arg(sizes.at(batch))));
            return part; // Gemini reports no token counts
        },
        &readError, parent);
}

void GeminiProvider::listModels(QObject *context, ModelsCallback done)
{
    if (m_settings.apiKey.isEmpty())
        return done({}, ProviderError::missingKey(m_settings));
    UpstreamCall::collect(
        *m_pool, request(QStringLiteral("/models?pageSize=1000")), "GET", {}, m_upstream, context,
        [settings = m_settings, done](const QByteArray &body, const UpstreamError *e) {
            if (!e)
                return done(GeminiWire::parseModels(body), std::nullopt);
            done({}, ProviderError::classify(settings, {}, *e, GeminiWire::errorBody(e->body)));
        });
}

} // namespace gw
