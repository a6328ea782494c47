#include "anthropicdecoder.h"

#include "json/jsonfields.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace gw {
namespace {

// Typed reads of one object's fields through the one JSON reader, in Anthropic's words; the
// first error goes to the request's error, worded "path.field: what is wrong".
class Reader : public JsonFields
{
public:
    Reader(QJsonObject object, QString path, QString &error)
        : JsonFields(std::move(object), std::move(path), JsonStyle::Anthropic, error),
          m_error(error)
    {}

    QString at(QAnyStringView key) const
    {
        const QByteArray latin1 = key.toString().toLatin1();
        return fieldPath(QLatin1StringView(latin1));
    }
    QString &error() { return m_error; }
    bool fail(const QString &path, const QString &what)
    {
        return JsonFields::fail(path + QStringLiteral(": ") + what, path);
    }
    bool wrong(QLatin1StringView key, const char *expected)
    {
        return fail(at(key), QStringLiteral("Input should be %1, not %2")
                                 .arg(QLatin1StringView(expected), kindOf(value(key))));
    }
    bool required(QLatin1StringView key)
    {
        return has(key) || fail(at(key), QStringLiteral("Field required"));
    }

private:
    QString &m_error;
};

std::optional<QJsonObject> parseBody(const QByteArray &body, QString &err)
{
    return JsonFields::parseRequestBody(body, err);
}

// cache_control: {"type": "ephemeral", "ttl": "5m" | "1h"}.
bool decodeCache(Reader &f, CacheMark &out)
{
    QJsonObject cc;
    if (!f.object(QLatin1StringView("cache_control"), cc))
        return false;
    if (cc.isEmpty())
        return true;
    Reader r(cc, f.at(u"cache_control"), f.error());
    QString type;
    if (!r.string(QLatin1StringView("type"), type) || !r.string(QLatin1StringView("ttl"), out.ttl))
        return false;
    if (type != u"ephemeral")
        return f.fail(r.at(u"type"), QStringLiteral("Input should be 'ephemeral'"));
    out.set = true;
    return true;
}

bool decodeImage(Reader &f, QList<ImagePart> &out)
{
    QJsonObject source;
    if (!f.required(QLatin1StringView("source")) || !f.object(QLatin1StringView("source"), source))
        return false;
    Reader s(source, f.at(u"source"), f.error());
    QString type, mediaType, data, url;
    if (!s.string(QLatin1StringView("type"), type) ||
        !s.string(QLatin1StringView("media_type"), mediaType) ||
        !s.string(QLatin1StringView("data"), data) || !s.string(QLatin1StringView("url"), url))
        return false;
    if (type == u"base64") {
        if (data.isEmpty())
            return f.fail(s.at(u"data"), QStringLiteral("Field required"));
        ImagePart img = ImagePart::fromBase64(data.toLatin1());
        if (!mediaType.isEmpty())
            img.mime = mediaType;
        out.append(std::move(img));
        return true;
    }
    if (type == u"url") {
        if (url.isEmpty())
            return f.fail(s.at(u"url"), QStringLiteral("Field required"));
        ImagePart img;
        img.url = url;
        out.append(std::move(img));
        return true;
    }
    return f.fail(s.at(u"type"), QStringLiteral("Input should be 'base64' or 'url'"));
}

void appendText(QString &into, const QString &text)
{
    if (text.isEmpty())
        return;
    if (!into.isEmpty())
        into += QStringLiteral("\n\n");
    into += text;
}

// A tool_result's content: a string, or text and image blocks.
bool decodeToolResultContent(Reader &f, ChatMessage &m)
{
    const QJsonValue content = f.value(QLatin1StringView("content"));
    if (content.isUndefined() || content.isNull())
        return true;
    if (content.isString()) {
        m.content = content.toString();
        return true;
    }
    if (!content.isArray())
        return f.wrong(QLatin1StringView("content"), "a valid string or list");
    const QJsonArray blocks = content.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QString path = f.at(u"content") + u'.' + QString::number(i);
        if (!blocks[i].isObject())
            return f.fail(path, QStringLiteral("Input should be a valid dictionary"));
        Reader b(blocks[i].toObject(), path, f.error());
        QString type, text;
        if (!b.string(QLatin1StringView("type"), type) ||
            !b.string(QLatin1StringView("text"), text))
            return false;
        if (type == u"text")
            appendText(m.content, text);
        else if (type == u"image") {
            if (!decodeImage(b, m.images))
                return false;
        } else
            return f.fail(b.at(u"type"),
                          QStringLiteral("'%1' is not supported in a tool_result (text and image "
                                         "are)")
                              .arg(type));
    }
    return true;
}

// What the blocks of one message turn into, before they become canonical messages.
struct Turn
{
    QList<ChatMessage> toolResults; // user turns
    ChatMessage message;
};

bool decodeBlock(Reader &b, const QString &type, bool user, Turn &turn,
                 const QHash<QString, QString> &toolNames)
{
    ChatMessage &m = turn.message;
    CacheMark cache;
    if (!decodeCache(b, cache))
        return false;
    QString text;
    if (type == u"text") {
        if (!b.string(QLatin1StringView("text"), text))
            return false;
        appendText(m.content, text);
    } else if (type == u"image" && user) {
        if (!decodeImage(b, m.images))
            return false;
    } else if (type == u"document" && user) {
        // Plain-text documents are text; PDFs need a provider that reads them.
        QJsonObject source;
        if (!b.object(QLatin1StringView("source"), source))
            return false;
        if (source.value(QLatin1StringView("type")).toString() != u"text")
            return b.fail(b.at(u"source.type"),
                          QStringLiteral("only text documents are supported by llm-gateway"));
        appendText(m.content, source.value(QLatin1StringView("data")).toString());
    } else if (type == u"tool_result" && user) {
        ChatMessage r;
        r.role = Role::Tool;
        if (!b.required(QLatin1StringView("tool_use_id")) ||
            !b.string(QLatin1StringView("tool_use_id"), r.toolCallId) ||
            !b.boolean(QLatin1StringView("is_error"), r.toolError) ||
            !decodeToolResultContent(b, r))
            return false;
        r.toolName = toolNames.value(r.toolCallId);
        r.cache = cache;
        turn.toolResults.append(std::move(r));
        return true;
    } else if (type == u"tool_use" && !user) {
        ToolCall call;
        QJsonObject input;
        if (!b.required(QLatin1StringView("id")) || !b.required(QLatin1StringView("name")) ||
            !b.string(QLatin1StringView("id"), call.id) ||
            !b.string(QLatin1StringView("name"), call.name) ||
            !b.object(QLatin1StringView("input"), input))
            return false;
        call.arguments = input;
        call.index = int(m.toolCalls.size());
        m.toolCalls.append(std::move(call));
    } else if (type == u"thinking" && !user) {
        ThinkingBlock t;
        if (!b.string(QLatin1StringView("thinking"), t.text) ||
            !b.string(QLatin1StringView("signature"), t.signature))
            return false;
        appendText(m.thinking, t.text);
        m.thinkingBlocks.append(std::move(t));
    } else if (type == u"redacted_thinking" && !user) {
        ThinkingBlock t;
        if (!b.string(QLatin1StringView("data"), t.redacted))
            return false;
        m.thinkingBlocks.append(std::move(t));
    } else {
        return b.fail(b.at(u"type"),
                      QStringLiteral("content blocks of type '%1' are not supported "
                                     "in %2 messages by llm-gateway")
                          .arg(type, user ? QStringLiteral("user") : QStringLiteral("assistant")));
    }
    if (cache.set)
        m.cache = cache;
    return true;
}

bool decodeSystem(const QJsonValue &system, QList<ChatMessage> &out, QString &err,
                  const QString &at = QStringLiteral("system"))
{
    if (system.isUndefined() || system.isNull())
        return true;
    ChatMessage m;
    m.role = Role::System;
    if (system.isString()) {
        m.content = system.toString();
        if (!m.content.isEmpty())
            out.append(m);
        return true;
    }
    if (!system.isArray()) {
        err = at + QStringLiteral(": Input should be a valid string or list, not ") +
              JsonFields::kindOf(system);
        return false;
    }
    const QJsonArray blocks = system.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QString path = at + u'.' + QString::number(i);
        if (!blocks[i].isObject()) {
            err = path + QStringLiteral(": Input should be a valid dictionary");
            return false;
        }
        Reader b(blocks[i].toObject(), path, err);
        QString type;
        ChatMessage block;
        block.role = Role::System;
        if (!b.string(QLatin1StringView("type"), type) ||
            !b.string(QLatin1StringView("text"), block.content) || !decodeCache(b, block.cache))
            return false;
        if (type != u"text")
            return b.fail(b.at(u"type"), QStringLiteral("Input should be 'text'"));
        out.append(block);
    }
    return true;
}

bool decodeMessage(const QJsonValue &v, const QString &path, QList<ChatMessage> &out,
                   QHash<QString, QString> &toolNames, QString &err)
{
    if (!v.isObject()) {
        err = path + QStringLiteral(": Input should be a valid dictionary");
        return false;
    }
    Reader f(v.toObject(), path, err);
    QString role;
    if (!f.required(QLatin1StringView("role")) || !f.string(QLatin1StringView("role"), role))
        return false;
    // Claude Code also sends system messages between the turns (text blocks only).
    if (role == u"system")
        return decodeSystem(f.value(QLatin1StringView("content")), out, err, f.at(u"content"));
    if (role != u"user" && role != u"assistant")
        return f.fail(f.at(u"role"), QStringLiteral("Input should be 'user', 'assistant' or "
                                                    "'system'"));
    const bool user = role == u"user";
    Turn turn;
    turn.message.role = user ? Role::User : Role::Assistant;
    const QJsonValue content = f.value(QLatin1StringView("content"));
    if (content.isString()) {
        turn.message.content = content.toString();
    } else if (content.isArray()) {
        const QJsonArray blocks = content.toArray();
        for (qsizetype i = 0; i < blocks.size(); ++i) {
            const QString at = f.at(u"content") + u'.' + QString::number(i);
            if (!blocks[i].isObject())
                return f.fail(at, QStringLiteral("Input should be a valid dictionary"));
            Reader b(blocks[i].toObject(), at, err);
            QString type;
            if (!b.required(QLatin1StringView("type")) ||
                !b.string(QLatin1StringView("type"), type) ||
                !decodeBlock(b, type, user, turn, toolNames))
                return false;
        }
    } else {
        return f.has(QLatin1StringView("content"))
                   ? f.wrong(QLatin1StringView("content"), "a valid string or list")
                   : f.required(QLatin1StringView("content"));
    }
    for (const ToolCall &c : std::as_const(turn.message.toolCalls))
        toolNames.insert(c.id, c.name);
    out.append(turn.toolResults);
    const ChatMessage &m = turn.message;
    if (!user || turn.toolResults.isEmpty() || !m.content.isEmpty() || !m.images.isEmpty())
        out.append(turn.message);
    return true;
}

bool decodeTools(const QJsonArray &tools, QList<ToolSpec> &out, QString &err)
{
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QString path = QStringLiteral("tools.%1").arg(i);
        if (!tools[i].isObject()) {
            err = path + QStringLiteral(": Input should be a valid dictionary");
            return false;
        }
        Reader f(tools[i].toObject(), path, err);
        ToolSpec t;
        QString type;
        if (!f.string(QLatin1StringView("type"), type) || !f.required(QLatin1StringView("name")) ||
            !f.string(QLatin1StringView("name"), t.name) ||
            !f.string(QLatin1StringView("description"), t.description) ||
            !f.object(QLatin1StringView("input_schema"), t.parameters) || !decodeCache(f, t.cache))
            return false;
        // Server tools (web_search_…, code_execution_…, bash_…) run at Anthropic: no other
        // provider can run them, so they are refused rather than silently dropped.
        if (!type.isEmpty() && type != u"custom")
            return f.fail(f.at(u"type"), QStringLiteral("server tool '%1' is not supported by "
                                                        "llm-gateway; only client tools (with "
                                                        "input_schema) are")
                                             .arg(type));
        if (!f.required(QLatin1StringView("input_schema")))
            return false;
        out.append(std::move(t));
    }
    return true;
}

bool decodeToolChoice(const QJsonObject &o, ToolChoice &out, QString &err)
{
    if (o.isEmpty())
        return true;
    Reader f(o, QStringLiteral("tool_choice"), err);
    QString type, name;
    if (!f.string(QLatin1StringView("type"), type) || !f.string(QLatin1StringView("name"), name))
        return false;
    if (type == u"auto")
        out.mode = ToolChoice::Mode::Auto;
    else if (type == u"any")
        out.mode = ToolChoice::Mode::Required;
    else if (type == u"none")
        out.mode = ToolChoice::Mode::None;
    else if (type == u"tool") {
        if (name.isEmpty())
            return f.required(QLatin1StringView("name"));
        out = ToolChoice::named(name);
    } else
        return f.fail(f.at(u"type"), QStringLiteral("Input should be 'auto', 'any', 'tool' or "
                                                    "'none'"));
    return true;
}

Thinking levelFromBudget(qint64 budget)
{
    if (budget <= 2048)
        return Thinking::Low;
    if (budget <= 8192)
        return Thinking::Medium;
    if (budget <= 24576)
        return Thinking::High;
    return Thinking::Max;
}

// thinking: {"type":"enabled","budget_tokens":N} | {"type":"disabled"} | {"type":"adaptive"};
// output_config.effort (low … max) sets the level of the adaptive form.
bool decodeThinking(Reader &top, ChatRequest &r, QString &err)
{
    QJsonObject thinking, outputConfig;
    if (!top.object(QLatin1StringView("thinking"), thinking) ||
        !top.object(QLatin1StringView("output_config"), outputConfig))
        return false;
    Reader oc(outputConfig, QStringLiteral("output_config"), err);
    QString effort;
    QJsonObject format;
    if (!oc.string(QLatin1StringView("effort"), effort) ||
        !oc.object(QLatin1StringView("format"), format))
        return false;
    if (!format.isEmpty()) {
        // Structured outputs: {"type":"json_schema","schema":{...}}.
        r.schema = format.value(QLatin1StringView("schema")).toObject();
        r.format = r.schema.isEmpty() ? OutputFormat::Json : OutputFormat::JsonSchema;
    }
    Thinking level = Thinking::On;
    if (effort == u"low")
        level = Thinking::Low;
    else if (effort == u"medium")
        level = Thinking::Medium;
    else if (effort == u"high")
        level = Thinking::High;
    else if (effort == u"max" || effort == u"xhigh") // xhigh: OpenAI's top level, between
        level = Thinking::Max;                       // high and max
    else if (!effort.isEmpty())
        return oc.fail(oc.at(u"effort"),
                       QStringLiteral("Input should be 'low', 'medium', 'high', 'xhigh' or 'max'"));
    if (thinking.isEmpty())
        return true;
    Reader t(thinking, QStringLiteral("thinking"), err);
    QString type;
    std::optional<qint64> budget;
    if (!t.string(QLatin1StringView("type"), type) ||
        !t.integer(QLatin1StringView("budget_tokens"), budget))
        return false;
    if (type == u"disabled") {
        r.thinking = Thinking::Off;
    } else if (type == u"adaptive") {
        r.thinking = level;
        r.thinkingAdaptive = true;
    } else if (type == u"enabled") {
        if (!budget)
            return t.required(QLatin1StringView("budget_tokens"));
        if (*budget < 1024)
            return t.fail(t.at(u"budget_tokens"),
                          QStringLiteral("Input should be greater than or equal to 1024"));
        r.thinking = levelFromBudget(*budget);
        r.thinkingBudget = *budget;
    } else {
        return t.fail(t.at(u"type"),
                      QStringLiteral("Input should be 'enabled', 'disabled' or 'adaptive'"));
    }
    return true;
}

bool decodeSampling(Reader &f, Sampling &s)
{
    QJsonArray stops;
    if (!f.number(QLatin1StringView("temperature"), s.temperature) ||
        !f.number(QLatin1StringView("top_p"), s.topP) ||
        !f.array(QLatin1StringView("stop_sequences"), stops))
        return false;
    std::optional<qint64> topK;
    if (!f.integer(QLatin1StringView("top_k"), topK))
        return false;
    if (topK)
        s.topK = int(qBound<qint64>(0, *topK, qint64(1) << 30));
    for (qsizetype i = 0; i < stops.size(); ++i) {
        if (!stops[i].isString())
            return f.fail(QStringLiteral("stop_sequences.%1").arg(i),
                          QStringLiteral("Input should be a valid string"));
        if (!stops[i].toString().isEmpty())
            s.stop.append(stops[i].toString());
    }
    return true;
}

std::optional<ChatRequest> decode(const QByteArray &body, ApiError &error, const ApiLimits &limits,
                                  bool needMaxTokens)
{
    QString err;
    const auto fail = [&error, &err]() -> std::optional<ChatRequest> {
        error = {400, err};
        return std::nullopt;
    };
    const auto o = parseBody(body, err);
    if (!o)
        return fail();
    Reader f(*o, QString(), err);
    ChatRequest r;
    r.stream = false;
    QJsonArray messages, tools;
    QJsonObject toolChoice;
    std::optional<qint64> maxTokens;
    if (!f.required(QLatin1StringView("model")) || !f.string(QLatin1StringView("model"), r.model) ||
        !f.required(QLatin1StringView("messages")) ||
        !f.array(QLatin1StringView("messages"), messages) ||
        !f.integer(QLatin1StringView("max_tokens"), maxTokens) ||
        !f.array(QLatin1StringView("tools"), tools) ||
        !f.object(QLatin1StringView("tool_choice"), toolChoice) ||
        !f.boolean(QLatin1StringView("stream"), r.stream))
        return fail();
    if (needMaxTokens && !maxTokens && !f.required(QLatin1StringView("max_tokens")))
        return fail();
    if (maxTokens && *maxTokens < 1) {
        f.fail(QStringLiteral("max_tokens"), QStringLiteral("Input should be greater than or "
                                                            "equal to 1"));
        return fail();
    }
    r.sampling.maxTokens = maxTokens;
    if (messages.size() > limits.maxMessages) {
        err = QStringLiteral("messages: too many messages: %1 (the limit is %2, "
                             "server.max_messages)")
                  .arg(messages.size())
                  .arg(limits.maxMessages);
        return fail();
    }
    ToolChoice choice;
    if (!decodeSystem(f.value(QLatin1StringView("system")), r.messages, err) ||
        !decodeTools(tools, r.tools, err) || !decodeToolChoice(toolChoice, choice, err) ||
        !decodeSampling(f, r.sampling) || !decodeThinking(f, r, err))
        return fail();
    QHash<QString, QString> toolNames; // tool_use id → name, for the results
    for (qsizetype i = 0; i < messages.size(); ++i)
        if (!decodeMessage(messages[i], QStringLiteral("messages.%1").arg(i), r.messages, toolNames,
                           err))
            return fail();
    r.toolChoice = choice;
    return r;
}

} // namespace

std::optional<ChatRequest> AnthropicDecoder::messages(const QByteArray &body, ApiError &error,
                                                      const ApiLimits &limits)
{
    return decode(body, error, limits, true);
}

std::optional<ChatRequest> AnthropicDecoder::countTokens(const QByteArray &body, ApiError &error,
                                                         const ApiLimits &limits)
{
    return decode(body, error, limits, false);
}

} // namespace gw
