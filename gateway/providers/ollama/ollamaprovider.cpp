#include "ollamaprovider.h"

#include "chat/failedchatjob.h"
#include "ollamaupstream.h"
#include "providers/providererror.h"

#include <QJsonDocument>

namespace gw {
namespace {

class OllamaEmbedJob : public EmbedJob
{
public:
    OllamaEmbedJob(NetworkPool &pool, ProviderSettings s, QString model, QNetworkRequest request,
                   QByteArray body, UpstreamOptions o, QObject *parent)
        : EmbedJob(parent), m_pool(pool), m_settings(std::move(s)), m_model(std::move(model)),
          m_request(std::move(request)), m_body(std::move(body)), m_options(std::move(o))
    {}
    void start() override
    {
        UpstreamCall::collect(m_pool, m_request, "POST", m_body, m_options, this,
                              [this](const QByteArray &answer, const UpstreamError *e) {
                                  if (!e)
                                      return deliver(OllamaUpstream::parseEmbed(answer));
                                  const ChatEvent ev =
                                      ProviderError::toEvent(m_settings, m_model, *e,
                                                             OpenAiWire::errorMessage(e->body), {});
                                  deliver(EmbedResult::failure(ev.status, ev.text));
                              });
    }

private:
    NetworkPool &m_pool;
    ProviderSettings m_settings;
    QString m_model;
    QNetworkRequest m_request;
    QByteArray m_body;
    UpstreamOptions m_options;
};

} // namespace

ChatJob *OllamaProvider::chat(const ChatRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && needsKey()) {
        const ChatEvent e = ProviderError::missingKey(m_settings);
        return new FailedChatJob(e.status, e.text, parent);
    }
    QNetworkRequest r = request(QStringLiteral("/api/chat"), req.upstreamModel);
    r.setRawHeader("Accept", "application/x-ndjson");
    return new HttpChatJob(
        *m_pool, m_settings, req.upstreamModel, r,
        QJsonDocument(OllamaUpstream::chatBody(req)).toJson(QJsonDocument::Compact), m_upstream,
        std::make_unique<OllamaUpstream>(), errorReader(), parent);
}

EmbedJob *OllamaProvider::embed(const EmbedRequest &req, QObject *parent)
{
    return new OllamaEmbedJob(
        *m_pool, m_settings, req.upstreamModel,
        request(QStringLiteral("/api/embed"), req.upstreamModel),
        QJsonDocument(OllamaUpstream::embedBody(req)).toJson(QJsonDocument::Compact), m_upstream,
        parent);
}

void OllamaProvider::listModels(QObject *context, ModelsCallback done)
{
    UpstreamCall::collect(
        *m_pool, request(QStringLiteral("/api/tags"), {}), "GET", {}, m_upstream, context,
        [settings = m_settings, done](const QByteArray &body, const UpstreamError *e) {
            if (!e)
                return done(OllamaUpstream::parseTags(body), QString());
            done({}, ProviderError::toEvent(settings, {}, *e, OpenAiWire::errorMessage(e->body), {})
                         .text);
        });
}

} // namespace gw
