#include "tgiprovider.h"

#include "chat/failedchatjob.h"
#include "providers/providererror.h"
#include "tgiwire.h"

#include <QJsonDocument>

namespace gw {

ChatJob *TgiProvider::chat(const ChatRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && needsKey()) {
        const ChatEvent e = ProviderError::missingKey(m_settings);
        return new FailedChatJob(e.status, e.text, parent);
    }
    if (!req.tools.isEmpty())
        return new FailedChatJob(
            400,
            QStringLiteral("provider '%1' (type tgi) has no tool calling through /generate; use "
                           "type \"openai\" with base_url ending in /v1 for TGI's Messages API")
                .arg(m_settings.name),
            parent);
    const auto t = TgiWire::templateFor(
        req.upstreamModel, m_settings.options.value(QLatin1StringView("template")).toString());
    const QJsonObject body = TgiWire::generateBody(
        req, t, m_settings.options.value(QLatin1StringView("max_new_tokens")).toInteger(1024));
    return new HttpChatJob(*m_pool, m_settings, req.upstreamModel,
                           request(QStringLiteral("/generate_stream"), req.upstreamModel),
                           QJsonDocument(body).toJson(QJsonDocument::Compact), m_upstream,
                           std::make_unique<TgiWire>(), errorReader(), parent);
}

EmbedJob *TgiProvider::embed(const EmbedRequest &req, QObject *parent)
{
    Q_UNUSED(req);
    return new FailedEmbedJob(
        400,
        QStringLiteral("provider '%1' is a text-generation-inference server, which does not embed; "
                       "use a text-embeddings-inference server or the huggingface provider")
            .arg(m_settings.name),
        parent);
}

} // namespace gw
