#include "ssestreamdecoder.h"

#include "providererror.h"

namespace gw {

void SseStreamDecoder::fail(QList<ChatEvent> &out, ChatFailure failure)
{
    if (m_ended)
        return;
    out.append(ChatEvent::error(std::move(failure)));
    m_ended = true;
}

QList<ChatEvent> SseStreamDecoder::feed(const QByteArray &bytes)
{
    QList<ChatEvent> out;
    if (m_ended)
        return out;
    if (m_json) {
        m_raw += bytes;
        return out;
    }
    if (!m_sawEvent && m_raw.size() < kMaxUnframed)
        m_raw += bytes;
    for (const SseEvent &e : m_sse.feed(bytes)) {
        if (m_ended)
            break;
        m_sawEvent = true;
        m_raw.clear();
        onEvent(e, out);
    }
    if (m_sse.hasError())
        fail(out, ProviderError::fault(m_sse.errorString()));
    return out;
}

QList<ChatEvent> SseStreamDecoder::finish()
{
    QList<ChatEvent> out;
    if (m_ended)
        return out;
    if (m_json) {
        onBody(m_raw, out);
        return out;
    }
    for (const SseEvent &e : m_sse.finish()) {
        if (m_ended)
            break;
        m_sawEvent = true;
        onEvent(e, out);
    }
    if (!m_ended)
        onEnd(out);
    return out;
}

} // namespace gw
