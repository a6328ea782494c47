#pragma once

#include "serveroptions.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

class QTcpSocket;

namespace gw {

// Watches a connection's bytes before Qt's HTTP parser sees them (its readyRead slot is
// connected first). Qt 6.4 buffers whole bodies without limit, never answers
// "Expect: 100-continue" and has no header limit; this class adds those, and notes HTTP/1.0
// clients, which cannot read chunked responses.
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    ConnectionGuard(QTcpSocket *socket, QObject *httpServer, const ServerOptions &options);

    static bool isRejected(const QTcpSocket *socket);
    static bool isHttp10(const QTcpSocket *socket);

private:
    void onReadyRead();
    void consume(const char *data, qsizetype size);
    bool parseHead();
    void reject(int status, const QString &message);

    enum class State { Head, Body, Chunked, Rejected };

    QTcpSocket *m_socket;
    QPointer<QObject> m_httpServer;
    ServerOptions m_options;
    State m_state = State::Head;
    QByteArray m_head;
    QByteArray m_path;
    qint64 m_remaining = 0;
};

} // namespace gw
