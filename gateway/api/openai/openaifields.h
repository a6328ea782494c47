#pragma once

#include "api/apierror.h"
#include "chat/chatrequest.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cmath>
#include <optional>

// What the two OpenAI dialects (Chat Completions in api/openai, Responses in api/responses)
// share when reading requests: typed field reads with OpenAI-style messages naming the JSON
// path, the body parser, image URLs, tool-call arguments, tool schemas and reasoning effort.
namespace gw::openai {

QString kindOf(const QJsonValue &v); // "a string", "an array", ... for messages

// Typed reads of one JSON object's fields. Absent and null fields leave the output untouched,
// as the OpenAI API treats an explicit null like an omitted field.
class Fields
{
public:
    Fields(QJsonObject object, QString path) : m_object(std::move(object)), m_path(std::move(path))
    {}

    QString at(QLatin1StringView key) const
    {
        return m_path.isEmpty() ? QString(key) : m_path + u'.' + key;
    }
    QJsonValue value(QLatin1StringView key) const { return m_object.value(key); }
    bool has(QLatin1StringView key) const
    {
        const QJsonValue v = m_object.value(key);
        return !v.isUndefined() && !v.isNull();
    }

    bool string(QLatin1StringView key, QString &out)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isString())
            return wrong(key, v, "a string");
        out = v.toString();
        return true;
    }
    bool boolean(QLatin1StringView key, bool &out)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isBool())
            return wrong(key, v, "a boolean");
        out = v.toBool();
        return true;
    }
    bool number(QLatin1StringView key, std::optional<double> &out)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isDouble())
            return wrong(key, v, "a number");
        out = v.toDouble();
        return true;
    }
    bool integer(QLatin1StringView key, std::optional<qint64> &out)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        const double d = v.toDouble();
        // 2^53: beyond it a double no longer holds every integer, and the cast would overflow.
        if (!v.isDouble() || d != std::trunc(d) || std::fabs(d) > 9007199254740992.0)
            return wrong(key, v, "an integer");
        out = static_cast<qint64>(d);
        return true;
    }
    bool object(QLatin1StringView key, QJsonObject &out)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isObject())
            return wrong(key, v, "an object");
        out = v.toObject();
        return true;
    }
    bool array(QLatin1StringView key, QJsonArray &out)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isArray())
            return wrong(key, v, "an array");
        out = v.toArray();
        return true;
    }

    bool fail(QString message)
    {
        m_error = std::move(message);
        return false;
    }
    const QString &error() const { return m_error; }

private:
    bool wrong(QLatin1StringView key, const QJsonValue &got, const char *expected)
    {
        return fail(QStringLiteral("%1 must be %2, not %3")
                        .arg(at(key), QLatin1StringView(expected), kindOf(got)));
    }

    QJsonObject m_object; // by value (shared): callers pass temporaries such as v.toObject()
    QString m_path;
    QString m_error;
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
// reasoning_effort / reasoning.effort: none, minimal, low, medium, high, xhigh, max.
bool decodeEffort(const QString &effort, const QString &key, Thinking &out, QString &err);

} // namespace gw::openai
