#include "geminiprovider.h"

#include "chat/failedchatjob.h"
#include "chat/instanceid.h"
#include "geministreamdecoder.h"
#include "geminiwire.h"
#include "providers/httpchatjob.h"
#include "providers/openai/openaiprovider.h"
#include "providers/providererror.h"
#include "version.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace gw {
namespace {

constexpr int kBatch = 100; // batchEmbedContents takes about this many inputs

// Embeds in batches, one after the other, and answers once with every vector in input order.
class GeminiEmbedJob : public EmbedJob
{
public:
    GeminiEmbedJob(NetworkPool &pool, ProviderSettings settings, EmbedRequest req,
                   QNetworkRequest request, UpstreamOptions options, QObject *parent)
        : EmbedJob(parent), m_pool(pool), m_settings(std::move(settings)), m_req(std::move(req)),
          m_request(std::move(request)), m_options(std::move(options))
    {}
    void start() override { next(); }

private:
    void next()
    {
        const QStringList batch = m_req.inputs.mid(m_done, kBatch);
        const QByteArray body =
            QJsonDocument(GeminiWire::batchEmbedBody(m_req.upstreamModel, batch, m_req.dimensions))
                .toJson(QJsonDocument::Compact);
        UpstreamCall::collect(
            m_pool, m_request, "POST", body, m_options, this,
            [this, n = batch.size()](const QByteArray &answer, const UpstreamError *e) {
                if (e) {
                    const auto [message, code] = GeminiWire::error(e->body);
                    const ChatEvent ev =
                        ProviderError::toEvent(m_settings, m_req.upstreamModel, *e, message, code);
                    EmbedResult r = EmbedResult::failure(ev.status, ev.text);
                    r.retryAfterSeconds = ev.retryAfterSeconds;
                    return deliver(r);
                }
                const EmbedResult part = GeminiWire::parseBatchEmbed(answer);
                if (!part.ok() || part.vectors.size() != n)
                    return deliver(EmbedResult::failure(
                        502, QStringLiteral("the provider returned %1 vectors for %2 inputs")
                                 .arg(part.vectors.size())
                                 .arg(n)));
                m_result.vectors += part.vectors;
                m_done += n;
                if (m_done < m_req.inputs.size())
                    return next();
                deliver(m_result); // Gemini reports no token counts
            });
    }

    NetworkPool &m_pool;
    ProviderSettings m_settings;
    EmbedRequest m_req;
    QNetworkRequest m_request;
    UpstreamOptions m_options;
    EmbedResult m_result;
    qsizetype m_done = 0;
};

} // namespace

GeminiProvider::GeminiProvider(ProviderSettings settings, NetworkPool &pool)
    : Provider(std::move(settings), &pool)
{
    m_baseUrl = m_settings.baseUrl.isEmpty() ? defaultBaseUrl() : m_settings.baseUrl;
    while (m_baseUrl.endsWith(u'/'))
        m_baseUrl.chop(1);
    m_upstream = OpenAiProvider::upstreamOptions(m_settings.options);
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
    const QJsonObject headers = m_settings.options.value(QLatin1StringView("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        r.setRawHeader(it.key().toUtf8(), it.value().toString().toUtf8());
    return r;
}

ChatJob *GeminiProvider::chat(const ChatRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && !OpenAiProvider::isLocal(QUrl(m_baseUrl))) {
        const ChatEvent e = ProviderError::missingKey(m_settings);
        return new FailedChatJob(e.status, e.text, parent);
    }
    const QByteArray body =
        QJsonDocument(GeminiWire::generateBody(req, *m_signatures)).toJson(QJsonDocument::Compact);
    const QString path = QStringLiteral("/models/%1:streamGenerateContent?alt=sse")
                             .arg(GeminiWire::modelPath(req.upstreamModel));
    return new HttpChatJob(*m_pool, m_settings, req.upstreamModel, request(path), body, m_upstream,
                           std::make_unique<GeminiStreamDecoder>(m_signatures), &GeminiWire::error,
                           parent);
}

EmbedJob *GeminiProvider::embed(const EmbedRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && !OpenAiProvider::isLocal(QUrl(m_baseUrl))) {
        const ChatEvent e = ProviderError::missingKey(m_settings);
        return new FailedEmbedJob(e.status, e.text, parent);
    }
    const QString path = QStringLiteral("/models/%1:batchEmbedContents")
                             .arg(GeminiWire::modelPath(req.upstreamModel));
    return new GeminiEmbedJob(*m_pool, m_settings, req, request(path), m_upstream, parent);
}

void GeminiProvider::listModels(QObject *context, ModelsCallback done)
{
    if (m_settings.apiKey.isEmpty())
        return done({}, ProviderError::missingKey(m_settings).text);
    UpstreamCall::collect(
        *m_pool, request(QStringLiteral("/models?pageSize=1000")), "GET", {}, m_upstream, context,
        [settings = m_settings, done](const QByteArray &body, const UpstreamError *e) {
            if (!e)
                return done(GeminiWire::parseModels(body), QString());
            const auto [message, code] = GeminiWire::error(e->body);
            done({}, ProviderError::toEvent(settings, {}, *e, message, code).text);
        });
}

} // namespace gw
