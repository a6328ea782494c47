#pragma once

#include "clientslots.h"
#include "dialecttable.h"
#include "log/requestrecord.h"
#include "serveroptions.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>

class QTcpServer;
class QTcpSocket;

namespace gw {

class Connection;
class SocketResponder;

// The HTTP front door: it accepts connections on its own QTcpServer, each Connection parses its
// requests (RequestFramer) and SocketResponder writes the answers, streamed or not (see
// docs/architecture.md). It knows no dialect by name: dialects register their routes and error
// renderers with addDialect() (see dialect.h).
class HttpServer : public QObject
{
    Q_OBJECT
public:
    explicit HttpServer(const ServerOptions &options, QObject *parent = nullptr);
    ~HttpServer() override;

    void addDialect(Dialect dialect);

    // Binds the listening socket; on failure says why in words a user can act on.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    // Accepts on a socket that is already bound and listening (one of the workers'
    // SO_REUSEPORT sockets, see reuseportlistener.h); takes ownership of it.
    bool listenOnDescriptor(qintptr descriptor, QString *error);
    // The words for a failed bind of address:port (inUse: the address is taken).
    static QString listenError(const QHostAddress &address, quint16 port, bool inUse,
                               const QString &reason);
    // Answers in progress per client, shared with the other workers' servers (the default
    // counts this server's alone).
    void setClientSlots(std::shared_ptr<ClientSlots> shared) { m_clientSlots = std::move(shared); }
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
    // An answer ended or a connection closed: activeRequests() or openConnections() may have
    // dropped.
    void activityChanged();

private:
    Connection *addConnection(QTcpSocket *socket);
    SocketResponder *dispatch(Connection *connection, const HttpRequest &req, bool http10);
    bool refuse(const HttpRequest &req, SocketResponder *responder, bool *counted);
    void sendError(SocketResponder *responder, const QString &path, const ChatFailure &failure,
                   const QString &message);

    ServerOptions m_options;
    AccessPolicy m_access;
    DialectTable m_dialects;
    QPointer<QTcpServer> m_listener;
    QHash<QTcpSocket *, Connection *> m_connections;
    std::shared_ptr<ClientSlots> m_clientSlots; // answers in progress by client address
    quint64 m_nextId = 1;
    bool m_draining = false;
};

} // namespace gw
