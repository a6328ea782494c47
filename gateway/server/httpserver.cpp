#include "httpserver.h"

#include "chat/clock.h"
#include "chat/instanceid.h"
#include "connectionguard.h"
#include "socketresponder.h"

#include <QHttpServerRequest>
#include <QPointer>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace gw {
namespace {

// Accepts connections and puts a ConnectionGuard on each before Qt's parser sees it.
class Listener : public QTcpServer
{
public:
    Listener(QObject *httpServer, const ServerOptions &options)
        : QTcpServer(httpServer), m_httpServer(httpServer), m_options(options)
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
        new ConnectionGuard(socket, m_httpServer, m_options);
        addPendingConnection(socket);
    }

private:
    QObject *m_httpServer;
    ServerOptions m_options;
};

QByteArray methodName(QHttpServerRequest::Method m)
{
    using M = QHttpServerRequest::Method;
    switch (m) {
    case M::Get:
        return "GET";
    case M::Put:
        return "PUT";
    case M::Delete:
        return "DELETE";
    case M::Post:
        return "POST";
    case M::Head:
        return "HEAD";
    case M::Options:
        return "OPTIONS";
    case M::Patch:
        return "PATCH";
    case M::Connect:
        return "CONNECT";
    case M::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

// One key per client machine, whether it came in over IPv4 or as IPv4-mapped IPv6.
QString clientKey(const QHostAddress &peer)
{
    bool v4 = false;
    const quint32 a = peer.toIPv4Address(&v4);
    return v4 ? QHostAddress(a).toString() : peer.toString();
}

} // namespace

HttpServer::HttpServer(const ServerOptions &options, QObject *parent)
    : QAbstractHttpServer(parent), m_options(options), m_access(options.access)
{}

HttpServer::~HttpServer()
{
    shutdown();
}

void HttpServer::addRoutes(const QList<Route> &routes)
{
    m_routes += routes;
}

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    auto *listener = new Listener(this, m_options);
    // Qt's default backlog (50) drops the SYNs of a burst of connections (an IDE opening many
    // streams at once), and the kernel retries them only after 1 s, then 3 s.
    listener->setListenBacklogSize(1024);
    if (!listener->listen(address, port)) {
        if (error) {
            const QString where = QStringLiteral("%1:%2")
                                      .arg(address.protocol() == QAbstractSocket::IPv6Protocol
                                               ? u'[' + address.toString() + u']'
                                               : address.toString())
                                      .arg(port);
            if (listener->serverError() == QAbstractSocket::AddressInUseError)
                *error = QStringLiteral("cannot listen on %1: the address is already in use (is "
                                        "Ollama or another llm-gateway running? choose another "
                                        "port with --listen HOST:PORT)")
                             .arg(where);
            else
                *error =
                    QStringLiteral("cannot listen on %1: %2").arg(where, listener->errorString());
        }
        delete listener;
        return false;
    }
    m_listener = listener;
    bind(listener);
    return true;
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

int HttpServer::activeRequests() const
{
    int n = 0;
    for (const SocketResponder *r : findChildren<SocketResponder *>(Qt::FindDirectChildrenOnly))
        n += !r->isDone();
    return n;
}

int HttpServer::openConnections() const
{
    if (!m_listener)
        return 0;
    int n = 0;
    for (const QTcpSocket *s : m_listener->findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly))
        n += s->state() != QAbstractSocket::UnconnectedState;
    return n;
}

void HttpServer::beginDrain()
{
    m_draining = true;
    if (!m_listener)
        return;
    m_listener->close();
    QSet<QTcpSocket *> busy;
    for (SocketResponder *r : findChildren<SocketResponder *>(Qt::FindDirectChildrenOnly)) {
        if (r->isDone())
            continue;
        r->setKeepAlive(false);
        busy.insert(r->socket());
    }
    for (QTcpSocket *s : m_listener->findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly))
        if (!busy.contains(s))
            s->disconnectFromHost();
}

const Route *HttpServer::match(const QString &path, bool *pathKnown, const QByteArray &method) const
{
    *pathKnown = false;
    for (const Route &r : m_routes) {
        const bool hit =
            r.prefix ? path.startsWith(r.path) && path.size() > r.path.size() : path == r.path;
        if (!hit)
            continue;
        *pathKnown = true;
        if (r.methods.contains(method))
            return &r;
    }
    return nullptr;
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (ConnectionGuard::isRejected(socket))
        return true;

    // The request object is reused for the connection's next request: copy what we need now.
    HttpRequest req;
    req.receivedNs = monotonicNs();
    req.method = methodName(request.method());
    const QUrl url = request.url();
    req.path = url.path();
    req.query = QUrlQuery(url);
    const auto headers = request.headers();
    req.headers.reserve(headers.size());
    for (const auto &h : headers)
        req.headers.append({h.first.toLower(), h.second});
    req.body = request.body();
    req.peer = request.remoteAddress();

    const bool http10 = ConnectionGuard::isHttp10(socket);
    const QByteArray connection = req.header("connection").toLower();
    const bool keepAlive =
        !m_draining && (http10 ? connection == "keep-alive" : connection != "close");

    const QString client = clientKey(req.peer);
    auto counted = std::make_shared<bool>(false);
    QPointer<QTcpSocket> connectionSocket(socket);
    auto *responder = new SocketResponder(
        socket, req.method == "HEAD", keepAlive, http10, req.receivedNs,
        [this, client, counted, connectionSocket](const RequestRecord &rec) {
            if (*counted) {
                auto it = m_activePerClient.find(client);
                if (it != m_activePerClient.end() && --*it <= 0)
                    m_activePerClient.erase(it);
            }
            if (connectionSocket)
                ConnectionGuard::requestEnded(connectionSocket);
            emit requestFinished(rec);
        },
        this);
    ConnectionGuard::requestStarted(socket);
    RequestRecord &rec = responder->record();
    rec.id = m_nextId++;
    rec.started = QDateTime::currentDateTime();
    rec.client = req.peer.toString();
    rec.method = QString::fromLatin1(req.method);
    rec.path = req.path;
    rec.requestBody = req.body.left(kRecordBodyBytes);

    if (m_draining) {
        // A request that slipped in on an open connection while shutting down.
        responder->send(503, "application/json; charset=utf-8",
                        "{\"error\":\"llm-gateway is shutting down\"}");
        return true;
    }

    const AccessPolicy::Verdict verdict = m_access.check(req);
    responder->setExtraHeaders(verdict.headers);
    if (verdict.status != 0) {
        rec.error = verdict.status == 401   ? QStringLiteral("missing or wrong access token")
                    : verdict.status == 403 ? QStringLiteral("refused: host or origin not allowed")
                                            : QString();
        responder->send(verdict.status,
                        verdict.body.isEmpty() ? QByteArray() : "application/json; charset=utf-8",
                        verdict.body);
        return true;
    }

    // A provider pointed back at this gateway would call itself forever.
    if (req.header("via").contains("llm-gateway-" + instanceId())) {
        responder->send(508, "application/json; charset=utf-8",
                        "{\"error\":\"loop detected: a provider of this llm-gateway points back at "
                        "the gateway itself; check the provider's base_url\"}");
        return true;
    }

    // One client must not take every answer slot: the rest keep being served.
    if (m_options.maxRequestsPerClient > 0) {
        int &active = m_activePerClient[client];
        if (active >= m_options.maxRequestsPerClient) {
            rec.error = QStringLiteral("too many requests in progress from %1 (the limit is %2 at "
                                       "once, server.max_requests_per_client): wait for some to "
                                       "finish, or raise the limit")
                            .arg(client)
                            .arg(m_options.maxRequestsPerClient);
            responder->send(429, "application/json; charset=utf-8",
                            ConnectionGuard::errorBody(req.path.toUtf8(), 429, rec.error),
                            {qMakePair(QByteArray("Retry-After"), QByteArray("1"))});
            return true;
        }
        ++active;
        *counted = true;
    }

    bool pathKnown = false;
    if (const Route *route = match(req.path, &pathKnown, req.method)) {
        route->handler(req, responder);
    } else if (pathKnown) {
        responder->send(405, "text/plain", "405 method not allowed");
    } else {
        // Ollama's router (gin) answers unknown paths in plain text; clients expect exactly that.
        responder->send(404, "text/plain", "404 page not found");
    }
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    // handleRequest always answers; this only runs if Qt itself gives up on a request.
    socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    socket->disconnectFromHost();
}

} // namespace gw
