#include "responsesencoder.h"

#include "api/failuretext.h"
#include "api/openai/openaiencoder.h"
#include "json/jsonwriter.h"

#include "api/randomid.h"
#include <QJsonArray>

namespace gw {

QByteArray ResponsesEncoder::newId(const char *prefix)
{
    return randomId(prefix);
}

static QJsonValue optionalNumber(const std::optional<double> &v, double fallback)
{
    return v ? *v : fallback;
}

QJsonObject ResponsesEncoder::response(const Head &head, const ResponsesEcho &echo,
                                       const QString &status, const QJsonArray &output,
                                       const QJsonObject &usage, const QJsonObject &error,
                                       const QString &incompleteReason)
{
    const auto orNull = [](const QJsonValue &v) { return v.isUndefined() ? QJsonValue() : v; };
    const QJsonObject reasoning{
        {QStringLiteral("effort"), orNull(echo.reasoning.value(QLatin1StringView("effort")))},
        {QStringLiteral("summary"), orNull(echo.reasoning.value(QLatin1StringView("summary")))}};
    QJsonObject o{
        {QStringLiteral("id"), QString::fromLatin1(head.id)},
        {QStringLiteral("object"), QStringLiteral("response")},
        {QStringLiteral("created_at"), head.createdAt},
        {QStringLiteral("status"), status},
        {QStringLiteral("error"), error.isEmpty() ? QJsonValue::Null : QJsonValue(error)},
        {QStringLiteral("incomplete_details"),
         incompleteReason.isEmpty()
             ? QJsonValue::Null
             : QJsonValue(QJsonObject{{QStringLiteral("reason"), incompleteReason}})},
        {QStringLiteral("instructions"), echo.instructions},
        {QStringLiteral("max_output_tokens"),
         echo.maxOutputTokens ? QJsonValue(*echo.maxOutputTokens) : QJsonValue::Null},
        {QStringLiteral("metadata"), echo.metadata},
        {QStringLiteral("model"), head.model},
        {QStringLiteral("output"), output},
        {QStringLiteral("parallel_tool_calls"), echo.parallelToolCalls},
        {QStringLiteral("previous_response_id"), QJsonValue::Null},
        {QStringLiteral("reasoning"), reasoning},
        {QStringLiteral("store"), echo.store},
        {QStringLiteral("temperature"), optionalNumber(echo.temperature, 1.0)},
        {QStringLiteral("text"), QJsonObject{{QStringLiteral("format"), echo.textFormat}}},
        {QStringLiteral("tool_choice"), echo.toolChoice},
        {QStringLiteral("tools"), echo.tools},
        {QStringLiteral("top_p"), optionalNumber(echo.topP, 1.0)},
        {QStringLiteral("truncation"), QStringLiteral("disabled")},
        {QStringLiteral("usage"), usage.isEmpty() ? QJsonValue::Null : QJsonValue(usage)},
    };
    return o;
}

QJsonObject ResponsesEncoder::usage(const ChatAccumulator &acc)
{
    const qint64 input = qMax<qint64>(0, acc.promptTokens);
    const qint64 output = qMax<qint64>(0, acc.completionTokens);
    return QJsonObject{
        {QStringLiteral("input_tokens"), input},
        {QStringLiteral("input_tokens_details"),
         QJsonObject{{QStringLiteral("cached_tokens"), qMax<qint64>(0, acc.cachedTokens)}}},
        {QStringLiteral("output_tokens"), output},
        {QStringLiteral("output_tokens_details"),
         QJsonObject{{QStringLiteral("reasoning_tokens"), qMax<qint64>(0, acc.reasoningTokens)}}},
        {QStringLiteral("total_tokens"), input + output},
    };
}

QJsonObject ResponsesEncoder::error(const ChatFailure &failure)
{
    QByteArray code = OpenAiEncoder::errorCode(failure);
    if (code.isEmpty())
        code = OpenAiEncoder::errorType(failure.cause);
    return QJsonObject{{QStringLiteral("code"), QString::fromUtf8(code)},
                       {QStringLiteral("message"), failureText(failure)}};
}

QJsonObject ResponsesEncoder::textPart(const QString &text, const QJsonArray &logprobs)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("output_text")},
                       {QStringLiteral("text"), text},
                       {QStringLiteral("annotations"), QJsonArray()},
                       {QStringLiteral("logprobs"), logprobs}};
}

QJsonObject ResponsesEncoder::message(const QByteArray &id, const QString &text,
                                      const QString &status, const QJsonArray &logprobs)
{
    QJsonArray content;
    if (status != u"in_progress")
        content.append(textPart(text, logprobs));
    return QJsonObject{{QStringLiteral("id"), QString::fromLatin1(id)},
                       {QStringLiteral("type"), QStringLiteral("message")},
                       {QStringLiteral("status"), status},
                       {QStringLiteral("role"), QStringLiteral("assistant")},
                       {QStringLiteral("content"), content}};
}

QJsonObject ResponsesEncoder::reasoning(const QByteArray &id, const QString &summary)
{
    QJsonArray parts;
    if (!summary.isEmpty())
        parts.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("summary_text")},
                                 {QStringLiteral("text"), summary}});
    return QJsonObject{{QStringLiteral("id"), QString::fromLatin1(id)},
                       {QStringLiteral("type"), QStringLiteral("reasoning")},
                       {QStringLiteral("summary"), parts}};
}

QString ResponsesEncoder::arguments(const ToolCall &call, const ResponsesToolNames &names)
{
    if (isCustom(call, names))
        return call.arguments.value(QLatin1StringView("input")).toString();
    return QString::fromUtf8(json::compact(call.arguments));
}

QJsonObject ResponsesEncoder::call(const QByteArray &id, const ToolCall &call,
                                   const ResponsesToolNames &names, const QString &status)
{
    const bool done = status != u"in_progress";
    const QString args = done ? arguments(call, names) : QString();
    QJsonObject o{{QStringLiteral("id"), QString::fromLatin1(id)},
                  {QStringLiteral("status"), status},
                  {QStringLiteral("call_id"), call.id}};
    const auto ns = names.namespaced.constFind(call.name);
    if (ns != names.namespaced.cend()) {
        o.insert(QStringLiteral("namespace"), ns->first);
        o.insert(QStringLiteral("name"), ns->second);
    } else {
        o.insert(QStringLiteral("name"), call.name);
    }
    if (isCustom(call, names)) {
        o.insert(QStringLiteral("type"), QStringLiteral("custom_tool_call"));
        o.insert(QStringLiteral("input"), args);
    } else {
        o.insert(QStringLiteral("type"), QStringLiteral("function_call"));
        o.insert(QStringLiteral("arguments"), args);
    }
    return o;
}

} // namespace gw
