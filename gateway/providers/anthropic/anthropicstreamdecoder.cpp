#include "anthropicstreamdecoder.h"

#include "anthropicwire.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gw {
namespace {

qint64 inputTokens(const QJsonObject &usage, qint64 fallback)
{
    // input_tokens excludes the cache: the whole prompt is the sum.
    const QJsonValue in = usage.value(QLatin1StringView("input_tokens"));
    if (!in.isDouble())
        return fallback;
    return in.toInteger() +
           usage.value(QLatin1StringView("cache_creation_input_tokens")).toInteger() +
           usage.value(QLatin1StringView("cache_read_input_tokens")).toInteger();
}

} // namespace

QList<ChatEvent> AnthropicStreamDecoder::feed(const QByteArray &bytes)
{
    QList<ChatEvent> out;
    if (m_ended)
        return out;
    if (m_json) {
        m_body += bytes;
        return out;
    }
    for (const SseEvent &e : m_sse.feed(bytes)) {
        if (m_ended)
            break;
        const QJsonDocument doc = QJsonDocument::fromJson(e.data);
        if (!doc.isObject()) {
            out.append(ChatEvent::error(502, QStringLiteral("the provider sent malformed data")));
            m_ended = true;
            break;
        }
        const QJsonObject data = doc.object();
        const QByteArray type =
            e.event.isEmpty() ? data.value(QLatin1StringView("type")).toString().toUtf8() : e.event;
        onEvent(type, data, out);
    }
    if (m_sse.hasError() && !m_ended) {
        out.append(ChatEvent::error(502, m_sse.errorString()));
        m_ended = true;
    }
    return out;
}

QList<ChatEvent> AnthropicStreamDecoder::finish()
{
    QList<ChatEvent> out;
    if (m_ended)
        return out;
    if (m_json) {
        // A whole message: replay it as the events a stream would have carried.
        const QJsonObject msg = QJsonDocument::fromJson(m_body).object();
        if (msg.value(QLatin1StringView("type")).toString() != u"message") {
            out.append(ChatEvent::error(
                502, QStringLiteral("the provider sent a response that is not a message")));
            m_ended = true;
            return out;
        }
        onEvent("message_start", QJsonObject{{QStringLiteral("message"), msg}}, out);
        const QJsonArray content = msg.value(QLatin1StringView("content")).toArray();
        for (int i = 0; i < content.size(); ++i) {
            QJsonObject block = content[i].toObject();
            QJsonObject start = block;
            if (block.value(QLatin1StringView("type")).toString() == u"tool_use")
                start.insert(QStringLiteral("input"), QJsonObject());
            onEvent(
                "content_block_start",
                QJsonObject{{QStringLiteral("index"), i}, {QStringLiteral("content_block"), start}},
                out);
            const QString type = block.value(QLatin1StringView("type")).toString();
            if (type == u"text")
                onEvent(
                    "content_block_delta",
                    QJsonObject{{QStringLiteral("index"), i},
                                {QStringLiteral("delta"),
                                 QJsonObject{{QStringLiteral("type"), QStringLiteral("text_delta")},
                                             {QStringLiteral("text"),
                                              block.value(QLatin1StringView("text"))}}}},
                    out);
            else if (type == u"thinking") {
                m_blocks[i].thinking = block.value(QLatin1StringView("thinking")).toString();
                m_blocks[i].signature = block.value(QLatin1StringView("signature")).toString();
                out.append(ChatEvent::thinkingDelta(m_blocks[i].thinking));
            } else if (type == u"tool_use")
                m_blocks[i].json = QString::fromUtf8(
                    QJsonDocument(block.value(QLatin1StringView("input")).toObject())
                        .toJson(QJsonDocument::Compact));
            onBlockStop(i, out);
        }
        onEvent("message_delta",
                QJsonObject{{QStringLiteral("delta"),
                             QJsonObject{{QStringLiteral("stop_reason"),
                                          msg.value(QLatin1StringView("stop_reason"))}}},
                            {QStringLiteral("usage"), msg.value(QLatin1StringView("usage"))}},
                out);
        end(out);
        return out;
    }
    for (const SseEvent &e : m_sse.finish()) {
        const QJsonObject data = QJsonDocument::fromJson(e.data).object();
        onEvent(e.event.isEmpty() ? data.value(QLatin1StringView("type")).toString().toUtf8()
                                  : e.event,
                data, out);
    }
    if (!m_ended) {
        out.append(ChatEvent::error(
            502, QStringLiteral("the provider's stream ended before the answer was complete")));
        m_ended = true;
    }
    return out;
}

void AnthropicStreamDecoder::onEvent(const QByteArray &type, const QJsonObject &data,
                                     QList<ChatEvent> &out)
{
    if (m_ended)
        return;
    if (type == "message_start") {
        m_input = inputTokens(data.value(QLatin1StringView("message"))
                                  .toObject()
                                  .value(QLatin1StringView("usage"))
                                  .toObject(),
                              m_input);
    } else if (type == "content_block_start") {
        const int index = data.value(QLatin1StringView("index")).toInt();
        const QJsonObject b = data.value(QLatin1StringView("content_block")).toObject();
        Block &block = m_blocks[index];
        block.type = b.value(QLatin1StringView("type")).toString();
        block.id = b.value(QLatin1StringView("id")).toString();
        block.name = b.value(QLatin1StringView("name")).toString();
        block.data = b.value(QLatin1StringView("data")).toString(); // redacted_thinking
    } else if (type == "content_block_delta") {
        const int index = data.value(QLatin1StringView("index")).toInt();
        const QJsonObject d = data.value(QLatin1StringView("delta")).toObject();
        const QString dtype = d.value(QLatin1StringView("type")).toString();
        Block &block = m_blocks[index];
        if (dtype == u"text_delta") {
            const QString t = d.value(QLatin1StringView("text")).toString();
            if (!t.isEmpty())
                out.append(ChatEvent::textDelta(t));
        } else if (dtype == u"thinking_delta") {
            const QString t = d.value(QLatin1StringView("thinking")).toString();
            block.thinking += t;
            if (!t.isEmpty())
                out.append(ChatEvent::thinkingDelta(t));
        } else if (dtype == u"input_json_delta") {
            block.json += d.value(QLatin1StringView("partial_json")).toString();
        } else if (dtype == u"signature_delta") {
            block.signature += d.value(QLatin1StringView("signature")).toString();
        }
    } else if (type == "content_block_stop") {
        onBlockStop(data.value(QLatin1StringView("index")).toInt(), out);
    } else if (type == "message_delta") {
        const QString reason = data.value(QLatin1StringView("delta"))
                                   .toObject()
                                   .value(QLatin1StringView("stop_reason"))
                                   .toString();
        if (!reason.isEmpty()) {
            m_finish = AnthropicWire::stopReason(reason);
            m_stopped = true;
        }
        const QJsonObject usage = data.value(QLatin1StringView("usage")).toObject();
        // Cumulative: output always, input only when it is given.
        m_output = usage.value(QLatin1StringView("output_tokens")).toInteger(m_output);
        m_input = inputTokens(usage, m_input);
    } else if (type == "message_stop") {
        end(out);
    } else if (type == "error") {
        const QJsonObject err = data.value(QLatin1StringView("error")).toObject();
        ChatEvent e = ChatEvent::error(
            err.value(QLatin1StringView("type")).toString() == u"overloaded_error" ? 503 : 502,
            err.value(QLatin1StringView("message")).toString(QStringLiteral("unknown error")));
        out.append(e);
        m_ended = true;
    }
    // ping and event types added later are ignored.
}

void AnthropicStreamDecoder::onBlockStop(int index, QList<ChatEvent> &out)
{
    const Block block = m_blocks.take(index);
    if (block.type == u"thinking") {
        m_thinking.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("thinking")},
                                      {QStringLiteral("thinking"), block.thinking},
                                      {QStringLiteral("signature"), block.signature}});
    } else if (block.type == u"redacted_thinking") {
        m_thinking.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("redacted_thinking")},
                                      {QStringLiteral("data"), block.data}});
    } else if (block.type == u"tool_use") {
        QJsonObject input;
        if (!block.json.trimmed().isEmpty()) {
            const QJsonDocument doc = QJsonDocument::fromJson(block.json.toUtf8());
            if (!doc.isObject()) {
                out.append(ChatEvent::error(
                    502, QStringLiteral("the model returned invalid input for tool '%1'")
                             .arg(block.name)));
                m_ended = true;
                return;
            }
            input = doc.object();
        }
        if (m_jsonViaTool && block.name == QLatin1StringView(AnthropicWire::kJsonTool)) {
            out.append(ChatEvent::textDelta(
                QString::fromUtf8(QJsonDocument(input).toJson(QJsonDocument::Compact))));
            m_finish = FinishReason::Stop;
            return;
        }
        if (m_cache && !m_thinking.isEmpty())
            m_cache->put(block.id, m_thinking);
        ToolCall call;
        call.id = block.id;
        call.name = block.name;
        call.arguments = input;
        call.index = m_calls++;
        out.append(ChatEvent::call(call));
    }
}

void AnthropicStreamDecoder::end(QList<ChatEvent> &out)
{
    if (m_ended)
        return;
    m_ended = true;
    // The forced JSON tool ends with stop_reason tool_use; to the client it is a plain answer.
    if (m_jsonViaTool && m_finish == FinishReason::ToolCalls && m_calls == 0)
        m_finish = FinishReason::Stop;
    if (m_input >= 0 || m_output >= 0)
        out.append(ChatEvent::usage(m_input, m_output));
    out.append(ChatEvent::finished(m_finish));
}

} // namespace gw
