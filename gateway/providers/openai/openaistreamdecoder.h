#pragma once

#include "chat/chatevent.h"
#include "providers/ssestreamdecoder.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>

namespace gw {

// Chat Completions response → canonical events. Reads the SSE stream (or, from servers that
// ignore stream:true, one JSON body): text and reasoning deltas at once; tool-call argument
// fragments assembled per index and emitted whole when the choice finishes; usage and the
// finish at [DONE] or the end of the body.
class OpenAiStreamDecoder : public SseStreamDecoder
{
public:
    // How each data payload is read: with simdjson straight into the fields the decoder uses
    // (the default), or through QJsonDocument. Both give the same events (tst_openaiwire and
    // fuzz_openai_stream compare them); the simdjson path hands anything unusual (an error
    // object, a payload simdjson refuses, \u escapes of surrogates, deep nesting) to the other.
    enum class Json { Fast, Qt };
    explicit OpenAiStreamDecoder(Json json = Json::Fast) : m_json(json) {}

protected:
    void onEvent(const SseEvent &event, QList<ChatEvent> &out) override;
    void onBody(const QByteArray &body, QList<ChatEvent> &out) override;
    void onEnd(QList<ChatEvent> &out) override;

private:
    // What one choice of a chunk (or of the whole answer) says, however it was read.
    struct Choice
    {
        QString thinking; // reasoning_content, else reasoning
        QString text;     // the delta's (message's) content, else choices[].text
        QJsonObject logprobs;
        QJsonArray toolCalls;
        QJsonValue finishReason;
    };
    void onData(const QByteArray &data, QList<ChatEvent> &out);
    bool onDataFast(const QByteArray &data, QList<ChatEvent> &out);
    static Choice choiceOf(const QJsonObject &choice, bool whole);
    void onChoice(const Choice &choice, QList<ChatEvent> &out);
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
    Json m_json = Json::Fast;
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
