#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringView>

namespace gw::json {

// Hot-path JSON building: stream lines are assembled by appending to one buffer instead of
// building and serialising a QJsonObject per chunk.
void appendString(QByteArray &out, QStringView s); // with quotes
QByteArray quoted(QStringView s);
void appendValue(QByteArray &out, const QJsonValue &v); // compact
QByteArray compact(const QJsonObject &o);
QByteArray compact(const QJsonArray &a);

} // namespace gw::json
