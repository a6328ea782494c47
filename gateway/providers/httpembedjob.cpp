#include "httpembedjob.h"

#include "providererror.h"

namespace gw {

HttpEmbedJob::HttpEmbedJob(NetworkPool &pool, const ProviderSettings &settings,
                           QString upstreamModel, QNetworkRequest request, QList<QByteArray> bodies,
                           UpstreamOptions options, Parser parse, UpstreamErrorReader errors,
                           QObject *parent)
    : EmbedJob(parent), m_pool(pool), m_settings(settings),
      m_upstreamModel(std::move(upstreamModel)), m_request(std::move(request)),
      m_bodies(std::move(bodies)), m_options(std::move(options)), m_parse(std::move(parse)),
      m_errors(std::move(errors))
{}

void HttpEmbedJob::start()
{
    if (m_bodies.isEmpty())
        return deliver(m_result);
    next();
}

void HttpEmbedJob::next()
{
    UpstreamCall::collect(
        m_pool, m_request, "POST", m_bodies.at(m_batch), m_options, this,
        [this](const QByteArray &answer, const UpstreamError *e) { onAnswer(answer, e); });
}

void HttpEmbedJob::onAnswer(const QByteArray &answer, const UpstreamError *e)
{
    if (e)
        return deliver(EmbedResult::failed(
            ProviderError::classify(m_settings, m_upstreamModel, *e, m_errors(e->body))));
    const EmbedResult part = m_parse(answer, m_batch);
    if (!part.ok())
        return deliver(EmbedResult::failed(
            ProviderError::attribute(*part.failure, m_settings, m_upstreamModel)));
    m_result.vectors += part.vectors;
    if (part.promptTokens >= 0)
        m_result.promptTokens = qMax<qint64>(0, m_result.promptTokens) + part.promptTokens;
    if (++m_batch < m_bodies.size())
        return next();
    deliver(m_result);
}

} // namespace gw
