// Upstream faults at the transport level, end to end: TLS that fails, a host that does not
// resolve, a body cut short of its Content-Length, a connection reset after part of the answer.
// Each must reach the client as a clear error in its dialect — an HTTP error when nothing was
// sent yet, a final error line / event mid-stream — and the gateway must go on serving.

#include "chat/chatjob.h"
#include "fakeserver.h"
#include "gatewayfixture.h"
#include "rawhttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace gw;
using gwtest::FakeServer;
using gwtest::Received;
using gwtest::Reply;

namespace {

QJsonObject obj(const QByteArray &b)
{
    return QJsonDocument::fromJson(b).object();
}

QByteArray chat(const QByteArray &model, bool stream)
{
    return "{\"model\":\"" + model + "\",\"stream\":" + (stream ? "true" : "false") +
           ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
}

QByteArray textChunk(const QString &text)
{
    return FakeServer::sseData(
        {{QStringLiteral("choices"),
          QJsonArray{QJsonObject{
              {QStringLiteral("index"), 0},
              {QStringLiteral("delta"), QJsonObject{{QStringLiteral("content"), text}}}}}}});
}

// The error message of a whole (non-streamed) error answer, in either dialect.
QString errorOf(const QByteArray &body)
{
    const QJsonValue e = obj(body).value(QStringLiteral("error"));
    return e.isObject() ? e.toObject().value(QStringLiteral("message")).toString() : e.toString();
}

// The last NDJSON line's error, or the error event of an SSE stream.
QString streamError(const QByteArray &body)
{
    for (const QByteArray &line : body.split('\n')) {
        QByteArray l = line.trimmed();
        if (l.startsWith("data: "))
            l = l.mid(6);
        const QJsonObject o = obj(l);
        if (o.contains(QStringLiteral("error")))
            return errorOf(l);
    }
    return {};
}

} // namespace

class TstFaults : public QObject
{
    Q_OBJECT

    FakeServer *m_fake = nullptr;
    gwtest::GatewayFixture m_gw;

    // One OpenAI-type provider "up" at `baseUrl`, no retries, model "m".
    bool setUp(const QByteArray &baseUrl)
    {
        m_fake->clear();
        return m_gw.setUp(
            "{\"providers\":[{\"name\":\"up\",\"type\":\"openai\",\"base_url\":\"" + baseUrl +
            "\",\"options\":{\"max_retries\":0,\"requires_key\":false,\"timeouts\":{\"connect_ms\":"
            "5000,\"first_byte_ms\":5000,\"idle_ms\":5000}}}],"
            "\"models\":[{\"name\":\"m\",\"provider\":\"up\",\"model\":\"gpt-4o\"}]}");
    }
    Response post(const QByteArray &path, const QByteArray &body) { return m_gw.post(path, body); }
    // Every combination of dialect and streaming fails before any output with `status` and a
    // message containing `words`.
    void expectEarlyFailure(int status, const QString &words)
    {
        for (const QByteArray &path :
             {QByteArray("/api/chat"), QByteArray("/v1/chat/completions")}) {
            for (const bool stream : {false, true}) {
                const auto r = post(path, chat("m", stream));
                QVERIFY(r);
                QCOMPARE(r->status, status);
                const QString message = errorOf(r->body);
                QVERIFY2(message.contains(words), qPrintable(path + ": " + message));
                if (path.startsWith("/v1/"))
                    QVERIFY(obj(r->body).value(QStringLiteral("error")).isObject());
            }
        }
        QVERIFY(m_gw.waitIdle());
        QCOMPARE(m_gw.get("/api/version")->status, 200); // still serving
    }

private slots:
    void initTestCase() { m_fake = new FakeServer(this); }

    void tlsFailureIsNamed()
    {
        // An https base URL whose server speaks plain HTTP, as any web server does when it gets
        // bytes it cannot parse (a TLS ClientHello): it answers 400 and closes.
        QTcpServer plain;
        QVERIFY(plain.listen(QHostAddress::LocalHost));
        connect(&plain, &QTcpServer::newConnection, &plain, [&plain] {
            while (QTcpSocket *s = plain.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [s] {
                    s->readAll();
                    s->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: "
                             "close\r\n\r\n");
                    s->disconnectFromHost();
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        QVERIFY2(setUp(QStringLiteral("https://127.0.0.1:%1/v1").arg(plain.serverPort()).toUtf8()),
                 qPrintable(m_gw.error()));
        expectEarlyFailure(502,
                           QStringLiteral("TLS with 127.0.0.1:%1 failed").arg(plain.serverPort()));
    }

    void dnsFailureIsNamed()
    {
        QVERIFY2(setUp("http://nonexistent.invalid/v1"), qPrintable(m_gw.error()));
        expectEarlyFailure(502, QStringLiteral("host nonexistent.invalid not found (DNS)"));
    }

    void truncatedJsonBody()
    {
        // A server that ignores stream:true answers with one JSON document, announced longer
        // than what arrives before the connection closes.
        QVERIFY2(setUp(m_fake->url(QStringLiteral("/v1")).toUtf8()), qPrintable(m_gw.error()));
        m_fake->on("POST", "/v1/chat/completions", [](const Received &) {
            Reply r = Reply::json(200, "{\"id\":\"c\",\"choices\":[{\"index\":0,\"message\":{"
                                       "\"role\":\"assistant\",\"content\":\"Hel");
            r.contentLength = 400;
            r.end = Reply::End::CloseWithoutTerminator;
            return r;
        });
        expectEarlyFailure(502, QStringLiteral("closed in the middle of the response"));
    }

    void truncatedStreamBody_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("ollama") << QByteArray("/api/chat");
        QTest::newRow("openai") << QByteArray("/v1/chat/completions");
    }
    void truncatedStreamBody()
    {
        // An SSE body with a Content-Length, cut off after the first words.
        QFETCH(QByteArray, path);
        QVERIFY2(setUp(m_fake->url(QStringLiteral("/v1")).toUtf8()), qPrintable(m_gw.error()));
        m_fake->on("POST", "/v1/chat/completions", [](const Received &) {
            Reply r = Reply::sse({textChunk(QStringLiteral("partial")), "data: {\"choi"}, 50);
            r.chunked = false;
            r.contentLength = 4000;
            r.end = Reply::End::CloseWithoutTerminator;
            return r;
        });
        const auto r = post(path, chat("m", true));
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QVERIFY(r->body.contains("partial"));
        const QString error = streamError(r->body);
        QVERIFY2(error.contains(QStringLiteral("closed in the middle of the response")),
                 r->body.constData());
        QVERIFY(!r->body.contains("[DONE]"));
        QVERIFY(!r->body.contains("\"done\":true"));

        // Not streamed to the client: nothing was sent, so it is a plain 502.
        const auto whole = post(path, chat("m", false));
        QCOMPARE(whole->status, 502);
        QVERIFY2(errorOf(whole->body).contains(QStringLiteral("closed in the middle")),
                 whole->body.constData());
    }

    void resetMidStream_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("ollama") << QByteArray("/api/chat");
        QTest::newRow("openai") << QByteArray("/v1/chat/completions");
    }
    void resetMidStream()
    {
        QFETCH(QByteArray, path);
        QVERIFY2(setUp(m_fake->url(QStringLiteral("/v1")).toUtf8()), qPrintable(m_gw.error()));
        m_fake->on("POST", "/v1/chat/completions", [](const Received &) {
            Reply r = Reply::sse(
                {textChunk(QStringLiteral("one")), textChunk(QStringLiteral(" two"))}, 50);
            r.end = Reply::End::Reset;
            return r;
        });
        const auto r = post(path, chat("m", true));
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QVERIFY(r->body.contains(" two"));
        QVERIFY2(!streamError(r->body).isEmpty(), r->body.constData());
        QVERIFY(!r->body.contains("[DONE]"));

        // The client that asked for a whole answer gets an error status, not half an answer.
        const auto whole = post(path, chat("m", false));
        QCOMPARE(whole->status, 502);
        QVERIFY2(errorOf(whole->body).contains(QStringLiteral("provider 'up'")),
                 whole->body.constData());
        QVERIFY(!whole->body.contains("one two"));
        QVERIFY(m_gw.waitIdle());
    }
};

QTEST_GUILESS_MAIN(TstFaults)
#include "tst_faults.moc"
