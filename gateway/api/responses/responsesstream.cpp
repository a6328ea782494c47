#include "responsesstream.h"

#include "api/failuretext.h"
#include "api/logprobjson.h"
#include "api/openai/openaiencoder.h"
#include "chat/clock.h"
#include "http/responder.h"
#include "json/jsonwriter.h"

#include <QDateTime>
#include <QJsonDocument>

namespace gw {

static const QByteArray kSse = QByteArrayLiteral("text/event-stream");
static const QByteArray kJson = QByteArrayLiteral("application/json; charset=utf-8");

ResponsesStream::ResponsesStream(Responder *responder, const QString &model, bool stream,
                                 ResponsesEcho echo, qint64 receivedNs)
    : AnswerStream(responder, stream, receivedNs), m_echo(std::move(echo))
{
    m_head.id = ResponsesEncoder::newId("resp");
    m_head.createdAt = QDateTime::currentSecsSinceEpoch();
    m_head.model = model;
}

void ResponsesStream::onEvent(const ChatEvent &event)
{
    if (!noteEvent(event))
        return;
    using T = ChatEvent::Type;
    m_acc.add(event);
    switch (event.type) {
    case T::Text:
    case T::Thinking: {
        if (event.text.isEmpty())
            break;
        const bool text = event.type == T::Text;
        openItem(text ? Open::Message : Open::Reasoning);
        m_openText += event.text;
        m_openLogprobs += event.logprobs;
        if (text)
            emitDelta("response.output_text.delta", "content_index", event.text, event.logprobs);
        else
            emitDelta("response.reasoning_summary_text.delta", "summary_index", event.text);
        break;
    }
    case T::ToolCall:
        addCall(event.toolCall);
        break;
    case T::Usage:
        break;
    case T::Finish:
        finish(event.finish);
        break;
    case T::Error:
        fail(event.failure);
        break;
    }
}

void ResponsesStream::begin()
{
    if (!m_stream || m_responder->hasStarted())
        return;
    m_responder->beginStream(200, kSse, {{"Cache-Control", "no-cache"}});
    const QJsonObject response =
        ResponsesEncoder::response(m_head, m_echo, QStringLiteral("in_progress"), {});
    emitEvent("response.created", {{QStringLiteral("response"), response}});
    emitEvent("response.in_progress", {{QStringLiteral("response"), response}});
}

void ResponsesStream::emitEvent(const char *type, QJsonObject data)
{
    if (!m_stream)
        return;
    begin();
    data.insert(QStringLiteral("type"), QLatin1StringView(type));
    data.insert(QStringLiteral("sequence_number"), m_sequence++);
    m_responder->write(QByteArray("event: ") + type + "\ndata: " + json::compact(data) + "\n\n");
}

void ResponsesStream::emitDelta(const char *type, const char *indexKey, const QString &delta,
                                const QList<Logprob> &logprobs)
{
    if (!m_stream)
        return;
    begin();
    // Deltas are the hot path: assembled by hand rather than through a QJsonObject.
    QByteArray frame = QByteArray("event: ") + type + "\ndata: {\"type\":\"" + type +
                       "\",\"sequence_number\":" + QByteArray::number(m_sequence++) +
                       ",\"item_id\":\"" + m_openId +
                       "\",\"output_index\":" + QByteArray::number(m_output.size()) + ",\"" +
                       indexKey + "\":0,\"delta\":";
    json::appendString(frame, delta);
    if (m_open == Open::Message) {
        frame += ",\"logprobs\":";
        json::appendLogprobArray(frame, logprobs);
    }
    frame += "}\n\n";
    m_responder->write(frame);
}

QJsonObject ResponsesStream::itemHead() const
{
    return {{QStringLiteral("item_id"), QString::fromLatin1(m_openId)},
            {QStringLiteral("output_index"), m_output.size()}};
}

void ResponsesStream::openItem(Open kind)
{
    if (m_open == kind)
        return;
    closeItem();
    m_open = kind;
    m_openText.clear();
    const bool message = kind == Open::Message;
    m_openId = ResponsesEncoder::newId(message ? "msg" : "rs");
    const QJsonObject item = message ? ResponsesEncoder::message(m_openId, {}, "in_progress")
                                     : ResponsesEncoder::reasoning(m_openId, {});
    emitEvent("response.output_item.added",
              {{QStringLiteral("output_index"), m_output.size()}, {QStringLiteral("item"), item}});
    QJsonObject part = itemHead();
    if (message) {
        part.insert(QStringLiteral("content_index"), 0);
        part.insert(QStringLiteral("part"), ResponsesEncoder::textPart({}));
        emitEvent("response.content_part.added", part);
    } else {
        part.insert(QStringLiteral("summary_index"), 0);
        part.insert(QStringLiteral("part"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("summary_text")},
                                {QStringLiteral("text"), QString()}});
        emitEvent("response.reasoning_summary_part.added", part);
    }
}

void ResponsesStream::closeItem()
{
    if (m_open == Open::None)
        return;
    const bool message = m_open == Open::Message;
    QByteArray lp;
    json::appendLogprobArray(lp, m_openLogprobs);
    const QJsonArray logprobs = QJsonDocument::fromJson(lp).array();
    m_openLogprobs.clear();
    QJsonObject done = itemHead();
    if (message) {
        done.insert(QStringLiteral("content_index"), 0);
        done.insert(QStringLiteral("text"), m_openText);
        done.insert(QStringLiteral("logprobs"), logprobs);
        emitEvent("response.output_text.done", done);
        done.remove(QStringLiteral("text"));
        done.remove(QStringLiteral("logprobs"));
        done.insert(QStringLiteral("part"), ResponsesEncoder::textPart(m_openText, logprobs));
        emitEvent("response.content_part.done", done);
    } else {
        done.insert(QStringLiteral("summary_index"), 0);
        done.insert(QStringLiteral("text"), m_openText);
        emitEvent("response.reasoning_summary_text.done", done);
        done.remove(QStringLiteral("text"));
        done.insert(QStringLiteral("part"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("summary_text")},
                                {QStringLiteral("text"), m_openText}});
        emitEvent("response.reasoning_summary_part.done", done);
    }
    const QJsonObject item =
        message ? ResponsesEncoder::message(m_openId, m_openText, "completed", logprobs)
                : ResponsesEncoder::reasoning(m_openId, m_openText);
    emitEvent("response.output_item.done",
              {{QStringLiteral("output_index"), m_output.size()}, {QStringLiteral("item"), item}});
    m_output.append(item);
    m_open = Open::None;
}

void ResponsesStream::addCall(ToolCall call)
{
    closeItem();
    // Clients pair outputs with calls by call_id, so a call must have one.
    if (call.id.isEmpty())
        call.id = QString::fromLatin1(ResponsesEncoder::newId("call"));
    m_openId = ResponsesEncoder::newId("fc");
    const bool custom = ResponsesEncoder::isCustom(call, m_echo.names);
    const QString args = ResponsesEncoder::arguments(call, m_echo.names);
    const QJsonObject head = itemHead();
    emitEvent("response.output_item.added",
              {{QStringLiteral("output_index"), m_output.size()},
               {QStringLiteral("item"),
                ResponsesEncoder::call(m_openId, call, m_echo.names, "in_progress")}});
    QJsonObject delta = head;
    delta.insert(QStringLiteral("delta"), args);
    emitEvent(custom ? "response.custom_tool_call_input.delta"
                     : "response.function_call_arguments.delta",
              delta);
    QJsonObject done = head;
    done.insert(custom ? QStringLiteral("input") : QStringLiteral("arguments"), args);
    emitEvent(custom ? "response.custom_tool_call_input.done"
                     : "response.function_call_arguments.done",
              done);
    const QJsonObject item = ResponsesEncoder::call(m_openId, call, m_echo.names, "completed");
    emitEvent("response.output_item.done",
              {{QStringLiteral("output_index"), m_output.size()}, {QStringLiteral("item"), item}});
    m_output.append(item);
}

void ResponsesStream::finish(FinishReason reason)
{
    // An answer with no output at all still says so in a message, as OpenAI's do.
    if (m_output.isEmpty())
        openItem(Open::Message);
    closeItem();
    RequestRecord &rec = m_responder->record();
    rec.promptTokens = m_acc.promptTokens;
    rec.completionTokens = m_acc.completionTokens;
    QString incomplete;
    if (reason == FinishReason::Length)
        incomplete = QStringLiteral("max_output_tokens");
    else if (reason == FinishReason::ContentFilter)
        incomplete = QStringLiteral("content_filter");
    const QString status =
        incomplete.isEmpty() ? QStringLiteral("completed") : QStringLiteral("incomplete");
    QJsonObject response = ResponsesEncoder::response(
        m_head, m_echo, status, m_output, ResponsesEncoder::usage(m_acc), {}, incomplete);
    response.insert(QStringLiteral("completed_at"), QDateTime::currentSecsSinceEpoch());
    if (m_stream) {
        emitEvent(incomplete.isEmpty() ? "response.completed" : "response.incomplete",
                  {{QStringLiteral("response"), response}});
        m_responder->end();
        return;
    }
    response.insert(QStringLiteral("output_text"), m_acc.content);
    m_responder->send(200, kJson, json::compact(response));
}

void ResponsesStream::fail(const ChatFailure &f)
{
    m_responder->record().error = failureText(f);
    if (!m_responder->hasStarted()) {
        Responder::Headers extra;
        if (f.retryAfterSeconds > 0)
            extra.append(
                qMakePair(QByteArray("Retry-After"), QByteArray::number(f.retryAfterSeconds)));
        m_responder->send(f.status > 0 ? f.status : 500, kJson, OpenAiEncoder::error(f), extra);
        return;
    }
    // The status is gone: the failure travels as response.failed, which the OpenAI SDKs and
    // Codex raise with its code and message.
    m_open = Open::None;
    emitEvent(
        "response.failed",
        {{QStringLiteral("response"),
          ResponsesEncoder::response(m_head, m_echo, QStringLiteral("failed"), m_output,
                                     ResponsesEncoder::usage(m_acc), ResponsesEncoder::error(f))}});
    m_responder->end();
}

} // namespace gw
