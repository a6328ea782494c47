#include "anthropicwire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

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

QJsonObject cacheControl(const CacheMark &mark)
{
    QJsonObject cc{{QStringLiteral("type"), QStringLiteral("ephemeral")}};
    if (!mark.ttl.isEmpty())
        cc.insert(QStringLiteral("ttl"), mark.ttl);
    return cc;
}

// Puts a cache breakpoint on the last of `blocks`, when the message carried one.
void markLast(QJsonArray &blocks, const CacheMark &mark)
{
    if (!mark.set || blocks.isEmpty())
        return;
    QJsonObject last = blocks.last().toObject();
    last.insert(QStringLiteral("cache_control"), cacheControl(mark));
    blocks[blocks.size() - 1] = last;
}

// The thinking that opens an assistant turn: the client's own signed blocks when it sent them
// (Anthropic SDK clients), else those cached under the turn's tool calls (Ollama and OpenAI
// clients drop them), else a signed block rebuilt from the message's fields.
QJsonArray thinkingFor(const ChatMessage &m, const ThinkingCache &cache)
{
    QJsonArray thinking;
    for (const ThinkingBlock &b : m.thinkingBlocks) {
        if (!b.redacted.isEmpty())
            thinking.append(
                QJsonObject{{QStringLiteral("type"), QStringLiteral("redacted_thinking")},
                            {QStringLiteral("data"), b.redacted}});
        else if (!b.signature.isEmpty()) // unsigned thinking came from another provider
            thinking.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("thinking")},
                                        {QStringLiteral("thinking"), b.text},
                                        {QStringLiteral("signature"), b.signature}});
    }
    for (const ToolCall &c : m.toolCalls)
        if (thinking.isEmpty())
            thinking = cache.get(AnthropicWire::toolId(c.id));
    if (thinking.isEmpty() && !m.thinking.isEmpty() && !m.thinkingSignature.isEmpty())
        thinking.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("thinking")},
                                    {QStringLiteral("thinking"), m.thinking},
                                    {QStringLiteral("signature"), m.thinkingSignature}});
    return thinking;
}

QJsonObject toolResult(const ChatMessage &m, const QString &id)
{
    QJsonObject result{{QStringLiteral("type"), QStringLiteral("tool_result")},
                       {QStringLiteral("tool_use_id"), id}};
    if (m.images.isEmpty()) {
        result.insert(QStringLiteral("content"),
                      m.content.isEmpty() ? QStringLiteral("(no output)") : m.content);
    } else {
        QJsonArray content;
        if (!m.content.isEmpty())
            content.append(text(m.content));
        for (const ImagePart &img : m.images)
            content.append(image(img));
        result.insert(QStringLiteral("content"), content);
    }
    if (m.toolError)
        result.insert(QStringLiteral("is_error"), true);
    if (m.cache.set)
        result.insert(QStringLiteral("cache_control"), cacheControl(m.cache));
    return result;
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
        if (t.cache.set)
            tool.insert(QStringLiteral("cache_control"), cacheControl(t.cache));
        tools.append(tool);
    }
    return tools;
}

// Sets "thinking" and "max_tokens"; returns the thinking budget (0: off, -1: adaptive). A
// client's own budget_tokens or adaptive form goes as it was sent; a level becomes a budget
// that max_tokens is raised to hold.
qint64 applyThinking(QJsonObject &body, const ChatRequest &r, const AnthropicOptions &options,
                     bool canThink)
{
    qint64 budget =
        r.thinkingBudget > 0 ? r.thinkingBudget : AnthropicWire::thinkingBudget(r.thinking);
    // A level from another dialect takes the adaptive form on the models made for it.
    if (r.thinkingAdaptive || (budget > 0 && r.thinkingBudget <= 0 &&
                               AnthropicWire::claudeVersion(r.upstreamModel) >= 46))
        budget = -1;
    if (!canThink || r.thinking == Thinking::Off || r.thinking == Thinking::Unset)
        budget = 0;
    qint64 maxTokens = r.sampling.maxTokens.value_or(
        options.defaultMaxTokens > 0 ? options.defaultMaxTokens
                                     : AnthropicWire::defaultMaxTokens(r.upstreamModel));
    if (budget == -1) {
        body.insert(QStringLiteral("thinking"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("adaptive")}});
        const char *effort = r.thinking == Thinking::Low || r.thinking == Thinking::Minimal ? "low"
                             : r.thinking == Thinking::Medium ? "medium"
                             : r.thinking == Thinking::High   ? "high"
                             : r.thinking == Thinking::Max    ? "max"
                                                              : nullptr;
        if (effort)
            body.insert(QStringLiteral("output_config"),
                        QJsonObject{{QStringLiteral("effort"), QLatin1StringView(effort)}});
    } else if (budget > 0) {
        if (r.thinkingBudget <= 0) // the budget must fit inside max_tokens
            maxTokens = qMax(maxTokens, budget + 1024);
        body.insert(QStringLiteral("thinking"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("enabled")},
                                {QStringLiteral("budget_tokens"), budget}});
    }
    body.insert(QStringLiteral("max_tokens"), qMax<qint64>(1, maxTokens));
    return budget;
}

// temperature, top_p and top_k as the model takes them; what it would refuse is left out and
// noted.
void applySampling(QJsonObject &body, const ChatRequest &r, const AnthropicOptions &options,
                   qint64 budget, Adjustments *adjusted)
{
    using R = Adjustment::Rule;
    const Sampling &s = r.sampling;
    const auto note = [adjusted](Adjustment a) {
        if (adjusted)
            adjusted->append(std::move(a));
    };
    const auto refuse = [&](R rule) {
        if (s.temperature)
            note(Adjustment::dropped(rule, QStringLiteral("temperature")));
        if (s.topP)
            note(Adjustment::dropped(rule, QStringLiteral("top_p")));
        if (s.topK)
            note(Adjustment::dropped(rule, QStringLiteral("top_k")));
    };
    if (!options.sendSampling)
        return refuse(R::NoSampling);
    if (budget != 0) // thinking needs the default temperature and no top_k
        return refuse(R::ThinkingOn);
    if (s.temperature) {
        // Anthropic's range is 0..1, Ollama's and OpenAI's 0..2.
        const double t = qBound(0.0, *s.temperature, 1.0);
        if (t != *s.temperature)
            note(Adjustment::changed(R::OutOfRange, QStringLiteral("temperature"),
                                     QString::number(*s.temperature), QString::number(t)));
        body.insert(QStringLiteral("temperature"), t);
    }
    if (s.topP) {
        if (s.temperature && AnthropicWire::claudeVersion(r.upstreamModel) >= 41)
            note(Adjustment::dropped(R::OneOfTemperatureTopP, QStringLiteral("top_p")));
        else
            body.insert(QStringLiteral("top_p"), *s.topP);
    }
    if (s.topK)
        body.insert(QStringLiteral("top_k"), *s.topK);
}

// The conversation as the Messages API wants it: system text apart, strictly alternating turns.
struct Conversation
{
    QStringList system;
    QJsonArray systemBlocks; // with their cache breakpoints, sent as blocks when one has one
    bool systemCached = false;
    QJsonArray messages;
    bool lastAssistantHasThinking = true;
};

// A call of the latest assistant turn, to match tool results sent by name only.
struct PendingCall
{
    QString id, name;
    bool answered = false;
};

void assistantTurn(const ChatMessage &m, qsizetype i, const ThinkingCache &cache,
                   QList<PendingCall> &pending, Conversation &conv)
{
    QJsonArray blocks;
    pending.clear();
    // A tool-use turn must begin with the thinking that produced it, signature and all.
    const QJsonArray thinking = thinkingFor(m, cache);
    for (const QJsonValue &b : thinking)
        blocks.append(b);
    conv.lastAssistantHasThinking = !m.toolCalls.isEmpty() ? !thinking.isEmpty() : true;
    if (!m.content.trimmed().isEmpty())
        blocks.append(text(m.content));
    for (qsizetype c = 0; c < m.toolCalls.size(); ++c) {
        const ToolCall &tc = m.toolCalls[c];
        const QString id = tc.id.isEmpty() ? QStringLiteral("toolu_%1_%2").arg(i).arg(c)
                                           : AnthropicWire::toolId(tc.id);
        pending.append({id, tc.name});
        blocks.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("tool_use")},
                                  {QStringLiteral("id"), id},
                                  {QStringLiteral("name"), tc.name},
                                  {QStringLiteral("input"), tc.arguments}});
    }
    if (blocks.isEmpty())
        return; // an empty assistant turn is refused; it says nothing anyway
    markLast(blocks, m.cache);
    if (conv.messages.isEmpty())
        conv.messages.append(QJsonObject{
            {QStringLiteral("role"), QStringLiteral("user")},
            {QStringLiteral("content"), QJsonArray{text(QStringLiteral("(continue)"))}}});
    append(conv.messages, QStringLiteral("assistant"), blocks);
}

void toolTurn(const ChatMessage &m, QList<PendingCall> &pending, Conversation &conv)
{
    PendingCall *match = nullptr;
    const QString wanted = m.toolCallId.isEmpty() ? QString() : AnthropicWire::toolId(m.toolCallId);
    for (PendingCall &p : pending) {
        if (!p.answered && ((!wanted.isEmpty() && p.id == wanted) ||
                            (wanted.isEmpty() && (m.toolName.isEmpty() || p.name == m.toolName)))) {
            match = &p;
            break;
        }
    }
    if (match) {
        match->answered = true;
        append(conv.messages, QStringLiteral("user"), QJsonArray{toolResult(m, match->id)}, true);
        return;
    }
    append(conv.messages, QStringLiteral("user"),
           QJsonArray{text(
               QStringLiteral("Result of tool %1: %2")
                   .arg(m.toolName.isEmpty() ? QStringLiteral("call") : m.toolName, m.content))});
}

Conversation conversation(const ChatRequest &r, const ThinkingCache &cache)
{
    Conversation conv;
    QList<PendingCall> pending;
    for (qsizetype i = 0; i < r.messages.size(); ++i) {
        const ChatMessage &m = r.messages[i];
        switch (m.role) {
        case Role::System:
            if (!m.content.isEmpty()) {
                conv.system.append(m.content);
                QJsonArray block{text(m.content)};
                markLast(block, m.cache);
                conv.systemBlocks.append(block.first());
                conv.systemCached = conv.systemCached || m.cache.set;
            }
            break;
        case Role::User: {
            QJsonArray blocks;
            for (const ImagePart &img : m.images)
                blocks.append(image(img));
            if (!m.content.trimmed().isEmpty())
                blocks.append(text(m.content));
            if (blocks.isEmpty())
                blocks.append(text(QStringLiteral("(empty)")));
            markLast(blocks, m.cache);
            append(conv.messages, QStringLiteral("user"), blocks);
            break;
        }
        case Role::Assistant:
            assistantTurn(m, i, cache, pending, conv);
            break;
        case Role::Tool:
            toolTurn(m, pending, conv);
            break;
        }
    }
    if (conv.messages.isEmpty())
        conv.messages.append(
            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                        {QStringLiteral("content"), QJsonArray{text(QStringLiteral("(empty)"))}}});
    return conv;
}

// JSON answers: Anthropic has no JSON mode. Without other tools and thinking, one forced tool
// whose input is the answer works on every model; otherwise ask for structured output. True
// when the answer will arrive as that tool's input.
bool applyJsonFormat(QJsonObject &body, QJsonArray &tools, const ChatRequest &r, qint64 budget)
{
    if (r.format == OutputFormat::Text)
        return false;
    const QJsonObject schema =
        r.format == OutputFormat::JsonSchema && !r.schema.isEmpty()
            ? r.schema
            : QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}};
    if (tools.isEmpty() && budget == 0) {
        tools.append(QJsonObject{
            {QStringLiteral("name"), QString::fromLatin1(AnthropicWire::kJsonTool)},
            {QStringLiteral("description"), QStringLiteral("Give the answer as this JSON.")},
            {QStringLiteral("input_schema"), schema}});
        body.insert(
            QStringLiteral("tool_choice"),
            QJsonObject{{QStringLiteral("type"), QStringLiteral("tool")},
                        {QStringLiteral("name"), QString::fromLatin1(AnthropicWire::kJsonTool)}});
        return true;
    }
    QJsonObject config = body.value(QLatin1StringView("output_config")).toObject();
    config.insert(QStringLiteral("format"),
                  QJsonObject{{QStringLiteral("type"), QStringLiteral("json_schema")},
                              {QStringLiteral("schema"), schema}});
    body.insert(QStringLiteral("output_config"), config);
    return false;
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

bool hasCacheMark(const ChatRequest &r)
{
    return std::any_of(r.tools.begin(), r.tools.end(),
                       [](const ToolSpec &t) { return t.cache.set; }) ||
           std::any_of(r.messages.begin(), r.messages.end(),
                       [](const ChatMessage &m) { return m.cache.set; });
}

// A rough token count of a JSON value: four characters a token (Anthropic's tokenizer is not
// public; the minimum is a threshold, not a bill).
qint64 estimateTokens(const QJsonValue &v)
{
    const QByteArray text = v.isString() ? v.toString().toUtf8()
                            : v.isArray()
                                ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    return text.size() / 4;
}

bool cacheable(const QJsonObject &block)
{
    const QString type = block.value(QLatin1StringView("type")).toString();
    return type == u"text" || type == u"image" || type == u"tool_result" || type == u"tool_use" ||
           type == u"document";
}

// Cache breakpoints for a client that set none, in Anthropic's order of the prompt (tools,
// system, messages): after the last tool, after the system text, at the end of the user turn
// before the last one (where the previous request's prefix ended) and at the end of the
// conversation. Only where the prefix up to it reaches the model's minimum, at most four.
void placeCacheBreakpoints(QJsonObject &body, qint64 minTokens)
{
    const QJsonObject mark{{QStringLiteral("type"), QStringLiteral("ephemeral")}};
    int left = AnthropicWire::kMaxCacheBreakpoints;
    qint64 prefix = 0;

    QJsonArray tools = body.value(QLatin1StringView("tools")).toArray();
    prefix += estimateTokens(tools);
    if (!tools.isEmpty() && prefix >= minTokens && left > 0) {
        QJsonObject last = tools.last().toObject();
        last.insert(QStringLiteral("cache_control"), mark);
        tools[tools.size() - 1] = last;
        body.insert(QStringLiteral("tools"), tools);
        --left;
    }

    const QJsonValue system = body.value(QLatin1StringView("system"));
    if (!system.isUndefined()) {
        prefix += estimateTokens(system);
        if (prefix >= minTokens && left > 0) {
            QJsonArray blocks =
                system.isArray() ? system.toArray() : QJsonArray{text(system.toString())};
            QJsonObject last = blocks.last().toObject();
            last.insert(QStringLiteral("cache_control"), mark);
            blocks[blocks.size() - 1] = last;
            body.insert(QStringLiteral("system"), blocks);
            --left;
        }
    }

    QJsonArray messages = body.value(QLatin1StringView("messages")).toArray();
    // The prefix length at the end of each message, and which ones to mark: the last message
    // and the user turn before the last user turn.
    QList<qint64> ends;
    for (const QJsonValue &m : std::as_const(messages)) {
        prefix += estimateTokens(m.toObject().value(QLatin1StringView("content")));
        ends.append(prefix);
    }
    QList<qsizetype> wanted;
    if (!messages.isEmpty())
        wanted.append(messages.size() - 1);
    int users = 0;
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        if (messages.at(i).toObject().value(QLatin1StringView("role")).toString() != u"user")
            continue;
        if (++users == 2) {
            wanted.append(i);
            break;
        }
    }
    for (qsizetype i : std::as_const(wanted)) {
        if (left == 0 || ends.at(i) < minTokens)
            continue;
        QJsonObject message = messages.at(i).toObject();
        QJsonArray content = message.value(QLatin1StringView("content")).toArray();
        for (qsizetype b = content.size() - 1; b >= 0; --b) {
            QJsonObject block = content.at(b).toObject();
            if (!cacheable(block))
                continue;
            block.insert(QStringLiteral("cache_control"), mark);
            content[b] = block;
            message.insert(QStringLiteral("content"), content);
            messages[i] = message;
            --left;
            break;
        }
    }
    body.insert(QStringLiteral("messages"), messages);
}

} // namespace

qint64 AnthropicWire::minCacheTokens(const QString &model)
{
    // Anthropic's prompt-caching page: 4096 for Opus 4.5 and Haiku 4.5, 2048 for the Haiku 3
    // models, 1024 for the others.
    if (model.startsWith(u"claude-opus-4-5") || model.startsWith(u"claude-haiku-4-5"))
        return 4096;
    if (model.startsWith(u"claude-3-haiku") || model.startsWith(u"claude-3-5-haiku"))
        return 2048;
    return 1024;
}

QString AnthropicWire::toolId(const QString &id)
{
    static const QRegularExpression bad(QStringLiteral("[^a-zA-Z0-9_-]"));
    QString out = id;
    out.replace(bad, QStringLiteral("_"));
    return out.isEmpty() ? QStringLiteral("toolu_none") : out;
}

int AnthropicWire::claudeVersion(const QString &model)
{
    // claude-<family>-<major>[-<minor>] (4 on) or claude-<major>[-<minor>]-<family> (3.x); a
    // minor has one or two digits, so a date after the major is not taken for one.
    static const QRegularExpression re(
        QStringLiteral("claude-(?:(?:opus|sonnet|haiku)-(\\d+)(?:[-.](\\d{1,2})(?!\\d))?|"
                       "(\\d+)(?:[-.](\\d{1,2})(?!\\d))?-(?:opus|sonnet|haiku))"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(model);
    if (!m.hasMatch())
        return 0;
    const bool newNaming = !m.captured(1).isEmpty();
    const int major = m.captured(newNaming ? 1 : 3).toInt();
    const int minor = m.captured(newNaming ? 2 : 4).toInt();
    return major * 10 + qMin(minor, 9);
}

qint64 AnthropicWire::thinkingBudget(Thinking t)
{
    switch (t) {
    case Thinking::Minimal: // the smallest budget Anthropic takes
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

QJsonObject AnthropicWire::messagesBody(const ChatRequest &r, const AnthropicOptions &options,
                                        const ThinkingCache &cache, bool *jsonViaTool,
                                        Adjustments *adjusted)
{
    const Conversation conv = conversation(r, cache);
    QJsonObject body{{QStringLiteral("model"), r.upstreamModel},
                     {QStringLiteral("messages"), conv.messages},
                     {QStringLiteral("stream"), true}};

    // Thinking cannot resume a tool loop whose signed thinking we no longer have: answer that
    // turn without thinking rather than fail it.
    const qint64 budget = applyThinking(body, r, options, conv.lastAssistantHasThinking);
    QJsonArray tools = toolsJson(r.tools);
    *jsonViaTool = applyJsonFormat(body, tools, r, budget);
    if (!tools.isEmpty())
        body.insert(QStringLiteral("tools"), tools);
    if (!*jsonViaTool && !r.tools.isEmpty()) {
        const QJsonObject choice = toolChoiceJson(r.toolChoice);
        // With thinking on, only auto and none are allowed.
        const QString type = choice.value(QLatin1StringView("type")).toString();
        if (!choice.isEmpty() && (budget == 0 || type == u"auto" || type == u"none"))
            body.insert(QStringLiteral("tool_choice"), choice);
        else if (!choice.isEmpty() && adjusted)
            adjusted->append(
                Adjustment::dropped(Adjustment::Rule::ThinkingOn, QStringLiteral("tool_choice")));
    }

    if (conv.systemCached)
        body.insert(QStringLiteral("system"), conv.systemBlocks);
    else if (!conv.system.isEmpty())
        body.insert(QStringLiteral("system"), conv.system.join(QStringLiteral("\n\n")));
    applySampling(body, r, options, budget, adjusted);
    const Sampling &s = r.sampling;
    if (!s.stop.isEmpty())
        body.insert(QStringLiteral("stop_sequences"), QJsonArray::fromStringList(s.stop));
    // A client's own cache_control goes as it was sent, and then nothing is added.
    if (options.autoCache && !hasCacheMark(r))
        placeCacheBreakpoints(body, minCacheTokens(r.upstreamModel));
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
