#pragma once

#include "http/responder.h"

#include <QPointer>
#include <QTcpSocket>

#include <functional>

namespace gw {

// Writes one HTTP/1.1 response to a client socket: whole, or as a chunked stream whose pieces
// go out the moment they are written. Publishes the request's record when it is over.
class SocketResponder : public Responder
{
    Q_OBJECT
public:
    using Done = std::function<void(const RequestRecord &)>;

    SocketResponder(QTcpSocket *socket, bool headRequest, bool keepAlive, bool http10,
                    qint64 receivedNs, Done done, QObject *parent);
    ~SocketResponder() override;

    void send(int status, const QByteArray &contentType, const QByteArray &body,
              const Headers &extra = {}) override;
    void beginStream(int status, const QByteArray &contentType, const Headers &extra = {}) override;
    void write(const QByteArray &piece) override;
    void end() override;
    bool hasStarted() const override { return m_started; }

    bool isDone() const { return m_done; }
    QTcpSocket *socket() const { return m_socket; }
    // Close the connection after this answer (the server is draining).
    void setKeepAlive(bool keepAlive) { m_keepAlive = keepAlive && m_keepAlive; }

    // Sent with whatever answer follows (CORS headers).
    void setExtraHeaders(const Headers &headers) { m_extra = headers; }

    // The client hung up, or the gateway is shutting down.
    void abandon(const QString &why);

    static QByteArray reasonPhrase(int status);

private:
    QByteArray statusAndHeaders(int status, const QByteArray &contentType, const Headers &extra,
                                qint64 contentLength);
    void complete();
    void keepForLog(const QByteArray &piece);

    QPointer<QTcpSocket> m_socket;
    bool m_head;
    bool m_keepAlive;
    bool m_http10;
    bool m_chunked = false;
    bool m_started = false;
    bool m_done = false;
    qint64 m_receivedNs;
    Done m_onDone;
    Headers m_extra;
};

} // namespace gw
