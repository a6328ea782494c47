#include "httpexchange.h"

#include "networkpool.h"

#include <QTcpSocket>

namespace gw {

HttpExchange::HttpExchange(NetworkPool &pool, QString host, quint16 port, QByteArray wire,
                           bool head, QObject *parent)
    : QObject(parent), m_pool(pool), m_host(std::move(host)), m_port(port), m_wire(std::move(wire))
{
    m_parser.reset(head);
}

HttpExchange::~HttpExchange()
{
    abort();
}

void HttpExchange::start()
{
    if (QTcpSocket *s = m_pool.takeIdle(m_host, m_port)) {
        m_reused = true;
        connectSocket(s);
        onConnected();
    } else {
        openNew();
    }
}

void HttpExchange::openNew()
{
    m_reused = false;
    auto *s = new QTcpSocket(this);
    connectSocket(s);
    connect(s, &QTcpSocket::connected, this, &HttpExchange::onConnected);
    s->connectToHost(m_host, m_port);
}

void HttpExchange::connectSocket(QTcpSocket *socket)
{
    m_socket = socket;
    socket->setParent(this);
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpExchange::onBytesWritten);
    connect(socket, &QTcpSocket::readyRead, this, &HttpExchange::onReadyRead);
    connect(socket, &QTcpSocket::errorOccurred, this, &HttpExchange::onSocketError);
}

void HttpExchange::onConnected()
{
    if (!m_reused) // small requests and streamed pieces go out at once (no Nagle delay)
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_unwritten = m_wire.size();
    m_socket->write(m_wire);
}

void HttpExchange::onBytesWritten(qint64 n)
{
    m_unwritten -= n;
    if (m_unwritten <= 0 && !m_sent && !m_finished) {
        m_sent = true;
        emit requestSent();
    }
}

void HttpExchange::onReadyRead()
{
    if (m_finished || !m_socket)
        return;
    const QByteArray data = m_socket->readAll();
    if (data.isEmpty())
        return;
    m_received = true;
    const bool hadHeaders = m_parser.headersDone();
    QByteArray body;
    const qsizetype used = m_parser.feed(data, body);
    QPointer<HttpExchange> self(this);
    if (!hadHeaders && m_parser.headersDone() && !m_draining) {
        emit headersReceived();
        if (!self || m_finished)
            return;
    }
    if (!body.isEmpty() && !m_draining) {
        emit bodyPiece(body);
        if (!self || m_finished)
            return;
    }
    if (m_parser.failed()) {
        finish(Failure::Malformed, m_parser.error());
        return;
    }
    if (m_parser.done()) {
        // Bytes after the response (the server answered something we did not ask) make the
        // connection unusable.
        releaseSocket(m_parser.keepAlive() && used == data.size() &&
                      m_socket->bytesAvailable() == 0);
        m_finished = true;
        if (m_draining) {
            deleteLater();
            return;
        }
        emit completed();
    }
}

void HttpExchange::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_finished || !m_socket)
        return;
    if (m_socket->bytesAvailable() > 0) {
        QPointer<HttpExchange> self(this);
        onReadyRead();
        if (!self || m_finished)
            return;
    }
    if (m_reused && !m_received) {
        // The kept connection was closed by the server while it waited: once more on a new
        // connection (the request never reached the server's application).
        releaseSocket(false);
        openNew();
        return;
    }
    if (error == QAbstractSocket::RemoteHostClosedError) {
        m_parser.closed();
        if (m_parser.done()) { // the body ran until the close
            releaseSocket(false);
            m_finished = true;
            if (m_draining) {
                deleteLater();
                return;
            }
            emit completed();
            return;
        }
        finish(Failure::Closed, m_parser.error());
        return;
    }
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        finish(Failure::Refused, m_socket->errorString());
        break;
    case QAbstractSocket::HostNotFoundError:
        finish(Failure::HostNotFound, m_socket->errorString());
        break;
    default:
        finish(Failure::Other, m_socket->errorString());
    }
}

void HttpExchange::finish(Failure failure, const QString &why)
{
    m_failure = failure;
    m_errorString = why;
    releaseSocket(false);
    m_finished = true;
    if (m_draining) {
        deleteLater();
        return;
    }
    emit failed();
}

void HttpExchange::releaseSocket(bool keep)
{
    if (!m_socket)
        return;
    QTcpSocket *s = m_socket;
    m_socket = nullptr;
    disconnect(s, nullptr, this, nullptr);
    if (keep) {
        m_pool.keepIdle(m_host, m_port, s);
    } else {
        s->abort(); // closes the connection at once
        s->deleteLater();
    }
}

void HttpExchange::abort()
{
    m_finished = true;
    releaseSocket(false);
}

void HttpExchange::drain(int ms)
{
    if (m_finished) {
        deleteLater();
        return;
    }
    m_draining = true;
    disconnect(this, nullptr, nullptr, nullptr);
    setParent(&m_pool);
    QTimer::singleShot(ms, this, [this] {
        abort(); // too slow: closed
        deleteLater();
    });
}

} // namespace gw
