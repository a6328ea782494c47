#pragma once

// JSON in tests: written with single quotes (j("{'model':'echo'}")), read back as an object.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QtGlobal>

namespace gwtest {

// `text` with every ' made a ", so that JSON literals in C++ need neither escapes nor raw
// strings (which moc 6.4 misreads).
inline QByteArray j(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}

// The object `json` holds; an empty one, and a warning naming the text, when it is not JSON.
// Const, so that [] chains (Qt 6.4's QJsonValueRef has no [] of its own).
inline const QJsonObject obj(const QByteArray &json)
{
    QJsonParseError pe;
    const QJsonDocument d = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", json.constData());
    return d.object();
}

} // namespace gwtest
