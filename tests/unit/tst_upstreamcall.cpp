// UpstreamCall over real loopback HTTP: the plain-http path (HttpExchange on NetworkPool's
// keep-alive connections) against a scripted raw upstream that counts connections and writes
// exactly the bytes each test wants: keep-alive reuse, Content-Length / chunked / until-close
// bodies, a body in many pieces, kept connections the server closed, each timeout, retries
// with Retry-After, abort and delete closing the connection, draining after bodyComplete(),
// error statuses with bodies, malformed responses as typed errors, HTTP_PROXY (tinyproxy) and
// NO_PROXY. Plus HttpResponseParser on its own and parseRetryAfter.

#include "net/httpresponseparser.h"
#include "net/networkpool.h"
#include "net/upstreamcall.h"

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace gw;

namespace {

struct Request
{
    QByteArray head; // request line and headers
    QByteArray body;
    QByteArray line() const { return head.left(head.indexOf("\r\n")); }
    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &l : head.split('\n')) {
            const qsizetype colon = l.indexOf(':');
            if (colon > 0 && l.left(colon).trimmed().toLower() == name)
                return l.mid(colon + 1).trimmed();
        }
        return {};
    }
};

// A raw HTTP/1.1 upstream on 127.0.0.1: reads requests (Content-Length bodies) and lets the
// test's handler answer on the socket however it likes (or not at all).
class RawUpstream : public QObject
{
public:
    // n: the request's number (0-based) over all connections.
    using Handler = std::function<void(QTcpSocket *socket, const Request &request, int n)>;

    explicit RawUpstream(Handler handler) : m_handler(std::move(handler))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++connections;
                m_sockets.append(s);
                // Not reading means the bytes stay in the kernel's buffers, which then fill:
                // without a bound, Qt's socket would read them all into its own buffer and a
                // fast machine would take a whole 64 MB request before any timeout.
                if (!reading)
                    s->setReadBufferSize(4096);
                auto buffer = std::make_shared<QByteArray>();
                connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
                    if (!reading)
                        return; // leaves the bytes in the socket's buffers
                    *buffer += s->readAll();
                    for (;;) {
                        const qsizetype end = buffer->indexOf("\r\n\r\n");
                        if (end < 0)
                            return;
                        Request r;
                        r.head = buffer->left(end + 2);
                        const qsizetype length = r.header("content-length").toLongLong();
                        if (buffer->size() < end + 4 + length)
                            return;
                        r.body = buffer->mid(end + 4, length);
                        buffer->remove(0, end + 4 + length);
                        requests.append(r);
                        m_handler(s, r, int(requests.size()) - 1);
                    }
                });
                connect(s, &QTcpSocket::disconnected, s, [this] { ++closedByClient; });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url(const QString &path = QStringLiteral("/v1/x")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    quint16 port() const { return m_server.serverPort(); }
    // Closes every connection from the server's side.
    void closeAll()
    {
        for (QTcpSocket *s : std::as_const(m_sockets))
            if (s)
                s->disconnectFromHost();
    }

    int connections = 0;
    int closedByClient = 0; // connections the client closed (disconnected seen here)
    bool reading = true;
    // Reads again what the sockets left in the kernel (so that a close behind it is seen).
    void drain()
    {
        for (QTcpSocket *s : std::as_const(m_sockets))
            if (s)
                s->setReadBufferSize(0);
    }
    QList<Request> requests;

private:
    QTcpServer m_server;
    Handler m_handler;
    QList<QPointer<QTcpSocket>> m_sockets;
};

QByteArray ok(const QByteArray &body, const QByteArray &extra = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n" + extra + "\r\n" + body;
}

QNetworkRequest request(const QUrl &url)
{
    QNetworkRequest r(url);
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    r.setRawHeader("Authorization", "Bearer k");
    r.setRawHeader("X-Removed", QByteArray()); // an empty value removes a header
    return r;
}

UpstreamOptions fast()
{
    UpstreamOptions o;
    o.backoffBaseMs = 1;
    o.backoffMaxMs = 2;
    return o;
}

// A call's outcome, collected.
struct Outcome
{
    bool done = false;
    bool ok = false;
    int status = 0;
    QByteArray body;
    QList<QByteArray> pieces;
    UpstreamError error;
    int attempts = 0;
};

std::unique_ptr<UpstreamCall> run(NetworkPool &pool, const QUrl &url, Outcome &out,
                                  UpstreamOptions options = fast(),
                                  const QByteArray &body = "{\"q\":1}")
{
    auto call = std::make_unique<UpstreamCall>(pool, request(url), "POST", body, options);
    UpstreamCall *c = call.get();
    QObject::connect(c, &UpstreamCall::responseStarted, c, [&out](int s) { out.status = s; });
    QObject::connect(c, &UpstreamCall::bodyData, c, [&out](const QByteArray &p) {
        out.body += p;
        out.pieces.append(p);
    });
    QObject::connect(c, &UpstreamCall::finished, c, [&out, c] {
        out.done = out.ok = true;
        out.attempts = c->attempts();
    });
    QObject::connect(c, &UpstreamCall::failed, c, [&out, c](const UpstreamError &e) {
        out.done = true;
        out.error = e;
        out.attempts = c->attempts();
    });
    call->start();
    return call;
}

Outcome runToEnd(NetworkPool &pool, const QUrl &url, UpstreamOptions options = fast())
{
    Outcome out;
    auto call = run(pool, url, out, std::move(options));
    if (!QTest::qWaitFor([&out] { return out.done; }, 20000))
        out.error.message = QStringLiteral("(the test gave up waiting)");
    return out;
}

// Sets an environment variable for one scope.
class ScopedEnv
{
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name), m_had(qEnvironmentVariableIsSet(name)), m_old(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

// A tinyproxy on a free loopback port (scripts/setup.sh installs it).
class Tinyproxy
{
public:
    Tinyproxy()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost))
            return;
        m_port = probe.serverPort();
        probe.close();
        QFile conf(m_dir.filePath(QStringLiteral("tinyproxy.conf")));
        const QByteArray text = "Port " + QByteArray::number(m_port) +
                                "\nListen 127.0.0.1\nTimeout 60\nLogLevel Connect\nLogFile \"" +
                                m_dir.filePath(QStringLiteral("tinyproxy.log")).toUtf8() +
                                "\"\nMaxClients 50\nAllow 127.0.0.1\n";
        if (!conf.open(QIODevice::WriteOnly) || conf.write(text) != text.size())
            return;
        conf.close();
        m_process.start(QStringLiteral("tinyproxy"),
                        {QStringLiteral("-d"), QStringLiteral("-c"), conf.fileName()});
        if (!m_process.waitForStarted())
            return;
        for (int i = 0; i < 500 && m_process.state() == QProcess::Running; ++i) {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, m_port);
            if (s.waitForConnected(1000)) {
                m_ready = true;
                return;
            }
            QTest::qWait(10);
        }
    }
    ~Tinyproxy()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
    }
    bool ready() const { return m_ready; }
    quint16 port() const { return m_port; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    bool m_ready = false;
};

// Parses a whole response fed in pieces of `step` bytes.
struct Parsed
{
    HttpResponseParser p;
    QByteArray body;
};
void parseInSteps(Parsed &out, const QByteArray &in, qsizetype step, bool close = false)
{
    out.p.reset();
    for (qsizetype i = 0; i < in.size() && !out.p.failed() && !out.p.done(); i += step)
        out.p.feed(in.constData() + i, qMin(step, in.size() - i), out.body);
    if (close)
        out.p.closed();
}

} // namespace

class TstUpstreamCall : public QObject
{
    Q_OBJECT

private slots:
    void retryAfterParsing()
    {
        QCOMPARE(UpstreamCall::parseRetryAfter("7", {}), 7);
        QCOMPARE(UpstreamCall::parseRetryAfter("1.2", {}), 2);
        QCOMPARE(UpstreamCall::parseRetryAfter("3", "1500"), 2); // -ms wins
        QCOMPARE(UpstreamCall::parseRetryAfter({}, {}), 0);
        const QByteArray date =
            QDateTime::currentDateTimeUtc().addSecs(30).toString(Qt::RFC2822Date).toLatin1();
        QVERIFY(qAbs(UpstreamCall::parseRetryAfter(date, {}) - 30) <= 1);
    }

    void parserFramings_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<bool>("close");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                                                      "X-A: 1\r\n\r\nhello")
                                        << false << 200 << QByteArray("hello") << true;
        QTest::newRow("chunked, extensions, trailers")
            << QByteArray("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5;ext=1\r\nhello\r\nA \r\n, world!!!\r\n0\r\nX-Trailer: t\r\n\r\n")
            << false << 201 << QByteArray("hello, world!!!") << true;
        QTest::newRow("until close") << QByteArray("HTTP/1.1 200 OK\r\n\r\nall of it") << true
                                     << 200 << QByteArray("all of it") << false;
        QTest::newRow("100 continue first")
            << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                          "\r\nok")
            << false << 200 << QByteArray("ok") << true;
        QTest::newRow("204 has no body") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << false
                                         << 204 << QByteArray() << true;
        QTest::newRow("connection close") << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\n"
                                                        "Content-Length: 1\r\n\r\nx")
                                          << false << 200 << QByteArray("x") << false;
        QTest::newRow("HTTP/1.0") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx")
                                  << false << 200 << QByteArray("x") << false;
    }
    void parserFramings()
    {
        QFETCH(QByteArray, wire);
        QFETCH(bool, close);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, keepAlive);
        // Whole, and one byte at a time: the same response.
        for (const qsizetype step : {wire.size(), qsizetype(1), qsizetype(3)}) {
            Parsed out;
            parseInSteps(out, wire, step, close);
            QVERIFY2(out.p.done(), qPrintable(out.p.error()));
            QCOMPARE(out.p.status(), status);
            QCOMPARE(out.body, body);
            QCOMPARE(out.p.keepAlive(), keepAlive);
        }
    }

    void parserRejects_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("not a status line") << QByteArray("HTP/1.1 200 OK\r\n\r\n");
        QTest::newRow("status not a number") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n");
        QTest::newRow("HTTP/2 text") << QByteArray("HTTP/2 200\r\n\r\n");
        QTest::newRow("bad chunk size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        QTest::newRow("huge chunk size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "fffffffffffffffffff\r\n");
        QTest::newRow("chunk longer than its size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n");
        QTest::newRow("bad content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
        QTest::newRow("two content-lengths")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        QTest::newRow("header without name") << QByteArray("HTTP/1.1 200 OK\r\n: x\r\n\r\n");
        QTest::newRow("switching protocols")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\n\r\n");
        QTest::newRow("endless headers")
            << QByteArray("HTTP/1.1 200 OK\r\n") +
                   QByteArray("X-A: b\r\n").repeated(HttpResponseParser::kMaxHead / 8);
    }
    void parserRejects()
    {
        QFETCH(QByteArray, wire);
        for (const qsizetype step : {wire.size(), qsizetype(1)}) {
            Parsed out;
            parseInSteps(out, wire, step);
            QVERIFY(out.p.failed());
            QVERIFY(!out.p.error().isEmpty());
        }
        // A truncated response is an error when the connection closes.
        Parsed cut;
        parseInSteps(cut, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc", 4, true);
        QVERIFY(cut.p.failed());
    }

    void keepAliveReuse()
    {
        RawUpstream up([](QTcpSocket *s, const Request &r, int n) {
            s->write(ok("{\"n\":" + QByteArray::number(n) + ",\"echo\":" + r.body + "}"));
        });
        NetworkPool pool;
        QVERIFY(pool.goesDirect(up.url(), nullptr));
        for (int i = 0; i < 4; ++i) {
            const Outcome out = runToEnd(pool, up.url());
            QVERIFY2(out.ok, qPrintable(out.error.message));
            QCOMPARE(out.status, 200);
            QCOMPARE(out.body, "{\"n\":" + QByteArray::number(i) + ",\"echo\":{\"q\":1}}");
            QCOMPARE(out.attempts, 1);
        }
        QCOMPARE(up.connections, 1); // four calls, one connection
        QCOMPARE(pool.idleConnections(), 1);
        QCOMPARE(pool.managerCount(), 0); // QNetworkAccessManager was never used
        // What the upstream received.
        const Request &r = up.requests.first();
        QCOMPARE(r.line(), QByteArray("POST /v1/x HTTP/1.1"));
        QCOMPARE(r.header("host"), "127.0.0.1:" + QByteArray::number(up.port()));
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.header("authorization"), QByteArray("Bearer k"));
        QCOMPARE(r.header("content-length"), QByteArray("7"));
        QVERIFY(!r.head.toLower().contains("x-removed"));
        QCOMPARE(r.body, QByteArray("{\"q\":1}"));
    }

    void queryAndGet()
    {
        RawUpstream up([](QTcpSocket *s, const Request &, int) { s->write(ok("[]")); });
        NetworkPool pool;
        QUrl url = up.url(QStringLiteral("/models"));
        url.setQuery(QStringLiteral("pageSize=1000&a=b%20c"));
        QByteArray body;
        bool done = false;
        UpstreamCall::collect(pool, QNetworkRequest(url), "GET", {}, fast(), this,
                              [&](const QByteArray &b, const UpstreamError *e) {
                                  done = true;
                                  QVERIFY(!e);
                                  body = b;
                              });
        QTRY_VERIFY(done);
        QCOMPARE(body, QByteArray("[]"));
        QCOMPARE(up.requests.first().line(),
                 QByteArray("GET /models?pageSize=1000&a=b%20c HTTP/1.1"));
        QVERIFY(up.requests.first().header("content-length").isEmpty());
    }

    void chunkedAndUntilCloseBodies()
    {
        RawUpstream up([](QTcpSocket *s, const Request &, int n) {
            if (n == 0) {
                s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "6\r\ndata: \r\n3;x=y\r\nabc\r\n0\r\n\r\n");
            } else {
                s->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
                s->disconnectFromHost();
            }
        });
        NetworkPool pool;
        Outcome out = runToEnd(pool, up.url());
        QVERIFY2(out.ok, qPrintable(out.error.message));
        QCOMPARE(out.body, QByteArray("data: abc"));
        out = runToEnd(pool, up.url());
        QVERIFY2(out.ok, qPrintable(out.error.message));
        QCOMPARE(out.body, QByteArray("until the end"));
        QCOMPARE(up.connections, 1);
        QCOMPARE(pool.idleConnections(), 0); // an until-close body uses the connection up
        out = runToEnd(pool, up.url());
        QCOMPARE(up.connections, 2);
    }

    void bodyInManyPieces()
    {
        // The response goes out one byte per event-loop turn.
        const QByteArray wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                "4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n";
        RawUpstream up([wire](QTcpSocket *s, const Request &, int) {
            auto i = std::make_shared<int>(0);
            auto *t = new QTimer(s);
            QObject::connect(t, &QTimer::timeout, s, [s, t, i, wire] {
                if (*i >= wire.size()) {
                    t->deleteLater();
                    return;
                }
                s->write(wire.mid((*i)++, 1));
                s->flush();
            });
            t->start(0);
        });
        NetworkPool pool;
        const Outcome out = runToEnd(pool, up.url());
        QVERIFY2(out.ok, qPrintable(out.error.message));
        QCOMPARE(out.body, QByteArray("abcdefgh"));
        QCOMPARE(pool.idleConnections(), 1);
    }

    void keptConnectionClosedByServer()
    {
        // The server closes the idle connection between calls: the pool notices, the next
        // call opens a new one.
        RawUpstream up([](QTcpSocket *s, const Request &, int) { s->write(ok("1")); });
        NetworkPool pool;
        QVERIFY(runToEnd(pool, up.url()).ok);
        QCOMPARE(pool.idleConnections(), 1);
        up.closeAll();
        QTRY_COMPARE(pool.idleConnections(), 0);
        Outcome out = runToEnd(pool, up.url());
        QVERIFY2(out.ok, qPrintable(out.error.message));
        QCOMPARE(out.attempts, 1);
        QCOMPARE(up.connections, 2);
    }

    void keptConnectionClosedAsTheRequestArrives()
    {
        // The race the pool cannot see: the server closes a kept connection just as the
        // request is sent on it. Nothing of a response came: once more on a new connection,
        // within the same attempt.
        RawUpstream up([](QTcpSocket *s, const Request &, int n) {
            if (n == 1)
                s->abort();
            else
                s->write(ok("fine"));
        });
        NetworkPool pool;
        QVERIFY(runToEnd(pool, up.url()).ok);
        UpstreamOptions once = fast();
        once.maxRetries = 0;
        const Outcome out = runToEnd(pool, up.url(), once);
        QVERIFY2(out.ok, qPrintable(out.error.message));
        QCOMPARE(out.body, QByteArray("fine"));
        QCOMPARE(out.attempts, 1);
        QCOMPARE(up.connections, 2);
        QCOMPARE(up.requests.size(), 3);
    }

    void connectTimeout()
    {
        // The server never reads: the request (larger than the socket buffers) is never
        // written, which is the connect phase.
        RawUpstream up([](QTcpSocket *, const Request &, int) {});
        up.reading = false;
        NetworkPool pool;
        UpstreamOptions o = fast();
        o.connectTimeoutMs = 300;
        o.maxRetries = 0;
        Outcome out;
        auto call = run(pool, up.url(), out, o, QByteArray(64 << 20, 'x'));
        QTRY_VERIFY_WITH_TIMEOUT(out.done, 20000);
        QCOMPARE(out.error.kind, UpstreamError::Kind::Timeout);
        QVERIFY2(out.error.message.startsWith(QStringLiteral("could not connect within")),
                 qPrintable(out.error.message));
        up.drain();
        QTRY_COMPARE(up.closedByClient, 1);
    }

    void firstByteTimeout()
    {
        RawUpstream up([](QTcpSocket *, const Request &, int) {}); // never answers
        NetworkPool pool;
        UpstreamOptions o = fast();
        o.firstByteTimeoutMs = 100;
        const Outcome out = runToEnd(pool, up.url(), o);
        QCOMPARE(out.error.kind, UpstreamError::Kind::Timeout);
        QVERIFY2(out.error.message.startsWith(QStringLiteral("no response within")),
                 qPrintable(out.error.message));
        QCOMPARE(out.attempts, 1); // a slow answer is not retried
        QTRY_COMPARE(up.closedByClient, 1);
    }

    void idleTimeout()
    {
        RawUpstream up([](QTcpSocket *s, const Request &, int) {
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
        });
        NetworkPool pool;
        UpstreamOptions o = fast();
        o.idleTimeoutMs = 100;
        const Outcome out = runToEnd(pool, up.url(), o);
        QCOMPARE(out.body, QByteArray("first"));
        QCOMPARE(out.error.kind, UpstreamError::Kind::Timeout);
        QVERIFY2(out.error.message.startsWith(QStringLiteral("the response stalled")),
                 qPrintable(out.error.message));
        QTRY_COMPARE(up.closedByClient, 1);
    }

    void retryOn503WithRetryAfter()
    {
        RawUpstream up([](QTcpSocket *s, const Request &, int n) {
            const QByteArray busy = "{\"error\":\"busy\"}";
            if (n == 0)
                s->write("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: " +
                         QByteArray::number(busy.size()) + "\r\n\r\n" + busy);
            else
                s->write(ok("done"));
        });
        NetworkPool pool;
        const Outcome out = runToEnd(pool, up.url());
        QVERIFY2(out.ok, qPrintable(out.error.message));
        QCOMPARE(out.body, QByteArray("done"));
        QCOMPARE(out.attempts, 2);
        QCOMPARE(up.connections, 1); // the 503's body was read: its connection was kept
    }

    void retryAfterTooLongIsPassedOn()
    {
        RawUpstream up([](QTcpSocket *s, const Request &, int) {
            s->write("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 60\r\nContent-Length: 4\r\n"
                     "\r\nslow");
        });
        NetworkPool pool;
        const Outcome out = runToEnd(pool, up.url());
        QCOMPARE(out.error.kind, UpstreamError::Kind::Http);
        QCOMPARE(out.error.httpStatus, 429);
        QCOMPARE(out.error.retryAfterSeconds, 60);
        QCOMPARE(out.error.body, QByteArray("slow"));
        QCOMPARE(out.attempts, 1);
    }

    void retryableVeto()
    {
        RawUpstream up([](QTcpSocket *s, const Request &, int) {
            s->write("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 5\r\n\r\nquota");
        });
        NetworkPool pool;
        UpstreamOptions o = fast();
        o.retryable = [](const UpstreamError &e) { return e.body != "quota"; };
        const Outcome out = runToEnd(pool, up.url(), o);
        QCOMPARE(out.error.httpStatus, 429);
        QCOMPARE(out.attempts, 1);
        QCOMPARE(up.requests.size(), 1);
    }

    void errorStatusWithBody()
    {
        const QByteArray body = "{\"error\":{\"message\":\"no such model\"}}";
        RawUpstream up([body](QTcpSocket *s, const Request &, int) {
            s->write("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n" +
                     QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n");
        });
        NetworkPool pool;
        const Outcome out = runToEnd(pool, up.url());
        QCOMPARE(out.error.kind, UpstreamError::Kind::Http);
        QCOMPARE(out.error.httpStatus, 404);
        QCOMPARE(out.error.body, body);
        QCOMPARE(out.error.message, QStringLiteral("HTTP 404"));
        QCOMPARE(out.attempts, 1); // 404 is not retried
        QCOMPARE(out.status, 0);   // responseStarted is for 2xx only
        QVERIFY(out.pieces.isEmpty());
        QCOMPARE(pool.idleConnections(), 1);
    }

    void abortMidBody()
    {
        RawUpstream up([](QTcpSocket *s, const Request &, int) {
            s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
        });
        NetworkPool pool;
        Outcome out;
        auto call = run(pool, up.url(), out);
        QTRY_COMPARE(out.body, QByteArray("first"));
        call->abort();
        QTRY_COMPARE(up.closedByClient, 1); // the server sees the connection close
        QVERIFY(!out.done);                 // no signal after abort()
        QCOMPARE(pool.idleConnections(), 0);
        // Deleting a call closes its connection too.
        auto second = run(pool, up.url(), out);
        QTRY_COMPARE(up.connections, 2);
        QTRY_COMPARE(out.body, QByteArray("firstfirst"));
        second.reset();
        QTRY_COMPARE(up.closedByClient, 2);
    }

    void drainAfterBodyComplete()
    {
        // The decoder has what it needs; the rest arrives after the call is gone and is read
        // so that the connection is kept.
        QPointer<QTcpSocket> server;
        RawUpstream up([&server](QTcpSocket *s, const Request &, int n) {
            if (n == 0) {
                server = s;
                s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ndone\r\n");
            } else {
                s->write(ok("again"));
            }
        });
        NetworkPool pool;
        Outcome out;
        auto call = run(pool, up.url(), out);
        QTRY_COMPARE(out.body, QByteArray("done"));
        call->bodyComplete();
        call.reset();
        QVERIFY(server);
        server->write("5\r\nusage\r\n0\r\n\r\n");
        QTRY_COMPARE(pool.idleConnections(), 1);
        const Outcome next = runToEnd(pool, up.url());
        QVERIFY2(next.ok, qPrintable(next.error.message));
        QCOMPARE(up.connections, 1);
        QCOMPARE(up.closedByClient, 0);
    }

    void closedMidBody()
    {
        RawUpstream up([](QTcpSocket *s, const Request &, int) {
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart");
            s->disconnectFromHost();
        });
        NetworkPool pool;
        const Outcome out = runToEnd(pool, up.url());
        QCOMPARE(out.body, QByteArray("part"));
        QCOMPARE(out.error.kind, UpstreamError::Kind::Reset);
        QVERIFY2(out.error.message.contains(QStringLiteral("in the middle")),
                 qPrintable(out.error.message));
        QCOMPARE(out.attempts, 1); // never retried once the body has begun
    }

    void malformedResponses()
    {
        RawUpstream up([](QTcpSocket *s, const Request &, int n) {
            if (n == 0)
                s->write("HTP/1.1 200 OK\r\n\r\n");
            else
                s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
                         "zz\r\n");
        });
        NetworkPool pool;
        UpstreamOptions o = fast();
        o.maxRetries = 0;
        Outcome out = runToEnd(pool, up.url(), o);
        QCOMPARE(out.error.kind, UpstreamError::Kind::Connect);
        QVERIFY2(out.error.message.contains(QStringLiteral("did not answer in HTTP/1.1")),
                 qPrintable(out.error.message));
        QTRY_COMPARE(up.closedByClient, 1);
        out = runToEnd(pool, up.url(), o);
        QCOMPARE(out.status, 200);
        QCOMPARE(out.body, QByteArray("hello"));
        QCOMPARE(out.error.kind, UpstreamError::Kind::Reset);
        QVERIFY2(out.error.message.contains(QStringLiteral("chunk size")),
                 qPrintable(out.error.message));
        QCOMPARE(pool.idleConnections(), 0);
    }

    void redirectIsAnHttpStatus()
    {
        // As through QNetworkAccessManager before (UpstreamCall reported the first status it
        // saw), a 3xx is an HTTP error the provider turns into a message; nothing follows it.
        RawUpstream up([](QTcpSocket *s, const Request &, int) {
            s->write("HTTP/1.1 307 Temporary Redirect\r\nLocation: /v1/y\r\n"
                     "Content-Length: 0\r\n\r\n");
        });
        NetworkPool pool;
        const Outcome out = runToEnd(pool, up.url());
        QCOMPARE(out.error.kind, UpstreamError::Kind::Http);
        QCOMPARE(out.error.httpStatus, 307);
        QCOMPARE(out.attempts, 1);
        QCOMPARE(up.requests.size(), 1);
        QCOMPARE(pool.managerCount(), 0);
    }

    void connectionRefused()
    {
        quint16 port = 0;
        {
            QTcpServer s;
            QVERIFY(s.listen(QHostAddress::LocalHost));
            port = s.serverPort();
        }
        NetworkPool pool;
        UpstreamOptions o = fast();
        o.maxRetries = 1;
        const Outcome out =
            runToEnd(pool, QUrl(QStringLiteral("http://127.0.0.1:%1/v1/x").arg(port)), o);
        QCOMPARE(out.error.kind, UpstreamError::Kind::Connect);
        QCOMPARE(out.error.message, QStringLiteral("connection to 127.0.0.1:%1 refused").arg(port));
        QCOMPARE(out.attempts, 2); // retried
    }

    void httpProxyFromTheEnvironment()
    {
        Tinyproxy proxy;
        QVERIFY2(proxy.ready(), "tinyproxy did not start (scripts/setup.sh installs it)");
        RawUpstream up([](QTcpSocket *s, const Request &, int) { s->write(ok("proxied")); });
        const ScopedEnv env("HTTP_PROXY", "http://127.0.0.1:" + QByteArray::number(proxy.port()));
        NetworkPool pool;
        QVERIFY(!pool.goesDirect(up.url(), nullptr));
        const Outcome out = runToEnd(pool, up.url());
        QVERIFY2(out.ok, qPrintable(out.error.message));
        QCOMPARE(out.body, QByteArray("proxied"));
        QVERIFY2(up.requests.first().header("via").contains("tinyproxy"),
                 up.requests.first().head.constData());
        QCOMPARE(pool.idleConnections(), 0); // not the lean path
    }

    void noProxyGoesDirect()
    {
        Tinyproxy proxy;
        QVERIFY2(proxy.ready(), "tinyproxy did not start (scripts/setup.sh installs it)");
        RawUpstream up([](QTcpSocket *s, const Request &, int) { s->write(ok("direct")); });
        const ScopedEnv env("HTTP_PROXY", "http://127.0.0.1:" + QByteArray::number(proxy.port()));
        const ScopedEnv no("NO_PROXY", "localhost,127.0.0.1");
        NetworkPool pool;
        QVERIFY(pool.goesDirect(up.url(), nullptr));
        const Outcome out = runToEnd(pool, up.url());
        QVERIFY2(out.ok, qPrintable(out.error.message));
        QVERIFY(up.requests.first().header("via").isEmpty());
        QCOMPARE(pool.idleConnections(), 1); // the lean path keeps it
        // https never goes over the lean path; a provider's own proxy decides for it.
        QVERIFY(!pool.goesDirect(QUrl(QStringLiteral("https://127.0.0.1/")), nullptr));
        UpstreamTransport viaProxy;
        viaProxy.proxy =
            QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.port());
        QVERIFY(!pool.goesDirect(up.url(), &viaProxy));
        UpstreamTransport direct;
        direct.proxy = QNetworkProxy(QNetworkProxy::NoProxy);
        QVERIFY(pool.goesDirect(up.url(), &direct));
    }
};

QTEST_GUILESS_MAIN(TstUpstreamCall)
#include "tst_upstreamcall.moc"
