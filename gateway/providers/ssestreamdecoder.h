#pragma once

#include "net/sseparser.h"
#include "streamdecoder.h"

namespace gw {

// The part every SSE-speaking provider's decoder shares: the SSE parser and its errors, the
// whole-JSON body of servers that ignore stream:true, and the one terminal event. Subclasses
// see one SSE event, the whole body, or the end of the stream.
class SseStreamDecoder : public StreamDecoder
{
public:
    explicit SseStreamDecoder(qsizetype maxEventBytes = 16 * 1024 * 1024) : m_sse(maxEventBytes) {}
    void setJsonBody(bool json) final { m_json = json; }
    QList<ChatEvent> feed(const QByteArray &bytes) final;
    QList<ChatEvent> finish() final;

protected:
    virtual void onEvent(const SseEvent &event, QList<ChatEvent> &out) = 0;
    // The answer was one JSON document (content type JSON), or, for a subclass that asks for
    // it from onEnd(), a body that held no SSE event at all.
    virtual void onBody(const QByteArray &body, QList<ChatEvent> &out) = 0;
    // The SSE stream ended without a terminal event from onEvent().
    virtual void onEnd(QList<ChatEvent> &out) = 0;

    bool ended() const { return m_ended; }
    void end() { m_ended = true; }
    // Appends the terminal error event.
    void fail(QList<ChatEvent> &out, ChatFailure failure);
    bool sawEvent() const { return m_sawEvent; }
    const QByteArray &unframed() const { return m_raw; } // the body while no event was seen

private:
    static constexpr qsizetype kMaxUnframed = 256 * 1024;

    SseParser m_sse;
    bool m_json = false;
    bool m_ended = false;
    bool m_sawEvent = false;
    QByteArray m_raw;
};

} // namespace gw
