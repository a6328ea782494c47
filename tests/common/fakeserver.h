#pragma once

// A scripted fake upstream for tests: real HTTP/1.1 on 127.0.0.1, written on QTcpServer
// (not on the gateway's own server code), so provider tests exercise real sockets, chunked
// streams, delays, stalls and resets. It records every request and how many were in flight.

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTcpServer>

#include <functional>
#include <memory>

class QTcpSocket;

namespace gwtest {

struct Received
{
    QByteArray method;
    QByteArray target;                            // path and query as sent
    QByteArray path;                              // without the query
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;
    QString clientCertificate; // TLS: the common name of the client's certificate, if any

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first == name)
                return h.second;
        return {};
    }
    QJsonObject json() const;
};

// What to answer. Pieces are written one by one, `delayMs` apart, chunked unless a
// Content-Length reply was asked for; then the reply may end normally, stall (send nothing
// more, keep the connection) or reset (close abruptly).
struct Reply
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QList<QByteArray> pieces;
    int delayMs = 0;
    int firstDelayMs = 0; // before the status line
    bool chunked = true;
    qint64 contentLength = -1; // announced instead of the real length (a truncated body)
    enum class End { Normal, Stall, Reset, CloseWithoutTerminator } end = End::Normal;

    static Reply json(int status, const QByteArray &body);
    static Reply sse(const QList<QByteArray> &events, int delayMs = 0); // events are whole frames
    static Reply ndjson(const QList<QByteArray> &lines, int delayMs = 0);
    Reply &header(const QByteArray &name, const QByteArray &value)
    {
        headers.append(qMakePair(name, value));
        return *this;
    }
};

class FakeServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<Reply(const Received &)>;

    explicit FakeServer(QObject *parent = nullptr);
    // The same over TLS (QSslServer): HTTP/1.1 after the handshake, https:// URLs.
    explicit FakeServer(const QSslConfiguration &tls, QObject *parent = nullptr);
    ~FakeServer() override;

    quint16 port() const { return m_server->serverPort(); }
    int connections() const { return m_connections; }           // accepted (after TLS)
    int failedHandshakes() const { return m_failedHandshakes; } // TLS only
    QString url(const QString &path = {}) const;

    // Exact path, or a prefix when the pattern ends with '*'. The latest matching route wins.
    void on(const QByteArray &method, const QByteArray &pattern, Handler handler);
    // Replies used once each, in order, before the handlers (e.g. a 429, then the real one).
    void enqueue(Reply reply) { m_queue.append(std::move(reply)); }

    QList<Received> requests() const { return m_requests; }
    Received last() const { return m_requests.isEmpty() ? Received{} : m_requests.last(); }
    int requestCount() const { return m_requests.size(); }
    void clear() { m_requests.clear(); }
    int inFlight() const { return m_inFlight; }
    int peakInFlight() const { return m_peak; }
    int abortedByClient() const { return m_aborted; }

    static QByteArray sseData(const QJsonObject &o);
    static QByteArray sseEvent(const QByteArray &name, const QJsonObject &o);

signals:
    void received(const gwtest::Received &request);

private:
    struct Conn;
    void onReadable(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const Received &req);
    void writePiece(QTcpSocket *socket, quint64 gen, Reply reply, int index);
    void finishReply(QTcpSocket *socket);
    void accept();

    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    int m_connections = 0;
    int m_failedHandshakes = 0;
    QList<std::tuple<QByteArray, QByteArray, Handler>> m_routes;
    QList<Reply> m_queue;
    QList<Received> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QTcpSocket *, bool> m_busy; // a reply is in progress on this connection
    QHash<QTcpSocket *, quint64> m_generation;
    int m_inFlight = 0;
    int m_peak = 0;
    int m_aborted = 0;
};

} // namespace gwtest
