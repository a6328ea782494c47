// The server's limits over real loopback sockets: messages per request, requests in progress per
// client address, and the idle / half-sent-request timeouts — each answered in the client's
// dialect while everyone else goes on being served, and none of them cutting an answer that is
// still being produced.

#include "chat/chatjob.h"
#include "gatewayfixture.h"
#include "rawhttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;

namespace {

QJsonObject obj(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// `messages` turns, the last one (a user's) saying `text`.
QByteArray chatBody(const QByteArray &model, int messages, bool stream = false,
                    const QString &text = QStringLiteral("hello"))
{
    QJsonArray list;
    for (int i = messages - 1; i >= 0; --i)
        list.append(QJsonObject{
            {QStringLiteral("role"), i % 2 ? QStringLiteral("assistant") : QStringLiteral("user")},
            {QStringLiteral("content"), i == 0 ? text : QStringLiteral("m%1").arg(i)}});
    return QJsonDocument(QJsonObject{{QStringLiteral("model"), QString::fromLatin1(model)},
                                     {QStringLiteral("stream"), stream},
                                     {QStringLiteral("messages"), list}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TstLimits : public QObject
{
    Q_OBJECT

    gwtest::GatewayFixture m_gw;
    quint16 m_port = 0;

    bool idle() { return m_gw.waitIdle(10000); }

private slots:
    void initTestCase()
    {
        // Small limits, so the tests reach them quickly. "slow" pauses longer between words
        // than both timeouts, so an answer in progress outlives them.
        QVERIFY2(
            m_gw.setUp(
                "{\"providers\":[{\"name\":\"echo\",\"type\":\"echo\",\"options\":{\"delay_ms\":2}}"
                ","
                "{\"name\":\"slowecho\",\"type\":\"echo\",\"options\":{\"delay_ms\":900}}],"
                "\"models\":[{\"name\":\"slow\",\"provider\":\"slowecho\",\"model\":\"echo\"}],"
                "\"server\":{\"max_messages\":5,\"max_requests_per_client\":3,"
                "\"idle_timeout_ms\":600,\"header_timeout_ms\":400}}"),
            qPrintable(m_gw.error()));
        m_port = m_gw.port();
    }

    void messageCountIsLimited()
    {
        RawHttp c(m_port);
        auto r = c.request("POST", "/api/chat", chatBody("echo", 5));
        QCOMPARE(r->status, 200); // at the limit: fine

        r = c.request("POST", "/api/chat", chatBody("echo", 6));
        QCOMPARE(r->status, 400);
        QCOMPARE(obj(r->body).value(QStringLiteral("error")).toString(),
                 QStringLiteral("too many messages: 6 (the limit is 5, server.max_messages)"));

        r = c.request("POST", "/v1/chat/completions", chatBody("echo", 6));
        QCOMPARE(r->status, 400);
        const QJsonObject err = obj(r->body).value(QStringLiteral("error")).toObject();
        QCOMPARE(err.value(QStringLiteral("type")).toString(),
                 QStringLiteral("invalid_request_error"));
        QVERIFY2(err.value(QStringLiteral("message"))
                     .toString()
                     .startsWith(QStringLiteral("too many messages: 6 (the limit is 5")),
                 r->body.constData());

        r = c.request("POST", "/v1/chat/completions", chatBody("echo", 5));
        QCOMPARE(r->status, 200);
    }

    void concurrentRequestsPerClientAreLimited()
    {
        // Three slow streams from 127.0.0.1 fill its share.
        QList<RawHttp *> busy;
        for (int i = 0; i < 3; ++i) {
            auto *c = new RawHttp(m_port);
            c->send("POST", "/api/chat",
                    chatBody("slow", 1, true, QStringLiteral("a b c d e f g h i j")));
            QVERIFY(c->readHead());
            busy.append(c);
        }
        QCOMPARE(m_gw->findChildren<ChatJob *>().size(), 3);

        // A fourth from the same address is told to wait, in each dialect.
        RawHttp more(m_port);
        auto r = more.request("POST", "/api/chat", chatBody("echo", 1));
        QCOMPARE(r->status, 429);
        QCOMPARE(r->header("retry-after"), QByteArray("1"));
        QVERIFY2(obj(r->body)
                     .value(QStringLiteral("error"))
                     .toString()
                     .startsWith(QStringLiteral("too many requests in progress from 127.0.0.1 "
                                                "(the limit is 3 at once")),
                 r->body.constData());
        r = more.request("POST", "/v1/chat/completions", chatBody("echo", 1));
        QCOMPARE(r->status, 429);
        const QJsonObject err = obj(r->body).value(QStringLiteral("error")).toObject();
        QCOMPARE(err.value(QStringLiteral("type")).toString(), QStringLiteral("rate_limit_error"));
        QCOMPARE(err.value(QStringLiteral("code")).toString(),
                 QStringLiteral("rate_limit_exceeded"));

        // Another client address is not affected (all of 127/8 is loopback on Linux).
        RawHttp other(m_port);
        QVERIFY(other.socket().bind(QHostAddress(QStringLiteral("127.0.0.2")), 0));
        r = other.request("POST", "/api/chat", chatBody("echo", 1));
        QCOMPARE(r->status, 200);

        // A client that hangs up frees its slot at once.
        delete busy.takeLast();
        QTRY_COMPARE(m_gw->findChildren<ChatJob *>().size(), 2);
        RawHttp after(m_port); // a fresh connection: `more` may have idled out by now
        r = after.request("POST", "/api/chat", chatBody("echo", 1));
        QCOMPARE(r->status, 200);

        // So does an answer that ends.
        for (RawHttp *c : busy)
            c->close();
        qDeleteAll(busy);
        QVERIFY(idle());
        for (int i = 0; i < 4; ++i) {
            RawHttp again(m_port);
            QCOMPARE(again.request("GET", "/api/version")->status, 200);
        }
    }

    void idleKeepAliveConnectionIsClosed()
    {
        RawHttp c(m_port);
        QCOMPARE(c.request("GET", "/api/version")->status, 200);
        QCOMPARE(c.socket().state(), QAbstractSocket::ConnectedState);
        // No bytes for longer than idle_timeout_ms: the server closes it, without an answer.
        QVERIFY(c.waitClosed(10000));
        QVERIFY(!c.hasBufferedData());

        // A connection that never sends anything goes the same way.
        RawHttp silent(m_port);
        QVERIFY(silent.connect());
        QVERIFY(silent.waitClosed(10000));
    }

    void halfSentHeadersGet408()
    {
        RawHttp c(m_port);
        c.writeRaw("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        auto r = c.read(10000);
        QVERIFY(r);
        QCOMPARE(r->status, 408);
        QVERIFY2(obj(r->body)
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .contains(QStringLiteral("did not arrive completely")),
                 r->body.constData());
        QVERIFY(c.waitClosed(10000));

        // Trickling the headers a byte at a time does not keep them open: the deadline runs
        // from the first byte.
        RawHttp slow(m_port);
        QVERIFY(slow.connect());
        const QByteArray head =
            "GET /api/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + QByteArray(200, 'a') +
            "\r\n\r\n";
        for (qsizetype i = 0;
             i < head.size() && slow.socket().state() == QAbstractSocket::ConnectedState &&
             !slow.hasBufferedData();
             ++i) {
            slow.writeRaw(head.mid(i, 1));
            QTest::qWait(50);
        }
        r = slow.read(10000);
        QVERIFY(r);
        QCOMPARE(r->status, 408);
        QVERIFY(obj(r->body).value(QStringLiteral("error")).isString()); // Ollama's shape
    }

    void stalledBodyGets408()
    {
        RawHttp c(m_port);
        c.writeRaw("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n"
                   "{\"model\":");
        const auto r = c.read(10000);
        QVERIFY(r);
        QCOMPARE(r->status, 408);
        QVERIFY(obj(r->body).value(QStringLiteral("error")).isString());
        QVERIFY(c.waitClosed(10000));
        QCOMPARE(c.request("GET", "/api/version")->status, 200); // a new connection is fine
    }

    void answersInProgressAreNeverCut()
    {
        // Pauses of 900 ms between words, longer than both timeouts.
        RawHttp c(m_port);
        c.send("POST", "/api/chat", chatBody("slow", 1, true, QStringLiteral("one two")));
        auto r = c.read(20000);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QVERIFY(r->body.contains("\"done\":true"));

        // Not streamed: nothing at all goes out until the end.
        r = c.request("POST", "/v1/chat/completions",
                      chatBody("slow", 1, false, QStringLiteral("one two three")));
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("choices"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("one two three"));
        // ...and the connection is still open for the next request.
        QCOMPARE(c.request("GET", "/api/version")->status, 200);
    }
};

QTEST_GUILESS_MAIN(TstLimits)
#include "tst_limits.moc"
