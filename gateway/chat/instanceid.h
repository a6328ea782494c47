#pragma once

#include <QByteArray>
#include <QUuid>

namespace gw {

// Identifies this running gateway in the Via header of its upstream requests, so that a
// provider pointed back at the same gateway is refused, while a chain of different gateways
// (one proxying another, as Ollama servers are) still works.
inline const QByteArray &instanceId()
{
    static const QByteArray id = QUuid::createUuid().toByteArray(QUuid::Id128).left(12);
    return id;
}

inline QByteArray viaHeader()
{
    return "1.1 llm-gateway-" + instanceId();
}

} // namespace gw
