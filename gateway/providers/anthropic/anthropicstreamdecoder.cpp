#include "anthropicstreamdecoder.h"

#include "anthropicwire.h"
#include "providers/providererror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {
void AnthropicStreamDecoder::onEvent(const SseEvent &e, QList<ChatEvent> &out)
{
    const QJsonDocument doc = QJsonDocument::fromJson(e.data);
    if (!doc.isObject())
        return fail(out, ProviderError::fault(QStringLiteral("the provider sent malformed data")));
    const QJsonObject data = doc.object();
    onEvent(e.event.isEmpty() ? data.value(QLatin1StringView("type")).toString().toUtf8() : e.event,
            data, out);
}

void AnthropicStreamDecoder::onEnd(QList<ChatEvent> &out)
{
    fail(out, ProviderError::fault(
                  QStringLiteral("the provider's stream ended before the answer was complete")));
}

void AnthropicStreamDecoder::onBody(const QByteArray &body, QList<ChatEvent> &out)
{
    // A whole message: replay it as the events a stream would have carried.
    const QJsonObject msg = QJsonDocument::fromJson(body).object();
    if (msg.value(QLatin1StringView("type")).toString() != u"message")
        return fail(out, ProviderError::fault(
                             QStringLiteral("the provider sent a response that is not a message")));
    onEvent("message_start", QJsonObject{{QStringLiteral("message"), msg}}, out);
    const QJsonArray content = msg.value(QLatin1StringView("content")).toArray();
    for (int i = 0; i < content.size(); ++i)
        replayBlock(i, content[i].toObject(), out);
    onEvent("message_delta",
            QJsonObject{{QStringLiteral("delta"),
                         QJsonObject{{QStringLiteral("stop_reason"),
                                      msg.value(QLatin1StringView("stop_reason"))},
                                     {QStringLiteral("stop_sequence"),
                                      msg.value(QLatin1StringView("stop_sequence"))}}},
                        {QStringLiteral("usage"), msg.value(QLatin1StringView("usage"))}},
            out);
    complete(out);
}

void AnthropicStreamDecoder::replayBlock(int i, const QJsonObject &block, QList<ChatEvent> &out)
{
    QJsonObject start = block;
    const QString type = block.value(QLatin1StringView("type")).toString();
    if (type == u"tool_use")
        start.insert(QStringLiteral("input"), QJsonObject());
    onEvent("content_block_start",
            QJsonObject{{QStringLiteral("index"), i}, {QStringLiteral("content_block"), start}},
            out);
    if (type == u"text") {
        onEvent("content_block_delta",
                QJsonObject{{QStringLiteral("index"), i},
                            {QStringLiteral("delta"),
                             QJsonObject{{QStringLiteral("type"), QStringLiteral("text_delta")},
                                         {QStringLiteral("text"),
                                          block.value(QLatin1StringView("text"))}}}},
                out);
    } else if (type == u"thinking") {
        m_blocks[i].thinking = block.value(QLatin1StringView("thinking")).toString();
        m_blocks[i].signature = block.value(QLatin1StringView("signature")).toString();
        out.append(ChatEvent::thinkingDelta(m_blocks[i].thinking));
    } else if (type == u"tool_use") {
        m_blocks[i].json =
            QString::fromUtf8(QJsonDocument(block.value(QLatin1StringView("input")).toObject())
                                  .toJson(QJsonDocument::Compact));
    }
    onBlockStop(i, out);
}

void AnthropicStreamDecoder::onEvent(const QByteArray &type, const QJsonObject &data,
                                     QList<ChatEvent> &out)
{
    if (ended())
        return;
    if (type == "message_start") {
        readUsage(data.value(QLatin1StringView("message"))
                      .toObject()
                      .value(QLatin1StringView("usage"))
                      .toObject());
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
        const QJsonObject delta = data.value(QLatin1StringView("delta")).toObject();
        const QString reason = delta.value(QLatin1StringView("stop_reason")).toString();
        m_stopSequence = delta.value(QLatin1StringView("stop_sequence")).toString();
        if (!reason.isEmpty()) {
            m_finish = AnthropicWire::stopReason(reason);
            m_stopped = true;
        }
        readUsage(data.value(QLatin1StringView("usage")).toObject());
    } else if (type == "message_stop") {
        complete(out);
    } else if (type == "error") {
        fail(out, ProviderError::reported(AnthropicWire::errorBody(data)));
    }
    // ping and event types added later are ignored.
}

void AnthropicStreamDecoder::onBlockStop(int index, QList<ChatEvent> &out)
{
    const Block block = m_blocks.take(index);
    if (block.type == u"thinking") {
        if (!block.signature.isEmpty())
            out.append(ChatEvent::thinkingSigned(block.signature));
        m_thinking.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("thinking")},
                                      {QStringLiteral("thinking"), block.thinking},
                                      {QStringLiteral("signature"), block.signature}});
    } else if (block.type == u"redacted_thinking") {
        out.append(ChatEvent::thinkingRedacted(block.data));
        m_thinking.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("redacted_thinking")},
                                      {QStringLiteral("data"), block.data}});
    } else if (block.type == u"tool_use") {
        QJsonObject input;
        if (!block.json.trimmed().isEmpty()) {
            const QJsonDocument doc = QJsonDocument::fromJson(block.json.toUtf8());
            if (!doc.isObject())
                return fail(out, ProviderError::fault(
                                     QStringLiteral("the model returned invalid input for tool "
                                                    "'%1'")
                                         .arg(block.name)));
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

void AnthropicStreamDecoder::readUsage(const QJsonObject &usage)
{
    // Cumulative, and any field may be missing or null: overwrite only what is given.
    const auto read = [&usage](const char *key, qint64 &into) {
        const QJsonValue v = usage.value(QLatin1StringView(key));
        if (v.isDouble())
            into = v.toInteger();
    };
    read("input_tokens", m_input);
    read("output_tokens", m_output);
    read("cache_read_input_tokens", m_cacheRead);
    read("cache_creation_input_tokens", m_cacheWrite);
}

void AnthropicStreamDecoder::complete(QList<ChatEvent> &out)
{
    if (ended())
        return;
    end();
    // The forced JSON tool ends with stop_reason tool_use; to the client it is a plain answer.
    if (m_jsonViaTool && m_finish == FinishReason::ToolCalls && m_calls == 0)
        m_finish = FinishReason::Stop;
    if (m_input >= 0 || m_output >= 0) {
        // input_tokens excludes the cache: the whole prompt is the sum.
        const qint64 prompt =
            m_input < 0 ? -1
                        : m_input + qMax<qint64>(0, m_cacheRead) + qMax<qint64>(0, m_cacheWrite);
        out.append(ChatEvent::usage(prompt, m_output, m_cacheRead, m_cacheWrite));
    }
    ChatEvent finish = ChatEvent::finished(m_finish);
    if (m_finish == FinishReason::Stop)
        finish.stopSequence = m_stopSequence;
    out.append(finish);
}

} // namespace gw
