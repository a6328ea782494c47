#pragma once

#include <QJsonObject>
#include <QString>

namespace gw {

// A complete tool call: providers assemble argument fragments before emitting one.
struct ToolCall
{
    QString id;
    QString name;
    QJsonObject arguments;
    int index = 0;
};

} // namespace gw
