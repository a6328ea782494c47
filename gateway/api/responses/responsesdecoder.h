#pragma once

#include "api/apierror.h"
#include "chat/chatrequest.h"
#include "chat/toolchoice.h"
#include "http/apilimits.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>

#include <optional>
#include <utility>

namespace gw {

// How the tools a client declared map onto the flat function names every provider takes, and
// back. Codex groups tools in "namespace" declarations: their members become NS__NAME upstream
// (OpenAI allows only [A-Za-z0-9_-] in names) and calls to them go back as name + namespace.
// Custom (freeform) tools take one string: upstream they are functions with one "input"
// parameter, and their calls go back as custom_tool_call items.
struct ResponsesToolNames
{
    QHash<QString, std::pair<QString, QString>> namespaced; // flat name → {namespace, name}
    QSet<QString> custom;                                   // flat names of custom tools

    static QString flat(const QString &ns, const QString &name)
    {
        return ns.isEmpty() ? name : ns + QStringLiteral("__") + name;
    }
};

// What the response object repeats of its request, as OpenAI's does.
struct ResponsesEcho
{
    QJsonValue instructions = QJsonValue::Null;
    QJsonArray tools;
    QJsonValue toolChoice = QStringLiteral("auto");
    QJsonObject textFormat{{QStringLiteral("type"), QStringLiteral("text")}};
    QJsonObject reasoning;
    QJsonObject metadata;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<qint64> maxOutputTokens;
    bool parallelToolCalls = true;
    bool store = true;
    ResponsesToolNames names;
};

// A decoded POST /v1/responses.
struct ResponsesCall
{
    ChatRequest request;
    ResponsesEcho echo;
};

// The OpenAI Responses API's request → the canonical request. Stateless like Ollama's: the
// whole conversation comes in `input`; previous_response_id and conversation are refused.
// Errors are 400s naming the field by its JSON path, as the OpenAI dialect's are.
class ResponsesDecoder
{
public:
    static std::optional<ResponsesCall> decode(const QByteArray &body, ApiError &error,
                                               const ApiLimits &limits = {});
    // Responses' tool_choice: "auto" / "none" / "required", {"type":"function","name"},
    // {"type":"custom","name"}, {"type":"allowed_tools","mode"}; hosted tool types → auto.
    static bool decodeToolChoice(const QJsonValue &v, ToolChoice &out, QString &err);
};

} // namespace gw
