#include "openaiwire.h"

#include "providers/logprobwire.h"

#include "providers/providererror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace gw {
namespace {

QJsonValue userContent(const ChatMessage &m)
{
    if (m.images.isEmpty())
        return m.content;
    QJsonArray parts;
    if (!m.content.isEmpty())
        parts.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                 {QStringLiteral("text"), m.content}});
    for (const ImagePart &img : m.images)
        parts.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("image_url")},
            {QStringLiteral("image_url"), QJsonObject{{QStringLiteral("url"), img.dataUrl()}}}});
    return parts;
}

QString compactArgs(const QJsonObject &args)
{
    return QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact));
}

// OpenAI's tool_choice: "auto", "none", "required" or the named function.
QJsonValue toolChoiceJson(const ToolChoice &c)
{
    switch (c.mode) {
    case ToolChoice::Mode::Unset:
        return QJsonValue(QJsonValue::Undefined);
    case ToolChoice::Mode::Auto:
        return QStringLiteral("auto");
    case ToolChoice::Mode::None:
        return QStringLiteral("none");
    case ToolChoice::Mode::Required:
        return QStringLiteral("required");
    case ToolChoice::Mode::Named:
        return QJsonObject{
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"), QJsonObject{{QStringLiteral("name"), c.name}}}};
    }
    return QJsonValue(QJsonValue::Undefined);
}

// OpenAI needs every tool result to carry the id of a call in the assistant turn before it.
// Ollama clients often send only the tool's name (or calls without ids): ids are rebuilt by
// name and order, and synthesised deterministically where the history has none.
struct PendingCall
{
    QString id, name;
    bool answered = false;
};

QJsonObject assistantJson(const ChatMessage &m, qsizetype turn, QList<PendingCall> &pending,
                          bool deepSeek)
{
    QJsonObject a{{QStringLiteral("role"), QStringLiteral("assistant")}};
    pending.clear();
    // Earlier turns' reasoning is not sent back (OpenAI ignores it), except that DeepSeek's
    // thinking mode needs a tool-calling turn's reasoning_content in every later request.
    if (deepSeek && !m.toolCalls.isEmpty() && !m.thinking.isEmpty())
        a.insert(QStringLiteral("reasoning_content"), m.thinking);
    if (m.toolCalls.isEmpty()) {
        a.insert(QStringLiteral("content"), m.content);
        return a;
    }
    QJsonArray calls;
    for (qsizetype c = 0; c < m.toolCalls.size(); ++c) {
        const ToolCall &tc = m.toolCalls[c];
        const QString id = tc.id.isEmpty() ? QStringLiteral("call_%1_%2").arg(turn).arg(c) : tc.id;
        pending.append({id, tc.name});
        calls.append(
            QJsonObject{{QStringLiteral("id"), id},
                        {QStringLiteral("type"), QStringLiteral("function")},
                        {QStringLiteral("function"),
                         QJsonObject{{QStringLiteral("name"), tc.name},
                                     {QStringLiteral("arguments"), compactArgs(tc.arguments)}}}});
    }
    a.insert(QStringLiteral("tool_calls"), calls);
    a.insert(QStringLiteral("content"),
             m.content.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(m.content));
    return a;
}

QJsonObject toolResultJson(const ChatMessage &m, QList<PendingCall> &pending)
{
    const QString &id = m.toolCallId;
    for (PendingCall &p : pending) {
        if (p.answered)
            continue;
        if ((!id.isEmpty() && p.id == id) ||
            (id.isEmpty() && (m.toolName.isEmpty() || p.name == m.toolName))) {
            p.answered = true;
            return QJsonObject{{QStringLiteral("role"), QStringLiteral("tool")},
                               {QStringLiteral("tool_call_id"), p.id},
                               {QStringLiteral("content"), m.content}};
        }
    }
    // A result for no known call would be a 400 upstream: pass it on as context.
    return QJsonObject{
        {QStringLiteral("role"), QStringLiteral("user")},
        {QStringLiteral("content"),
         QStringLiteral("Result of tool %1: %2")
             .arg(m.toolName.isEmpty() ? QStringLiteral("call") : m.toolName, m.content)}};
}

QJsonArray messagesJson(const ChatRequest &r, bool deepSeek)
{
    QJsonArray messages;
    QList<PendingCall> pending;
    bool mentionsJson = false;
    // Images a tool returned (Anthropic clients' tool_result blocks): tool messages carry text
    // only, so they follow the turn's results as a user message.
    ChatMessage toolImages{Role::User, QStringLiteral("The tool results above came with these "
                                                      "images.")};
    const auto flushToolImages = [&] {
        if (toolImages.images.isEmpty())
            return;
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("content"), userContent(toolImages)}});
        toolImages.images.clear();
    };
    for (qsizetype i = 0; i < r.messages.size(); ++i) {
        const ChatMessage &m = r.messages[i];
        if (m.role != Role::Tool)
            flushToolImages();
        toolImages.images += m.role == Role::Tool ? m.images : QList<ImagePart>();
        mentionsJson =
            mentionsJson || m.content.contains(QStringLiteral("json"), Qt::CaseInsensitive);
        switch (m.role) {
        case Role::System:
            messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                        {QStringLiteral("content"), m.content}});
            break;
        case Role::User:
            messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), userContent(m)}});
            break;
        case Role::Assistant:
            messages.append(assistantJson(m, i, pending, deepSeek));
            break;
        case Role::Tool:
            messages.append(toolResultJson(m, pending));
            break;
        }
    }
    flushToolImages();
    // json_object mode is refused unless the conversation mentions JSON; Ollama's format:"json"
    // has no such rule, so say it for the client.
    if (r.format == OutputFormat::Json && !mentionsJson)
        messages.prepend(QJsonObject{
            {QStringLiteral("role"), QStringLiteral("system")},
            {QStringLiteral("content"), QStringLiteral("Respond with a JSON object.")}});
    return messages;
}

QJsonArray toolsJson(const QList<ToolSpec> &specs)
{
    QJsonArray tools;
    for (const ToolSpec &t : specs) {
        QJsonObject fn{{QStringLiteral("name"), t.name}};
        if (!t.description.isEmpty())
            fn.insert(QStringLiteral("description"), t.description);
        fn.insert(QStringLiteral("parameters"),
                  t.parameters.isEmpty()
                      ? QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                    {QStringLiteral("properties"), QJsonObject()}}
                      : t.parameters);
        tools.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("function")},
                                 {QStringLiteral("function"), fn}});
    }
    return tools;
}

// OpenAI's reasoning families, by what they accept.
enum class Reasoner { None, OSeries, Gpt5, Gpt51, Gpt5Pro };

Reasoner reasonerOf(const QString &model, bool *xhigh = nullptr)
{
    // gpt-5-chat-latest and gpt-5.1-chat are chat models without reasoning settings.
    static const QRegularExpression re(
        QStringLiteral("^(?:openai/)?(?:(o\\d)|gpt-5(?:\\.(\\d+))?(-chat|-pro|-codex-max)?)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(model);
    if (xhigh)
        *xhigh = false;
    if (!m.hasMatch() || m.captured(3).compare(u"-chat", Qt::CaseInsensitive) == 0)
        return Reasoner::None;
    if (!m.captured(1).isEmpty())
        return Reasoner::OSeries;
    if (m.captured(3).compare(u"-pro", Qt::CaseInsensitive) == 0)
        return Reasoner::Gpt5Pro;
    const int minor = m.captured(2).toInt();
    if (xhigh)
        *xhigh = minor >= 2 || m.captured(3).compare(u"-codex-max", Qt::CaseInsensitive) == 0;
    return minor >= 1 ? Reasoner::Gpt51 : Reasoner::Gpt5;
}

void drop(Adjustments *adjusted, Adjustment::Rule rule, const char *field)
{
    if (adjusted)
        adjusted->append(Adjustment::dropped(rule, QString::fromLatin1(field)));
}

void insertSampling(QJsonObject &body, const ChatRequest &r, const OpenAiFlavor &flavor,
                    const QString &effort, Adjustments *adjusted)
{
    const Sampling &s = r.sampling;
    const Reasoner reasoner = reasonerOf(r.upstreamModel);
    // gpt-5.1 and later take sampling again when they do not reason.
    const bool refusesSampling =
        reasoner != Reasoner::None && !(reasoner == Reasoner::Gpt51 && effort == u"none");
    const auto put = [&](const char *field, const auto &value) {
        if (!value)
            return;
        if (refusesSampling)
            drop(adjusted, Adjustment::Rule::ReasoningModel, field);
        else
            body.insert(QLatin1StringView(field), *value);
    };
    put("temperature", s.temperature);
    put("top_p", s.topP);
    put("presence_penalty", s.presencePenalty);
    put("frequency_penalty", s.frequencyPenalty);
    if (s.topK && flavor.sendTopK)
        body.insert(QStringLiteral("top_k"), *s.topK);
    if (s.seed)
        body.insert(QStringLiteral("seed"), *s.seed);
    if (!s.stop.isEmpty()) {
        if (reasoner != Reasoner::None) // "not supported with latest reasoning models"
            drop(adjusted, Adjustment::Rule::ReasoningModel, "stop");
        else
            body.insert(QStringLiteral("stop"), QJsonArray::fromStringList(s.stop.mid(0, 4)));
        if (reasoner == Reasoner::None && s.stop.size() > 4 && adjusted) // OpenAI's maximum
            adjusted->append(Adjustment::changed(
                Adjustment::Rule::OutOfRange, QStringLiteral("stop"),
                QStringLiteral("%1 sequences").arg(s.stop.size()), QStringLiteral("the first 4")));
    }
    // Reasoning models refuse max_tokens wherever they are served, unless the provider's
    // options chose the field.
    const bool completionTokens = flavor.maxTokensFieldSet
                                      ? flavor.maxCompletionTokens
                                      : flavor.maxCompletionTokens || reasoner != Reasoner::None;
    if (s.maxTokens)
        body.insert(completionTokens ? QStringLiteral("max_completion_tokens")
                                     : QStringLiteral("max_tokens"),
                    *s.maxTokens);
}

// DeepSeek's own switch, thinking {"type":"enabled"|"disabled"}, with reasoning_effort for a
// level (it takes low, high and max and maps the others).
void insertDeepSeekThinking(QJsonObject &body, Thinking t)
{
    if (t == Thinking::Unset)
        return;
    body.insert(
        QStringLiteral("thinking"),
        QJsonObject{{QStringLiteral("type"),
                     t == Thinking::Off ? QStringLiteral("disabled") : QStringLiteral("enabled")}});
    const char *effort = t == Thinking::Minimal || t == Thinking::Low ? "low"
                         : t == Thinking::Medium                      ? "medium"
                         : t == Thinking::High                        ? "high"
                         : t == Thinking::Max                         ? "max"
                                                                      : nullptr;
    if (effort)
        body.insert(QStringLiteral("reasoning_effort"), QLatin1StringView(effort));
}

void insertFormat(QJsonObject &body, const ChatRequest &r)
{
    if (r.format == OutputFormat::Json) {
        body.insert(QStringLiteral("response_format"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("json_object")}});
    } else if (r.format == OutputFormat::JsonSchema) {
        // strict mode would demand additionalProperties:false and every property required,
        // which Ollama schemas rarely say.
        body.insert(QStringLiteral("response_format"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("json_schema")},
                                {QStringLiteral("json_schema"),
                                 QJsonObject{{QStringLiteral("name"), QStringLiteral("response")},
                                             {QStringLiteral("schema"), r.schema},
                                             {QStringLiteral("strict"), false}}}});
    }
}

} // namespace

QString OpenAiWire::reasoningEffort(const QString &model, Thinking t, Adjustments *adjusted)
{
    bool xhigh = false;
    const Reasoner reasoner = reasonerOf(model, &xhigh);
    const auto name = [](Thinking level) -> QString {
        switch (level) {
        case Thinking::Off:
            return QStringLiteral("none");
        case Thinking::Minimal:
            return QStringLiteral("minimal");
        case Thinking::Low:
            return QStringLiteral("low");
        case Thinking::On:
        case Thinking::Medium:
            return QStringLiteral("medium");
        case Thinking::High:
            return QStringLiteral("high");
        case Thinking::Max:
            return QStringLiteral("max");
        case Thinking::Unset:
            break;
        }
        return {};
    };
    const QString asked = name(t);
    QString effort = asked;
    switch (reasoner) {
    case Reasoner::None: // a compatible server's model: the level's own name, as far as common
        if (t == Thinking::Off || t == Thinking::Unset)
            return {};
        if (t == Thinking::Minimal)
            effort = QStringLiteral("low");
        if (t == Thinking::Max)
            effort = QStringLiteral("high");
        return effort;
    case Reasoner::OSeries: // low, medium, high; never off
        if (t == Thinking::Off || t == Thinking::Minimal)
            effort = QStringLiteral("low");
        else if (t == Thinking::Max)
            effort = QStringLiteral("high");
        break;
    case Reasoner::Gpt5: // minimal … high
        if (t == Thinking::Off)
            effort = QStringLiteral("minimal");
        else if (t == Thinking::Max)
            effort = QStringLiteral("high");
        break;
    case Reasoner::Gpt51: // none … high, xhigh from 5.2
        if (t == Thinking::Minimal)
            effort = QStringLiteral("low");
        else if (t == Thinking::Max)
            effort = xhigh ? QStringLiteral("xhigh") : QStringLiteral("high");
        break;
    case Reasoner::Gpt5Pro: // high only
        if (t != Thinking::Unset)
            effort = QStringLiteral("high");
        break;
    }
    // "On" asks for no level in particular.
    if (adjusted && effort != asked && t != Thinking::On &&
        !(t == Thinking::Max && effort == u"xhigh"))
        adjusted->append(Adjustment::changed(Adjustment::Rule::ThinkingLevel,
                                             QStringLiteral("reasoning_effort"), asked, effort));
    return effort;
}

bool OpenAiWire::isReasoningModel(const QString &model)
{
    return reasonerOf(model) != Reasoner::None;
}

QJsonObject OpenAiWire::chatBody(const ChatRequest &r, const OpenAiFlavor &flavor,
                                 Adjustments *adjusted)
{
    QJsonObject body{{QStringLiteral("model"), r.upstreamModel},
                     {QStringLiteral("messages"), messagesJson(r, flavor.deepSeekThinking)},
                     {QStringLiteral("stream"), true}};
    if (flavor.streamUsage)
        body.insert(QStringLiteral("stream_options"),
                    QJsonObject{{QStringLiteral("include_usage"), true}});
    if (!r.tools.isEmpty()) {
        body.insert(QStringLiteral("tools"), toolsJson(r.tools));
        if (r.toolChoice.mode != ToolChoice::Mode::Unset)
            body.insert(QStringLiteral("tool_choice"), toolChoiceJson(r.toolChoice));
    }
    const QString effort = flavor.deepSeekThinking
                               ? QString()
                               : reasoningEffort(r.upstreamModel, r.thinking, adjusted);
    insertSampling(body, r, flavor, effort, adjusted);
    insertFormat(body, r);
    if (r.logprobs) {
        body.insert(QStringLiteral("logprobs"), true);
        if (r.topLogprobs > 0)
            body.insert(QStringLiteral("top_logprobs"), r.topLogprobs);
    }
    if (flavor.deepSeekThinking)
        insertDeepSeekThinking(body, r.thinking);
    else if (!effort.isEmpty())
        body.insert(QStringLiteral("reasoning_effort"), effort);
    return body;
}

QJsonObject OpenAiWire::embedBody(const EmbedRequest &r)
{
    QJsonObject body{{QStringLiteral("model"), r.upstreamModel},
                     {QStringLiteral("input"), QJsonArray::fromStringList(r.inputs)},
                     {QStringLiteral("encoding_format"), QStringLiteral("float")}};
    if (r.dimensions)
        body.insert(QStringLiteral("dimensions"), *r.dimensions);
    return body;
}

EmbedResult OpenAiWire::parseEmbeddings(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QJsonArray data = o.value(QLatin1StringView("data")).toArray();
    if (data.isEmpty() && !o.contains(QLatin1StringView("data")))
        return EmbedResult::failed(
            ProviderError::fault(QStringLiteral("the provider's embeddings answer has no data")));
    EmbedResult r;
    r.vectors.resize(data.size());
    for (const QJsonValue &dv : data) {
        const QJsonObject d = dv.toObject();
        const qsizetype index = d.value(QLatin1StringView("index")).toInteger(-1);
        if (index < 0 || index >= data.size())
            return EmbedResult::failed(ProviderError::fault(
                QStringLiteral("the provider's embeddings answer is malformed")));
        QList<double> v;
        const QJsonArray e = d.value(QLatin1StringView("embedding")).toArray();
        v.reserve(e.size());
        for (const QJsonValue &x : e)
            v.append(x.toDouble());
        r.vectors[index] = std::move(v);
    }
    r.promptTokens = o.value(QLatin1StringView("usage"))
                         .toObject()
                         .value(QLatin1StringView("prompt_tokens"))
                         .toInteger(-1);
    return r;
}

QStringList OpenAiWire::parseModels(const QByteArray &body)
{
    QStringList ids;
    for (const QJsonValue &m :
         QJsonDocument::fromJson(body).object().value(QLatin1StringView("data")).toArray())
        if (const QString id = m.toObject().value(QLatin1StringView("id")).toString();
            !id.isEmpty())
            ids.append(id);
    ids.sort();
    return ids;
}

UpstreamErrorBody OpenAiWire::errorBody(const QByteArray &body)
{
    UpstreamErrorBody b;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    // Some compatible servers wrap the error in an array.
    const QJsonObject o = doc.isArray() ? doc.array().first().toObject() : doc.object();
    const QJsonValue err = o.value(QLatin1StringView("error"));
    if (err.isObject()) {
        const QJsonObject e = err.toObject();
        b.message = e.value(QLatin1StringView("message")).toString();
        b.type = e.value(QLatin1StringView("type")).toString();
        const QJsonValue code = e.value(QLatin1StringView("code"));
        b.code = code.isDouble() ? QString::number(code.toInteger()) : code.toString();
    } else if (err.isString()) { // HF / TGI: {"error":"...","error_type":"overloaded"}
        b.message = err.toString();
        b.type = o.value(QLatin1StringView("error_type")).toString();
    }
    if (b.message.isEmpty()) {
        if (o.value(QLatin1StringView("message")).isString())
            b.message = o.value(QLatin1StringView("message")).toString();
        else if (o.value(QLatin1StringView("detail")).isString())
            b.message = o.value(QLatin1StringView("detail")).toString();
        else
            b.message = QString::fromUtf8(body.left(500)).simplified();
    }
    return b;
}

ChatEvent OpenAiWire::usage(const QJsonObject &u)
{
    const auto count = [](const QJsonObject &o, const char *key) {
        const QJsonValue v = o.value(QLatin1StringView(key));
        return v.isDouble() ? v.toInteger() : qint64(-1);
    };
    // cached_tokens are part of prompt_tokens and reasoning_tokens part of completion_tokens,
    // as the canonical counts want them.
    return ChatEvent::usage(
        count(u, "prompt_tokens"), count(u, "completion_tokens"),
        count(u.value(QLatin1StringView("prompt_tokens_details")).toObject(), "cached_tokens"), -1,
        count(u.value(QLatin1StringView("completion_tokens_details")).toObject(),
              "reasoning_tokens"));
}

QList<Logprob> OpenAiWire::logprobs(const QJsonObject &choiceLogprobs)
{
    QList<Logprob> out;
    // The legacy Completions shape: parallel arrays, top candidates as {token: logprob}.
    const QJsonArray tokens = choiceLogprobs.value(QLatin1StringView("tokens")).toArray();
    if (!tokens.isEmpty()) {
        const QJsonArray values =
            choiceLogprobs.value(QLatin1StringView("token_logprobs")).toArray();
        const QJsonArray top = choiceLogprobs.value(QLatin1StringView("top_logprobs")).toArray();
        for (qsizetype i = 0; i < tokens.size(); ++i) {
            Logprob l{tokens[i].toString(), values.at(i).toDouble(), {}};
            const QJsonObject candidates = top.at(i).toObject();
            for (auto it = candidates.begin(); it != candidates.end(); ++it)
                l.top.append({it.key(), it.value().toDouble()});
            std::sort(l.top.begin(), l.top.end(), [](const TokenLogprob &a, const TokenLogprob &b) {
                return a.logprob > b.logprob;
            });
            out.append(std::move(l));
        }
        return out;
    }
    return tokenLogprobs(choiceLogprobs.value(QLatin1StringView("content")).toArray());
}

FinishReason OpenAiWire::finishReason(const QString &reason)
{
    if (reason == u"length")
        return FinishReason::Length;
    if (reason == u"tool_calls" || reason == u"function_call")
        return FinishReason::ToolCalls;
    if (reason == u"content_filter")
        return FinishReason::ContentFilter;
    return FinishReason::Stop;
}

} // namespace gw
