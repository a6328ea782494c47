#include "tgiprovider.h"

#include "chat/failedchatjob.h"
#include "providers/providererror.h"
#include "tgistreamdecoder.h"
#include "tgiwire.h"

#include <QJsonDocument>

namespace gw {

ChatJob *TgiProvider::chat(const ChatRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && needsKey())
        return new FailedChatJob(ProviderError::missingKey(m_settings), parent);
    if (!req.tools.isEmpty())
        return new FailedChatJob(
            ProviderError::unsupported(
                m_settings, QStringLiteral("(type tgi) has no tool calling through /generate; use "
                                           "type \"openai\" with base_url ending in /v1 for TGI's "
                                           "Messages API")),
            parent);
    const auto t = TgiWire::templateFor(req.upstreamModel, m_providerOptions.chatTemplate);
    const QJsonObject body =
        TgiWire::generateBody(req, t, m_providerOptions.maxNewTokens.value_or(1024));
    return new HttpChatJob(*m_pool, m_settings, req.upstreamModel,
                           request(QStringLiteral("/generate_stream"), req.upstreamModel),
                           QJsonDocument(body).toJson(QJsonDocument::Compact), m_upstream,
                           std::make_unique<TgiStreamDecoder>(), errorReader(), parent);
}

EmbedJob *TgiProvider::embed(const EmbedRequest &req, QObject *parent)
{
    Q_UNUSED(req);
    return new FailedEmbedJob(
        ProviderError::unsupported(m_settings,
                                   QStringLiteral("is a text-generation-inference server, which "
                                                  "does not embed; use a text-embeddings-inference "
                                                  "server or the huggingface provider")),
        parent);
}

} // namespace gw
