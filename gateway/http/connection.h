#pragma once

#include "chat/chatfailure.h"
#include "dialect.h"
#include "httprequest.h"
#include "requestframer.h"
#include "serveroptions.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace gw {

class SocketResponder;

// One client connection: its state, explicitly, in one object (a child of the socket).
//
// It reads the socket itself: its RequestFramer turns the bytes into requests, refusing
// oversized heads and bodies (431, 413) and bad framing (400) as they arrive; the connection
// answers "Expect: 100-continue" and times out half-sent requests (408) and idle connections.
// Requests are answered one at a time, in order (a pipelining client gets its answers in
// sequence, never interleaved with a stream), each with the HTTP version its request line gave.
class Connection : public QObject
{
    Q_OBJECT
public:
    // Renders an error the connection makes itself, in the dialect of `target`.
    using Render = std::function<RenderedError(QStringView target, const ChatFailure &,
                                               const QString &message)>;
    // Starts the answer to one request (the server's routing); returns its responder.
    using Dispatch =
        std::function<SocketResponder *(Connection *, const HttpRequest &, bool http10)>;

    Connection(QTcpSocket *socket, const ServerOptions &options, Render render, Dispatch dispatch);

    QTcpSocket *socket() const { return m_socket; }
    // The answer in progress, if any.
    SocketResponder *current() const { return m_current; }

    // The answer in progress has ended (or the client has gone).
    void answerEnded();
    // The server is stopping: close once the answers in progress and the requests already
    // received have been answered (these get 503 in their dialect); now when there are none.
    void closeWhenIdle();

signals:
    void answerFinished(); // an answer on this connection ended

private:
    void onReadyRead();
    void onHead(const RequestFramer::Head &head);
    void onMessage(RequestFramer::Message &message);
    void dispatchNext();
    void reject(const ChatFailure &failure, const QString &message);
    void arm();
    void onTimeout();

    struct Pending
    {
        HttpRequest request;
        bool http10 = false;
    };

    QTcpSocket *m_socket;
    ServerOptions m_options;
    Render m_render;
    Dispatch m_dispatch;
    RequestFramer m_framer;
    QHostAddress m_peer;
    QList<Pending> m_queue; // received, waiting for the answer before them
    QPointer<SocketResponder> m_current;
    bool m_answering = false;
    bool m_rejected = false;
    bool m_closeWhenIdle = false;
    QByteArray m_rejection;    // a refusal waiting for the answer in progress to end
    QElapsedTimer m_headClock; // since the first byte of the request head being read
    QTimer m_timer;
};

} // namespace gw
