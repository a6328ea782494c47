#pragma once

#include "log/requestrecord.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>

namespace gw {

// The answering half of one HTTP exchange, implemented by the server. A dialect either send()s a
// whole response or beginStream()s, write()s pieces as they are ready and end()s. The object
// deletes itself (and its children, e.g. the job behind the answer) once the response has ended
// or the client has gone, so dialects hold it in a QPointer and parent their per-request state
// to it.
class Responder : public QObject
{
    Q_OBJECT
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    using QObject::QObject;

    virtual void send(int status, const QByteArray &contentType, const QByteArray &body,
                      const Headers &extra = {}) = 0;
    virtual void beginStream(int status, const QByteArray &contentType,
                             const Headers &extra = {}) = 0;
    virtual void write(const QByteArray &piece) = 0;
    virtual void end() = 0;
    // True once the status line has gone out: errors must then travel inside the body.
    virtual bool hasStarted() const = 0;

    RequestRecord &record() { return m_record; }

signals:
    // The client closed the connection before the response ended.
    void clientGone();

protected:
    RequestRecord m_record;
};

} // namespace gw
