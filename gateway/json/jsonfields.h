#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace gw {

// How a type error is worded: the only thing the readers of the dialects and the config differ
// in.
enum class JsonStyle {
    // Go's encoding/json, which Ollama's clients have seen for years: "json: cannot unmarshal
    // string into Go struct field ChatRequest.stream of type bool".
    Go,
    // OpenAI's API: "max_tokens must be an integer, not a string".
    OpenAi,
    // The config file: "server.max_body_bytes must be a whole number, not a string" (Config
    // puts the file and line in front).
    Config,
    // Anthropic's API (pydantic's words): "messages.0.content: Input should be a valid list,
    // not a string".
    Anthropic,
};

// The one reader of typed fields from a decoded JSON object (the dialects' decoders, the config
// and the providers' options all use it). Absent and null fields leave the output untouched.
// Integers follow one rule: a whole number an int64 can hold (a cast beyond that would be
// undefined); `Fraction::Truncate` is for Ollama's loosely typed options, which truncate.
class JsonFields
{
public:
    enum class Fraction { Refuse, Truncate };

    // `path` names the object in messages: "ChatRequest" (Go), "" or "stream_options" (OpenAI),
    // "providers[1].options" (Config).
    JsonFields(QJsonObject object, QString path, JsonStyle style = JsonStyle::Go)
        : m_object(std::move(object)), m_path(std::move(path)), m_style(style)
    {}
    // The same, also writing the first error to `errorSink`: for decoders that read many nested
    // objects and report one error for the whole request.
    JsonFields(QJsonObject object, QString path, JsonStyle style, QString &errorSink)
        : m_object(std::move(object)), m_path(std::move(path)), m_style(style),
          m_errorSink(&errorSink)
    {}

    bool string(QLatin1StringView key, QString &out);
    bool requiredString(QLatin1StringView key, QString &out); // present and not blank
    bool boolean(QLatin1StringView key, bool &out);
    bool boolean(QLatin1StringView key, std::optional<bool> &out);
    bool number(QLatin1StringView key, std::optional<double> &out);
    bool integer(QLatin1StringView key, std::optional<qint64> &out,
                 Fraction fraction = Fraction::Refuse);
    bool integer(QLatin1StringView key, std::optional<int> &out,
                 Fraction fraction = Fraction::Refuse); // clamped to int's range
    bool positive(QLatin1StringView key, qint64 &out);  // a whole number above 0
    bool positive(QLatin1StringView key, int &out);     // the same, clamped to int's range
    bool object(QLatin1StringView key, QJsonObject &out);
    bool array(QLatin1StringView key, QJsonArray &out);
    bool stringList(QLatin1StringView key, QStringList &out);

    QJsonValue value(QLatin1StringView key) const { return m_object.value(key); }
    bool has(QLatin1StringView key) const;
    const QJsonObject &object() const { return m_object; }
    const QString &error() const { return m_error; }
    const QString &errorField() const { return m_errorField; } // "path.key" of the error
    // "path.key", or "key" at the top level.
    QString fieldPath(QLatin1StringView key) const;
    bool fail(QString message, QString field = {});

    static QString typeName(const QJsonValue &v); // JSON type names as Go prints them
    static QString kindOf(const QJsonValue &v);   // "a string", "an array", "null"

    // Parses a request body into an object, or says why not ("missing request body", the
    // parser's message with its offset, or a type error when the top level is not an object).
    static std::optional<QJsonObject> parseBody(const QByteArray &body, const QString &goType,
                                                QString &error);
    // The same in the plain words of the OpenAI and Anthropic dialects ("missing request body:
    // send a JSON object", "the request body must be a JSON object, not an array").
    static std::optional<QJsonObject> parseRequestBody(const QByteArray &body, QString &error);

private:
    enum class Kind { String, Bool, Number, Integer, Positive, Object, Array, Strings };
    bool wrong(QLatin1StringView key, const QJsonValue &got, Kind expected);
    bool present(const QJsonValue &v) const { return !v.isUndefined() && !v.isNull(); }

    QJsonObject m_object; // by value (shared): callers pass temporaries such as v.toObject()
    QString m_path;
    JsonStyle m_style;
    QString m_error;
    QString m_errorField;
    QString *m_errorSink = nullptr;
};

} // namespace gw
