#pragma once

#include "net/sseparser.h"
#include "providers/anthropic/thinkingcache.h"
#include "providers/streamdecoder.h"

#include <memory>

namespace gw {

// streamGenerateContent?alt=sse → canonical events. Each chunk is a whole response object
// carrying deltas; function calls arrive whole and get ids here (Gemini gives none), with their
// thought signatures remembered under those ids. The stream simply ends: the finish comes from
// the last finishReason seen. A prompt or answer blocked for safety becomes a clear error
// rather than an empty answer.
class GeminiStreamDecoder : public StreamDecoder
{
public:
    explicit GeminiStreamDecoder(std::shared_ptr<ThinkingCache> signatures)
        : m_signatures(std::move(signatures))
    {}
    void setJsonBody(bool json) override { m_json = json; }
    QList<ChatEvent> feed(const QByteArray &bytes) override;
    QList<ChatEvent> finish() override;

private:
    void onChunk(const QJsonObject &chunk, QList<ChatEvent> &out);

    std::shared_ptr<ThinkingCache> m_signatures;
    SseParser m_sse;
    bool m_json = false;
    bool m_sawEvent = false;
    bool m_ended = false;
    QByteArray m_raw; // the body while it does not look like SSE (bare JSON errors)
    QString m_reason;
    int m_calls = 0;
    bool m_output = false;
    qint64 m_prompt = -1, m_completion = -1;
};

} // namespace gw
