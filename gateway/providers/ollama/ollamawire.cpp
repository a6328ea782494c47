#include "ollamawire.h"

#include "providers/providererror.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gw {

namespace {

QJsonObject messageJson(const ChatMessage &m)
{
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
    return o;
}

// Ollama has no tool_choice: "none" withholds the tools and a named tool is offered alone
// ("required" cannot be said; the model may still answer in text).
void insertTools(QJsonObject &body, const ChatRequest &r)
{
    if (r.tools.isEmpty() || r.toolChoice.mode == ToolChoice::Mode::None)
        return;
    QJsonArray tools;
    for (const ToolSpec &t : r.tools)
        if (r.toolChoice.mode != ToolChoice::Mode::Named || t.name == r.toolChoice.name)
            tools.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("function")},
                                     {QStringLiteral("function"),
                                      QJsonObject{{QStringLiteral("name"), t.name},
                                                  {QStringLiteral("description"), t.description},
                                                  {QStringLiteral("parameters"), t.parameters}}}});
    body.insert(QStringLiteral("tools"), tools);
}

QJsonValue thinkJson(Thinking t)
{
    switch (t) {
    case Thinking::Unset:
        return QJsonValue(QJsonValue::Undefined);
    case Thinking::Off:
        return false;
    case Thinking::On:
        return true;
    case Thinking::Minimal: // Ollama's lowest level
    case Thinking::Low:
        return QStringLiteral("low");
    case Thinking::Medium:
        return QStringLiteral("medium");
    case Thinking::High:
        return QStringLiteral("high");
    case Thinking::Max:
        return QStringLiteral("max");
    }
    return QJsonValue(QJsonValue::Undefined);
}

QJsonObject optionsJson(const Sampling &s)
{
    QJsonObject options;
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
    return options;
}

} // namespace

QJsonObject OllamaWire::chatBody(const ChatRequest &r)
{
    QJsonArray messages;
    for (const ChatMessage &m : r.messages)
        messages.append(messageJson(m));
    QJsonObject body{{QStringLiteral("model"), r.upstreamModel},
                     {QStringLiteral("messages"), messages},
                     {QStringLiteral("stream"), true}};
    insertTools(body, r);
    if (r.format == OutputFormat::Json)
        body.insert(QStringLiteral("format"), QStringLiteral("json"));
    else if (r.format == OutputFormat::JsonSchema)
        body.insert(QStringLiteral("format"), r.schema);
    if (const QJsonValue think = thinkJson(r.thinking); !think.isUndefined())
        body.insert(QStringLiteral("think"), think);
    if (const QJsonObject options = optionsJson(r.sampling); !options.isEmpty())
        body.insert(QStringLiteral("options"), options);
    if (r.logprobs) {
        body.insert(QStringLiteral("logprobs"), true);
        if (r.topLogprobs > 0)
            body.insert(QStringLiteral("top_logprobs"), r.topLogprobs);
    }
    return body;
}

QJsonObject OllamaWire::generateBody(const ChatRequest &r)
{
    QString prompt;
    for (const ChatMessage &m : r.messages)
        if (m.role == Role::User)
            prompt = m.content;
    QJsonObject body{{QStringLiteral("model"), r.upstreamModel},
                     {QStringLiteral("prompt"), prompt},
                     {QStringLiteral("suffix"), r.suffix},
                     {QStringLiteral("stream"), true}};
    if (r.rawCompletion)
        body.insert(QStringLiteral("raw"), true);
    if (const QJsonObject options = optionsJson(r.sampling); !options.isEmpty())
        body.insert(QStringLiteral("options"), options);
    if (r.logprobs) { // /api/generate takes them as /api/chat does (0.12.11)
        body.insert(QStringLiteral("logprobs"), true);
        if (r.topLogprobs > 0)
            body.insert(QStringLiteral("top_logprobs"), r.topLogprobs);
    }
    return body;
}

QJsonObject OllamaWire::embedBody(const EmbedRequest &r)
{
    QJsonObject body{{QStringLiteral("model"), r.upstreamModel},
                     {QStringLiteral("input"), QJsonArray::fromStringList(r.inputs)},
                     {QStringLiteral("truncate"), r.truncate}};
    if (r.dimensions)
        body.insert(QStringLiteral("dimensions"), *r.dimensions);
    return body;
}

EmbedResult OllamaWire::parseEmbed(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (!o.contains(QLatin1StringView("embeddings")))
        return EmbedResult::failed(ProviderError::fault(
            QStringLiteral("the provider's embeddings answer has no embeddings")));
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

QStringList OllamaWire::parseTags(const QByteArray &body)
{
    QStringList names;
    for (const QJsonValue &m :
         QJsonDocument::fromJson(body).object().value(QLatin1StringView("models")).toArray())
        names.append(m.toObject().value(QLatin1StringView("name")).toString());
    names.removeAll(QString());
    return names;
}

UpstreamErrorBody OllamaWire::errorBody(const QByteArray &body)
{
    // {"error":"..."}; a proxy in front of it may answer with anything.
    const QJsonValue err = QJsonDocument::fromJson(body).object().value(QLatin1StringView("error"));
    UpstreamErrorBody b;
    b.message = err.isString() ? err.toString() : QString::fromUtf8(body.left(500)).simplified();
    return b;
}

} // namespace gw
