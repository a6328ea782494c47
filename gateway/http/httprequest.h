#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

namespace gw {

// An inbound HTTP request, as the connection's RequestFramer parsed it.
struct HttpRequest
{
    QByteArray method; // as sent (methods are case-sensitive: "GET", "POST", …)
    QString path;      // percent-decoded
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, in the order sent
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
