#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

namespace gw {

// An inbound HTTP request, copied out of the server's per-connection buffer.
struct HttpRequest
{
    QByteArray method; // upper case
    QString path;
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;
    QHostAddress peer;
    qint64 receivedNs = 0; // monotonic time the request was complete (chat/clock.h)

    QByteArray header(const QByteArray &lowerName) const
    {
        for (const auto &h : headers)
            if (h.first == lowerName)
                return h.second;
        return {};
    }
};

} // namespace gw
