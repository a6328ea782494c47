#include "jsonfields.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace gw {
namespace {

// 2^63: the first double no int64 can hold (every double below it in magnitude truncates to
// one that can).
constexpr double kInt64Limit = 9223372036854775808.0;

} // namespace

QString JsonFields::typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return QStringLiteral("bool");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    default:
        return QStringLiteral("null");
    }
}

QString JsonFields::kindOf(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    default:
        return QStringLiteral("null");
    }
}

QString JsonFields::fieldPath(QLatin1StringView key) const
{
    return m_path.isEmpty() ? QString(key) : m_path + u'.' + key;
}

bool JsonFields::has(QLatin1StringView key) const
{
    return present(m_object.value(key));
}

bool JsonFields::fail(QString message, QString field)
{
    m_error = std::move(message);
    m_errorField = std::move(field);
    if (m_errorSink)
        *m_errorSink = m_error;
    return false;
}

bool JsonFields::wrong(QLatin1StringView key, const QJsonValue &got, Kind expected)
{
    struct Words
    {
        const char *go, *openAi, *config, *anthropic;
    };
    static const Words words[] = {
        {"string", "a string", "a string", "a valid string"},
        {"bool", "a boolean", "true or false", "a valid boolean"},
        {"float64", "a number", "a number", "a valid number"},
        {"int", "an integer", "a whole number", "a valid integer"},
        {"int", "a positive integer", "a positive whole number", "a valid integer above 0"},
        {"object", "an object", "an object", "a valid dictionary"},
        {"array", "an array", "an array", "a valid list"},
        {"string", "an array of strings", "an array of strings", "a valid list of strings"},
    };
    const Words &w = words[int(expected)];
    const QString field = fieldPath(key);
    switch (m_style) {
    case JsonStyle::Go:
        return fail(QStringLiteral("json: cannot unmarshal %1 into Go struct field %2 of type %3")
                        .arg(typeName(got), field, QLatin1StringView(w.go)),
                    field);
    case JsonStyle::OpenAi:
        return fail(QStringLiteral("%1 must be %2, not %3")
                        .arg(field, QLatin1StringView(w.openAi), kindOf(got)),
                    field);
    case JsonStyle::Config:
        return fail(QStringLiteral("%1 must be %2, not %3")
                        .arg(field, QLatin1StringView(w.config),
                             got.isDouble() ? QString::number(got.toDouble()) : kindOf(got)),
                    field);
    case JsonStyle::Anthropic:
        return fail(QStringLiteral("%1: Input should be %2, not %3")
                        .arg(field, QLatin1StringView(w.anthropic), kindOf(got)),
                    field);
    }
    return false;
}

bool JsonFields::string(QLatin1StringView key, QString &out)
{
    const QJsonValue v = m_object.value(key);
    if (!present(v))
        return true;
    if (!v.isString())
        return wrong(key, v, Kind::String);
    out = v.toString();
    return true;
}

bool JsonFields::requiredString(QLatin1StringView key, QString &out)
{
    if (!present(m_object.value(key)))
        return fail(fieldPath(key) + QStringLiteral(" is required"), fieldPath(key));
    if (!string(key, out))
        return false;
    if (out.trimmed().isEmpty())
        return fail(fieldPath(key) + QStringLiteral(" must not be empty"), fieldPath(key));
    return true;
}

bool JsonFields::boolean(QLatin1StringView key, bool &out)
{
    std::optional<bool> b;
    if (!boolean(key, b))
        return false;
    if (b)
        out = *b;
    return true;
}

bool JsonFields::boolean(QLatin1StringView key, std::optional<bool> &out)
{
    const QJsonValue v = m_object.value(key);
    if (!present(v))
        return true;
    if (!v.isBool())
        return wrong(key, v, Kind::Bool);
    out = v.toBool();
    return true;
}

bool JsonFields::number(QLatin1StringView key, std::optional<double> &out)
{
    const QJsonValue v = m_object.value(key);
    if (!present(v))
        return true;
    if (!v.isDouble())
        return wrong(key, v, Kind::Number);
    out = v.toDouble();
    return true;
}

bool JsonFields::integer(QLatin1StringView key, std::optional<qint64> &out, Fraction fraction)
{
    const QJsonValue v = m_object.value(key);
    if (!present(v))
        return true;
    if (!v.isDouble())
        return wrong(key, v, Kind::Integer);
    const double d = v.toDouble();
    const double whole = std::trunc(d);
    if ((fraction == Fraction::Refuse && whole != d) || !(std::fabs(whole) < kInt64Limit))
        return wrong(key, v, Kind::Integer);
    out = static_cast<qint64>(whole);
    return true;
}

bool JsonFields::integer(QLatin1StringView key, std::optional<int> &out, Fraction fraction)
{
    std::optional<qint64> wide;
    if (!integer(key, wide, fraction))
        return false;
    if (wide)
        out = static_cast<int>(qBound(qint64(INT_MIN), *wide, qint64(INT_MAX)));
    return true;
}

bool JsonFields::positive(QLatin1StringView key, qint64 &out)
{
    std::optional<qint64> n;
    if (!integer(key, n))
        return wrong(key, m_object.value(key), Kind::Positive);
    if (n && *n <= 0)
        return wrong(key, m_object.value(key), Kind::Positive);
    if (n)
        out = *n;
    return true;
}

bool JsonFields::positive(QLatin1StringView key, int &out)
{
    qint64 wide = out;
    if (!positive(key, wide))
        return false;
    out = int(qMin<qint64>(wide, INT_MAX));
    return true;
}

bool JsonFields::object(QLatin1StringView key, QJsonObject &out)
{
    const QJsonValue v = m_object.value(key);
    if (!present(v))
        return true;
    if (!v.isObject())
        return wrong(key, v, Kind::Object);
    out = v.toObject();
    return true;
}

bool JsonFields::array(QLatin1StringView key, QJsonArray &out)
{
    const QJsonValue v = m_object.value(key);
    if (!present(v))
        return true;
    if (!v.isArray())
        return wrong(key, v, Kind::Array);
    out = v.toArray();
    return true;
}

bool JsonFields::stringList(QLatin1StringView key, QStringList &out)
{
    const QJsonValue v = m_object.value(key);
    if (!present(v))
        return true;
    if (!v.isArray())
        return wrong(key, v, m_style == JsonStyle::Go ? Kind::Array : Kind::Strings);
    QStringList list;
    for (const QJsonValue &item : v.toArray()) {
        if (!item.isString())
            return wrong(key, item, m_style == JsonStyle::Go ? Kind::String : Kind::Strings);
        list.append(item.toString());
    }
    if (!list.isEmpty())
        out = list;
    return true;
}

std::optional<QJsonObject> JsonFields::parseBody(const QByteArray &body, const QString &goType,
                                                 QString &error)
{
    if (body.trimmed().isEmpty()) {
        error = QStringLiteral("missing request body");
        return std::nullopt;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError) {
        error =
            QStringLiteral("invalid JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        error = QStringLiteral("json: cannot unmarshal %1 into Go value of type %2")
                    .arg(doc.isArray() ? QStringLiteral("array") : QStringLiteral("value"), goType);
        return std::nullopt;
    }
    return doc.object();
}

std::optional<QJsonObject> JsonFields::parseRequestBody(const QByteArray &body, QString &error)
{
    if (body.trimmed().isEmpty()) {
        error = QStringLiteral("missing request body: send a JSON object");
        return std::nullopt;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError) {
        error = QStringLiteral("invalid JSON in the request body at offset %1: %2")
                    .arg(pe.offset)
                    .arg(pe.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        error = QStringLiteral("the request body must be a JSON object, not %1")
                    .arg(doc.isArray() ? QStringLiteral("an array") : QStringLiteral("a value"));
        return std::nullopt;
    }
    return doc.object();
}

} // namespace gw
