#pragma once

#include "chat/chatrequest.h"
#include "chat/embedrequest.h"
#include "net/ndjsonparser.h"
#include "providers/streamdecoder.h"

#include <QJsonObject>

namespace gw {

// A real Ollama server as the upstream: the request side of its native API (the inbound
// dialect in api/ollama decodes the same format; the two directions are kept apart on purpose,
// see docs/architecture.md) and its NDJSON answers.
class OllamaUpstream : public StreamDecoder
{
public:
    static QJsonObject chatBody(const ChatRequest &request);
    static QJsonObject embedBody(const EmbedRequest &request);
    static EmbedResult parseEmbed(const QByteArray &body);
    static QStringList parseTags(const QByteArray &body);

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
