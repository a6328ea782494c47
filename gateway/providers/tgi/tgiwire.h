#pragma once

#include "chat/chatrequest.h"
#include "net/sseparser.h"
#include "providers/streamdecoder.h"

#include <QJsonObject>

namespace gw {

// Text Generation Inference's own API (/generate_stream): a prompt in, SSE tokens out. Chat
// turns are rendered with the model family's template, since /generate takes plain text;
// TGI's OpenAI-style /v1/chat/completions is served by type "openai" instead.
class TgiWire : public StreamDecoder
{
public:
    enum class Template { ChatMl, Llama2, Mistral, Zephyr };

    static Template templateFor(const QString &model, const QString &configured);
    static QString prompt(const ChatRequest &request, Template t);
    static QJsonObject generateBody(const ChatRequest &request, Template t,
                                    qint64 defaultMaxTokens);

    void setJsonBody(bool json) override { m_json = json; }
    QList<ChatEvent> feed(const QByteArray &bytes) override;
    QList<ChatEvent> finish() override;

private:
    void onEvent(const QJsonObject &o, QList<ChatEvent> &out);

    SseParser m_sse;
    bool m_json = false;
    bool m_ended = false;
    QByteArray m_body;
};

} // namespace gw
