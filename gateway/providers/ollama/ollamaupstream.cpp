#include "ollamaupstream.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gw {

QJsonObject OllamaUpstream::chatBody(const ChatRequest &r)
{
    QJsonArray messages;
    for (const ChatMessage &m : r.messages) {
        QJsonObject o{{QStringLiteral("role"), roleName(m.role)},
                      {QStringLiteral("content"), m.content}};
        if (!m.images.isEmpty()) {
            QJsonArray images;
            for (const ImagePart &img : m.images)
                if (!img.base64.isEmpty())
                    images.append(QString::fromLatin1(img.base64));
            o.insert(QStringLiteral("images"), images);
        }
        if (!m.thinking.isEmpty())
            o.insert(QStringLiteral("thinking"), m.thinking);
        if (!m.toolCalls.isEmpty()) {
            QJsonArray calls;
            for (const ToolCall &c : m.toolCalls) {
                QJsonObject call{{QStringLiteral("function"),
                                  QJsonObject{{QStringLiteral("index"), c.index},
                                              {QStringLiteral("name"), c.name},
                                              {QStringLiteral("arguments"), c.arguments}}}};
                if (!c.id.isEmpty())
                    call.insert(QStringLiteral("id"), c.id);
                calls.append(call);
            }
            o.insert(QStringLiteral("tool_calls"), calls);
        }
        if (!m.toolName.isEmpty())
            o.insert(QStringLiteral("tool_name"), m.toolName);
        if (!m.toolCallId.isEmpty())
            o.insert(QStringLiteral("tool_call_id"), m.toolCallId);
        messages.append(o);
    }
    QJsonObject body{{QStringLiteral("model"), r.upstreamModel},
                     {QStringLiteral("messages"), messages},
                     {QStringLiteral("stream"), true}};
    if (!r.tools.isEmpty()) {
        QJsonArray tools;
        for (const ToolSpec &t : r.tools)
            tools.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("function")},
                                     {QStringLiteral("function"),
                                      QJsonObject{{QStringLiteral("name"), t.name},
                                                  {QStringLiteral("description"), t.description},
                                                  {QStringLiteral("parameters"), t.parameters}}}});
        body.insert(QStringLiteral("tools"), tools);
    }
    if (r.format == OutputFormat::Json)
        body.insert(QStringLiteral("format"), QStringLiteral("json"));
    else if (r.format == OutputFormat::JsonSchema)
        body.insert(QStringLiteral("format"), r.schema);
    switch (r.thinking) {
    case Thinking::Unset:
        break;
    case Thinking::Off:
    case Thinking::On:
        body.insert(QStringLiteral("think"), r.thinking == Thinking::On);
        break;
    case Thinking::Low:
        body.insert(QStringLiteral("think"), QStringLiteral("low"));
        break;
    case Thinking::Medium:
        body.insert(QStringLiteral("think"), QStringLiteral("medium"));
        break;
    case Thinking::High:
        body.insert(QStringLiteral("think"), QStringLiteral("high"));
        break;
    case Thinking::Max:
        body.insert(QStringLiteral("think"), QStringLiteral("max"));
        break;
    }
    QJsonObject options;
    const Sampling &s = r.sampling;
    if (s.temperature)
        options.insert(QStringLiteral("temperature"), *s.temperature);
    if (s.topP)
        options.insert(QStringLiteral("top_p"), *s.topP);
    if (s.topK)
        options.insert(QStringLiteral("top_k"), *s.topK);
    if (s.maxTokens)
        options.insert(QStringLiteral("num_predict"), *s.maxTokens);
    if (s.seed)
        options.insert(QStringLiteral("seed"), *s.seed);
    if (s.presencePenalty)
        options.insert(QStringLiteral("presence_penalty"), *s.presencePenalty);
    if (s.frequencyPenalty)
        options.insert(QStringLiteral("frequency_penalty"), *s.frequencyPenalty);
    if (!s.stop.isEmpty())
        options.insert(QStringLiteral("stop"), QJsonArray::fromStringList(s.stop));
    if (!options.isEmpty())
        body.insert(QStringLiteral("options"), options);
    return body;
}

QJsonObject OllamaUpstream::embedBody(const EmbedRequest &r)
{
    QJsonObject body{{QStringLiteral("model"), r.upstreamModel},
                     {QStringLiteral("input"), QJsonArray::fromStringList(r.inputs)},
                     {QStringLiteral("truncate"), r.truncate}};
    if (r.dimensions)
        body.insert(QStringLiteral("dimensions"), *r.dimensions);
    return body;
}

EmbedResult OllamaUpstream::parseEmbed(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (!o.contains(QLatin1StringView("embeddings")))
        return EmbedResult::failure(
            502, QStringLiteral("the provider's embeddings answer has no embeddings"));
    EmbedResult r;
    for (const QJsonValue &v : o.value(QLatin1StringView("embeddings")).toArray()) {
        QList<double> vec;
        for (const QJsonValue &x : v.toArray())
            vec.append(x.toDouble());
        r.vectors.append(vec);
    }
    r.promptTokens = o.value(QLatin1StringView("prompt_eval_count")).toInteger(-1);
    return r;
}

QStringList OllamaUpstream::parseTags(const QByteArray &body)
{
    QStringList names;
    for (const QJsonValue &m :
         QJsonDocument::fromJson(body).object().value(QLatin1StringView("models")).toArray())
        names.append(m.toObject().value(QLatin1StringView("name")).toString());
    names.removeAll(QString());
    return names;
}

QList<ChatEvent> OllamaUpstream::feed(const QByteArray &bytes)
{
    QList<ChatEvent> out;
    for (const QByteArray &line : m_lines.feed(bytes)) {
        if (m_ended)
            break;
        onLine(line, out);
    }
    if (m_lines.hasError() && !m_ended) {
        out.append(ChatEvent::error(502, m_lines.errorString()));
        m_ended = true;
    }
    return out;
}

QList<ChatEvent> OllamaUpstream::finish()
{
    QList<ChatEvent> out;
    for (const QByteArray &line : m_lines.finish())
        if (!m_ended)
            onLine(line, out);
    if (!m_ended) {
        out.append(ChatEvent::error(
            502, QStringLiteral("the provider's stream ended before the answer was complete")));
        m_ended = true;
    }
    return out;
}

void OllamaUpstream::onLine(const QByteArray &line, QList<ChatEvent> &out)
{
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    if (!doc.isObject()) {
        out.append(ChatEvent::error(502, QStringLiteral("the provider sent malformed data")));
        m_ended = true;
        return;
    }
    const QJsonObject o = doc.object();
    if (o.contains(QLatin1StringView("error"))) {
        out.append(ChatEvent::error(502, o.value(QLatin1StringView("error")).toString()));
        m_ended = true;
        return;
    }
    const QJsonObject msg = o.value(QLatin1StringView("message")).toObject();
    const QString thinking = msg.value(QLatin1StringView("thinking"))
                                 .toString(o.value(QLatin1StringView("thinking")).toString());
    if (!thinking.isEmpty())
        out.append(ChatEvent::thinkingDelta(thinking));
    const QString content = msg.value(QLatin1StringView("content"))
                                .toString(o.value(QLatin1StringView("response")).toString());
    if (!content.isEmpty())
        out.append(ChatEvent::textDelta(content));
    for (const QJsonValue &cv : msg.value(QLatin1StringView("tool_calls")).toArray()) {
        const QJsonObject c = cv.toObject();
        const QJsonObject fn = c.value(QLatin1StringView("function")).toObject();
        ToolCall call;
        call.id = c.value(QLatin1StringView("id")).toString(QStringLiteral("call_%1").arg(m_calls));
        call.name = fn.value(QLatin1StringView("name")).toString();
        call.arguments = fn.value(QLatin1StringView("arguments")).toObject();
        call.index = m_calls++;
        out.append(ChatEvent::call(call));
    }
    if (o.value(QLatin1StringView("done")).toBool()) {
        m_ended = true;
        out.append(ChatEvent::usage(o.value(QLatin1StringView("prompt_eval_count")).toInteger(-1),
                                    o.value(QLatin1StringView("eval_count")).toInteger(-1)));
        const QString reason = o.value(QLatin1StringView("done_reason")).toString();
        out.append(ChatEvent::finished(reason == u"length" ? FinishReason::Length
                                       : m_calls > 0       ? FinishReason::ToolCalls
                                                           : FinishReason::Stop));
    }
}

} // namespace gw
