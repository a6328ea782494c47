#pragma once

#include "api/route.h"
#include "log/requestrecord.h"
#include "serveroptions.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPointer>

class QTcpServer;

namespace gw {

class SocketResponder;

// The HTTP front door. Subclasses QAbstractHttpServer and writes responses itself, since
// Qt 6.4's responder cannot stream (see docs/architecture.md).
class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    explicit HttpServer(const ServerOptions &options, QObject *parent = nullptr);
    ~HttpServer() override;

    void addRoutes(const QList<Route> &routes);

    // Binds the listening socket; on failure says why in words a user can act on.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    // Stops accepting and ends every open connection (in-flight answers are cancelled).
    void shutdown();
    // Stops accepting new connections and requests; closes idle connections; answers in flight
    // go on, each connection closing when its answer ends.
    void beginDrain();
    int activeRequests() const;
    int openConnections() const; // including those still flushing their last answer

signals:
    void requestFinished(const gw::RequestRecord &record);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    const Route *match(const QString &path, bool *pathKnown, const QByteArray &method) const;

    ServerOptions m_options;
    AccessPolicy m_access;
    QList<Route> m_routes;
    QPointer<QTcpServer> m_listener;
    QHash<QString, int> m_activePerClient; // answers in progress by client address
    quint64 m_nextId = 1;
    bool m_draining = false;
};

} // namespace gw
