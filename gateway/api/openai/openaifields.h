#pragma once

#include "api/apierror.h"
#include "chat/chatrequest.h"
#include "json/jsonfields.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

// What the two OpenAI dialects (Chat Completions in api/openai, Responses in api/responses)
// share when reading requests: typed field reads with OpenAI-style messages naming the JSON
// path, the body parser, image URLs, tool-call arguments, tool schemas and reasoning effort.
namespace gw::openai {

QString kindOf(const QJsonValue &v); // "a string", "an array", ... for messages

// The one JSON field reader (json/JsonFields) with OpenAI's wording ("max_tokens must be an
// integer, not a string"). Absent and null fields leave the output untouched, as the OpenAI API
// treats an explicit null like an omitted field.
class Fields : public JsonFields
{
public:
    Fields(QJsonObject object, QString path)
        : JsonFields(std::move(object), std::move(path), JsonStyle::OpenAi)
    {}
    QString at(QLatin1StringView key) const { return fieldPath(key); }
};

template <typename T> std::optional<T> refuse(ApiError &error, QString message)
{
    error = {400, std::move(message)};
    return std::nullopt;
}

// Parses a request body into an object or says why not (empty, bad JSON with offset, not an
// object).
std::optional<QJsonObject> parseBody(const QByteArray &body, QString &err);
// An image given as a data: URL (base64) or an http(s) URL, as a string or {"url": ...}.
bool decodeImage(const QJsonValue &v, const QString &path, QList<ImagePart> &out, QString &err);
// Tool-call arguments: a JSON string holding an object (OpenAI's wire) or an object.
bool parseArguments(const QJsonValue &args, const QString &path, QJsonObject &out, QString &err);
// A function declaration {name, description, parameters}; no parameters = an empty object.
bool decodeFunction(const QJsonObject &fn, const QString &path, QList<ToolSpec> &out, QString &err);
// top_logprobs within OpenAI's 0..20, in OpenAI's words.
bool checkTopLogprobs(std::optional<int> top, QString &err);
// reasoning_effort / reasoning.effort: none, minimal, low, medium, high, xhigh, max.
bool decodeEffort(const QString &effort, const QString &key, Thinking &out, QString &err);

} // namespace gw::openai
