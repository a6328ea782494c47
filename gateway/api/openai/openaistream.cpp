#include "openaistream.h"

#include "api/failuretext.h"

#include "api/logprobjson.h"
#include "chat/clock.h"
#include "http/responder.h"
#include "openaiencoder.h"
#include "json/jsonwriter.h"

#include <QDateTime>

namespace gw {

static const QByteArray kSse = QByteArrayLiteral("text/event-stream");
static const QByteArray kJson = QByteArrayLiteral("application/json; charset=utf-8");
static const QByteArray kFingerprint = QByteArrayLiteral("fp_llm_gateway");

// choices[].logprobs: null unless the provider sent log probabilities (the request asked).
static void appendLogprobs(QByteArray &out, const QList<Logprob> &logprobs)
{
    if (logprobs.isEmpty())
        out += "null";
    else
        json::appendOpenAiLogprobs(out, logprobs);
}

// The legacy completions' logprobs, null when there are none.
static void appendLegacy(QByteArray &out, const QList<Logprob> &logprobs, qint64 &offset)
{
    if (logprobs.isEmpty())
        out += "null";
    else
        json::appendLegacyLogprobs(out, logprobs, offset);
}

// The thinking text (a JSON string) under every name /v1 clients read it by, since no client
// reads more than one: reasoning_content (DeepSeek, vLLM, LangChain's DeepSeek and LiteLLM),
// reasoning (Ollama's own /v1, OpenRouter, the AI SDK's fallback) and reasoning_text (Copilot's
// extractThinkingDeltaFromChoice). docs/clients.md lists them.
static QByteArray thinkingFields(const QByteArray &text)
{
    return "\"reasoning_content\":" + text + ",\"reasoning\":" + text +
           ",\"reasoning_text\":" + text;
}

OpenAiStream::OpenAiStream(Kind kind, Responder *responder, const QString &model, bool stream,
                           bool includeUsage, qint64 receivedNs)
    : AnswerStream(responder, stream, receivedNs), m_kind(kind),
      m_includeUsage(includeUsage && stream)
{
    // Every chunk repeats id, created and model: built once.
    m_head = "{\"id\":\"" + OpenAiEncoder::newId(kind == Kind::Chat ? "chatcmpl" : "cmpl") +
             "\",\"object\":\"";
    if (kind == Kind::Completion)
        m_head += "text_completion";
    else
        m_head += stream ? "chat.completion.chunk" : "chat.completion";
    m_head += "\",\"created\":" + QByteArray::number(QDateTime::currentSecsSinceEpoch());
    m_head += ",\"model\":" + json::quoted(model);
    if (kind == Kind::Chat)
        m_head += ",\"system_fingerprint\":\"" + kFingerprint + '"';
    m_head += ",\"choices\":[";
}

void OpenAiStream::onEvent(const ChatEvent &event)
{
    if (!noteEvent(event))
        return;
    using T = ChatEvent::Type;
    m_acc.add(event);
    switch (event.type) {
    case T::Text:
        if (m_stream && !event.text.isEmpty()) {
            QByteArray choice;
            if (m_kind == Kind::Chat) {
                choice = "{\"index\":0,\"delta\":{\"content\":";
                json::appendString(choice, event.text);
                choice += "},\"logprobs\":";
                appendLogprobs(choice, event.logprobs);
                choice += ",\"finish_reason\":null}";
            } else {
                choice = "{\"text\":";
                json::appendString(choice, event.text);
                choice += ",\"index\":0,\"logprobs\":";
                appendLegacy(choice, event.logprobs, m_textOffset);
                choice += ",\"finish_reason\":null}";
            }
            writeChoice(choice);
        }
        break;
    case T::Thinking:
        // The legacy completions object has no place for reasoning.
        if (m_stream && m_kind == Kind::Chat && !event.text.isEmpty()) {
            QByteArray text;
            json::appendString(text, event.text);
            writeChoice("{\"index\":0,\"delta\":{" + thinkingFields(text) +
                        "},\"logprobs\":null,\"finish_reason\":null}");
        }
        break;
    case T::ToolCall:
        if (m_kind == Kind::Chat) {
            if (m_stream) {
                QByteArray choice = "{\"index\":0,\"delta\":{\"tool_calls\":[";
                OpenAiEncoder::appendToolCall(choice, event.toolCall, m_toolCalls);
                choice += "]},\"logprobs\":null,\"finish_reason\":null}";
                writeChoice(choice);
            }
            ++m_toolCalls;
        }
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

void OpenAiStream::begin()
{
    if (m_responder->hasStarted())
        return;
    m_responder->beginStream(200, kSse, {{"Cache-Control", "no-cache"}});
    // OpenAI opens every chat stream with the role alone; some clients key on it.
    if (m_kind == Kind::Chat)
        writeChoice("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                    "\"logprobs\":null,\"finish_reason\":null}");
}

void OpenAiStream::writeChoice(const QByteArray &choice)
{
    begin();
    QByteArray frame;
    frame.reserve(m_head.size() + choice.size() + 32);
    frame += "data: ";
    frame += m_head;
    frame += choice;
    frame += m_includeUsage ? "],\"usage\":null}\n\n" : "]}\n\n";
    m_responder->write(frame);
}

QByteArray OpenAiStream::usage() const
{
    const qint64 prompt = qMax<qint64>(0, m_acc.promptTokens);
    const qint64 completion = qMax<qint64>(0, m_acc.completionTokens);
    QByteArray u = "{\"prompt_tokens\":" + QByteArray::number(prompt) +
                   ",\"completion_tokens\":" + QByteArray::number(completion) +
                   ",\"total_tokens\":" + QByteArray::number(prompt + completion);
    // Cache hits and reasoning, in OpenAI's own fields, where the provider said them.
    if (m_acc.cachedTokens >= 0)
        u += ",\"prompt_tokens_details\":{\"cached_tokens\":" +
             QByteArray::number(m_acc.cachedTokens) + '}';
    if (m_acc.reasoningTokens >= 0)
        u += ",\"completion_tokens_details\":{\"reasoning_tokens\":" +
             QByteArray::number(m_acc.reasoningTokens) + '}';
    return u + '}';
}

void OpenAiStream::finish(FinishReason reason)
{
    RequestRecord &rec = m_responder->record();
    rec.promptTokens = m_acc.promptTokens;
    rec.completionTokens = m_acc.completionTokens;
    // A provider that ends a tool-calling turn with a plain "stop" would leave OpenAI clients
    // waiting for text: they run the tools only on finish_reason "tool_calls".
    if (m_toolCalls > 0 && reason == FinishReason::Stop)
        reason = FinishReason::ToolCalls;
    const QByteArray why = '"' + QByteArray(OpenAiEncoder::finishReason(reason)) + '"';

    if (m_stream) {
        if (m_kind == Kind::Chat)
            writeChoice("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":" + why +
                        '}');
        else
            writeChoice("{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":" + why +
                        '}');
        if (m_includeUsage)
            m_responder->write("data: " + m_head + "],\"usage\":" + usage() + "}\n\n");
        m_responder->write("data: [DONE]\n\n");
        m_responder->end();
        return;
    }

    QByteArray out = m_head;
    if (m_kind == Kind::Chat) {
        out += "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":";
        if (m_acc.content.isEmpty() && !m_acc.toolCalls.isEmpty())
            out += "null";
        else
            json::appendString(out, m_acc.content);
        if (!m_acc.thinking.isEmpty()) {
            QByteArray text;
            json::appendString(text, m_acc.thinking);
            out += ',' + thinkingFields(text);
        }
        if (!m_acc.toolCalls.isEmpty()) {
            out += ",\"tool_calls\":[";
            for (int i = 0; i < m_acc.toolCalls.size(); ++i) {
                if (i)
                    out += ',';
                OpenAiEncoder::appendToolCall(out, m_acc.toolCalls[i], i);
            }
            out += ']';
        }
        out += ",\"refusal\":null},\"logprobs\":";
        appendLogprobs(out, m_acc.logprobs);
        out += ",\"finish_reason\":" + why + '}';
    } else {
        out += "{\"text\":";
        json::appendString(out, m_acc.content);
        out += ",\"index\":0,\"logprobs\":";
        qint64 offset = 0;
        appendLegacy(out, m_acc.logprobs, offset);
        out += ",\"finish_reason\":" + why + '}';
    }
    out += "],\"usage\":" + usage() + '}';
    m_responder->send(200, kJson, out);
}

void OpenAiStream::fail(const ChatEvent &error)
{
    const ChatFailure &f = error.failure;
    const QString text = failureText(f);
    m_responder->record().error = text;
    if (!m_responder->hasStarted()) {
        Responder::Headers extra;
        if (f.retryAfterSeconds > 0)
            extra.append(
                qMakePair(QByteArray("Retry-After"), QByteArray::number(f.retryAfterSeconds)));
        m_responder->send(f.status > 0 ? f.status : 500, kJson, OpenAiEncoder::error(f), extra);
        return;
    }
    // The status is gone: the OpenAI SDKs raise on a data object with an "error" key. No
    // [DONE] follows, so a client that only watches for it sees the stream break off.
    QByteArray frame = "data: {\"error\":{\"message\":";
    json::appendString(frame, text);
    frame += ",\"type\":\"";
    frame += OpenAiEncoder::errorType(f.cause);
    frame += "\"}}\n\n";
    m_responder->write(frame);
    m_responder->end();
}

} // namespace gw
