#include "ollamadecoder.h"

#include "json/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {
namespace {

bool fail(ApiError &error, QString message)
{
    error = {400, std::move(message)};
    return false;
}

bool decodeOptions(const QJsonObject &options, const QString &path, Sampling &s, QString &err)
{
    // Ollama reads options into a map and truncates numbers given for integer options.
    constexpr auto truncate = JsonFields::Fraction::Truncate;
    JsonFields f(options, path);
    std::optional<qint64> numPredict;
    const bool ok = f.number(QLatin1StringView("temperature"), s.temperature) &&
                    f.number(QLatin1StringView("top_p"), s.topP) &&
                    f.integer(QLatin1StringView("top_k"), s.topK, truncate) &&
                    f.integer(QLatin1StringView("num_predict"), numPredict, truncate) &&
                    f.integer(QLatin1StringView("seed"), s.seed, truncate) &&
                    f.number(QLatin1StringView("presence_penalty"), s.presencePenalty) &&
                    f.number(QLatin1StringView("frequency_penalty"), s.frequencyPenalty) &&
                    f.stringList(QLatin1StringView("stop"), s.stop);
    if (!ok) {
        err = f.error();
        return false;
    }
    // -1 means "until done" and -2 "fill the context": both are "no limit" for a cloud model.
    if (numPredict && *numPredict >= 0)
        s.maxTokens = *numPredict;
    // A seed of -1 is Ollama's "random", i.e. none.
    if (s.seed && *s.seed < 0)
        s.seed.reset();
    return true;
}

bool decodeThink(const QJsonValue &v, Thinking &out, QString &err)
{
    if (v.isUndefined() || v.isNull())
        return true;
    if (v.isBool()) {
        out = v.toBool() ? Thinking::On : Thinking::Off;
        return true;
    }
    static const std::pair<QStringView, Thinking> levels[] = {
        {u"low", Thinking::Low}, {u"medium", Thinking::Medium}, {u"high", Thinking::High},
        {u"max", Thinking::Max}, {u"true", Thinking::On},       {u"false", Thinking::Off}};
    const QString s = v.toString();
    if (v.isString()) {
        for (const auto &[name, level] : levels) {
            if (s == name) {
                out = level;
                return true;
            }
        }
    }
    const QString shown = v.isString() ? u'"' + s + u'"' : JsonFields::typeName(v);
    err = QStringLiteral("invalid think value: %1 (must be \"high\", \"medium\", \"low\", "
                         "\"max\", true, or false)")
              .arg(shown);
    return false;
}

bool decodeFormat(const QJsonValue &v, ChatRequest &r, QString &err)
{
    if (v.isUndefined() || v.isNull() || (v.isString() && v.toString().isEmpty()))
        return true;
    if (v.isString() && v.toString() == u"json") {
        r.format = OutputFormat::Json;
        return true;
    }
    if (v.isObject()) {
        r.format = OutputFormat::JsonSchema;
        r.schema = v.toObject();
        return true;
    }
    err = QStringLiteral("invalid format: %1; expected \"json\" or a JSON schema object")
              .arg(v.isString() ? u'"' + v.toString() + u'"' : JsonFields::typeName(v));
    return false;
}

bool decodeImages(const QJsonArray &images, const QString &path, QList<ImagePart> &out,
                  QString &err)
{
    for (const QJsonValue &img : images) {
        if (!img.isString()) {
            err = QStringLiteral("json: cannot unmarshal %1 into Go struct field %2 of type "
                                 "api.ImageData")
                      .arg(JsonFields::typeName(img), path);
            return false;
        }
        const QByteArray data = img.toString().toLatin1();
        // Ollama's images are bare base64 ([]byte); reject what cannot be decoded, as Go does.
        const auto decoded = QByteArray::fromBase64Encoding(
            data.startsWith("data:") ? data.mid(data.indexOf(',') + 1) : data,
            QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            err = QStringLiteral("illegal base64 data in %1").arg(path);
            return false;
        }
        out.append(ImagePart::fromBase64(data));
    }
    return true;
}

bool decodeToolCalls(const QJsonArray &calls, QList<ToolCall> &out, QString &err)
{
    int index = 0;
    for (const QJsonValue &cv : calls) {
        if (!cv.isObject()) {
            err = QStringLiteral("json: cannot unmarshal %1 into Go struct field "
                                 "Message.messages.tool_calls of type api.ToolCall")
                      .arg(JsonFields::typeName(cv));
            return false;
        }
        const QJsonObject c = cv.toObject();
        const QJsonObject fn = c.value(QLatin1StringView("function")).toObject();
        ToolCall call;
        call.id = c.value(QLatin1StringView("id")).toString();
        call.name = fn.value(QLatin1StringView("name")).toString();
        call.index = fn.value(QLatin1StringView("index")).toInt(index);
        const QJsonValue args = fn.value(QLatin1StringView("arguments"));
        if (args.isObject()) {
            call.arguments = args.toObject();
        } else if (args.isString()) {
            // Some clients echo OpenAI-style string arguments back; accept them when they parse.
            call.arguments = QJsonDocument::fromJson(args.toString().toUtf8()).object();
        } else if (!args.isUndefined() && !args.isNull()) {
            err = QStringLiteral("json: cannot unmarshal %1 into Go struct field "
                                 "ToolCallFunction.messages.tool_calls.function.arguments of type "
                                 "api.ToolCallFunctionArguments")
                      .arg(JsonFields::typeName(args));
            return false;
        }
        out.append(call);
        ++index;
    }
    return true;
}

bool decodeMessages(const QJsonArray &messages, QList<ChatMessage> &out, QString &err)
{
    const QString path = QStringLiteral("ChatRequest.messages");
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QJsonValue mv = messages.at(i);
        if (!mv.isObject()) {
            err = QStringLiteral("json: cannot unmarshal %1 into Go struct field %2 of type "
                                 "api.Message")
                      .arg(JsonFields::typeName(mv), path);
            return false;
        }
        const QJsonObject m = mv.toObject();
        JsonFields f(m, path);
        QString role;
        ChatMessage msg;
        QJsonArray images, toolCalls;
        if (!f.string(QLatin1StringView("role"), role) ||
            !f.string(QLatin1StringView("content"), msg.content) ||
            !f.string(QLatin1StringView("thinking"), msg.thinking) ||
            !f.string(QLatin1StringView("tool_name"), msg.toolName) ||
            !f.string(QLatin1StringView("tool_call_id"), msg.toolCallId) ||
            !f.array(QLatin1StringView("images"), images) ||
            !f.array(QLatin1StringView("tool_calls"), toolCalls)) {
            err = f.error();
            return false;
        }
        const auto r = roleFromName(role);
        if (!r) {
            err = QStringLiteral("messages[%1].role: unknown role '%2' (expected system, user, "
                                 "assistant or tool)")
                      .arg(i)
                      .arg(role);
            return false;
        }
        msg.role = *r;
        if (!decodeImages(images, path + QStringLiteral(".images"), msg.images, err) ||
            !decodeToolCalls(toolCalls, msg.toolCalls, err))
            return false;
        out.append(std::move(msg));
    }
    return true;
}

bool decodeTools(const QJsonArray &tools, QList<ToolSpec> &out, QString &err)
{
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QJsonObject t = tools.at(i).toObject();
        const QJsonObject fn = t.value(QLatin1StringView("function")).toObject();
        ToolSpec spec;
        spec.name = fn.value(QLatin1StringView("name")).toString();
        spec.description = fn.value(QLatin1StringView("description")).toString();
        spec.parameters = fn.value(QLatin1StringView("parameters")).toObject();
        if (spec.name.isEmpty()) {
            err = QStringLiteral("tools[%1].function.name is required").arg(i);
            return false;
        }
        out.append(std::move(spec));
    }
    return true;
}

// Fields both endpoints share: model, stream, format, options, keep_alive, think, logprobs,
// top_logprobs.
bool decodeCommon(const QJsonObject &o, const QString &goType, OllamaCall &call, ApiError &error)
{
    ChatRequest &r = call.request;
    JsonFields f(o, goType);
    QJsonObject options;
    std::optional<int> topLogprobs;
    if (!f.string(QLatin1StringView("model"), r.model) ||
        !f.boolean(QLatin1StringView("stream"), r.stream) ||
        !f.object(QLatin1StringView("options"), options) ||
        !f.boolean(QLatin1StringView("logprobs"), r.logprobs) ||
        !f.integer(QLatin1StringView("top_logprobs"), topLogprobs))
        return fail(error, f.error());
    // Ollama's own check and words (server/routes.go).
    if (topLogprobs && (*topLogprobs < 0 || *topLogprobs > 20))
        return fail(error, QStringLiteral("top_logprobs must be between 0 and 20"));
    r.topLogprobs = topLogprobs.value_or(0);
    QString err;
    if (!decodeOptions(options, goType + QStringLiteral(".options"), r.sampling, err) ||
        !decodeFormat(o.value(QLatin1StringView("format")), r, err) ||
        !decodeThink(o.value(QLatin1StringView("think")), r.thinking, err) ||
        !OllamaDecoder::keepAlive(o.value(QLatin1StringView("keep_alive")), call.keepAliveSeconds,
                                  err))
        return fail(error, err);
    return true;
}

} // namespace

std::optional<OllamaCall> OllamaDecoder::chat(const QByteArray &body, ApiError &error,
                                              const ApiLimits &limits)
{
    QString err;
    const auto o = JsonFields::parseBody(body, QStringLiteral("api.ChatRequest"), err);
    if (!o)
        return fail(error, err), std::nullopt;
    OllamaCall call;
    if (!decodeCommon(*o, QStringLiteral("ChatRequest"), call, error))
        return std::nullopt;
    JsonFields f(*o, QStringLiteral("ChatRequest"));
    QJsonArray messages, tools;
    if (!f.array(QLatin1StringView("messages"), messages) ||
        !f.array(QLatin1StringView("tools"), tools))
        return fail(error, f.error()), std::nullopt;
    // Checked before decoding, so an oversized list costs nothing more than its parse.
    if (messages.size() > limits.maxMessages)
        return fail(error, QStringLiteral("too many messages: %1 (the limit is %2, "
                                          "server.max_messages)")
                               .arg(messages.size())
                               .arg(limits.maxMessages)),
               std::nullopt;
    if (!decodeMessages(messages, call.request.messages, err) ||
        !decodeTools(tools, call.request.tools, err))
        return fail(error, err), std::nullopt;
    call.loadOnly = call.request.messages.isEmpty();
    return call;
}

std::optional<EmbedRequest> OllamaDecoder::embed(const QByteArray &body, ApiError &error)
{
    QString err;
    const auto o = JsonFields::parseBody(body, QStringLiteral("api.EmbedRequest"), err);
    if (!o)
        return fail(error, err), std::nullopt;
    JsonFields f(*o, QStringLiteral("EmbedRequest"));
    EmbedRequest e;
    std::optional<int> dimensions;
    if (!f.string(QLatin1StringView("model"), e.model) ||
        !f.boolean(QLatin1StringView("truncate"), e.truncate) ||
        !f.integer(QLatin1StringView("dimensions"), dimensions))
        return fail(error, f.error()), std::nullopt;
    if (dimensions && *dimensions > 0)
        e.dimensions = dimensions;
    const QJsonValue input = o->value(QLatin1StringView("input"));
    if (input.isString()) {
        e.inputs.append(input.toString());
    } else if (input.isArray()) {
        const QJsonArray inputs = input.toArray();
        for (const QJsonValue &v : inputs) {
            if (!v.isString())
                return fail(error, QStringLiteral("invalid input type")), std::nullopt;
            e.inputs.append(v.toString());
        }
    } else if (!input.isUndefined() && !input.isNull()) {
        return fail(error, QStringLiteral("invalid input type")), std::nullopt;
    }
    return e;
}

std::optional<EmbedRequest> OllamaDecoder::embeddings(const QByteArray &body, ApiError &error)
{
    QString err;
    const auto o = JsonFields::parseBody(body, QStringLiteral("api.EmbeddingRequest"), err);
    if (!o)
        return fail(error, err), std::nullopt;
    JsonFields f(*o, QStringLiteral("EmbeddingRequest"));
    EmbedRequest e;
    QString prompt;
    if (!f.string(QLatin1StringView("model"), e.model) ||
        !f.string(QLatin1StringView("prompt"), prompt))
        return fail(error, f.error()), std::nullopt;
    if (e.model.isEmpty())
        return fail(error, QStringLiteral("model is required")), std::nullopt;
    if (!prompt.isEmpty())
        e.inputs.append(prompt);
    return e;
}

std::optional<OllamaCall> OllamaDecoder::generate(const QByteArray &body, ApiError &error)
{
    QString err;
    const auto o = JsonFields::parseBody(body, QStringLiteral("api.GenerateRequest"), err);
    if (!o)
        return fail(error, err), std::nullopt;
    OllamaCall call;
    if (!decodeCommon(*o, QStringLiteral("GenerateRequest"), call, error))
        return std::nullopt;
    ChatRequest &r = call.request;
    JsonFields f(*o, QStringLiteral("GenerateRequest"));
    QString prompt, system, tmpl;
    QJsonArray images, context;
    bool raw = false;
    if (!f.string(QLatin1StringView("prompt"), prompt) ||
        !f.string(QLatin1StringView("system"), system) ||
        !f.string(QLatin1StringView("suffix"), r.suffix) ||
        !f.string(QLatin1StringView("template"), tmpl) ||
        !f.boolean(QLatin1StringView("raw"), raw) ||
        !f.array(QLatin1StringView("images"), images) ||
        !f.array(QLatin1StringView("context"), context))
        return fail(error, f.error()), std::nullopt;
    if (raw && (!tmpl.isEmpty() || !system.isEmpty() || !context.isEmpty()))
        return fail(error,
                    QStringLiteral("raw mode does not support template, system, or context")),
               std::nullopt;
    ChatMessage user;
    user.content = prompt;
    if (!decodeImages(images, QStringLiteral("GenerateRequest.images"), user.images, err))
        return fail(error, err), std::nullopt;
    call.loadOnly = prompt.isEmpty() && user.images.isEmpty();
    if (!system.isEmpty())
        r.messages.append(ChatMessage{Role::System, system});
    r.messages.append(std::move(user));
    r.rawCompletion = raw;
    return call;
}

bool OllamaDecoder::keepAlive(const QJsonValue &value, std::optional<double> &seconds,
                              QString &error)
{
    if (value.isUndefined() || value.isNull())
        return true;
    if (value.isDouble()) {
        seconds = value.toDouble();
        return true;
    }
    if (value.isString()) {
        double s = 0;
        if (!goDuration(value.toString(), s, error))
            return false;
        seconds = s;
        return true;
    }
    error = QStringLiteral("json: cannot unmarshal %1 into Go struct field keep_alive of type "
                           "api.Duration")
                .arg(JsonFields::typeName(value));
    return false;
}

bool OllamaDecoder::goDuration(const QString &text, double &seconds, QString &error)
{
    // Go's time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, or "0".
    const auto invalid = [&](const char *why) {
        error = QStringLiteral("time: %1 duration \"%2\"").arg(QLatin1StringView(why), text);
        return false;
    };
    QStringView s(text);
    double sign = 1;
    if (!s.isEmpty() && (s.front() == u'-' || s.front() == u'+')) {
        sign = s.front() == u'-' ? -1 : 1;
        s = s.mid(1);
    }
    if (s == u"0") {
        seconds = 0;
        return true;
    }
    if (s.isEmpty())
        return invalid("invalid");
    double total = 0;
    while (!s.isEmpty()) {
        qsizetype n = 0;
        while (n < s.size() && (s[n].isDigit() || s[n] == u'.'))
            ++n;
        if (n == 0)
            return invalid("invalid");
        bool ok = false;
        const double value = s.left(n).toDouble(&ok);
        if (!ok)
            return invalid("invalid");
        s = s.mid(n);
        qsizetype u = 0;
        while (u < s.size() && !s[u].isDigit() && s[u] != u'.')
            ++u;
        const QStringView unit = s.left(u);
        s = s.mid(u);
        double scale = 0;
        if (unit == u"ns")
            scale = 1e-9;
        else if (unit == u"us" || unit == u"\u00b5s" || unit == u"\u03bcs")
            scale = 1e-6;
        else if (unit == u"ms")
            scale = 1e-3;
        else if (unit == u"s")
            scale = 1;
        else if (unit == u"m")
            scale = 60;
        else if (unit == u"h")
            scale = 3600;
        else if (unit.isEmpty())
            return invalid("missing unit in");
        else {
            error = QStringLiteral("time: unknown unit \"%1\" in duration \"%2\"")
                        .arg(unit.toString(), text);
            return false;
        }
        total += value * scale;
    }
    seconds = sign * total;
    return true;
}

} // namespace gw
