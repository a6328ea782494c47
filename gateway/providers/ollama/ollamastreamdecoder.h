#pragma once

#include "net/ndjsonparser.h"
#include "providers/streamdecoder.h"

namespace gw {

// A real Ollama's NDJSON answer → canonical events: deltas, whole tool calls, and the counts
// and reason on the line with "done":true.
class OllamaStreamDecoder : public StreamDecoder
{
public:
    void setJsonBody(bool json) override { m_json = json; }
    QList<ChatEvent> feed(const QByteArray &bytes) override;
    QList<ChatEvent> finish() override;

private:
    void onLine(const QByteArray &line, QList<ChatEvent> &out);

    NdjsonParser m_lines;
    bool m_json = false;
    bool m_ended = false;
    int m_calls = 0;
};

} // namespace gw
