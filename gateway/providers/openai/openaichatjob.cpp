#include "openaichatjob.h"

#include "openaiwire.h"
#include "providers/providererror.h"

#include <QPointer>

namespace gw {

OpenAiChatJob::OpenAiChatJob(NetworkPool &pool, const ProviderSettings &settings,
                             QString upstreamModel, QNetworkRequest request, QByteArray body,
                             UpstreamOptions options, QObject *parent)
    : ChatJob(parent), m_settings(settings), m_upstreamModel(std::move(upstreamModel)),
      m_call(pool, std::move(request), "POST", std::move(body), std::move(options))
{
    connect(&m_call, &UpstreamCall::responseStarted, this, [this] {
        // Some servers ignore stream:true and answer with one JSON object.
        m_decoder.setJsonBody(m_call.responseHeader("content-type").contains("json"));
    });
    connect(&m_call, &UpstreamCall::bodyData, this,
            [this](const QByteArray &piece) { deliverAll(m_decoder.feed(piece)); });
    connect(&m_call, &UpstreamCall::finished, this, [this] { deliverAll(m_decoder.finish()); });
    connect(&m_call, &UpstreamCall::failed, this, [this](const UpstreamError &e) {
        deliver(ProviderError::toEvent(m_settings, m_upstreamModel, e,
                                       OpenAiWire::errorMessage(e.body),
                                       OpenAiWire::errorCode(e.body)));
    });
}

void OpenAiChatJob::start()
{
    m_call.start();
}

void OpenAiChatJob::deliverAll(const QList<ChatEvent> &events)
{
    QPointer<OpenAiChatJob> self(this);
    for (const ChatEvent &e : events) {
        if (!self)
            return;
        if (e.type == ChatEvent::Type::Error) {
            deliver(ProviderError::inStream(m_settings, e.text));
            m_call.abort();
            return;
        }
        deliver(e);
    }
}

} // namespace gw
