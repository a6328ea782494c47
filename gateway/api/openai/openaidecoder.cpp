#include "openaidecoder.h"
#include "openaifields.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QUrl>

namespace gw {
namespace {

using namespace openai;

bool decodeContent(const QJsonValue &v, const QString &path, ChatMessage &msg, QString &err)
{
    if (v.isUndefined() || v.isNull())
        return true;
    if (v.isString()) {
        msg.content = v.toString();
        return true;
    }
    if (!v.isArray()) {
        err = QStringLiteral("%1 must be a string or an array of content parts").arg(path);
        return false;
    }
    const QJsonArray parts = v.toArray();
    QStringList texts;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString pp = QStringLiteral("%1[%2]").arg(path).arg(i);
        const QJsonValue pv = parts.at(i);
        if (!pv.isObject()) {
            err = QStringLiteral("%1 must be a content part object, not %2").arg(pp, kindOf(pv));
            return false;
        }
        const QJsonObject part = pv.toObject();
        const QJsonValue type = part.value(QLatin1StringView("type"));
        if (!type.isString()) {
            err = QStringLiteral("%1.type must be a string").arg(pp);
            return false;
        }
        const QString t = type.toString();
        if (t == u"text" || t == u"refusal") {
            // An assistant turn's refusal is what the model said: the next model reads it as text.
            const QJsonValue text =
                part.value(t == u"text" ? QLatin1StringView("text") : QLatin1StringView("refusal"));
            if (!text.isString()) {
                err = QStringLiteral("%1.%2 must be a string").arg(pp, t);
                return false;
            }
            texts.append(text.toString());
        } else if (t == u"image_url") {
            if (!decodeImage(part.value(QLatin1StringView("image_url")),
                             pp + QStringLiteral(".image_url"), msg.images, err))
                return false;
        } else {
            err = QStringLiteral("%1.type '%2' is not supported (expected text or image_url)")
                      .arg(pp, t);
            return false;
        }
    }
    msg.content = texts.join(u'\n');
    return true;
}

bool decodeToolCalls(const QJsonArray &calls, const QString &path, QList<ToolCall> &out,
                     QString &err)
{
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QString cp = QStringLiteral("%1[%2]").arg(path).arg(i);
        const QJsonValue cv = calls.at(i);
        if (!cv.isObject()) {
            err = QStringLiteral("%1 must be an object, not %2").arg(cp, kindOf(cv));
            return false;
        }
        Fields f(cv.toObject(), cp);
        ToolCall call;
        call.index = int(i);
        QJsonObject fn;
        if (!f.string(QLatin1StringView("id"), call.id) ||
            !f.object(QLatin1StringView("function"), fn)) {
            err = f.error();
            return false;
        }
        Fields ff(fn, cp + QStringLiteral(".function"));
        if (!ff.string(QLatin1StringView("name"), call.name)) {
            err = ff.error();
            return false;
        }
        if (call.name.isEmpty()) {
            err = QStringLiteral("%1.function.name is required").arg(cp);
            return false;
        }
        if (!parseArguments(fn.value(QLatin1StringView("arguments")),
                            ff.at(QLatin1StringView("arguments")), call.arguments, err))
            return false;
        out.append(std::move(call));
    }
    return true;
}

bool decodeMessages(const QJsonArray &messages, QList<ChatMessage> &out, QString &err)
{
    // Tool results name their call only by id; the tool's name is on the assistant turn.
    QHash<QString, QString> callNames;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString path = QStringLiteral("messages[%1]").arg(i);
        const QJsonValue mv = messages.at(i);
        if (!mv.isObject()) {
            err = QStringLiteral("%1 must be an object, not %2").arg(path, kindOf(mv));
            return false;
        }
        const QJsonObject m = mv.toObject();
        Fields f(m, path);
        QString role, name;
        if (!f.string(QLatin1StringView("role"), role) ||
            !f.string(QLatin1StringView("name"), name)) {
            err = f.error();
            return false;
        }
        if (role.isEmpty()) {
            err = QStringLiteral("%1.role is required").arg(path);
            return false;
        }
        ChatMessage msg;
        // "function" is the legacy tool-result role (before tool_calls had ids).
        const bool legacyFunction = role == u"function";
        const auto r = legacyFunction ? std::optional<Role>(Role::Tool) : roleFromName(role);
        if (!r) {
            err = QStringLiteral("%1.role '%2' is not one of system, developer, user, assistant, "
                                 "tool")
                      .arg(path, role);
            return false;
        }
        msg.role = *r;
        if (!decodeContent(m.value(QLatin1StringView("content")), path + QStringLiteral(".content"),
                           msg, err))
            return false;

        if (msg.role == Role::Assistant) {
            QString reasoning, reasoningContent;
            QJsonArray calls;
            QJsonObject legacyCall;
            if (!f.string(QLatin1StringView("reasoning_content"), reasoningContent) ||
                !f.string(QLatin1StringView("reasoning"), reasoning) ||
                !f.array(QLatin1StringView("tool_calls"), calls) ||
                !f.object(QLatin1StringView("function_call"), legacyCall)) {
                err = f.error();
                return false;
            }
            msg.thinking = !reasoningContent.isEmpty() ? reasoningContent : reasoning;
            if (!decodeToolCalls(calls, path + QStringLiteral(".tool_calls"), msg.toolCalls, err))
                return false;
            if (!legacyCall.isEmpty() && msg.toolCalls.isEmpty()) {
                QJsonArray wrapped{QJsonObject{{QStringLiteral("function"), legacyCall}}};
                if (!decodeToolCalls(wrapped, path + QStringLiteral(".function_call"),
                                     msg.toolCalls, err))
                    return false;
            }
            for (const ToolCall &c : std::as_const(msg.toolCalls))
                if (!c.id.isEmpty())
                    callNames.insert(c.id, c.name);
        } else if (msg.role == Role::Tool) {
            if (!f.string(QLatin1StringView("tool_call_id"), msg.toolCallId)) {
                err = f.error();
                return false;
            }
            msg.toolName = !name.isEmpty() ? name : callNames.value(msg.toolCallId);
        }
        out.append(std::move(msg));
    }
    return true;
}

bool decodeTools(const QJsonArray &tools, QList<ToolSpec> &out, QString &err)
{
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QString path = QStringLiteral("tools[%1]").arg(i);
        const QJsonValue tv = tools.at(i);
        if (!tv.isObject()) {
            err = QStringLiteral("%1 must be an object, not %2").arg(path, kindOf(tv));
            return false;
        }
        Fields f(tv.toObject(), path);
        QString type = QStringLiteral("function");
        QJsonObject fn;
        if (!f.string(QLatin1StringView("type"), type) ||
            !f.object(QLatin1StringView("function"), fn)) {
            err = f.error();
            return false;
        }
        // Custom and hosted tools (web_search, ...) have no canonical form; the model simply
        // does not see them.
        if (type != u"function")
            continue;
        if (fn.isEmpty()) {
            err = QStringLiteral("%1.function is required").arg(path);
            return false;
        }
        if (!decodeFunction(fn, path + QStringLiteral(".function"), out, err))
            return false;
    }
    return true;
}

// "auto" / "none" / "required", {"type": "function", "function": {"name": ...}}, or the legacy
// function_call's {"name": ...}.
bool decodeToolChoice(const QJsonValue &v, const QString &key, ToolChoice &out, QString &err)
{
    if (v.isUndefined() || v.isNull())
        return true;
    if (v.isString()) {
        static const std::pair<QLatin1StringView, ToolChoice::Mode> modes[] = {
            {QLatin1StringView("auto"), ToolChoice::Mode::Auto},
            {QLatin1StringView("none"), ToolChoice::Mode::None},
            {QLatin1StringView("required"), ToolChoice::Mode::Required}};
        for (const auto &[word, mode] : modes)
            if (v.toString() == word) {
                out = {mode, {}};
                return true;
            }
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(QLatin1StringView("function"))
                                 .toObject()
                                 .value(QLatin1StringView("name"))
                                 .toString(o.value(QLatin1StringView("name")).toString());
        if (!name.isEmpty()) {
            out = ToolChoice::named(name);
            return true;
        }
    }
    err = QStringLiteral("%1 must be \"none\", \"auto\", \"required\" or an object naming a "
                         "function")
              .arg(key);
    return false;
}

bool decodeStop(const QJsonValue &v, QStringList &out, QString &err)
{
    if (v.isUndefined() || v.isNull())
        return true;
    if (v.isString()) {
        if (!v.toString().isEmpty())
            out = QStringList{v.toString()};
        return true;
    }
    if (v.isArray()) {
        QStringList list;
        for (const QJsonValue &s : v.toArray()) {
            if (!s.isString()) {
                err = QStringLiteral("stop must be a string or an array of strings");
                return false;
            }
            if (!s.toString().isEmpty())
                list.append(s.toString());
        }
        out = list;
        return true;
    }
    err = QStringLiteral("stop must be a string or an array of strings");
    return false;
}

bool decodeResponseFormat(const QJsonObject &rf, ChatRequest &r, QString &err)
{
    if (rf.isEmpty())
        return true;
    Fields f(rf, QStringLiteral("response_format"));
    QString type;
    QJsonObject jsonSchema;
    if (!f.string(QLatin1StringView("type"), type) ||
        !f.object(QLatin1StringView("json_schema"), jsonSchema)) {
        err = f.error();
        return false;
    }
    if (type == u"text") {
        r.format = OutputFormat::Text;
    } else if (type == u"json_object") {
        r.format = OutputFormat::Json;
    } else if (type == u"json_schema") {
        if (!f.has(QLatin1StringView("json_schema"))) {
            err = QStringLiteral("response_format.json_schema is required when type is "
                                 "json_schema");
            return false;
        }
        Fields sf(jsonSchema, QStringLiteral("response_format.json_schema"));
        QJsonObject schema;
        if (!sf.object(QLatin1StringView("schema"), schema)) {
            err = sf.error();
            return false;
        }
        // Without a schema the closest ask is "any JSON object".
        r.format = schema.isEmpty() ? OutputFormat::Json : OutputFormat::JsonSchema;
        r.schema = schema;
    } else {
        err = QStringLiteral("response_format.type must be text, json_object or json_schema");
        return false;
    }
    return true;
}

// Sampling fields /v1/chat/completions and /v1/completions share.
bool decodeSampling(Fields &f, Sampling &s, QString &err)
{
    std::optional<qint64> maxTokens, maxCompletionTokens, n;
    if (!f.integer(QLatin1StringView("max_tokens"), maxTokens) ||
        !f.integer(QLatin1StringView("max_completion_tokens"), maxCompletionTokens) ||
        !f.number(QLatin1StringView("temperature"), s.temperature) ||
        !f.number(QLatin1StringView("top_p"), s.topP) ||
        !f.integer(QLatin1StringView("seed"), s.seed) ||
        !f.number(QLatin1StringView("presence_penalty"), s.presencePenalty) ||
        !f.number(QLatin1StringView("frequency_penalty"), s.frequencyPenalty) ||
        !f.integer(QLatin1StringView("n"), n)) {
        err = f.error();
        return false;
    }
    if (n && *n > 1) {
        err = QStringLiteral("n > 1 is not supported: ask for one choice per request");
        return false;
    }
    if (n && *n < 1) {
        err = QStringLiteral("n must be at least 1");
        return false;
    }
    // The newer name wins: it is what current SDKs send.
    const std::optional<qint64> limit = maxCompletionTokens ? maxCompletionTokens : maxTokens;
    const QLatin1StringView limitName(maxCompletionTokens ? "max_completion_tokens" : "max_tokens");
    if (limit && *limit == 0) {
        err = QStringLiteral("%1 must be at least 1").arg(limitName);
        return false;
    }
    // Negative is LM Studio's "no limit", which some OpenAI clients copied.
    if (limit && *limit > 0)
        s.maxTokens = limit;
    return decodeStop(f.value(QLatin1StringView("stop")), s.stop, err);
}

bool decodeStreaming(Fields &f, OpenAiCall &call, QString &err)
{
    // /v1 streams only when asked, unlike Ollama's native API.
    call.request.stream = false;
    QJsonObject options;
    if (!f.boolean(QLatin1StringView("stream"), call.request.stream) ||
        !f.object(QLatin1StringView("stream_options"), options)) {
        err = f.error();
        return false;
    }
    Fields of(options, QStringLiteral("stream_options"));
    if (!of.boolean(QLatin1StringView("include_usage"), call.includeUsage)) {
        err = of.error();
        return false;
    }
    return true;
}

bool requireModel(Fields &f, QString &model, QString &err)
{
    if (!f.string(QLatin1StringView("model"), model)) {
        err = f.error();
        return false;
    }
    if (model.isEmpty()) {
        err = QStringLiteral("you must provide a model parameter");
        return false;
    }
    return true;
}

// logprobs (a boolean) and top_logprobs (0..20, only with logprobs), in OpenAI's words.
bool decodeLogprobs(Fields &f, ChatRequest &r, QString &err)
{
    std::optional<int> top;
    if (!f.boolean(QLatin1StringView("logprobs"), r.logprobs) ||
        !f.integer(QLatin1StringView("top_logprobs"), top)) {
        err = f.error();
        return false;
    }
    if (!openai::checkTopLogprobs(top, err))
        return false;
    if (top && *top > 0 && !r.logprobs) {
        err = QStringLiteral("Invalid value for 'top_logprobs': 'logprobs' must be true to use "
                             "'top_logprobs'.");
        return false;
    }
    r.topLogprobs = top.value_or(0);
    return true;
}

} // namespace

std::optional<OpenAiCall> OpenAiDecoder::chat(const QByteArray &body, ApiError &error,
                                              const ApiLimits &limits)
{
    QString err;
    const auto o = parseBody(body, err);
    if (!o)
        return refuse<OpenAiCall>(error, err);
    Fields f(*o, QString());
    OpenAiCall call;
    ChatRequest &r = call.request;
    if (!requireModel(f, r.model, err))
        return refuse<OpenAiCall>(error, err);

    QJsonArray messages, tools, functions;
    QJsonObject responseFormat, reasoning;
    QString effort;
    if (!f.array(QLatin1StringView("messages"), messages) ||
        !f.array(QLatin1StringView("tools"), tools) ||
        !f.array(QLatin1StringView("functions"), functions) ||
        !f.object(QLatin1StringView("response_format"), responseFormat) ||
        !f.string(QLatin1StringView("reasoning_effort"), effort) ||
        !f.object(QLatin1StringView("reasoning"), reasoning))
        return refuse<OpenAiCall>(error, f.error());
    if (!f.has(QLatin1StringView("messages")))
        return refuse<OpenAiCall>(error, QStringLiteral("Missing required parameter: 'messages'."));
    if (messages.isEmpty())
        return refuse<OpenAiCall>(error, QStringLiteral("[] is too short - 'messages'"));
    // Checked before decoding, so an oversized list costs nothing more than its parse.
    if (messages.size() > limits.maxMessages)
        return refuse<OpenAiCall>(error, QStringLiteral("too many messages: %1 (the limit is %2, "
                                                        "server.max_messages) - 'messages'")
                                             .arg(messages.size())
                                             .arg(limits.maxMessages));
    if (!decodeMessages(messages, r.messages, err) || !decodeTools(tools, r.tools, err) ||
        !decodeToolChoice(o->value(QLatin1StringView("tool_choice")), QStringLiteral("tool_choice"),
                          r.toolChoice, err) ||
        !decodeStreaming(f, call, err) || !decodeSampling(f, r.sampling, err) ||
        !decodeResponseFormat(responseFormat, r, err))
        return refuse<OpenAiCall>(error, err);

    // The pre-tools spelling (functions / function_call), still sent by older LangChain.
    for (qsizetype i = 0; i < functions.size(); ++i) {
        const QString path = QStringLiteral("functions[%1]").arg(i);
        if (!functions.at(i).isObject())
            return refuse<OpenAiCall>(error, path + QStringLiteral(" must be an object"));
        if (!decodeFunction(functions.at(i).toObject(), path, r.tools, err))
            return refuse<OpenAiCall>(error, err);
    }
    const QJsonValue functionCall = o->value(QLatin1StringView("function_call"));
    const bool noChoice = r.toolChoice.mode == ToolChoice::Mode::Unset;
    if (noChoice && !functionCall.isUndefined() && !functionCall.isNull()) {
        if (!decodeToolChoice(functionCall, QStringLiteral("function_call"), r.toolChoice, err) ||
            r.toolChoice.mode == ToolChoice::Mode::Required)
            return refuse<OpenAiCall>(
                error,
                QStringLiteral("function_call must be \"none\", \"auto\" or {\"name\": ...}"));
    }

    if (!decodeLogprobs(f, r, err))
        return refuse<OpenAiCall>(error, err);

    Fields rf(reasoning, QStringLiteral("reasoning"));
    QString nestedEffort;
    if (!rf.string(QLatin1StringView("effort"), nestedEffort))
        return refuse<OpenAiCall>(error, rf.error());
    if (!effort.isEmpty()) {
        if (!decodeEffort(effort, QStringLiteral("reasoning_effort"), r.thinking, err))
            return refuse<OpenAiCall>(error, err);
    } else if (!nestedEffort.isEmpty()) {
        if (!decodeEffort(nestedEffort, QStringLiteral("reasoning.effort"), r.thinking, err))
            return refuse<OpenAiCall>(error, err);
    }
    return call;
}

std::optional<OpenAiCall> OpenAiDecoder::completion(const QByteArray &body, ApiError &error)
{
    QString err;
    const auto o = parseBody(body, err);
    if (!o)
        return refuse<OpenAiCall>(error, err);
    Fields f(*o, QString());
    OpenAiCall call;
    ChatRequest &r = call.request;
    if (!requireModel(f, r.model, err) || !decodeStreaming(f, call, err) ||
        !decodeSampling(f, r.sampling, err))
        return refuse<OpenAiCall>(error, err);
    if (!f.string(QLatin1StringView("suffix"), r.suffix))
        return refuse<OpenAiCall>(error, f.error());
    // The legacy form: logprobs is the number of top tokens per position (0..5).
    std::optional<int> logprobs;
    if (!f.integer(QLatin1StringView("logprobs"), logprobs))
        return refuse<OpenAiCall>(error, f.error());
    if (logprobs && (*logprobs < 0 || *logprobs > 5))
        return refuse<OpenAiCall>(
            error, QStringLiteral("Invalid 'logprobs': integer %1 the "
                                  "range. Expected a value between 0 and "
                                  "5, but got %2 instead.")
                       .arg(*logprobs < 0 ? QStringLiteral("below") : QStringLiteral("above"))
                       .arg(*logprobs));
    r.logprobs = logprobs.has_value();
    r.topLogprobs = logprobs.value_or(0);

    const QJsonValue prompt = o->value(QLatin1StringView("prompt"));
    QString text;
    if (prompt.isString()) {
        text = prompt.toString();
    } else if (prompt.isArray()) {
        const QJsonArray a = prompt.toArray();
        if (a.isEmpty() || a.first().isDouble() || a.first().isArray())
            return refuse<OpenAiCall>(
                error, a.isEmpty() ? QStringLiteral("prompt must not be empty")
                                   : QStringLiteral("token arrays are not supported; send text"));
        if (!a.first().isString())
            return refuse<OpenAiCall>(error, QStringLiteral("prompt[0] must be a string"));
        if (a.size() > 1)
            return refuse<OpenAiCall>(error, QStringLiteral("a prompt array with more than one "
                                                            "string is not supported: send one "
                                                            "request per prompt"));
        text = a.first().toString();
    } else if (prompt.isUndefined() || prompt.isNull()) {
        return refuse<OpenAiCall>(error, QStringLiteral("Missing required parameter: 'prompt'."));
    } else {
        return refuse<OpenAiCall>(
            error, QStringLiteral("prompt must be a string, not %1").arg(kindOf(prompt)));
    }
    ChatMessage user;
    user.content = text;
    r.messages.append(std::move(user));
    r.rawCompletion = true;
    return call;
}

std::optional<OpenAiEmbedCall> OpenAiDecoder::embeddings(const QByteArray &body, ApiError &error)
{
    QString err;
    const auto o = parseBody(body, err);
    if (!o)
        return refuse<OpenAiEmbedCall>(error, err);
    Fields f(*o, QString());
    OpenAiEmbedCall call;
    EmbedRequest &e = call.request;
    QString encoding;
    std::optional<qint64> dimensions;
    if (!requireModel(f, e.model, err))
        return refuse<OpenAiEmbedCall>(error, err);
    if (!f.string(QLatin1StringView("encoding_format"), encoding) ||
        !f.integer(QLatin1StringView("dimensions"), dimensions))
        return refuse<OpenAiEmbedCall>(error, f.error());
    if (encoding == u"base64")
        call.base64 = true;
    else if (!encoding.isEmpty() && encoding != u"float")
        return refuse<OpenAiEmbedCall>(
            error,
            QStringLiteral("encoding_format must be float or base64, not '%1'").arg(encoding));
    if (dimensions) {
        if (*dimensions < 1 || *dimensions > 65536)
            return refuse<OpenAiEmbedCall>(
                error, QStringLiteral("dimensions must be between 1 and 65536"));
        e.dimensions = int(*dimensions);
    }

    const QJsonValue input = o->value(QLatin1StringView("input"));
    if (input.isString()) {
        e.inputs.append(input.toString());
    } else if (input.isArray()) {
        const QJsonArray a = input.toArray();
        if (a.isEmpty())
            return refuse<OpenAiEmbedCall>(error, QStringLiteral("input must not be empty"));
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QJsonValue v = a.at(i);
            if (v.isDouble() || v.isArray())
                return refuse<OpenAiEmbedCall>(
                    error, QStringLiteral("token arrays are not supported; send text"));
            if (!v.isString())
                return refuse<OpenAiEmbedCall>(
                    error,
                    QStringLiteral("input[%1] must be a string, not %2").arg(i).arg(kindOf(v)));
            e.inputs.append(v.toString());
        }
    } else if (input.isUndefined() || input.isNull()) {
        return refuse<OpenAiEmbedCall>(error,
                                       QStringLiteral("Missing required parameter: 'input'."));
    } else {
        return refuse<OpenAiEmbedCall>(
            error, QStringLiteral("input must be a string or an array of strings, not %1")
                       .arg(kindOf(input)));
    }
    return call;
}

} // namespace gw
