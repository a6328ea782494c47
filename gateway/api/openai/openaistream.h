#pragma once

#include "chat/chataccumulator.h"
#include "chat/chatjob.h"

#include <QObject>
#include <QPointer>

namespace gw {

class Responder;

// Writes one model answer in OpenAI's shape: server-sent events ("data: {chunk}\n\n" ...
// "data: [DONE]") as events arrive, or one object at the end when the client did not ask to
// stream. Serves /v1/chat/completions and the legacy /v1/completions. Lives as a child of its
// Responder.
class OpenAiStream : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Chat, Completion };

    OpenAiStream(Kind kind, Responder *responder, const QString &model, bool stream,
                 bool includeUsage, qint64 receivedNs);

    // Takes the job (reparenting it to the responder), starts it and answers from its events.
    void run(ChatJob *job);

private:
    void onEvent(const ChatEvent &event);
    void begin();
    void writeChoice(const QByteArray &choice);
    void finish(FinishReason reason);
    void fail(const ChatEvent &error);
    QByteArray usage() const;

    Kind m_kind;
    QPointer<Responder> m_responder;
    QByteArray m_head; // {"id":...,"object":...,"created":...,"model":...,"choices":[
    bool m_stream;
    bool m_includeUsage;
    qint64 m_receivedNs;
    qint64 m_firstTokenNs = 0;
    int m_toolCalls = 0; // calls sent so far: their index, and whether "stop" means tool_calls
    ChatAccumulator m_acc;
};

} // namespace gw
