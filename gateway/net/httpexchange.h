#pragma once

#include "httpresponseparser.h"

#include <QAbstractSocket>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace gw {

class NetworkPool;

// One plain HTTP/1.1 request and its response on a QTcpSocket, on the calling thread (no
// QNetworkAccessManager, no thread hop). The connection comes from the NetworkPool's idle
// keep-alive connections to the host, or is new; it goes back to the pool when the response
// ended cleanly, and is closed otherwise. A kept connection the server closed meanwhile is
// replaced once by a new one when nothing of the response had arrived. UpstreamCall uses it
// for http:// URLs that no proxy applies to; it does the timeouts and retries.
class HttpExchange : public QObject
{
    Q_OBJECT
public:
    enum class Failure {
        None,
        Refused,      // connection refused
        HostNotFound, // DNS
        Closed,       // the server closed the connection before the response ended
        Malformed,    // the response is not HTTP/1.1 as it must be
        Other,        // any other socket error
    };

    // `wire`: the whole request (head and body) as it is written; `head`: it is a HEAD request.
    HttpExchange(NetworkPool &pool, QString host, quint16 port, QByteArray wire, bool head,
                 QObject *parent = nullptr);
    ~HttpExchange() override;

    void start();
    // Closes the connection at once; no more signals.
    void abort();
    // Reads the rest of the response in the background, drops it and gives the connection
    // back to the pool; closes it if that takes longer than `ms`. The exchange then belongs to
    // the pool and deletes itself. No more signals.
    void drain(int ms);

    const HttpResponseParser &response() const { return m_parser; }
    bool isFinished() const { return m_finished; }
    Failure failure() const { return m_failure; }
    QString errorString() const { return m_errorString; }

signals:
    void requestSent();
    void headersReceived(); // response().status() and headers are known
    void bodyPiece(const QByteArray &piece);
    void completed(); // the response ended cleanly
    void failed();    // failure() says why

private:
    void connectSocket(QTcpSocket *socket);
    void openNew();
    void onConnected();
    void onBytesWritten(qint64 n);
    void onReadyRead();
    void onSocketError(QAbstractSocket::SocketError error);
    void finish(Failure failure, const QString &why);
    void releaseSocket(bool keep);

    NetworkPool &m_pool;
    QString m_host;
    quint16 m_port;
    QByteArray m_wire;
    QTcpSocket *m_socket = nullptr;
    HttpResponseParser m_parser;
    qint64 m_unwritten = 0;
    bool m_reused = false;   // the socket came from the pool
    bool m_received = false; // a byte of the response arrived
    bool m_sent = false;
    bool m_finished = false;
    bool m_draining = false;
    Failure m_failure = Failure::None;
    QString m_errorString;
};

} // namespace gw
