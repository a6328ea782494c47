#include "ollamastream.h"

#include "api/failuretext.h"

#include "api/logprobjson.h"
#include "chat/clock.h"
#include "http/responder.h"
#include "ollamaencoder.h"
#include "json/jsonwriter.h"

#include <QJsonArray>

namespace gw {

static const QByteArray kNdjson = QByteArrayLiteral("application/x-ndjson");
static const QByteArray kJson = QByteArrayLiteral("application/json; charset=utf-8");

OllamaStream::OllamaStream(Kind kind, Responder *responder, const QString &model, bool stream,
                           qint64 receivedNs)
    : AnswerStream(responder, stream, receivedNs), m_kind(kind), m_modelJson(json::quoted(model))
{}

QByteArray OllamaStream::head() const
{
    QByteArray out;
    out.reserve(160);
    out += "{\"model\":";
    out += m_modelJson;
    out += ",\"created_at\":";
    json::appendString(out, OllamaEncoder::nowUtc());
    return out;
}

void OllamaStream::appendContent(QByteArray &out, const QString &content, const QString &thinking,
                                 const QList<ToolCall> &calls) const
{
    if (m_kind == Kind::Chat) {
        out += ",\"message\":{\"role\":\"assistant\",\"content\":";
        json::appendString(out, content);
        if (!thinking.isEmpty()) {
            out += ",\"thinking\":";
            json::appendString(out, thinking);
        }
        if (!calls.isEmpty()) {
            QJsonArray a;
            for (const ToolCall &c : calls)
                a.append(OllamaEncoder::toolCall(c));
            out += ",\"tool_calls\":";
            out += json::compact(a);
        }
        out += '}';
    } else {
        out += ",\"response\":";
        json::appendString(out, content);
        if (!thinking.isEmpty()) {
            out += ",\"thinking\":";
            json::appendString(out, thinking);
        }
    }
}

void OllamaStream::onEvent(const ChatEvent &event)
{
    if (!noteEvent(event))
        return;
    using T = ChatEvent::Type;
    m_acc.add(event);
    switch (event.type) {
    case T::Text:
        if (m_stream && !event.text.isEmpty())
            writeDelta(event.text, {}, {}, event.logprobs);
        break;
    case T::Thinking:
        if (m_stream && !event.text.isEmpty())
            writeDelta({}, event.text, {});
        break;
    case T::ToolCall:
        if (m_stream)
            writeDelta({}, {}, {event.toolCall});
        break;
    case T::Usage:
        break;
    case T::Finish:
        finish(event.finish);
        break;
    case T::Error:
        fail(event);
        break;
    }
}

void OllamaStream::writeDelta(const QString &content, const QString &thinking,
                              const QList<ToolCall> &calls, const QList<Logprob> &logprobs)
{
    if (!m_responder->hasStarted())
        m_responder->beginStream(200, kNdjson);
    QByteArray line = head();
    appendContent(line, content, thinking, calls);
    if (!logprobs.isEmpty()) {
        line += ",\"logprobs\":";
        json::appendOllamaLogprobs(line, logprobs);
    }
    line += ",\"done\":false}\n";
    m_responder->write(line);
}

void OllamaStream::finish(FinishReason reason)
{
    const qint64 end = monotonicNs();
    const qint64 first = m_firstTokenNs ? m_firstTokenNs : end;
    // The gateway loads nothing: "load" is the routing before the upstream call, prompt
    // evaluation the wait for the first token, evaluation the rest.
    const qint64 total = qMax<qint64>(1, end - m_receivedNs);
    const qint64 load = qMax<qint64>(1, m_startNs - m_receivedNs);
    const qint64 promptEval = qMax<qint64>(1, first - m_startNs);
    const qint64 eval = end - first;

    RequestRecord &rec = m_responder->record();
    rec.promptTokens = m_acc.promptTokens;
    rec.completionTokens = m_acc.completionTokens;

    QByteArray out = head();
    if (m_stream)
        appendContent(out, {}, {}, {});
    else
        appendContent(out, m_acc.content, m_acc.thinking,
                      m_kind == Kind::Chat ? m_acc.toolCalls : QList<ToolCall>{});
    if (!m_stream && !m_acc.logprobs.isEmpty()) {
        out += ",\"logprobs\":";
        json::appendOllamaLogprobs(out, m_acc.logprobs);
    }
    out += ",\"done\":true,\"done_reason\":\"";
    out += OllamaEncoder::doneReason(reason);
    out += '"';
    // Appended in place: `+ QByteArray::number()` made two temporaries a field.
    const auto field = [&out](const char *key, qint64 v) {
        char buf[24];
        char *e = buf + sizeof buf;
        char *p = e;
        quint64 u = v < 0 ? 0 - quint64(v) : quint64(v);
        do {
            *--p = char('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0)
            *--p = '-';
        out += key;
        out.append(p, e - p);
    };
    field(",\"total_duration\":", total);
    field(",\"load_duration\":", load);
    // Ollama omits zero counts (omitempty); LangChain sums counts over all lines, so only here.
    if (m_acc.promptTokens > 0)
        field(",\"prompt_eval_count\":", m_acc.promptTokens);
    field(",\"prompt_eval_duration\":", promptEval);
    if (m_acc.completionTokens > 0)
        field(",\"eval_count\":", m_acc.completionTokens);
    if (eval > 0)
        field(",\"eval_duration\":", eval);
    out += '}';

    if (m_stream) {
        if (!m_responder->hasStarted())
            m_responder->beginStream(200, kNdjson);
        out += '\n';
        m_responder->write(out);
        m_responder->end();
    } else {
        m_responder->send(200, kJson, out);
    }
}

void OllamaStream::fail(const ChatEvent &error)
{
    const ChatFailure &f = error.failure;
    const QString text = failureText(f);
    m_responder->record().error = text;
    if (!m_responder->hasStarted()) {
        Responder::Headers extra;
        if (f.retryAfterSeconds > 0)
            extra.append(
                qMakePair(QByteArray("Retry-After"), QByteArray::number(f.retryAfterSeconds)));
        m_responder->send(f.status > 0 ? f.status : 500, kJson, OllamaEncoder::error(text), extra);
        return;
    }
    // After the first byte the status is gone: the error travels as the last line, which every
    // Ollama client checks for.
    m_responder->write(OllamaEncoder::error(text) + '\n');
    m_responder->end();
}

} // namespace gw
