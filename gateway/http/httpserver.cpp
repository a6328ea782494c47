#include "httpserver.h"

#include "chat/clock.h"
#include "chat/instanceid.h"
#include "connection.h"
#include "socketresponder.h"

#include <QPointer>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace gw {
namespace {

// Accepts connections and gives each its Connection.
class Listener : public QTcpServer
{
public:
    Listener(QObject *parent, std::function<void(QTcpSocket *)> onSocket)
        : QTcpServer(parent), m_onSocket(std::move(onSocket))
    {}

    void closeConnections()
    {
        close();
        const auto sockets = findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
        for (QTcpSocket *s : sockets)
            s->abort();
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        // Stream lines are small and must leave at once: no Nagle delay.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_onSocket(socket);
    }

private:
    std::function<void(QTcpSocket *)> m_onSocket;
};

// One key per client machine, whether it came in over IPv4 or as IPv4-mapped IPv6.
QString clientKey(const QHostAddress &peer)
{
    bool v4 = false;
    const quint32 a = peer.toIPv4Address(&v4);
    return v4 ? QHostAddress(a).toString() : peer.toString();
}

} // namespace

HttpServer::HttpServer(const ServerOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_access(options.access),
      m_clientSlots(std::make_shared<ClientSlots>())
{}

HttpServer::~HttpServer()
{
    shutdown();
}

void HttpServer::addDialect(Dialect dialect)
{
    m_dialects.add(std::move(dialect));
}

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    auto *listener = new Listener(this, [this](QTcpSocket *s) { addConnection(s); });
    // Qt's default backlog (50) drops the SYNs of a burst of connections (an IDE opening many
    // streams at once), and the kernel retries them only after 1 s, then 3 s.
    listener->setListenBacklogSize(1024);
    if (!listener->listen(address, port)) {
        if (error)
            *error = listenError(address, port,
                                 listener->serverError() == QAbstractSocket::AddressInUseError,
                                 listener->errorString());
        delete listener;
        return false;
    }
    m_listener = listener;
    return true;
}

bool HttpServer::listenOnDescriptor(qintptr descriptor, QString *error)
{
    auto *listener = new Listener(this, [this](QTcpSocket *s) { addConnection(s); });
    if (!listener->setSocketDescriptor(descriptor)) {
        if (error)
            *error = listener->errorString();
        delete listener;
        return false;
    }
    m_listener = listener;
    return true;
}

QString HttpServer::listenError(const QHostAddress &address, quint16 port, bool inUse,
                                const QString &reason)
{
    const QString where = QStringLiteral("%1:%2")
                              .arg(address.protocol() == QAbstractSocket::IPv6Protocol
                                       ? u'[' + address.toString() + u']'
                                       : address.toString())
                              .arg(port);
    if (inUse)
        return QStringLiteral("cannot listen on %1: the address is already in use (is Ollama or "
                              "another llm-gateway running? choose another port with --listen "
                              "HOST:PORT)")
            .arg(where);
    return QStringLiteral("cannot listen on %1: %2").arg(where, reason);
}

quint16 HttpServer::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

void HttpServer::shutdown()
{
    if (m_listener)
        static_cast<Listener *>(m_listener.data())->closeConnections();
}

Connection *HttpServer::addConnection(QTcpSocket *socket)
{
    auto *c = new Connection(
        socket, m_options,
        [this](QStringView target, const ChatFailure &f, const QString &message) {
            return m_dialects.render(target, f, message);
        },
        [this](Connection *conn, const HttpRequest &req, bool http10) {
            return dispatch(conn, req, http10);
        });
    m_connections.insert(socket, c);
    connect(c, &Connection::answerFinished, this, &HttpServer::activityChanged);
    connect(c, &QObject::destroyed, this, [this, socket] {
        m_connections.remove(socket);
        emit activityChanged();
    });
    connect(socket, &QTcpSocket::disconnected, this, &HttpServer::activityChanged,
            Qt::QueuedConnection);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    return c;
}

int HttpServer::activeRequests() const
{
    int n = 0;
    for (const Connection *c : m_connections)
        n += c->current() != nullptr;
    return n;
}

int HttpServer::openConnections() const
{
    int n = 0;
    for (const Connection *c : m_connections)
        n += c->socket()->state() != QAbstractSocket::UnconnectedState;
    return n;
}

void HttpServer::beginDrain()
{
    m_draining = true;
    if (m_listener)
        m_listener->close();
    for (Connection *c : std::as_const(m_connections))
        c->closeWhenIdle();
}

SocketResponder *HttpServer::dispatch(Connection *connection, const HttpRequest &req, bool http10)
{
    const QByteArray connectionHeader = req.header("connection").toLower();
    const bool keepAlive =
        !m_draining && (http10 ? connectionHeader == "keep-alive" : connectionHeader != "close");
    const QString client = clientKey(req.peer);
    auto counted = std::make_shared<bool>(false);
    QPointer<Connection> conn(connection);
    auto *responder = new SocketResponder(
        connection->socket(), req.method == "HEAD", keepAlive, http10, req.receivedNs,
        [this, client, counted, conn](const RequestRecord &rec) {
            if (*counted)
                m_clientSlots->release(client);
            if (conn)
                conn->answerEnded();
            emit requestFinished(rec);
        },
        this);
    RequestRecord &rec = responder->record();
    rec.id = m_nextId++;
    rec.started = QDateTime::currentDateTime();
    rec.client = req.peer.toString();
    rec.method = QString::fromLatin1(req.method);
    rec.path = req.path;
    rec.app = clientAppFromUserAgent(req.header("user-agent"));
    rec.requestBody = req.body.left(kRecordBodyBytes);
    if (refuse(req, responder, counted.get()))
        return responder;

    bool pathKnown = false;
    if (const Route *route = m_dialects.match(req.path, req.method, &pathKnown))
        route->handler(req, responder);
    else if (pathKnown)
        sendError(responder, req.path, serverFailure(FailureCause::BadRequest, 405),
                  QStringLiteral("405 method not allowed"));
    else // Ollama's router (gin) answers unknown paths in plain text; clients expect exactly that.
        responder->send(404, "text/plain", "404 page not found");
    return responder;
}

// The answers the server gives before any route: true when it has answered.
bool HttpServer::refuse(const HttpRequest &req, SocketResponder *responder, bool *counted)
{
    RequestRecord &rec = responder->record();
    if (m_draining) { // a request that slipped in on an open connection while shutting down
        sendError(responder, req.path, serverFailure(FailureCause::ShuttingDown, 503),
                  QStringLiteral("llm-gateway is shutting down"));
        return true;
    }
    const AccessPolicy::Verdict verdict = m_access.check(req);
    responder->setExtraHeaders(verdict.headers);
    if (verdict.status == 401) {
        sendError(responder, req.path, serverFailure(FailureCause::KeyRejected, 401),
                  QStringLiteral("this llm-gateway requires an access token: send "
                                 "Authorization: Bearer <token>"));
        rec.error = QStringLiteral("missing or wrong access token");
        return true;
    }
    if (verdict.status != 0) { // 403 with no body, as Ollama; 204 for a CORS preflight
        if (verdict.status == 403)
            rec.error = QStringLiteral("refused: host or origin not allowed");
        responder->send(verdict.status, QByteArray(), QByteArray());
        return true;
    }
    // A provider pointed back at this gateway would call itself forever.
    if (req.header("via").contains("llm-gateway-" + instanceId())) {
        sendError(responder, req.path, serverFailure(FailureCause::Loop, 508),
                  QStringLiteral("loop detected: a provider of this llm-gateway points back at "
                                 "the gateway itself; check the provider's base_url"));
        return true;
    }
    // One client must not take every answer slot: the rest keep being served.
    if (m_options.maxRequestsPerClient > 0) {
        const QString client = clientKey(req.peer);
        if (!m_clientSlots->tryAcquire(client, m_options.maxRequestsPerClient)) {
            sendError(responder, req.path, serverFailure(FailureCause::RateLimited, 429, 1),
                      QStringLiteral("too many requests in progress from %1 (the limit is %2 at "
                                     "once, server.max_requests_per_client): wait for some to "
                                     "finish, or raise the limit")
                          .arg(client)
                          .arg(m_options.maxRequestsPerClient));
            return true;
        }
        *counted = true;
    }
    return false;
}

void HttpServer::sendError(SocketResponder *responder, const QString &path,
                           const ChatFailure &failure, const QString &message)
{
    if (responder->record().error.isEmpty())
        responder->record().error = message;
    const RenderedError e = m_dialects.render(path, failure, message);
    Responder::Headers extra;
    if (failure.retryAfterSeconds > 0)
        extra.append({"Retry-After", QByteArray::number(failure.retryAfterSeconds)});
    responder->send(failure.status, e.contentType, e.body, extra);
}

} // namespace gw
