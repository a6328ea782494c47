#pragma once

#include "chat/chatevent.h"
#include "providers/ssestreamdecoder.h"

#include <QByteArray>
#include <QList>
#include <QMap>

namespace gw {

// Chat Completions response → canonical events. Reads the SSE stream (or, from servers that
// ignore stream:true, one JSON body): text and reasoning deltas at once; tool-call argument
// fragments assembled per index and emitted whole when the choice finishes; usage and the
// finish at [DONE] or the end of the body.
class OpenAiStreamDecoder : public SseStreamDecoder
{
protected:
    void onEvent(const SseEvent &event, QList<ChatEvent> &out) override;
    void onBody(const QByteArray &body, QList<ChatEvent> &out) override;
    void onEnd(QList<ChatEvent> &out) override;

private:
    void onData(const QByteArray &data, QList<ChatEvent> &out);
    void onChoice(const QJsonObject &choice, QList<ChatEvent> &out, bool whole);
    void flushToolCalls(QList<ChatEvent> &out);
    void complete(QList<ChatEvent> &out);
    // Models that think inline (<think>…</think> at the start of the answer, as R1 and Qwen3
    // do behind some servers): the tagged part becomes thinking.
    void content(const QString &text, QList<ChatEvent> &out);
    // Gives the log probabilities received so far to the first text event from `from` on; text
    // held back (a "<think>" forming) takes them when it is let go.
    void attachLogprobs(QList<ChatEvent> &out, qsizetype from);

    struct PartialCall
    {
        QString id, name, arguments;
    };
    bool m_whole = false; // onBody: choices carry "message", not "delta"
    QMap<int, PartialCall> m_calls;
    int m_emittedCalls = 0;
    bool m_finishSeen = false;
    FinishReason m_finish = FinishReason::Stop;
    ChatEvent m_usage = ChatEvent::usage(-1, -1);
    enum class Think { Undecided, Inside, Done };
    Think m_think = Think::Undecided;
    QString m_pending; // text held back while a tag might be forming
    QList<Logprob> m_heldLogprobs;
};

} // namespace gw
