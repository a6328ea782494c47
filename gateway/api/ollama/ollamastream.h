#pragma once

#include "api/answerstream.h"
#include "chat/chataccumulator.h"
#include "chat/chatjob.h"

#include <QObject>
#include <QPointer>

namespace gw {

class Responder;

// Writes one model answer in Ollama's shape: NDJSON lines as events arrive, or one object at
// the end when the client asked for stream:false. Lives as a child of its Responder.
class OllamaStream : public AnswerStream
{
    Q_OBJECT
public:
    enum class Kind { Chat, Generate };

    OllamaStream(Kind kind, Responder *responder, const QString &model, bool stream,
                 qint64 receivedNs);

private:
    void onEvent(const ChatEvent &event) override;
    void writeDelta(const QString &content, const QString &thinking, const QList<ToolCall> &calls,
                    const QList<Logprob> &logprobs = {});
    void finish(FinishReason reason);
    void fail(const ChatEvent &error);
    QByteArray head() const; // {"model":...,"created_at":"...",
    void appendContent(QByteArray &out, const QString &content, const QString &thinking,
                       const QList<ToolCall> &calls) const;

    Kind m_kind;
    QByteArray m_modelJson;
    ChatAccumulator m_acc;
};

} // namespace gw
