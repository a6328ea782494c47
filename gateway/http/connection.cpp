#include "connection.h"

#include "chat/clock.h"
#include "socketresponder.h"

#include <QTcpSocket>

namespace gw {

Connection::Connection(QTcpSocket *socket, const ServerOptions &options, Render render,
                       Dispatch dispatch)
    : QObject(socket), m_socket(socket), m_options(options), m_render(std::move(render)),
      m_dispatch(std::move(dispatch)), m_framer(options.maxHeaderBytes, options.maxBodyBytes),
      m_peer(socket->peerAddress())
{
    m_framer.onHead = [this](const RequestFramer::Head &h) { onHead(h); };
    m_framer.onMessage = [this](RequestFramer::Message &m) { onMessage(m); };
    m_framer.onError = [this](const RequestFramer::Error &e) {
        ChatFailure f;
        f.cause = e.cause;
        f.status = e.status;
        reject(f, e.message);
    };
    connect(socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Connection::onTimeout);
    arm();
}

void Connection::onReadyRead()
{
    if (m_rejected) {
        m_socket->readAll(); // drain, so the close does not turn into a reset before the answer
        return;
    }
    // One read into one buffer of the right size (readAll grows its result step by step).
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    QByteArray data(available, Qt::Uninitialized);
    const qint64 n = m_socket->read(data.data(), available);
    if (n <= 0)
        return;
    data.truncate(n);
    if (!m_framer.midRequest())
        m_headClock.start();
    m_framer.feed(std::move(data));
    if (m_rejected)
        return;
    dispatchNext();
    arm();
}

void Connection::onHead(const RequestFramer::Head &head)
{
    const bool bodyFollows = head.chunked || head.contentLength > 0;
    // Clients such as curl wait a second for it before sending a large body. Not while another
    // answer is going out or due first: it would land in the middle of it, or before it.
    if (head.expectContinue && bodyFollows && !head.http10 && !m_answering && m_queue.isEmpty())
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
}

void Connection::onMessage(RequestFramer::Message &message)
{
    message.request.peer = m_peer;
    message.request.receivedNs = monotonicNs();
    m_queue.append({std::move(message.request), message.http10});
}

void Connection::dispatchNext()
{
    if (m_answering || m_queue.isEmpty() || m_rejected)
        return;
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        m_queue.clear(); // the previous answer closed the connection
        return;
    }
    const Pending next = m_queue.takeFirst();
    m_answering = true;
    arm();
    m_current = m_dispatch(this, next.request, next.http10);
}

void Connection::answerEnded()
{
    m_answering = false;
    m_current = nullptr;
    if (!m_rejection.isEmpty()) {
        m_socket->write(m_rejection);
        m_socket->flush();
        m_rejection.clear();
    }
    if (!m_queue.isEmpty())
        QMetaObject::invokeMethod(this, &Connection::dispatchNext, Qt::QueuedConnection);
    else if (m_closeWhenIdle)
        m_socket->disconnectFromHost();
    arm();
    emit answerFinished();
}

void Connection::closeWhenIdle()
{
    m_closeWhenIdle = true;
    if (!m_answering && m_queue.isEmpty())
        m_socket->disconnectFromHost();
    else if (m_current && !m_current->hasStarted())
        m_current->setKeepAlive(false); // its status line says so
}

void Connection::arm()
{
    if (m_rejected || m_answering || !m_queue.isEmpty()) {
        m_timer.stop(); // an answer in progress is never cut, however long the model takes
    } else if (m_framer.inHead()) {
        // Headers have a deadline from their first byte (trickling them in does not help).
        m_timer.start(qMax<qint64>(0, m_options.headerTimeoutMs - m_headClock.elapsed()));
    } else if (m_framer.midRequest()) {
        m_timer.start(m_options.headerTimeoutMs); // a body must keep coming
    } else {
        m_timer.start(m_options.idleTimeoutMs);
    }
}

void Connection::onTimeout()
{
    if (m_rejected || m_answering || !m_queue.isEmpty())
        return;
    if (m_framer.midRequest())
        return reject(serverFailure(FailureCause::Timeout, 408),
                      QStringLiteral("the request did not arrive completely within %1 s; the "
                                     "connection is closed")
                          .arg(m_options.headerTimeoutMs / 1000.0));
    // Idle between requests: close quietly, as every HTTP server does with keep-alive.
    m_socket->disconnectFromHost();
}

void Connection::reject(const ChatFailure &failure, const QString &message)
{
    m_rejected = true;
    m_queue.clear();
    m_socket->readAll();
    m_timer.stop();

    const RenderedError e = m_render(QString::fromLatin1(m_framer.target()), failure, message);
    QByteArray out = "HTTP/1.1 " + QByteArray::number(failure.status) + ' ' +
                     SocketResponder::reasonPhrase(failure.status) + "\r\n";
    if (!e.contentType.isEmpty())
        out += "Content-Type: " + e.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(e.body.size()) +
           "\r\nConnection: close\r\n\r\n" + e.body;
    if (m_answering) {
        m_rejection = out; // after the answer going out now
    } else {
        m_socket->write(out);
        m_socket->flush();
    }
    // Give the client time to read the answer while we drain what it still sends, then go (a
    // close with unread bytes would reset the connection and could destroy the answer). A client
    // that timed out has gone quiet: a second is plenty.
    QPointer<QTcpSocket> socket = m_socket;
    QTimer::singleShot(failure.status == 408 ? 1000 : 5000, m_socket, [socket] {
        if (socket)
            socket->abort();
    });
}

} // namespace gw
