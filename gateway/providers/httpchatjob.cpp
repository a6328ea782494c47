#include "httpchatjob.h"

#include "providererror.h"

#include <QPointer>

namespace gw {

HttpChatJob::HttpChatJob(NetworkPool &pool, const ProviderSettings &settings, QString upstreamModel,
                         QNetworkRequest request, QByteArray body, UpstreamOptions options,
                         std::unique_ptr<StreamDecoder> decoder, ErrorReader errors,
                         QObject *parent)
    : ChatJob(parent), m_settings(settings), m_upstreamModel(std::move(upstreamModel)),
      m_call(pool, std::move(request), "POST", std::move(body), std::move(options)),
      m_decoder(std::move(decoder)), m_errors(std::move(errors))
{
    connect(&m_call, &UpstreamCall::responseStarted, this, [this] {
        const QByteArray type = m_call.responseHeader("content-type");
        m_decoder->setJsonBody(type.contains("json") && !type.contains("ndjson"));
    });
    connect(&m_call, &UpstreamCall::bodyData, this,
            [this](const QByteArray &piece) { deliverAll(m_decoder->feed(piece)); });
    connect(&m_call, &UpstreamCall::finished, this, [this] { deliverAll(m_decoder->finish()); });
    connect(&m_call, &UpstreamCall::failed, this, [this](const UpstreamError &e) {
        deliver(ChatEvent::error(
            ProviderError::classify(m_settings, m_upstreamModel, e, m_errors(e.body))));
    });
}

void HttpChatJob::start()
{
    m_call.start();
}

void HttpChatJob::deliverAll(const QList<ChatEvent> &events)
{
    QPointer<HttpChatJob> self(this);
    for (const ChatEvent &e : events) {
        if (!self)
            return;
        if (e.type == ChatEvent::Type::Error) {
            // An error inside a 200 stream: the decoder knows what, the job knows who.
            ChatFailure f = ProviderError::attribute(e.failure, m_settings, m_upstreamModel);
            f.attempts = m_call.attempts();
            deliver(ChatEvent::error(std::move(f)));
            m_call.abort();
            return;
        }
        if (e.type == ChatEvent::Type::Finish)
            m_call.bodyComplete(); // keep the connection for the next request
        deliver(e);
    }
}

} // namespace gw
