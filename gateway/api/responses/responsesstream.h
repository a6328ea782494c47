#pragma once

#include "api/answerstream.h"
#include "chat/chataccumulator.h"
#include "chat/chatjob.h"
#include "responsesdecoder.h"
#include "responsesencoder.h"

#include <QJsonArray>
#include <QObject>
#include <QPointer>

namespace gw {

class Responder;

// Writes one model answer in the Responses API's shape: named server-sent events with their
// sequence_number as events arrive (response.created … response.completed), or the response
// object at the end when the client did not ask to stream. Both run the same state machine —
// one output item open at a time (reasoning, then message text; tool calls are whole) — and
// only the stream writes its events. The stream begins with the first event, so a failure
// before any output is still an HTTP error in OpenAI's shape. Lives as a child of its Responder.
class ResponsesStream : public AnswerStream
{
    Q_OBJECT
public:
    ResponsesStream(Responder *responder, const QString &model, bool stream, ResponsesEcho echo,
                    qint64 receivedNs);

private:
    enum class Open { None, Reasoning, Message };

    void onEvent(const ChatEvent &event) override;
    void begin();
    void emitEvent(const char *type, QJsonObject data);
    void emitDelta(const char *type, const char *indexKey, const QString &delta,
                   const QList<Logprob> &logprobs = {});
    void openItem(Open kind);
    void closeItem();
    void addCall(ToolCall call);
    void finish(FinishReason reason);
    void fail(const ChatFailure &failure);
    QJsonObject itemHead() const; // item_id and output_index of the open item

    ResponsesEcho m_echo;
    ResponsesEncoder::Head m_head;
    int m_sequence = 0;
    QJsonArray m_output; // the items done so far, in output order
    Open m_open = Open::None;
    QByteArray m_openId;
    QString m_openText;
    QList<Logprob> m_openLogprobs; // the open message's tokens, when asked for
    ChatAccumulator m_acc;
};

} // namespace gw
