#include "responsesdecoder.h"

#include "api/openai/openaifields.h"

namespace gw {
namespace {

using namespace openai;

QString itemPath(const QString &path, qsizetype i)
{
    return QStringLiteral("%1[%2]").arg(path).arg(i);
}

// A message's content: a string, or parts (input_text / output_text / refusal / input_image).
bool decodeParts(const QJsonValue &v, const QString &path, ChatMessage &msg, QString &err)
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
        const QString pp = itemPath(path, i);
        if (!parts.at(i).isObject()) {
            err = QStringLiteral("%1 must be an object, not %2").arg(pp, kindOf(parts.at(i)));
            return false;
        }
        const QJsonObject part = parts.at(i).toObject();
        Fields f(part, pp);
        QString type, text;
        if (!f.string(QLatin1StringView("type"), type))
            return err = f.error(), false;
        if (type == u"input_text" || type == u"output_text" || type == u"text" ||
            type == u"summary_text" || type == u"reasoning_text") {
            if (!f.string(QLatin1StringView("text"), text))
                return err = f.error(), false;
            texts.append(text);
        } else if (type == u"refusal") {
            if (!f.string(QLatin1StringView("refusal"), text))
                return err = f.error(), false;
            texts.append(text);
        } else if (type == u"input_image") {
            const QJsonValue url = part.value(QLatin1StringView("image_url"));
            if (url.isUndefined() || url.isNull()) {
                err = QStringLiteral("%1: images by file_id are not supported (the gateway keeps "
                                     "no files); send image_url")
                          .arg(pp);
                return false;
            }
            if (!decodeImage(url, pp + QStringLiteral(".image_url"), msg.images, err))
                return false;
        } else {
            err = QStringLiteral("%1.type '%2' is not supported (expected input_text, "
                                 "output_text or input_image)")
                      .arg(pp, type);
            return false;
        }
    }
    msg.content = texts.join(u'\n');
    return true;
}

// Builds the conversation from input items, keeping an assistant turn's text, reasoning and
// tool calls in one message so each tool result follows the call it answers.
class InputBuilder
{
public:
    explicit InputBuilder(QList<ChatMessage> &out) : m_out(out) {}

    bool item(const QJsonValue &v, const QString &path, QString &err);

private:
    bool message(const QJsonObject &o, const QString &path, QString &err);
    bool call(const QJsonObject &o, const QString &path, bool custom, QString &err);
    bool output(const QJsonObject &o, const QString &path, QString &err);
    bool reasoning(const QJsonObject &o, const QString &path, QString &err);
    ChatMessage &assistant()
    {
        if (m_out.isEmpty() || m_out.last().role != Role::Assistant) {
            ChatMessage m;
            m.role = Role::Assistant;
            m_out.append(std::move(m));
        }
        ChatMessage &m = m_out.last();
        if (!m_thinking.isEmpty()) {
            m.thinking += m_thinking;
            m_thinking.clear();
        }
        return m;
    }

    QList<ChatMessage> &m_out;
    QHash<QString, QString> m_callNames; // call_id → flat tool name
    QString m_thinking;                  // a reasoning item waiting for its assistant turn
};

bool InputBuilder::item(const QJsonValue &v, const QString &path, QString &err)
{
    if (!v.isObject()) {
        err = QStringLiteral("%1 must be an object, not %2").arg(path, kindOf(v));
        return false;
    }
    const QJsonObject o = v.toObject();
    Fields f(o, path);
    QString type;
    if (!f.string(QLatin1StringView("type"), type))
        return err = f.error(), false;
    if (type.isEmpty() || type == u"message")
        return message(o, path, err);
    if (type == u"function_call" || type == u"custom_tool_call")
        return call(o, path, type == u"custom_tool_call", err);
    if (type == u"function_call_output" || type == u"custom_tool_call_output")
        return output(o, path, err);
    if (type == u"reasoning")
        return reasoning(o, path, err);
    if (type == u"item_reference") {
        err = QStringLiteral("%1: item_reference is not supported: the gateway is stateless and "
                             "keeps no items; send the items themselves")
                  .arg(path);
        return false;
    }
    // Hosted tools' calls (web search and the like) ran at OpenAI; no model here can read them.
    static const QLatin1StringView hosted[] = {
        QLatin1StringView("web_search_call"),
        QLatin1StringView("file_search_call"),
        QLatin1StringView("computer_call"),
        QLatin1StringView("computer_call_output"),
        QLatin1StringView("image_generation_call"),
        QLatin1StringView("code_interpreter_call"),
        QLatin1StringView("local_shell_call"),
        QLatin1StringView("local_shell_call_output"),
        QLatin1StringView("mcp_list_tools"),
        QLatin1StringView("mcp_approval_request"),
        QLatin1StringView("mcp_approval_response"),
        QLatin1StringView("mcp_call"),
        QLatin1StringView("compaction"),
    };
    for (QLatin1StringView h : hosted)
        if (type == h)
            return true;
    err = QStringLiteral("%1.type '%2' is not supported (expected message, function_call, "
                         "function_call_output or reasoning)")
              .arg(path, type);
    return false;
}

bool InputBuilder::message(const QJsonObject &o, const QString &path, QString &err)
{
    Fields f(o, path);
    QString role;
    if (!f.string(QLatin1StringView("role"), role))
        return err = f.error(), false;
    const auto r = roleFromName(role);
    if (role.isEmpty() || !r || *r == Role::Tool) {
        err = QStringLiteral("%1.role must be one of user, assistant, system, developer").arg(path);
        return false;
    }
    ChatMessage msg;
    msg.role = *r;
    if (!decodeParts(o.value(QLatin1StringView("content")), path + QStringLiteral(".content"), msg,
                     err))
        return false;
    if (msg.role != Role::Assistant) {
        m_out.append(std::move(msg));
        return true;
    }
    ChatMessage &a = assistant();
    if (!a.content.isEmpty() && !msg.content.isEmpty())
        a.content += u'\n';
    a.content += msg.content;
    a.images += msg.images;
    return true;
}

bool InputBuilder::call(const QJsonObject &o, const QString &path, bool custom, QString &err)
{
    Fields f(o, path);
    ToolCall c;
    QString ns, input;
    if (!f.string(QLatin1StringView("call_id"), c.id) ||
        !f.string(QLatin1StringView("name"), c.name) ||
        !f.string(QLatin1StringView("namespace"), ns) ||
        (custom && !f.string(QLatin1StringView("input"), input)))
        return err = f.error(), false;
    if (c.name.isEmpty()) {
        err = QStringLiteral("%1.name is required").arg(path);
        return false;
    }
    c.name = ResponsesToolNames::flat(ns, c.name);
    if (custom)
        c.arguments = QJsonObject{{QStringLiteral("input"), input}};
    else if (!parseArguments(o.value(QLatin1StringView("arguments")),
                             f.at(QLatin1StringView("arguments")), c.arguments, err))
        return false;
    if (!c.id.isEmpty())
        m_callNames.insert(c.id, c.name);
    ChatMessage &a = assistant();
    c.index = int(a.toolCalls.size());
    a.toolCalls.append(std::move(c));
    return true;
}

bool InputBuilder::output(const QJsonObject &o, const QString &path, QString &err)
{
    Fields f(o, path);
    ChatMessage msg;
    msg.role = Role::Tool;
    if (!f.string(QLatin1StringView("call_id"), msg.toolCallId))
        return err = f.error(), false;
    if (msg.toolCallId.isEmpty()) {
        err = QStringLiteral("%1.call_id is required").arg(path);
        return false;
    }
    msg.toolName = m_callNames.value(msg.toolCallId);
    if (!decodeParts(o.value(QLatin1StringView("output")), path + QStringLiteral(".output"), msg,
                     err))
        return false;
    m_out.append(std::move(msg));
    return true;
}

bool InputBuilder::reasoning(const QJsonObject &o, const QString &path, QString &err)
{
    // The reasoning text itself where the client kept it, else its summary.
    for (const char *key : {"content", "summary"}) {
        const QJsonValue v = o.value(QLatin1StringView(key));
        if (!v.isArray())
            continue;
        ChatMessage scratch;
        if (!decodeParts(v, path + u'.' + QLatin1StringView(key), scratch, err))
            return false;
        if (!scratch.content.isEmpty()) {
            m_thinking += scratch.content;
            return true;
        }
    }
    return true;
}

bool decodeInput(const QJsonValue &input, ResponsesCall &call, const ApiLimits &limits,
                 QString &err)
{
    QList<ChatMessage> &out = call.request.messages;
    if (input.isString()) {
        ChatMessage user;
        user.content = input.toString();
        out.append(std::move(user));
        return true;
    }
    if (input.isUndefined() || input.isNull()) {
        err = QStringLiteral("Missing required parameter: 'input'.");
        return false;
    }
    if (!input.isArray()) {
        err = QStringLiteral("input must be a string or an array of items, not %1")
                  .arg(kindOf(input));
        return false;
    }
    const QJsonArray items = input.toArray();
    if (items.size() > limits.maxMessages) {
        err = QStringLiteral("too many input items: %1 (the limit is %2, server.max_messages) - "
                             "'input'")
                  .arg(items.size())
                  .arg(limits.maxMessages);
        return false;
    }
    InputBuilder builder(out);
    for (qsizetype i = 0; i < items.size(); ++i)
        if (!builder.item(items.at(i), itemPath(QStringLiteral("input"), i), err))
            return false;
    return true;
}

bool decodeCustomTool(const QJsonObject &t, const QString &path, const QString &ns,
                      ResponsesCall &call, QString &err)
{
    Fields f(t, path);
    ToolSpec spec;
    if (!f.string(QLatin1StringView("name"), spec.name) ||
        !f.string(QLatin1StringView("description"), spec.description))
        return err = f.error(), false;
    if (spec.name.isEmpty()) {
        err = QStringLiteral("%1.name is required").arg(path);
        return false;
    }
    if (!ns.isEmpty())
        call.echo.names.namespaced.insert(ResponsesToolNames::flat(ns, spec.name), {ns, spec.name});
    spec.name = ResponsesToolNames::flat(ns, spec.name);
    QString inputHint = QStringLiteral("The tool's whole input, as free text.");
    const QJsonObject format = t.value(QLatin1StringView("format")).toObject();
    const QString definition = format.value(QLatin1StringView("definition")).toString();
    if (!definition.isEmpty())
        inputHint += QStringLiteral(" It must follow this %1 grammar:\n%2")
                         .arg(format.value(QLatin1StringView("syntax")).toString(), definition);
    spec.parameters = QJsonObject{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("properties"),
         QJsonObject{{QStringLiteral("input"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                  {QStringLiteral("description"), inputHint}}}}},
        {QStringLiteral("required"), QJsonArray{QStringLiteral("input")}},
    };
    call.echo.names.custom.insert(spec.name);
    call.request.tools.append(std::move(spec));
    return true;
}

bool decodeTool(const QJsonValue &v, const QString &path, const QString &ns, ResponsesCall &call,
                QString &err)
{
    if (!v.isObject()) {
        err = QStringLiteral("%1 must be an object, not %2").arg(path, kindOf(v));
        return false;
    }
    const QJsonObject t = v.toObject();
    Fields f(t, path);
    QString type;
    QJsonArray members;
    if (!f.string(QLatin1StringView("type"), type) || !f.array(QLatin1StringView("tools"), members))
        return err = f.error(), false;
    if (type == u"function") {
        QList<ToolSpec> &tools = call.request.tools;
        if (!decodeFunction(t, path, tools, err))
            return false;
        if (!ns.isEmpty()) {
            const QString name = tools.last().name;
            tools.last().name = ResponsesToolNames::flat(ns, name);
            call.echo.names.namespaced.insert(tools.last().name, {ns, name});
        }
        return true;
    }
    if (type == u"custom")
        return decodeCustomTool(t, path, ns, call, err);
    if (type == u"namespace" && ns.isEmpty()) {
        QString name;
        if (!f.string(QLatin1StringView("name"), name))
            return err = f.error(), false;
        if (name.isEmpty()) {
            err = QStringLiteral("%1.name is required").arg(path);
            return false;
        }
        for (qsizetype i = 0; i < members.size(); ++i)
            if (!decodeTool(members.at(i), itemPath(path + QStringLiteral(".tools"), i), name, call,
                            err))
                return false;
        return true;
    }
    // Hosted tools (web_search, file_search, code_interpreter, mcp …) run at OpenAI; no
    // provider here has them, so the model does not see them.
    return true;
}

bool decodeText(const QJsonObject &text, ResponsesCall &call, QString &err)
{
    QJsonObject format;
    Fields f(text, QStringLiteral("text"));
    if (!f.object(QLatin1StringView("format"), format))
        return err = f.error(), false;
    if (format.isEmpty())
        return true;
    Fields ff(format, QStringLiteral("text.format"));
    QString type;
    QJsonObject schema;
    if (!ff.string(QLatin1StringView("type"), type) ||
        !ff.object(QLatin1StringView("schema"), schema))
        return err = ff.error(), false;
    ChatRequest &r = call.request;
    if (type == u"text") {
        r.format = OutputFormat::Text;
    } else if (type == u"json_object") {
        r.format = OutputFormat::Json;
    } else if (type == u"json_schema") {
        if (!ff.has(QLatin1StringView("schema"))) {
            err = QStringLiteral("text.format.schema is required when type is json_schema");
            return false;
        }
        r.format = OutputFormat::JsonSchema;
        r.schema = schema;
    } else {
        err = QStringLiteral("text.format.type must be text, json_object or json_schema");
        return false;
    }
    call.echo.textFormat = format;
    return true;
}

bool refuseStateful(const QJsonObject &o, QString &err)
{
    const QJsonValue previous = o.value(QLatin1StringView("previous_response_id"));
    if (!previous.isUndefined() && !previous.isNull() && previous != QJsonValue(QString())) {
        err = QStringLiteral("previous_response_id is not supported: llm-gateway is stateless "
                             "(it stores no responses), so send the whole conversation in "
                             "input");
        return false;
    }
    const QJsonValue conversation = o.value(QLatin1StringView("conversation"));
    if (!conversation.isUndefined() && !conversation.isNull()) {
        err = QStringLiteral("conversation is not supported: llm-gateway is stateless, so send "
                             "the whole conversation in input");
        return false;
    }
    if (o.value(QLatin1StringView("background")).toBool()) {
        err = QStringLiteral("background responses are not supported: llm-gateway is stateless; "
                             "use stream instead");
        return false;
    }
    return true;
}

// Log probabilities: include "message.output_text.logprobs", top_logprobs 0..20.
bool decodeLogprobs(Fields &f, ChatRequest &r, QString &err)
{
    QJsonArray include;
    std::optional<int> top;
    if (!f.array(QLatin1StringView("include"), include) ||
        !f.integer(QLatin1StringView("top_logprobs"), top))
        return err = f.error(), false;
    if (!openai::checkTopLogprobs(top, err))
        return false;
    r.logprobs =
        include.contains(QStringLiteral("message.output_text.logprobs")) || top.value_or(0) > 0;
    r.topLogprobs = top.value_or(0);
    return true;
}

bool decodeSettings(Fields &f, ResponsesCall &call, QString &err)
{
    ChatRequest &r = call.request;
    ResponsesEcho &e = call.echo;
    QString instructions;
    QJsonObject text;
    r.stream = false;
    if (!f.string(QLatin1StringView("instructions"), instructions) ||
        !f.boolean(QLatin1StringView("stream"), r.stream) ||
        !f.boolean(QLatin1StringView("store"), e.store) ||
        !f.boolean(QLatin1StringView("parallel_tool_calls"), e.parallelToolCalls) ||
        !f.number(QLatin1StringView("temperature"), e.temperature) ||
        !f.number(QLatin1StringView("top_p"), e.topP) ||
        !f.integer(QLatin1StringView("max_output_tokens"), e.maxOutputTokens) ||
        !f.object(QLatin1StringView("reasoning"), e.reasoning) ||
        !f.object(QLatin1StringView("metadata"), e.metadata) ||
        !f.object(QLatin1StringView("text"), text))
        return err = f.error(), false;
    if (e.maxOutputTokens && *e.maxOutputTokens < 1) {
        err = QStringLiteral("max_output_tokens must be at least 1");
        return false;
    }
    r.sampling.temperature = e.temperature;
    r.sampling.topP = e.topP;
    r.sampling.maxTokens = e.maxOutputTokens;
    if (!instructions.isEmpty()) {
        e.instructions = instructions;
        ChatMessage system;
        system.role = Role::System;
        system.content = instructions;
        r.messages.append(std::move(system));
    }
    if (!decodeLogprobs(f, r, err))
        return false;
    Fields rf(e.reasoning, QStringLiteral("reasoning"));
    QString effort;
    if (!rf.string(QLatin1StringView("effort"), effort))
        return err = rf.error(), false;
    if (!effort.isEmpty() &&
        !decodeEffort(effort, QStringLiteral("reasoning.effort"), r.thinking, err))
        return false;
    return decodeText(text, call, err);
}

} // namespace

std::optional<ResponsesCall> ResponsesDecoder::decode(const QByteArray &body, ApiError &error,
                                                      const ApiLimits &limits)
{
    QString err;
    const auto o = parseBody(body, err);
    if (!o)
        return refuse<ResponsesCall>(error, err);
    Fields f(*o, QString());
    ResponsesCall call;
    ChatRequest &r = call.request;
    QJsonArray tools;
    if (!f.string(QLatin1StringView("model"), r.model) ||
        !f.array(QLatin1StringView("tools"), tools))
        return refuse<ResponsesCall>(error, f.error());
    if (r.model.isEmpty())
        return refuse<ResponsesCall>(error, QStringLiteral("you must provide a model parameter"));
    if (!refuseStateful(*o, err) || !decodeSettings(f, call, err))
        return refuse<ResponsesCall>(error, err);
    for (qsizetype i = 0; i < tools.size(); ++i)
        if (!decodeTool(tools.at(i), itemPath(QStringLiteral("tools"), i), QString(), call, err))
            return refuse<ResponsesCall>(error, err);
    call.echo.tools = tools;
    if (!decodeInput(o->value(QLatin1StringView("input")), call, limits, err))
        return refuse<ResponsesCall>(error, err);

    const QJsonValue choice = o->value(QLatin1StringView("tool_choice"));
    ToolChoice tc;
    if (!decodeToolChoice(choice, tc, err))
        return refuse<ResponsesCall>(error, err);
    if (!choice.isUndefined() && !choice.isNull())
        call.echo.toolChoice = choice;
    r.toolChoice = tc;
    return call;
}

bool ResponsesDecoder::decodeToolChoice(const QJsonValue &v, ToolChoice &out, QString &err)
{
    out = {};
    if (v.isUndefined() || v.isNull())
        return true;
    const QString s = v.isString() ? v.toString() : QString();
    if (s == u"auto" || s == u"none" || s == u"required") {
        out.mode = s == u"auto"   ? ToolChoice::Mode::Auto
                   : s == u"none" ? ToolChoice::Mode::None
                                  : ToolChoice::Mode::Required;
        return true;
    }
    if (!v.isObject()) {
        err = QStringLiteral("tool_choice must be \"none\", \"auto\", \"required\" or an object "
                             "naming a tool");
        return false;
    }
    const QJsonObject o = v.toObject();
    const QString type = o.value(QLatin1StringView("type")).toString();
    if (type == u"function" || type == u"custom") {
        const QString name = o.value(QLatin1StringView("name")).toString();
        if (name.isEmpty()) {
            err = QStringLiteral("tool_choice.name is required when type is %1").arg(type);
            return false;
        }
        out = ToolChoice::named(
            ResponsesToolNames::flat(o.value(QLatin1StringView("namespace")).toString(), name));
        return true;
    }
    if (type == u"allowed_tools") {
        out.mode = o.value(QLatin1StringView("mode")).toString() == u"required"
                       ? ToolChoice::Mode::Required
                       : ToolChoice::Mode::Auto;
        return true;
    }
    // A hosted tool (web_search …) is not offered to the model: let it choose.
    out.mode = ToolChoice::Mode::Auto;
    return true;
}

} // namespace gw
