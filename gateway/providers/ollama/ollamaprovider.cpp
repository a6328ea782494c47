#include "ollamaprovider.h"

#include "chat/failedchatjob.h"
#include "ollamastreamdecoder.h"
#include "ollamawire.h"
#include "providers/httpembedjob.h"
#include "providers/providererror.h"

#include <QJsonDocument>

namespace gw {
namespace {

UpstreamErrorBody readError(const QByteArray &body)
{
    return OllamaWire::errorBody(body);
}

} // namespace

ChatJob *OllamaProvider::chat(const ChatRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && needsKey())
        return new FailedChatJob(ProviderError::missingKey(m_settings), parent);
    // A suffix is fill-in-the-middle, which only /api/generate takes.
    const bool fim = !req.suffix.isEmpty();
    QNetworkRequest r = request(fim ? QStringLiteral("/api/generate") : QStringLiteral("/api/chat"),
                                req.upstreamModel);
    r.setRawHeader("Accept", "application/x-ndjson");
    const QJsonObject body = fim ? OllamaWire::generateBody(req) : OllamaWire::chatBody(req);
    return new HttpChatJob(*m_pool, m_settings, req.upstreamModel, r,
                           QJsonDocument(body).toJson(QJsonDocument::Compact), m_upstream,
                           std::make_unique<OllamaStreamDecoder>(), &readError, parent);
}

EmbedJob *OllamaProvider::embed(const EmbedRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && needsKey())
        return new FailedEmbedJob(ProviderError::missingKey(m_settings), parent);
    return new HttpEmbedJob(
        *m_pool, m_settings, req.upstreamModel,
        request(QStringLiteral("/api/embed"), req.upstreamModel),
        {QJsonDocument(OllamaWire::embedBody(req)).toJson(QJsonDocument::Compact)}, m_upstream,
        [](const QByteArray &answer, qsizetype) { return OllamaWire::parseEmbed(answer); },
        &readError, parent);
}

void OllamaProvider::listModels(QObject *context, ModelsCallback done)
{
    UpstreamCall::collect(
        *m_pool, request(QStringLiteral("/api/tags"), {}), "GET", {}, m_upstream, context,
        [settings = m_settings, done](const QByteArray &body, const UpstreamError *e) {
            if (!e)
                return done(OllamaWire::parseTags(body), std::nullopt);
            done({}, ProviderError::classify(settings, {}, *e, OllamaWire::errorBody(e->body)));
        });
}

} // namespace gw
