#include "anthropicstream.h"

#include "anthropicencoder.h"
#include "api/failuretext.h"
#include "chat/clock.h"
#include "http/responder.h"
#include "json/jsonwriter.h"

namespace gw {

static const QByteArray kSse = QByteArrayLiteral("text/event-stream");
static const QByteArray kJson = QByteArrayLiteral("application/json");

AnthropicStream::AnthropicStream(Responder *responder, const QString &model, bool stream,
                                 qint64 estimatedInputTokens, qint64 receivedNs)
    : AnswerStream(responder, stream, receivedNs), m_id(AnthropicEncoder::newId("msg")),
      m_model(model), m_estimatedInput(estimatedInputTokens)
{}

void AnthropicStream::onEvent(const ChatEvent &event)
{
    if (!noteEvent(event))
        return;
    using T = ChatEvent::Type;
    switch (event.type) {
    case T::Text:
        if (!event.text.isEmpty()) {
            const int index = ensureOpen(Block::Kind::Text);
            m_blocks[index].text += event.text;
            if (m_stream) {
                QByteArray d =
                    "{\"type\":\"content_block_delta\",\"index\":" + QByteArray::number(index) +
                    ",\"delta\":{\"type\":\"text_delta\","
                    "\"text\":";
                json::appendString(d, event.text);
                write("content_block_delta", d + "}}");
            }
        }
        break;
    case T::Thinking:
        onThinking(event);
        break;
    case T::ToolCall: {
        closeBlock();
        Block b;
        b.kind = Block::Kind::ToolUse;
        b.call = event.toolCall;
        if (b.call.id.isEmpty()) // clients pair results with calls by id
            b.call.id = QString::fromLatin1(AnthropicEncoder::newId("toolu"));
        openBlock(b);
        if (m_stream) {
            QByteArray d = "{\"type\":\"content_block_delta\",\"index\":" +
                           QByteArray::number(m_blocks.size() - 1) +
                           ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":";
            json::appendString(d, QString::fromUtf8(json::compact(b.call.arguments)));
            write("content_block_delta", d + "}}");
        }
        closeBlock();
        m_toolCalls = true;
        break;
    }
    case T::Usage:
        // Cumulative: overwrite only what is given.
        for (auto [from, into] : {std::pair{event.promptTokens, &m_prompt},
                                  std::pair{event.completionTokens, &m_completion},
                                  std::pair{event.cachedTokens, &m_cacheRead},
                                  std::pair{event.cacheWriteTokens, &m_cacheWrite}})
            if (from >= 0)
                *into = from;
        break;
    case T::Finish:
        finish(event);
        break;
    case T::Error:
        fail(event);
        break;
    }
}

void AnthropicStream::onThinking(const ChatEvent &event)
{
    if (!event.redacted.isEmpty()) {
        closeBlock();
        Block b;
        b.kind = Block::Kind::Redacted;
        b.data = event.redacted;
        openBlock(b);
        closeBlock();
        return;
    }
    const auto delta = [this](int index, const char *type, const char *key, const QString &v) {
        if (!m_stream)
            return;
        QByteArray d = "{\"type\":\"content_block_delta\",\"index\":" + QByteArray::number(index) +
                       ",\"delta\":{\"type\":\"" + type + "\",\"" + key + "\":";
        json::appendString(d, v);
        write("content_block_delta", d + "}}");
    };
    if (!event.text.isEmpty()) {
        const int index = ensureOpen(Block::Kind::Thinking);
        m_blocks[index].text += event.text;
        delta(index, "thinking_delta", "thinking", event.text);
    }
    if (!event.signature.isEmpty()) {
        const int index = ensureOpen(Block::Kind::Thinking);
        m_blocks[index].signature = event.signature;
        delta(index, "signature_delta", "signature", event.signature);
        closeBlock(); // a signature ends its block
    }
}

void AnthropicStream::begin()
{
    if (m_responder->hasStarted())
        return;
    m_responder->beginStream(200, kSse, {{"Cache-Control", "no-cache"}, {"request-id", m_id}});
    // The prompt's size before the provider reports it: an estimate (see estimateTokens).
    const QByteArray usage = "{\"input_tokens\":" + QByteArray::number(m_estimatedInput) +
                             ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
                             "\"output_tokens\":1}";
    write("message_start", "{\"type\":\"message_start\",\"message\":" +
                               messageObject("[]", "null", "null", usage) + '}');
    write("ping", "{\"type\":\"ping\"}");
}

void AnthropicStream::write(const char *name, const QByteArray &data)
{
    begin();
    QByteArray frame;
    frame.reserve(data.size() + 32);
    frame += "event: ";
    frame += name;
    frame += "\ndata: ";
    frame += data;
    frame += "\n\n";
    m_responder->write(frame);
}

int AnthropicStream::ensureOpen(Block::Kind kind)
{
    if (m_open && m_blocks.last().kind == kind)
        return int(m_blocks.size() - 1);
    closeBlock();
    Block b;
    b.kind = kind;
    openBlock(b);
    return int(m_blocks.size() - 1);
}

void AnthropicStream::openBlock(Block block)
{
    m_blocks.append(std::move(block));
    m_open = true;
    if (m_stream)
        write("content_block_start", "{\"type\":\"content_block_start\",\"index\":" +
                                         QByteArray::number(m_blocks.size() - 1) +
                                         ",\"content_block\":" + blockJson(m_blocks.last(), false) +
                                         '}');
}

void AnthropicStream::closeBlock()
{
    if (!m_open)
        return;
    m_open = false;
    if (m_stream)
        write("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" +
                                        QByteArray::number(m_blocks.size() - 1) + '}');
}

QByteArray AnthropicStream::blockJson(const Block &b, bool whole)
{
    QByteArray out;
    switch (b.kind) {
    case Block::Kind::Text:
        out = "{\"type\":\"text\",\"text\":";
        json::appendString(out, whole ? b.text : QString());
        break;
    case Block::Kind::Thinking:
        out = "{\"type\":\"thinking\",\"thinking\":";
        json::appendString(out, whole ? b.text : QString());
        out += ",\"signature\":";
        json::appendString(out, whole ? b.signature : QString());
        break;
    case Block::Kind::Redacted:
        out = "{\"type\":\"redacted_thinking\",\"data\":";
        json::appendString(out, b.data);
        break;
    case Block::Kind::ToolUse:
        out = "{\"type\":\"tool_use\",\"id\":";
        json::appendString(out, b.call.id);
        out += ",\"name\":";
        json::appendString(out, b.call.name);
        out += ",\"input\":";
        out += whole ? json::compact(b.call.arguments) : QByteArray("{}");
        break;
    }
    return out + '}';
}

QByteArray AnthropicStream::messageObject(const QByteArray &content, const QByteArray &stopReason,
                                          const QByteArray &stopSequence,
                                          const QByteArray &usage) const
{
    QByteArray out =
        "{\"id\":\"" + m_id + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":";
    json::appendString(out, m_model);
    out += ",\"content\":" + content + ",\"stop_reason\":" + stopReason +
           ",\"stop_sequence\":" + stopSequence + ",\"usage\":" + usage + '}';
    return out;
}

void AnthropicStream::finish(const ChatEvent &event)
{
    closeBlock();
    RequestRecord &rec = m_responder->record();
    rec.promptTokens = m_prompt;
    rec.completionTokens = m_completion;
    const QByteArray reason =
        '"' +
        QByteArray(AnthropicEncoder::stopReason(event.finish, m_toolCalls, event.stopSequence)) +
        '"';
    const QByteArray sequence = event.stopSequence.isEmpty() || m_toolCalls
                                    ? QByteArray("null")
                                    : json::quoted(event.stopSequence);
    const QByteArray usage = AnthropicEncoder::usage(m_prompt >= 0 ? m_prompt : m_estimatedInput,
                                                     m_completion, m_cacheRead, m_cacheWrite);
    if (m_stream) {
        write("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":" + reason +
                                   ",\"stop_sequence\":" + sequence + "},\"usage\":" + usage + '}');
        write("message_stop", "{\"type\":\"message_stop\"}");
        m_responder->end();
        return;
    }
    QByteArray content = "[";
    for (qsizetype i = 0; i < m_blocks.size(); ++i) {
        if (i)
            content += ',';
        content += blockJson(m_blocks[i], true);
    }
    content += ']';
    m_responder->send(200, kJson, messageObject(content, reason, sequence, usage),
                      {{"request-id", m_id}});
}

void AnthropicStream::fail(const ChatEvent &error)
{
    const ChatFailure &f = error.failure;
    m_responder->record().error = failureText(f);
    if (!m_responder->hasStarted()) {
        Responder::Headers extra;
        if (f.retryAfterSeconds > 0)
            extra.append(
                qMakePair(QByteArray("Retry-After"), QByteArray::number(f.retryAfterSeconds)));
        m_responder->send(f.status > 0 ? f.status : 500, kJson, AnthropicEncoder::error(f), extra);
        return;
    }
    // The status is gone: Anthropic's SDKs raise on an `error` event.
    write("error", AnthropicEncoder::error(f));
    m_responder->end();
}

} // namespace gw
