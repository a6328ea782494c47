#pragma once

#include "chat/chatevent.h"
#include "chat/chatjob.h"

#include <QObject>
#include <QPointer>

namespace gw {

class Responder;

// What every dialect's answer writer (OllamaStream, OpenAiStream, ResponsesStream,
// AnthropicStream) shares: it lives as a child of its Responder, takes the job and is handed
// its events, and notes in the request record whether it streams and when the first token came.
class AnswerStream : public QObject
{
    Q_OBJECT
public:
    // Takes the job (reparenting it to the responder), starts it and answers from its events.
    void run(ChatJob *job);

protected:
    AnswerStream(Responder *responder, bool stream, qint64 receivedNs);
    virtual void onEvent(const ChatEvent &event) = 0;
    // Called first by onEvent: notes the first token's time; false when the client is gone
    // (the event is then dropped).
    bool noteEvent(const ChatEvent &event);

    QPointer<Responder> m_responder;
    const bool m_stream;
    const qint64 m_receivedNs;
    qint64 m_startNs = 0; // when run() started the job
    qint64 m_firstTokenNs = 0;
};

} // namespace gw
