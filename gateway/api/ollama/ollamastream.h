#pragma once

#include "chat/chataccumulator.h"
#include "chat/chatjob.h"

#include <QObject>
#include <QPointer>

namespace gw {

class Responder;

// Writes one model answer in Ollama's shape: NDJSON lines as events arrive, or one object at
// the end when the client asked for stream:false. Lives as a child of its Responder.
class OllamaStream : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Chat, Generate };

    OllamaStream(Kind kind, Responder *responder, const QString &model, bool stream,
                 qint64 receivedNs);

    // Takes the job (reparenting it to the responder), starts it and answers from its events.
    void run(ChatJob *job);

private:
    void onEvent(const ChatEvent &event);
    void writeDelta(const QString &content, const QString &thinking, const QList<ToolCall> &calls);
    void finish(FinishReason reason);
    void fail(const ChatEvent &error);
    QByteArray head() const; // {"model":...,"created_at":"...",
    void appendContent(QByteArray &out, const QString &content, const QString &thinking,
                       const QList<ToolCall> &calls) const;

    Kind m_kind;
    QPointer<Responder> m_responder;
    QByteArray m_modelJson;
    bool m_stream;
    qint64 m_receivedNs;
    qint64 m_startNs = 0;
    qint64 m_firstTokenNs = 0;
    ChatAccumulator m_acc;
};

} // namespace gw
