#include "connectionguard.h"

#include "api/ollama/ollamaencoder.h"
#include "api/openai/openaiencoder.h"

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
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::onTimeout);
    arm();
}

void ConnectionGuard::requestStarted(QTcpSocket *socket)
{
    if (auto *g = socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly)) {
        ++g->m_busy;
        g->arm();
    }
}

void ConnectionGuard::requestEnded(QTcpSocket *socket)
{
    if (auto *g = socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly)) {
        g->m_busy = qMax(0, g->m_busy - 1);
        g->arm();
    }
}

QByteArray ConnectionGuard::errorBody(const QByteArray &path, int status, const QString &message)
{
    if (path.startsWith("/v1/"))
        return OpenAiEncoder::error(
            status, message, status == 429 ? QByteArray("rate_limit_exceeded") : QByteArray());
    return OllamaEncoder::error(message);
}

bool ConnectionGuard::midRequest() const
{
    return m_state == State::Body || m_state == State::Chunked ||
           (m_state == State::Head && !m_head.isEmpty());
}

void ConnectionGuard::arm()
{
    if (m_state == State::Rejected || m_busy > 0) {
        // An answer in progress is never cut, however long the model takes.
        m_timer.stop();
    } else if (m_state == State::Head && !m_head.isEmpty()) {
        // Headers have a deadline from their first byte (trickling them in does not help).
        m_timer.start(qMax<qint64>(0, m_options.headerTimeoutMs - m_headClock.elapsed()));
    } else if (midRequest()) {
        m_timer.start(m_options.headerTimeoutMs); // a body must keep coming
    } else {
        m_timer.start(m_options.idleTimeoutMs);
    }
}

void ConnectionGuard::onTimeout()
{
    if (m_state == State::Rejected || m_busy > 0)
        return;
    if (midRequest()) {
        if (m_path.isEmpty() || m_state == State::Head) {
            const QList<QByteArray> requestLine = m_head.left(m_head.indexOf('\n')).split(' ');
            m_path = requestLine.value(1);
        }
        return reject(408, QStringLiteral("the request did not arrive completely within %1 s; "
                                          "the connection is closed")
                               .arg(m_options.headerTimeoutMs / 1000.0));
    }
    // Idle between requests: close quietly, as every HTTP server does with keep-alive.
    m_socket->disconnectFromHost();
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
    arm();
}

void ConnectionGuard::consume(const char *data, qsizetype size)
{
    while (size > 0 && m_state != State::Rejected) {
        switch (m_state) {
        case State::Head: {
            const qsizetype before = m_head.size();
            if (before == 0)
                m_headClock.start();
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

    m_timer.stop();
    const QByteArray body = errorBody(m_path, status, message);
    const QByteArray reason = status == 413   ? "Payload Too Large"
                              : status == 408 ? "Request Timeout"
                                              : "Request Header Fields Too Large";
    m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                    "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " +
                    QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    m_socket->flush();
    // Give the client time to read the answer while we drain what it still sends, then go (a
    // close with unread bytes would reset the connection and could destroy the answer). A client
    // that timed out has gone quiet: a second is plenty.
    QPointer<QTcpSocket> socket = m_socket;
    QTimer::singleShot(status == 408 ? 1000 : 5000, m_socket, [socket] {
        if (socket)
            socket->abort();
    });
}

} // namespace gw
