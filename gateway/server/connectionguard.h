#pragma once

#include "serveroptions.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace gw {

// Watches a connection's bytes before Qt's HTTP parser sees them (its readyRead slot is
// connected first). Qt 6.4 buffers whole bodies without limit, never answers
// "Expect: 100-continue" and has no header limit; this class adds those, and notes HTTP/1.0
// clients, which cannot read chunked responses. It also closes connections that sit idle
// between requests, and answers 408 to requests that stop arriving half-way.
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    ConnectionGuard(QTcpSocket *socket, QObject *httpServer, const ServerOptions &options);

    static bool isRejected(const QTcpSocket *socket);
    static bool isHttp10(const QTcpSocket *socket);
    // An answer is in progress on the socket (no timeout may cut it), or has ended (the idle
    // timeout starts again).
    static void requestStarted(QTcpSocket *socket);
    static void requestEnded(QTcpSocket *socket);

    // An error body in the dialect of the request's path: OpenAI's shape under /v1/, else
    // Ollama's.
    static QByteArray errorBody(const QByteArray &path, int status, const QString &message);

private:
    void onReadyRead();
    void consume(const char *data, qsizetype size);
    bool parseHead();
    void reject(int status, const QString &message);
    bool midRequest() const;
    void arm();
    void onTimeout();

    enum class State { Head, Body, Chunked, Rejected };

    QTcpSocket *m_socket;
    QPointer<QObject> m_httpServer;
    ServerOptions m_options;
    State m_state = State::Head;
    QByteArray m_head;
    QByteArray m_path;
    qint64 m_remaining = 0;
    int m_busy = 0;            // answers in progress on this connection
    QElapsedTimer m_headClock; // since the first byte of the request head being read
    QTimer m_timer;
};

} // namespace gw
