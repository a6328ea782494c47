#include "socketresponder.h"

#include "chat/clock.h"

namespace gw {

SocketResponder::SocketResponder(QTcpSocket *socket, bool headRequest, bool keepAlive, bool http10,
                                 qint64 receivedNs, Done done, QObject *parent)
    : Responder(parent), m_socket(socket), m_head(headRequest), m_keepAlive(keepAlive),
      m_http10(http10), m_receivedNs(receivedNs), m_onDone(std::move(done))
{
    connect(socket, &QTcpSocket::disconnected, this,
            [this] { abandon(QStringLiteral("client closed the connection")); });
}

SocketResponder::~SocketResponder() = default;

QByteArray SocketResponder::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 499:
        return "Client Closed Request";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 508:
        return "Loop Detected";
    default:
        return "Status";
    }
}

QByteArray SocketResponder::statusAndHeaders(int status, const QByteArray &contentType,
                                             const Headers &extra, qint64 contentLength)
{
    m_started = true;
    m_record.status = status;
    QByteArray out;
    out.reserve(256);
    // Appended piece by piece: no temporary per header line.
    const auto line = [&out](QByteArrayView name, QByteArrayView value) {
        out.append(name).append(": ", 2).append(value).append("\r\n", 2);
    };
    out += m_http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out.append(QByteArray::number(status)).append(' ').append(reasonPhrase(status));
    out += "\r\n";
    if (!contentType.isEmpty())
        line("Content-Type", contentType);
    if (contentLength >= 0)
        line("Content-Length", QByteArray::number(contentLength));
    else if (m_chunked)
        out += "Transfer-Encoding: chunked\r\n";
    for (const auto &h : extra)
        line(h.first, h.second);
    for (const auto &h : m_extra)
        line(h.first, h.second);
    if (!m_keepAlive)
        out += "Connection: close\r\n";
    else if (m_http10)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    return out;
}

void SocketResponder::send(int status, const QByteArray &contentType, const QByteArray &body,
                           const Headers &extra)
{
    if (m_done || m_started || !m_socket)
        return;
    QByteArray out = statusAndHeaders(status, contentType, extra, body.size());
    if (!m_head)
        out += body;
    m_socket->write(out);
    keepForLog(body);
    complete();
}

void SocketResponder::beginStream(int status, const QByteArray &contentType, const Headers &extra)
{
    if (m_done || m_started || !m_socket)
        return;
    // An HTTP/1.0 client cannot read chunked framing: it gets the raw bytes and the end of the
    // body is the end of the connection.
    m_chunked = !m_http10;
    if (m_http10)
        m_keepAlive = false;
    Headers headers = extra;
    headers.append(qMakePair(QByteArray("Cache-Control"), QByteArray("no-cache")));
    m_socket->write(statusAndHeaders(status, contentType, headers, -1));
}

void SocketResponder::write(const QByteArray &piece)
{
    if (m_done || !m_started || !m_socket || piece.isEmpty())
        return; // an empty chunk would end the stream
    keepForLog(piece);
    if (!m_chunked) {
        m_socket->write(piece);
        return;
    }
    QByteArray framed = QByteArray::number(piece.size(), 16);
    framed.reserve(framed.size() + piece.size() + 4);
    framed += "\r\n";
    framed += piece;
    framed += "\r\n";
    m_socket->write(framed);
}

void SocketResponder::end()
{
    if (m_done || !m_started || !m_socket)
        return;
    if (m_chunked)
        m_socket->write("0\r\n\r\n");
    complete();
}

void SocketResponder::keepForLog(const QByteArray &piece)
{
    const qsizetype room = kRecordBodyBytes - m_record.responseBody.size();
    if (room > 0)
        m_record.responseBody += piece.left(room);
}

void SocketResponder::complete()
{
    m_done = true;
    m_record.durationMs = (monotonicNs() - m_receivedNs) / 1000000;
    if (m_socket && !m_keepAlive)
        m_socket->disconnectFromHost();
    if (m_onDone)
        m_onDone(m_record);
    deleteLater();
}

void SocketResponder::abandon(const QString &why)
{
    if (m_done)
        return;
    m_done = true;
    // 499: nginx's "client closed request", which Ollama also uses for a cancelled request.
    if (!m_started)
        m_record.status = 499;
    if (m_record.error.isEmpty())
        m_record.error = why;
    m_record.durationMs = (monotonicNs() - m_receivedNs) / 1000000;
    emit clientGone();
    if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    if (m_onDone)
        m_onDone(m_record);
    // Children (the job behind the answer) go with us, which cancels the upstream request.
    deleteLater();
}

} // namespace gw
