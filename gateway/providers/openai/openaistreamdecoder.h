#pragma once

#include "chat/chatevent.h"
#include "net/sseparser.h"
#include "providers/streamdecoder.h"

#include <QByteArray>
#include <QList>
#include <QMap>

namespace gw {

// Chat Completions response → canonical events. Reads the SSE stream (or, from servers that
// ignore stream:true, one JSON body): text and reasoning deltas at once; tool-call argument
// fragments assembled per index and emitted whole when the choice finishes; usage and the
// finish at [DONE] or the end of the body.
class OpenAiStreamDecoder : public StreamDecoder
{
public:
    void setJsonBody(bool json) override { m_json = json; }
    QList<ChatEvent> feed(const QByteArray &bytes) override;
    QList<ChatEvent> finish() override;

private:
    void onData(const QByteArray &data, QList<ChatEvent> &out);
    void onChoice(const QJsonObject &choice, QList<ChatEvent> &out, bool whole);
    void flushToolCalls(QList<ChatEvent> &out);
    void end(QList<ChatEvent> &out);
    // Models that think inline (<think>…</think> at the start of the answer, as R1 and Qwen3
    // do behind some servers): the tagged part becomes thinking.
    void content(const QString &text, QList<ChatEvent> &out);

    struct PartialCall
    {
        QString id, name, arguments;
    };
    SseParser m_sse;
    bool m_json = false;
    QByteArray m_body;
    QMap<int, PartialCall> m_calls;
    int m_emittedCalls = 0;
    bool m_finishSeen = false;
    bool m_ended = false;
    FinishReason m_finish = FinishReason::Stop;
    qint64 m_promptTokens = -1;
    qint64 m_completionTokens = -1;
    enum class Think { Undecided, Inside, Done };
    Think m_think = Think::Undecided;
    QString m_pending; // text held back while a tag might be forming
};

} // namespace gw
