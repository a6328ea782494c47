#pragma once

#include "providers/ssestreamdecoder.h"
#include "providers/thinkingcache.h"

#include <memory>

namespace gw {

// streamGenerateContent?alt=sse → canonical events. Each chunk is a whole response object
// carrying deltas; function calls arrive whole and get ids here (Gemini gives none), with their
// thought signatures remembered under those ids. The stream simply ends: the finish comes from
// the last finishReason seen. A prompt or answer blocked for safety becomes a clear error
// rather than an empty answer.
class GeminiStreamDecoder : public SseStreamDecoder
{
public:
    explicit GeminiStreamDecoder(std::shared_ptr<ThinkingCache> signatures)
        : m_signatures(std::move(signatures))
    {}

protected:
    void onEvent(const SseEvent &event, QList<ChatEvent> &out) override;
    // Also the body that held no SSE event (a bare JSON error, or no alt=sse).
    void onBody(const QByteArray &body, QList<ChatEvent> &out) override;
    void onEnd(QList<ChatEvent> &out) override;

private:
    void onChunk(const QJsonObject &chunk, QList<ChatEvent> &out);
    ChatFailure blocked(const QString &what) const;

    std::shared_ptr<ThinkingCache> m_signatures;
    bool m_fromBody = false;
    QString m_reason;
    int m_calls = 0;
    bool m_output = false;
    ChatEvent m_usage = ChatEvent::usage(-1, -1);
};

} // namespace gw
