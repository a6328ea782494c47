#include "jsonfields.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace gw {

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

bool JsonFields::fail(QLatin1StringView key, const QJsonValue &got, const char *goType)
{
    m_error = QStringLiteral("json: cannot unmarshal %1 into Go struct field %2 of type %3")
                  .arg(typeName(got), fieldPath(key), QLatin1StringView(goType));
    return false;
}

bool JsonFields::string(QLatin1StringView key, QString &out)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isString())
        return fail(key, v, "string");
    out = v.toString();
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
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isBool())
        return fail(key, v, "bool");
    out = v.toBool();
    return true;
}

bool JsonFields::number(QLatin1StringView key, std::optional<double> &out)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isDouble())
        return fail(key, v, "float64");
    out = v.toDouble();
    return true;
}

bool JsonFields::integer(QLatin1StringView key, std::optional<qint64> &out)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isDouble())
        return fail(key, v, "int");
    // Ollama truncates JSON numbers given for integer options; so do we. A number no int64 can
    // hold is refused, as Go's decoder refuses it (the cast would be undefined).
    const double d = std::trunc(v.toDouble());
    if (!(std::fabs(d) < 9223372036854775808.0))
        return fail(key, v, "int");
    out = static_cast<qint64>(d);
    return true;
}

bool JsonFields::integer(QLatin1StringView key, std::optional<int> &out)
{
    std::optional<qint64> wide;
    if (!integer(key, wide))
        return false;
    if (wide)
        out = static_cast<int>(qBound(qint64(INT_MIN), *wide, qint64(INT_MAX)));
    return true;
}

bool JsonFields::object(QLatin1StringView key, QJsonObject &out)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isObject())
        return fail(key, v, "object");
    out = v.toObject();
    return true;
}

bool JsonFields::array(QLatin1StringView key, QJsonArray &out)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isArray())
        return fail(key, v, "array");
    out = v.toArray();
    return true;
}

bool JsonFields::stringList(QLatin1StringView key, QStringList &out)
{
    QJsonArray a;
    if (!array(key, a))
        return false;
    QStringList list;
    for (const QJsonValue &item : std::as_const(a)) {
        if (!item.isString())
            return fail(key, item, "string");
        list.append(item.toString());
    }
    if (!a.isEmpty())
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

} // namespace gw
