#include "jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw::json {

void appendString(QByteArray &out, QStringView s)
{
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = s.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        default:
            if (c < 0x20) {
                const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                out.append(esc, 6);
            } else {
                out.append(ch);
            }
        }
    }
    out.append('"');
}

QByteArray quoted(QStringView s)
{
    QByteArray out;
    appendString(out, s);
    return out;
}

void appendValue(QByteArray &out, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Object:
        out += compact(v.toObject());
        break;
    case QJsonValue::Array:
        out += compact(v.toArray());
        break;
    case QJsonValue::String:
        appendString(out, v.toString());
        break;
    default: {
        // Scalars: let Qt format numbers exactly as it does everywhere else.
        QJsonArray wrap{v};
        const QByteArray a = QJsonDocument(wrap).toJson(QJsonDocument::Compact);
        out += a.mid(1, a.size() - 2);
    }
    }
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray compact(const QJsonArray &a)
{
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

} // namespace gw::json
