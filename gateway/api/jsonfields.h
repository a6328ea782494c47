#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace gw {

// Reads typed fields from a decoded JSON object. A field of the wrong type is an error whose
// message names the field the way Go's encoding/json does ("cannot unmarshal string into Go
// struct field ChatRequest.stream of type bool"), since that is what Ollama's clients have
// seen for years. Absent and null fields leave the output untouched.
class JsonFields
{
public:
    JsonFields(const QJsonObject &object, QString path) : m_object(object), m_path(std::move(path))
    {}

    bool string(QLatin1StringView key, QString &out);
    bool boolean(QLatin1StringView key, bool &out);
    bool boolean(QLatin1StringView key, std::optional<bool> &out);
    bool number(QLatin1StringView key, std::optional<double> &out);
    bool integer(QLatin1StringView key, std::optional<qint64> &out);
    bool integer(QLatin1StringView key, std::optional<int> &out);
    bool object(QLatin1StringView key, QJsonObject &out);
    bool array(QLatin1StringView key, QJsonArray &out);
    bool stringList(QLatin1StringView key, QStringList &out);

    const QString &error() const { return m_error; }
    QString fieldPath(QLatin1StringView key) const { return m_path + u'.' + key; }
    bool fail(QLatin1StringView key, const QJsonValue &got, const char *goType);

    static QString typeName(const QJsonValue &v); // JSON type names as Go prints them

    // Parses a request body into an object, or says why not ("missing request body", the
    // parser's message with its offset, or a type error when the top level is not an object).
    static std::optional<QJsonObject> parseBody(const QByteArray &body, const QString &goType,
                                                QString &error);

private:
    const QJsonObject &m_object;
    QString m_path;
    QString m_error;
};

} // namespace gw
