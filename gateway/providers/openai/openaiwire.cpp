#include "openaiwire.h"

#include "providers/logprobwire.h"

#include "providers/providererror.h"
#include "json/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace gw {
namespace {

// The request body is written straight into bytes (a QJsonObject per message and a toJson of
// the whole cost ~50 K instructions per request, issue #15). Members go out in the order they
// are put; only the caller's own JSON (tool parameters, schemas, arguments) goes through Qt.
class JsonOut
{
public:
    explicit JsonOut(QByteArray &out) : m_out(out) {}

    JsonOut &object()
    {
        comma();
        m_out += '{';
        m_first = true;
        return *this;
    }
    JsonOut &array()
    {
        comma();
        m_out += '[';
        m_first = true;
        return *this;
    }
    JsonOut &end(char closer)
    {
        m_out += closer;
        m_first = false;
        return *this;
    }
    JsonOut &endObject() { return end('}'); }
    JsonOut &endArray() { return end(']'); }
    // A member's name; its value follows.
    JsonOut &key(const char *name)
    {
        comma();
        m_out += '"';
        m_out += name;
        m_out += "\":";
        m_first = true; // the value needs no comma
        return *this;
    }
    JsonOut &string(QStringView v)
    {
        comma();
        json::appendString(m_out, v);
        m_first = false;
        return *this;
    }
    JsonOut &raw(const char *literal)
    {
        comma();
        m_out += literal;
        m_first = false;
        return *this;
    }
    JsonOut &number(qint64 v)
    {
        comma();
        m_out += QByteArray::number(v);
        m_first = false;
        return *this;
    }
    JsonOut &number(double v) // as Qt's JSON writer formats a double
    {
        comma();
        if (qIsFinite(v))
            m_out += QByteArray::number(v, 'g', QLocale::FloatingPointShortest);
        else
            m_out += "null";
        m_first = false;
        return *this;
    }
    JsonOut &value(const QJsonValue &v)
    {
        comma();
        json::appendValue(m_out, v);
        m_first = false;
        return *this;
    }
    JsonOut &member(const char *name, QStringView v) { return key(name).string(v); }

private:
    void comma()
    {
        if (!m_first)
            m_out += ',';
        m_first = false;
    }

    QByteArray &m_out;
    bool m_first = true;
};

void userContent(JsonOut &w, const ChatMessage &m)
{
    if (m.images.isEmpty()) {
        w.string(m.content);
        return;
    }
    w.array();
    if (!m.content.isEmpty())
        w.object().member("type", u"text").member("text", m.content).endObject();
    for (const ImagePart &img : m.images)
        w.object()
            .member("type", u"image_url")
            .key("image_url")
            .object()
            .member("url", img.dataUrl())
            .endObject()
            .endObject();
    w.endArray();
}

QString compactArgs(const QJsonObject &args)
{
    return QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact));
}

// OpenAI's tool_choice: "auto", "none", "required" or the named function.
void toolChoiceJson(JsonOut &w, const ToolChoice &c)
{
    switch (c.mode) {
    case ToolChoice::Mode::Unset:
        return;
    case ToolChoice::Mode::Auto:
        w.key("tool_choice").string(u"auto");
        return;
    case ToolChoice::Mode::None:
        w.key("tool_choice").string(u"none");
        return;
    case ToolChoice::Mode::Required:
        w.key("tool_choice").string(u"required");
        return;
    case ToolChoice::Mode::Named:
        w.key("tool_choice")
            .object()
            .member("type", u"function")
            .key("function")
            .object()
            .member("name", c.name)
            .endObject()
            .endObject();
        return;
    }
}

// OpenAI needs every tool result to carry the id of a call in the assistant turn before it.
// Ollama clients often send only the tool's name (or calls without ids): ids are rebuilt by
// name and order, and synthesised deterministically where the history has none.
struct PendingCall
{
    QString id, name;
    bool answered = false;
};

void assistantJson(JsonOut &w, const ChatMessage &m, qsizetype turn, QList<PendingCall> &pending,
                   bool deepSeek)
{
    w.object().member("role", u"assistant");
    pending.clear();
    // Earlier turns' reasoning is not sent back (OpenAI ignores it), except that DeepSeek's
    // thinking mode needs a tool-calling turn's reasoning_content in every later request.
    if (deepSeek && !m.toolCalls.isEmpty() && !m.thinking.isEmpty())
        w.member("reasoning_content", m.thinking);
    if (m.toolCalls.isEmpty()) {
        w.member("content", m.content).endObject();
        return;
    }
    w.key("tool_calls").array();
    for (qsizetype c = 0; c < m.toolCalls.size(); ++c) {
        const ToolCall &tc = m.toolCalls[c];
        const QString id = tc.id.isEmpty() ? QStringLiteral("call_%1_%2").arg(turn).arg(c) : tc.id;
        pending.append({id, tc.name});
        w.object()
            .member("id", id)
            .member("type", u"function")
            .key("function")
            .object()
            .member("name", tc.name)
            .member("arguments", compactArgs(tc.arguments))
            .endObject()
            .endObject();
    }
    w.endArray();
    if (m.content.isEmpty())
        w.key("content").raw("null");
    else
        w.member("content", m.content);
    w.endObject();
}

void toolResultJson(JsonOut &w, const ChatMessage &m, QList<PendingCall> &pending)
{
    const QString &id = m.toolCallId;
    for (PendingCall &p : pending) {
        if (p.answered)
            continue;
        if ((!id.isEmpty() && p.id == id) ||
            (id.isEmpty() && (m.toolName.isEmpty() || p.name == m.toolName))) {
            p.answered = true;
            w.object()
                .member("role", u"tool")
                .member("tool_call_id", p.id)
                .member("content", m.content)
                .endObject();
            return;
        }
    }
    // A result for no known call would be a 400 upstream: pass it on as context.
    w.object()
        .member("role", u"user")
        .member("content",
                QStringLiteral("Result of tool %1: %2")
                    .arg(m.toolName.isEmpty() ? QStringLiteral("call") : m.toolName, m.content))
        .endObject();
}

void messagesJson(JsonOut &w, const ChatRequest &r, bool deepSeek)
{
    w.key("messages").array();
    // json_object mode is refused unless the conversation mentions JSON; Ollama's format:"json"
    // has no such rule, so say it for the client.
    if (r.format == OutputFormat::Json &&
        std::none_of(r.messages.begin(), r.messages.end(), [](const ChatMessage &m) {
            return m.content.contains(QLatin1StringView("json"), Qt::CaseInsensitive);
        }))
        w.object()
            .member("role", u"system")
            .member("content", u"Respond with a JSON object.")
            .endObject();
    QList<PendingCall> pending;
    // Images a tool returned (Anthropic clients' tool_result blocks): tool messages carry text
    // only, so they follow the turn's results as a user message.
    ChatMessage toolImages{Role::User, QStringLiteral("The tool results above came with these "
                                                      "images.")};
    const auto flushToolImages = [&] {
        if (toolImages.images.isEmpty())
            return;
        w.object().member("role", u"user").key("content");
        userContent(w, toolImages);
        w.endObject();
        toolImages.images.clear();
    };
    for (qsizetype i = 0; i < r.messages.size(); ++i) {
        const ChatMessage &m = r.messages[i];
        if (m.role != Role::Tool)
            flushToolImages();
        if (m.role == Role::Tool)
            toolImages.images += m.images;
        switch (m.role) {
        case Role::System:
            w.object().member("role", u"system").member("content", m.content).endObject();
            break;
        case Role::User:
            w.object().member("role", u"user").key("content");
            userContent(w, m);
            w.endObject();
            break;
        case Role::Assistant:
            assistantJson(w, m, i, pending, deepSeek);
            break;
        case Role::Tool:
            toolResultJson(w, m, pending);
            break;
        }
    }
    flushToolImages();
    w.endArray();
}

void toolsJson(JsonOut &w, const QList<ToolSpec> &specs)
{
    w.key("tools").array();
    for (const ToolSpec &t : specs) {
        w.object().member("type", u"function").key("function").object().member("name", t.name);
        if (!t.description.isEmpty())
            w.member("description", t.description);
        w.key("parameters");
        if (t.parameters.isEmpty())
            w.object().member("type", u"object").key("properties").raw("{}").endObject();
        else
            w.value(t.parameters);
        w.endObject().endObject();
    }
    w.endArray();
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

void insertSampling(JsonOut &w, const ChatRequest &r, const OpenAiFlavor &flavor,
                    const QString &effort, Adjustments *adjusted)
{
    const Sampling &s = r.sampling;
    const Reasoner reasoner = reasonerOf(r.upstreamModel);
    // gpt-5.1 and later take sampling again when they do not reason.
    const bool refusesSampling =
        reasoner != Reasoner::None && !(reasoner == Reasoner::Gpt51 && effort == u"none");
    const auto put = [&](const char *field, const std::optional<double> &value) {
        if (!value)
            return;
        if (refusesSampling)
            drop(adjusted, Adjustment::Rule::ReasoningModel, field);
        else
            w.key(field).number(*value);
    };
    put("temperature", s.temperature);
    put("top_p", s.topP);
    put("presence_penalty", s.presencePenalty);
    put("frequency_penalty", s.frequencyPenalty);
    if (s.topK && flavor.sendTopK)
        w.key("top_k").number(qint64(*s.topK));
    if (s.seed)
        w.key("seed").number(qint64(*s.seed));
    if (!s.stop.isEmpty()) {
        if (reasoner != Reasoner::None) { // "not supported with latest reasoning models"
            drop(adjusted, Adjustment::Rule::ReasoningModel, "stop");
        } else {
            w.key("stop").array();
            for (const QString &stop : s.stop.mid(0, 4))
                w.string(stop);
            w.endArray();
        }
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
        w.key(completionTokens ? "max_completion_tokens" : "max_tokens")
            .number(qint64(*s.maxTokens));
}

// DeepSeek's own switch, thinking {"type":"enabled"|"disabled"}, with reasoning_effort for a
// level (it takes low, high and max and maps the others).
void insertDeepSeekThinking(JsonOut &w, Thinking t)
{
    if (t == Thinking::Unset)
        return;
    w.key("thinking")
        .object()
        .member("type", t == Thinking::Off ? u"disabled" : u"enabled")
        .endObject();
    const char16_t *effort = t == Thinking::Minimal || t == Thinking::Low ? u"low"
                             : t == Thinking::Medium                      ? u"medium"
                             : t == Thinking::High                        ? u"high"
                             : t == Thinking::Max                         ? u"max"
                                                                          : nullptr;
    if (effort)
        w.member("reasoning_effort", effort);
}

void insertFormat(JsonOut &w, const ChatRequest &r)
{
    if (r.format == OutputFormat::Json) {
        w.key("response_format").object().member("type", u"json_object").endObject();
    } else if (r.format == OutputFormat::JsonSchema) {
        // strict mode would demand additionalProperties:false and every property required,
        // which Ollama schemas rarely say.
        w.key("response_format")
            .object()
            .member("type", u"json_schema")
            .key("json_schema")
            .object()
            .member("name", u"response")
            .key("schema")
            .value(r.schema)
            .key("strict")
            .raw("false")
            .endObject()
            .endObject();
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

QByteArray OpenAiWire::chatBytes(const ChatRequest &r, const OpenAiFlavor &flavor,
                                 Adjustments *adjusted)
{
    QByteArray out;
    out.reserve(256);
    JsonOut w(out);
    w.object().member("model", r.upstreamModel);
    messagesJson(w, r, flavor.deepSeekThinking);
    w.key("stream").raw("true");
    if (flavor.streamUsage)
        w.key("stream_options").object().key("include_usage").raw("true").endObject();
    if (!r.tools.isEmpty()) {
        toolsJson(w, r.tools);
        toolChoiceJson(w, r.toolChoice);
    }
    const QString effort = flavor.deepSeekThinking
                               ? QString()
                               : reasoningEffort(r.upstreamModel, r.thinking, adjusted);
    insertSampling(w, r, flavor, effort, adjusted);
    insertFormat(w, r);
    if (r.logprobs) {
        w.key("logprobs").raw("true");
        if (r.topLogprobs > 0)
            w.key("top_logprobs").number(qint64(r.topLogprobs));
    }
    if (flavor.deepSeekThinking)
        insertDeepSeekThinking(w, r.thinking);
    else if (!effort.isEmpty())
        w.member("reasoning_effort", effort);
    w.endObject();
    return out;
}

QJsonObject OpenAiWire::chatBody(const ChatRequest &r, const OpenAiFlavor &flavor,
                                 Adjustments *adjusted)
{
    return QJsonDocument::fromJson(chatBytes(r, flavor, adjusted)).object();
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
