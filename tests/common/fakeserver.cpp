#include "fakeserver.h"

#include <QJsonDocument>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace gwtest {

QJsonObject Received::json() const
{
    return QJsonDocument::fromJson(body).object();
}

Reply Reply::json(int status, const QByteArray &body)
{
    Reply r;
    r.status = status;
    r.chunked = false;
    r.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    r.pieces.append(body);
    return r;
}

Reply Reply::sse(const QList<QByteArray> &events, int delayMs)
{
    Reply r;
    r.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("text/event-stream")));
    r.pieces = events;
    r.delayMs = delayMs;
    return r;
}

Reply Reply::ndjson(const QList<QByteArray> &lines, int delayMs)
{
    Reply r;
    r.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/x-ndjson")));
    for (const QByteArray &l : lines)
        r.pieces.append(l + '\n');
    r.delayMs = delayMs;
    return r;
}

QByteArray FakeServer::sseData(const QJsonObject &o)
{
    return "data: " + QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n\n";
}

QByteArray FakeServer::sseEvent(const QByteArray &name, const QJsonObject &o)
{
    return "event: " + name + '\n' + sseData(o);
}

FakeServer::FakeServer(QObject *parent) : QObject(parent), m_server(new QTcpServer)
{
    m_server->setMaxPendingConnections(1000);
    m_server->listen(QHostAddress::LocalHost, 0);
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &FakeServer::accept);
}

FakeServer::FakeServer(const QSslConfiguration &tls, QObject *parent) : QObject(parent), m_tls(true)
{
    auto *server = new QSslServer;
    m_server.reset(server);
    server->setSslConfiguration(tls);
    server->setHandshakeTimeout(30000);
    server->setMaxPendingConnections(1000);
    server->listen(QHostAddress::LocalHost, 0);
    connect(server, &QSslServer::errorOccurred, this,
            [this](QSslSocket *, QAbstractSocket::SocketError) { ++m_failedHandshakes; });
    connect(server, &QSslServer::peerVerifyError, this,
            [this](QSslSocket *, const QSslError &) { ++m_failedHandshakes; });
    connect(server, &QTcpServer::pendingConnectionAvailable, this, &FakeServer::accept);
}

void FakeServer::accept()
{
    while (QTcpSocket *s = m_server->nextPendingConnection()) {
        ++m_connections;
        s->setParent(this);
        connect(s, &QTcpSocket::readyRead, this, [this, s] { onReadable(s); });
        connect(s, &QTcpSocket::disconnected, this, [this, s] {
            if (m_busy.value(s)) { // the client left in the middle of an answer
                ++m_aborted;
                --m_inFlight;
            }
            m_busy.remove(s);
            m_buffers.remove(s);
            m_generation.remove(s);
            s->deleteLater();
        });
        if (s->bytesAvailable() > 0) // a request that came with the handshake
            QMetaObject::invokeMethod(
                this,
                [this, s = QPointer<QTcpSocket>(s)] {
                    if (s)
                        onReadable(s);
                },
                Qt::QueuedConnection);
    }
}

FakeServer::~FakeServer() = default;

QString FakeServer::url(const QString &path) const
{
    return QStringLiteral("%1://127.0.0.1:%2%3")
        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
        .arg(port())
        .arg(path);
}

void FakeServer::on(const QByteArray &method, const QByteArray &pattern, Handler handler)
{
    m_routes.prepend({method, pattern, std::move(handler)});
}

void FakeServer::onReadable(QTcpSocket *socket)
{
    QByteArray &buf = m_buffers[socket];
    buf += socket->readAll();
    while (!m_busy.value(socket)) {
        const qsizetype headEnd = buf.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        const QList<QByteArray> lines = buf.left(headEnd).split('\n');
        Received req;
        if (auto *tls = qobject_cast<QSslSocket *>(socket))
            req.clientCertificate =
                tls->peerCertificate().subjectInfo(QSslCertificate::CommonName).value(0);
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        req.method = first.value(0);
        req.target = first.value(1);
        req.path = req.target.left(req.target.indexOf('?') < 0 ? req.target.size()
                                                               : req.target.indexOf('?'));
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype c = lines[i].indexOf(':');
            if (c > 0)
                req.headers.append(
                    {lines[i].left(c).trimmed().toLower(), lines[i].mid(c + 1).trimmed()});
        }
        qsizetype bodyStart = headEnd + 4;
        if (req.header("transfer-encoding").toLower().contains("chunked")) {
            const qsizetype end = buf.indexOf("\r\n0\r\n\r\n", bodyStart - 2);
            if (end < 0)
                return;
            qsizetype pos = bodyStart;
            while (pos < end + 2) {
                const qsizetype eol = buf.indexOf("\r\n", pos);
                const qsizetype n = buf.mid(pos, eol - pos).toLongLong(nullptr, 16);
                if (n == 0)
                    break;
                req.body += buf.mid(eol + 2, n);
                pos = eol + 2 + n + 2;
            }
            buf.remove(0, end + 7);
        } else {
            const qsizetype length = req.header("content-length").toLongLong();
            if (req.header("expect").toLower() == "100-continue" &&
                buf.size() < bodyStart + length && !socket->property("continued").toBool()) {
                socket->setProperty("continued", true);
                socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            }
            if (buf.size() < bodyStart + length)
                return;
            req.body = buf.mid(bodyStart, length);
            buf.remove(0, bodyStart + length);
            socket->setProperty("continued", false);
        }
        m_requests.append(req);
        emit received(req);
        respond(socket, req);
    }
}

void FakeServer::respond(QTcpSocket *socket, const Received &req)
{
    Reply reply;
    if (!m_queue.isEmpty()) {
        reply = m_queue.takeFirst();
    } else {
        bool found = false;
        for (const auto &[method, pattern, handler] : std::as_const(m_routes)) {
            const bool prefix = pattern.endsWith('*');
            const bool hit =
                (method.isEmpty() || method == req.method) &&
                (prefix ? req.path.startsWith(pattern.chopped(1)) : req.path == pattern);
            if (hit) {
                reply = handler(req);
                found = true;
                break;
            }
        }
        if (!found)
            reply = Reply::json(404, "{\"error\":{\"message\":\"no route in the fake server\"}}");
    }
    m_busy[socket] = true;
    ++m_inFlight;
    m_peak = qMax(m_peak, m_inFlight);
    const quint64 gen = ++m_generation[socket];
    QPointer<QTcpSocket> s(socket);
    QTimer::singleShot(reply.firstDelayMs, this, [this, s, gen, reply] {
        if (!s || m_generation.value(s) != gen)
            return;
        QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + " Fake\r\n";
        for (const auto &h : reply.headers)
            head += h.first + ": " + h.second + "\r\n";
        if (reply.chunked)
            head += "Transfer-Encoding: chunked\r\n";
        else {
            qsizetype total = 0;
            for (const QByteArray &p : reply.pieces)
                total += p.size();
            head += "Content-Length: " +
                    QByteArray::number(reply.contentLength >= 0 ? reply.contentLength : total) +
                    "\r\n";
        }
        s->write(head + "\r\n");
        writePiece(s, gen, reply, 0);
    });
}

void FakeServer::writePiece(QTcpSocket *socket, quint64 gen, Reply reply, int index)
{
    QPointer<QTcpSocket> s(socket);
    if (index >= reply.pieces.size()) {
        switch (reply.end) {
        case Reply::End::Normal:
            if (reply.chunked)
                socket->write("0\r\n\r\n");
            finishReply(socket);
            return;
        case Reply::End::Stall:
            return; // keep the connection open, send nothing more
        case Reply::End::Reset:
            m_busy[socket] = false;
            --m_inFlight;
            socket->abort();
            return;
        case Reply::End::CloseWithoutTerminator:
            m_busy[socket] = false;
            --m_inFlight;
            socket->disconnectFromHost();
            return;
        }
    }
    const QByteArray &p = reply.pieces[index];
    if (reply.chunked && !p.isEmpty())
        socket->write(QByteArray::number(p.size(), 16) + "\r\n" + p + "\r\n");
    else
        socket->write(p);
    socket->flush();
    QTimer::singleShot(index + 1 < reply.pieces.size() ? reply.delayMs : 0, this,
                       [this, s, gen, reply, index] {
                           if (s && m_generation.value(s) == gen && m_busy.value(s))
                               writePiece(s, gen, reply, index + 1);
                       });
}

void FakeServer::finishReply(QTcpSocket *socket)
{
    m_busy[socket] = false;
    --m_inFlight;
    // The next request on this keep-alive connection may already be waiting.
    QTimer::singleShot(0, this, [this, s = QPointer<QTcpSocket>(socket)] {
        if (s)
            onReadable(s);
    });
}

} // namespace gwtest
