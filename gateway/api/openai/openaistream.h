#pragma once

#include "api/answerstream.h"
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
class OpenAiStream : public AnswerStream
{
    Q_OBJECT
public:
    enum class Kind { Chat, Completion };

    OpenAiStream(Kind kind, Responder *responder, const QString &model, bool stream,
                 bool includeUsage, qint64 receivedNs);

private:
    void onEvent(const ChatEvent &event) override;
    void begin();
    void writeChoice(const QByteArray &choice);
    void finish(FinishReason reason);
    void fail(const ChatEvent &error);
    QByteArray usage() const;

    Kind m_kind;
    QByteArray m_head; // {"id":...,"object":...,"created":...,"model":...,"choices":[
    bool m_includeUsage;
    int m_toolCalls = 0;     // calls sent so far: their index, and whether "stop" means tool_calls
    qint64 m_textOffset = 0; // legacy completions: where the next tokens start in the text
    ChatAccumulator m_acc;
};

} // namespace gw
