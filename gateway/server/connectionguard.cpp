#include "connectionguard.h"

#include "api/jsonwriter.h"

#include <QTcpSocket>
#include <QTimer>

namespace gw {

static const char *kRejected = "gw_rejected";
static const char *kHttp10 = "gw_http10";

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, QObject *httpServer,
                                 const ServerOptions &options)
    : QObject(socket), m_socket(socket), m_httpServer(httpServer), m_options(options)
{
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
}

bool ConnectionGuard::isRejected(const QTcpSocket *socket)
{
    return socket->property(kRejected).toBool();
}

bool ConnectionGuard::isHttp10(const QTcpSocket *socket)
{
    return socket->property(kHttp10).toBool();
}

void ConnectionGuard::onReadyRead()
{
    if (m_state == State::Rejected) {
        m_socket->readAll(); // drain, so the close does not turn into a reset before the answer
        return;
    }
    // Qt's parser reads everything in its own slot right after this one, so what is available
    // now is exactly what arrived since the last signal.
    const QByteArray data = m_socket->peek(m_socket->bytesAvailable());
    consume(data.constData(), data.size());
}

void ConnectionGuard::consume(const char *data, qsizetype size)
{
    while (size > 0 && m_state != State::Rejected) {
        switch (m_state) {
        case State::Head: {
            const qsizetype before = m_head.size();
            m_head.append(data, size);
            const qsizetype end = m_head.indexOf("\r\n\r\n");
            if ((end < 0 ? m_head.size() : end) > m_options.maxHeaderBytes)
                return reject(431, QStringLiteral("request headers are larger than %1 bytes")
                                       .arg(m_options.maxHeaderBytes));
            if (end < 0)
                return;
            const qsizetype used = end + 4 - before;
            m_head.truncate(end + 4);
            data += used;
            size -= used;
            if (!parseHead())
                return;
            m_head.clear();
            break;
        }
        case State::Body: {
            const qsizetype n = qMin<qint64>(size, m_remaining);
            m_remaining -= n;
            data += n;
            size -= n;
            if (m_remaining == 0)
                m_state = State::Head;
            break;
        }
        case State::Chunked: {
            // Chunked uploads are rare; count them against the limit and look for the end.
            m_remaining += size;
            if (m_remaining > m_options.maxBodyBytes)
                return reject(413, QStringLiteral("request body is larger than the limit of %1 "
                                                  "bytes")
                                       .arg(m_options.maxBodyBytes));
            if (QByteArray::fromRawData(data, size).endsWith("0\r\n\r\n"))
                m_state = State::Head;
            return;
        }
        case State::Rejected:
            return;
        }
    }
}

bool ConnectionGuard::parseHead()
{
    const QList<QByteArray> lines = m_head.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    m_path = requestLine.value(1);
    m_socket->setProperty(kHttp10, requestLine.value(2) == "HTTP/1.0");
    qint64 length = 0;
    bool chunked = false, expectContinue = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "transfer-encoding")
            chunked = value.toLower().contains("chunked");
        else if (name == "expect")
            expectContinue = value.toLower() == "100-continue";
    }
    if (length > m_options.maxBodyBytes) {
        reject(413, QStringLiteral("request body of %1 bytes is larger than the limit of %2 bytes")
                        .arg(length)
                        .arg(m_options.maxBodyBytes));
        return false;
    }
    if (expectContinue)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    if (chunked) {
        m_state = State::Chunked;
        m_remaining = 0;
    } else {
        m_state = length > 0 ? State::Body : State::Head;
        m_remaining = length;
    }
    return true;
}

void ConnectionGuard::reject(int status, const QString &message)
{
    m_state = State::Rejected;
    m_socket->setProperty(kRejected, true);
    // Qt's parser must not see this connection again: it would buffer the rest of the body.
    if (m_httpServer)
        disconnect(m_socket, &QTcpSocket::readyRead, m_httpServer, nullptr);
    m_socket->readAll();

    QByteArray body;
    if (m_path.startsWith("/v1/")) {
        body = "{\"error\":{\"message\":" + json::quoted(message) +
               ",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}";
    } else {
        body = "{\"error\":" + json::quoted(message) + '}';
    }
    const QByteArray reason =
        status == 413 ? "Payload Too Large" : "Request Header Fields Too Large";
    m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                    "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " +
                    QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    m_socket->flush();
    // Give the client time to read the answer while we drain what it still sends, then go.
    QPointer<QTcpSocket> socket = m_socket;
    QTimer::singleShot(5000, m_socket, [socket] {
        if (socket)
            socket->abort();
    });
}

} // namespace gw
