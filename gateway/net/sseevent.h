#pragma once

#include <QByteArray>

namespace gw {

struct SseEvent
{
    QByteArray event; // empty: the default "message"
    QByteArray data;  // data lines joined with '\n'
    QByteArray id;

    bool isDone() const { return data == "[DONE]"; }
};

} // namespace gw
