#include "anthropicwire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace gw {
namespace {

QJsonObject text(const QString &t)
{
    return {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), t}};
}

QJsonObject image(const ImagePart &img)
{
    if (!img.url.isEmpty())
        return {
            {QStringLiteral("type"), QStringLiteral("image")},
            {QStringLiteral("source"), QJsonObject{{QStringLiteral("type"), QStringLiteral("url")},
                                                   {QStringLiteral("url"), img.url}}}};
    return {{QStringLiteral("type"), QStringLiteral("image")},
            {QStringLiteral("source"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("base64")},
                         {QStringLiteral("media_type"), img.mime},
                         {QStringLiteral("data"), QString::fromLatin1(img.base64)}}}};
}

// Appends blocks to the conversation, merging into the previous turn when the role repeats:
// the API wants strictly alternating user and assistant turns.
void append(QJsonArray &messages, const QString &role, QJsonArray blocks, bool resultsFirst = false)
{
    if (blocks.isEmpty())
        return;
    if (!messages.isEmpty() &&
        messages.last().toObject().value(QLatin1StringView("role")).toString() == role) {
        QJsonObject last = messages.last().toObject();
        QJsonArray content = last.value(QLatin1StringView("content")).toArray();
        if (resultsFirst) {
            // tool_result blocks must come before any text in a user turn
            QJsonArray merged = blocks;
            for (const QJsonValue &b : content)
                merged.append(b);
            content = merged;
        } else {
            for (const QJsonValue &b : blocks)
                content.append(b);
        }
        last.insert(QStringLiteral("content"), content);
        messages[messages.size() - 1] = last;
        return;
    }
    messages.append(
        QJsonObject{{QStringLiteral("role"), role}, {QStringLiteral("content"), blocks}});
}

// Anthropic's tool_choice: {"type": "auto" | "none" | "any"} or {"type": "tool", "name": ...};
// empty for the provider's default.
QJsonObject toolChoiceJson(const ToolChoice &c)
{
    const auto type = [](const char *t) {
        return QJsonObject{{QStringLiteral("type"), QLatin1StringView(t)}};
    };
    switch (c.mode) {
    case ToolChoice::Mode::Unset:
        return {};
    case ToolChoice::Mode::Auto:
        return type("auto");
    case ToolChoice::Mode::None:
        return type("none");
    case ToolChoice::Mode::Required:
        return type("any");
    case ToolChoice::Mode::Named:
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("tool")},
                           {QStringLiteral("name"), c.name}};
    }
    return {};
}

} // namespace

QString AnthropicWire::toolId(const QString &id)
{
    static const QRegularExpression bad(QStringLiteral("[^a-zA-Z0-9_-]"));
    QString out = id;
    out.replace(bad, QStringLiteral("_"));
    return out.isEmpty() ? QStringLiteral("toolu_none") : out;
}

qint64 AnthropicWire::thinkingBudget(Thinking t)
{
    switch (t) {
    case Thinking::Low:
        return 1024;
    case Thinking::On:
    case Thinking::Medium:
        return 4096;
    case Thinking::High:
        return 16384;
    case Thinking::Max:
        return 32000;
    default:
        return 0;
    }
}

qint64 AnthropicWire::defaultMaxTokens(const QString &model)
{
    // The largest output every model of the family accepts.
    if (model.startsWith(QStringLiteral("claude-3-haiku")) ||
        model.startsWith(QStringLiteral("claude-3-opus")) ||
        model.startsWith(QStringLiteral("claude-3-sonnet")))
        return 4096;
    if (model.startsWith(QStringLiteral("claude-3-5")))
        return 8192;
    return 16384;
}

FinishReason AnthropicWire::stopReason(const QString &r)
{
    if (r == u"max_tokens" || r == u"model_context_window_exceeded")
        return FinishReason::Length;
    if (r == u"tool_use")
        return FinishReason::ToolCalls;
    if (r == u"refusal")
        return FinishReason::ContentFilter;
    return FinishReason::Stop;
}

namespace {

// The conversation in Anthropic's shape, built one message at a time.
struct Conversation
{
    QStringList system;
    QJsonArray messages;
    // Ids of the calls in the latest assistant turn, to match tool results sent by name only.
    struct Pending
    {
        QString id, name;
        bool answered = false;
    };
    QList<Pending> pending;
    bool lastAssistantHasThinking = true;
};

void addUser(Conversation &c, const ChatMessage &m)
{
    QJsonArray blocks;
    for (const ImagePart &img : m.images)
        blocks.append(image(img));
    if (!m.content.trimmed().isEmpty())
        blocks.append(text(m.content));
    if (blocks.isEmpty())
        blocks.append(text(QStringLiteral("(empty)")));
    append(c.messages, QStringLiteral("user"), blocks);
}

// A tool-use turn must begin with the thinking that produced it, signature and all.
QJsonArray thinkingOf(const ChatMessage &m, const ThinkingCache &cache)
{
    QJsonArray thinking;
    for (const ToolCall &call : m.toolCalls)
        if (thinking.isEmpty())
            thinking = cache.get(AnthropicWire::toolId(call.id));
    if (thinking.isEmpty() && !m.thinking.isEmpty() && !m.thinkingSignature.isEmpty())
        thinking.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("thinking")},
                                    {QStringLiteral("thinking"), m.thinking},
                                    {QStringLiteral("signature"), m.thinkingSignature}});
    return thinking;
}

void addAssistant(Conversation &c, const ChatMessage &m, qsizetype turn, const ThinkingCache &cache)
{
    c.pending.clear();
    QJsonArray blocks = thinkingOf(m, cache);
    c.lastAssistantHasThinking = m.toolCalls.isEmpty() || !blocks.isEmpty();
    if (!m.content.trimmed().isEmpty())
        blocks.append(text(m.content));
    for (qsizetype i = 0; i < m.toolCalls.size(); ++i) {
        const ToolCall &tc = m.toolCalls[i];
        const QString id = tc.id.isEmpty() ? QStringLiteral("toolu_%1_%2").arg(turn).arg(i)
                                           : AnthropicWire::toolId(tc.id);
        c.pending.append({id, tc.name});
        blocks.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_use")},
                                  {QStringLiteral("id"), id},
                                  {QStringLiteral("name"), tc.name},
                                  {QStringLiteral("input"), tc.arguments}});
    }
    if (blocks.isEmpty())
        return; // an empty assistant turn is refused; it says nothing anyway
    if (c.messages.isEmpty())
        c.messages.append(QJsonObject{
            {QStringLiteral("role"), QStringLiteral("user")},
            {QStringLiteral("content"), QJsonArray{text(QStringLiteral("(continue)"))}}});
    append(c.messages, QStringLiteral("assistant"), blocks);
}

void addToolResult(Conversation &c, const ChatMessage &m)
{
    const QString wanted = m.toolCallId.isEmpty() ? QString() : AnthropicWire::toolId(m.toolCallId);
    for (Conversation::Pending &p : c.pending) {
        if (!p.answered && ((!wanted.isEmpty() && p.id == wanted) ||
                            (wanted.isEmpty() && (m.toolName.isEmpty() || p.name == m.toolName)))) {
            p.answered = true;
            append(c.messages, QStringLiteral("user"),
                   QJsonArray{QJsonObject{
                       {QStringLiteral("type"), QStringLiteral("tool_result")},
                       {QStringLiteral("tool_use_id"), p.id},
                       {QStringLiteral("content"),
                        m.content.isEmpty() ? QStringLiteral("(no output)") : m.content}}},
                   true);
            return;
        }
    }
    append(c.messages, QStringLiteral("user"),
           QJsonArray{text(
               QStringLiteral("Result of tool %1: %2")
                   .arg(m.toolName.isEmpty() ? QStringLiteral("call") : m.toolName, m.content))});
}

Conversation conversation(const ChatRequest &r, const ThinkingCache &cache)
{
    Conversation c;
    for (qsizetype i = 0; i < r.messages.size(); ++i) {
        const ChatMessage &m = r.messages[i];
        switch (m.role) {
        case Role::System:
            if (!m.content.isEmpty())
                c.system.append(m.content);
            break;
        case Role::User:
            addUser(c, m);
            break;
        case Role::Assistant:
            addAssistant(c, m, i, cache);
            break;
        case Role::Tool:
            addToolResult(c, m);
            break;
        }
    }
    if (c.messages.isEmpty())
        c.messages.append(
            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                        {QStringLiteral("content"), QJsonArray{text(QStringLiteral("(empty)"))}}});
    return c;
}

QJsonArray toolsJson(const QList<ToolSpec> &specs)
{
    QJsonArray tools;
    for (const ToolSpec &t : specs) {
        QJsonObject tool{{QStringLiteral("name"), t.name},
                         {QStringLiteral("input_schema"),
                          t.parameters.isEmpty()
                              ? QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                            {QStringLiteral("properties"), QJsonObject()}}
                              : t.parameters}};
        if (!t.description.isEmpty())
            tool.insert(QStringLiteral("description"), t.description);
        tools.append(tool);
    }
    return tools;
}

// JSON answers: Anthropic has no JSON mode. Without other tools and thinking, one forced tool
// whose input is the answer works on every model; otherwise ask for structured output. True
// when the answer comes through the tool.
bool insertJsonFormat(QJsonObject &body, const ChatRequest &r, QJsonArray &tools, qint64 budget)
{
    if (r.format == OutputFormat::Text)
        return false;
    const QJsonObject schema =
        r.format == OutputFormat::JsonSchema && !r.schema.isEmpty()
            ? r.schema
            : QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}};
    if (!tools.isEmpty() || budget > 0) {
        body.insert(
            QStringLiteral("output_config"),
            QJsonObject{{QStringLiteral("format"),
                         QJsonObject{{QStringLiteral("type"), QStringLiteral("json_schema")},
                                     {QStringLiteral("schema"), schema}}}});
        return false;
    }
    const QString name = QString::fromLatin1(AnthropicWire::kJsonTool);
    tools.append(QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("description"), QStringLiteral("Give the answer as this JSON.")},
        {QStringLiteral("input_schema"), schema}});
    body.insert(QStringLiteral("tool_choice"),
                QJsonObject{{QStringLiteral("type"), QStringLiteral("tool")},
                            {QStringLiteral("name"), name}});
    return true;
}

// Thinking's budget and max_tokens (which the budget must fit inside).
void insertLimits(QJsonObject &body, const ChatRequest &r, const AnthropicOptions &options,
                  qint64 budget)
{
    qint64 maxTokens = r.sampling.maxTokens.value_or(
        options.defaultMaxTokens > 0 ? options.defaultMaxTokens
                                     : AnthropicWire::defaultMaxTokens(r.upstreamModel));
    if (budget > 0) {
        maxTokens = qMax(maxTokens, budget + 1024);
        body.insert(QStringLiteral("thinking"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("enabled")},
                                {QStringLiteral("budget_tokens"), budget}});
    }
    body.insert(QStringLiteral("max_tokens"), qMax<qint64>(1, maxTokens));
}

void insertSampling(QJsonObject &body, const Sampling &s, const AnthropicOptions &options,
                    qint64 budget)
{
    if (options.sendSampling && budget == 0) {
        if (s.temperature) // Anthropic's range is 0..1, Ollama's and OpenAI's 0..2
            body.insert(QStringLiteral("temperature"), qBound(0.0, *s.temperature, 1.0));
        if (s.topP)
            body.insert(QStringLiteral("top_p"), *s.topP);
        if (s.topK)
            body.insert(QStringLiteral("top_k"), *s.topK);
    }
    if (!s.stop.isEmpty())
        body.insert(QStringLiteral("stop_sequences"), QJsonArray::fromStringList(s.stop));
}

} // namespace

QJsonObject AnthropicWire::messagesBody(const ChatRequest &r, const AnthropicOptions &options,
                                        const ThinkingCache &cache, bool *jsonViaTool)
{
    const Conversation c = conversation(r, cache);
    QJsonObject body{{QStringLiteral("model"), r.upstreamModel},
                     {QStringLiteral("messages"), c.messages},
                     {QStringLiteral("stream"), true}};
    // Thinking cannot resume a tool loop whose signed thinking we no longer have: answer that
    // turn without thinking rather than fail it.
    const qint64 budget = c.lastAssistantHasThinking ? thinkingBudget(r.thinking) : 0;
    insertLimits(body, r, options, budget);

    QJsonArray tools = toolsJson(r.tools);
    *jsonViaTool = insertJsonFormat(body, r, tools, budget);
    if (!tools.isEmpty())
        body.insert(QStringLiteral("tools"), tools);
    if (!*jsonViaTool && !r.tools.isEmpty()) {
        const QJsonObject choice = toolChoiceJson(r.toolChoice);
        // With thinking on, only auto and none are allowed.
        const QString type = choice.value(QLatin1StringView("type")).toString();
        if (!choice.isEmpty() && (budget == 0 || type == u"auto" || type == u"none"))
            body.insert(QStringLiteral("tool_choice"), choice);
    }
    if (!c.system.isEmpty())
        body.insert(QStringLiteral("system"), c.system.join(QStringLiteral("\n\n")));
    insertSampling(body, r.sampling, options, budget);
    return body;
}

UpstreamErrorBody AnthropicWire::errorBody(const QJsonObject &body)
{
    UpstreamErrorBody b;
    const QJsonObject err = body.value(QLatin1StringView("error")).toObject();
    b.type = err.value(QLatin1StringView("type")).toString();
    b.message = err.value(QLatin1StringView("message")).toString();
    return b;
}

UpstreamErrorBody AnthropicWire::errorBody(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    UpstreamErrorBody b = errorBody(doc.object());
    if (b.message.isEmpty() && !doc.object().value(QLatin1StringView("error")).isObject())
        b.message = QString::fromUtf8(body.left(500)).simplified(); // a proxy's page
    return b;
}

} // namespace gw
