// The HTTP layer's dialect plug-in over real loopback sockets: three dialects registered the
// way the real ones are, the errors the server makes itself rendered by the dialect whose path
// prefix is the longest match ("/v1/messages" inside "/v1/" inside "/"); then the real gateway,
// whose server-made errors come in the shape of the real dialect of the path.

#include "chat/instanceid.h"
#include "gatewayfixture.h"
#include "http/httpserver.h"
#include "http/responder.h"
#include "rawhttp.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;

namespace {

const QByteArray kJson = "application/json; charset=utf-8";

// A dialect that answers POST on its paths and renders errors in the shape given.
Dialect dialect(const QString &name, const QString &prefix, const QStringList &paths,
                std::function<QByteArray(const ChatFailure &, const QString &)> shape)
{
    Dialect d;
    d.name = name;
    d.pathPrefixes = {prefix};
    for (const QString &p : paths)
        d.routes.append(Route{{"POST"}, p, false, [name](const HttpRequest &, Responder *r) {
                                  r->send(200, "text/plain", name.toUtf8());
                              }});
    d.renderError = [shape](const ChatFailure &f, const QString &message) {
        return RenderedError{kJson, shape(f, message)};
    };
    return d;
}

QJsonObject obj(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// OpenAI's error shape, exactly: {"error":{"message":"…","type":"…","param":null,"code":…}}.
QString openAiShapeProblem(const QByteArray &body)
{
    QJsonParseError pe;
    const QJsonDocument d = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !d.isObject())
        return QStringLiteral("not a JSON object");
    const QJsonObject root = d.object();
    if (root.size() != 1 || !root.value(QStringLiteral("error")).isObject())
        return QStringLiteral("not {\"error\":{...}}");
    const QJsonObject e = root.value(QStringLiteral("error")).toObject();
    if (e.value(QStringLiteral("message")).toString().isEmpty())
        return QStringLiteral("no error.message");
    if (e.value(QStringLiteral("type")).toString().isEmpty())
        return QStringLiteral("no error.type");
    if (!e.contains(QStringLiteral("param")) || !e.value(QStringLiteral("param")).isNull())
        return QStringLiteral("error.param is not null");
    if (!e.contains(QStringLiteral("code")))
        return QStringLiteral("no error.code");
    return {};
}

} // namespace

class TstDialects : public QObject
{
    Q_OBJECT

    HttpServer *m_server = nullptr;
    quint16 m_port = 0;

private slots:
    void initTestCase()
    {
        ServerOptions options;
        options.maxBodyBytes = 1000;
        m_server = new HttpServer(options, this);
        const auto quoted = [](const QString &s) {
            return QJsonDocument(QJsonObject{{QStringLiteral("m"), s}})
                .toJson(QJsonDocument::Compact)
                .mid(5)
                .chopped(1);
        };
        m_server->addDialect(dialect(QStringLiteral("plain"), QStringLiteral("/"),
                                     {QStringLiteral("/api/x")},
                                     [quoted](const ChatFailure &, const QString &m) {
                                         return "{\"error\":" + quoted(m) + '}';
                                     }));
        m_server->addDialect(dialect(QStringLiteral("nested"), QStringLiteral("/v1/"),
                                     {QStringLiteral("/v1/chat/completions")},
                                     [quoted](const ChatFailure &f, const QString &m) {
                                         return "{\"error\":{\"message\":" + quoted(m) +
                                                ",\"status\":" + QByteArray::number(f.status) +
                                                "}}";
                                     }));
        m_server->addDialect(dialect(
            QStringLiteral("anthropic"), QStringLiteral("/v1/messages"),
            {QStringLiteral("/v1/messages"), QStringLiteral("/v1/messages/count_tokens")},
            [quoted](const ChatFailure &f, const QString &m) {
                const char *type = f.cause == FailureCause::TooLarge ? "request_too_large"
                                                                     : "invalid_request_error";
                return QByteArray("{\"type\":\"error\",\"error\":{\"type\":\"") + type +
                       "\",\"message\":" + quoted(m) + "}}";
            }));
        QString error;
        QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        m_port = m_server->port();
    }

    void routesOfEveryDialectAnswer()
    {
        RawHttp c(m_port);
        QCOMPARE(c.request("POST", "/v1/messages")->body, QByteArray("anthropic"));
        QCOMPARE(c.request("POST", "/v1/messages/count_tokens")->body, QByteArray("anthropic"));
        QCOMPARE(c.request("POST", "/v1/chat/completions")->body, QByteArray("nested"));
        QCOMPARE(c.request("POST", "/api/x")->body, QByteArray("plain"));
    }

    void serverErrorsTakeTheLongestPrefix_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QString>("dialect");
        QTest::newRow("messages") << QByteArray("/v1/messages") << "anthropic";
        QTest::newRow("count_tokens")
            << QByteArray("/v1/messages/count_tokens?beta=true") << "anthropic";
        QTest::newRow("chat") << QByteArray("/v1/chat/completions") << "nested";
        QTest::newRow("ollama") << QByteArray("/api/x") << "plain";
    }
    void serverErrorsTakeTheLongestPrefix()
    {
        QFETCH(QByteArray, path);
        QFETCH(QString, dialect);
        const auto check = [&](const Response &r, int status) {
            QVERIFY(r);
            QCOMPARE(r->status, status);
            const QJsonObject o = obj(r->body);
            if (dialect == u"anthropic") {
                QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
                QVERIFY(o.value(QStringLiteral("error"))
                            .toObject()
                            .contains(QStringLiteral("message")));
            } else if (dialect == u"nested") {
                QCOMPARE(o.value(QStringLiteral("error"))
                             .toObject()
                             .value(QStringLiteral("status"))
                             .toInt(),
                         status);
            } else {
                QVERIFY(o.value(QStringLiteral("error")).isString());
            }
        };
        RawHttp a(m_port); // wrong method: made by the router
        check(a.request("GET", path), 405);
        RawHttp b(m_port); // body too large: made by the connection, before Qt sees the body
        b.writeRaw("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\n");
        check(b.read(), 413);
        RawHttp c(m_port); // trailers: made by the framer
        c.writeRaw("POST " + path +
                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                   "\r\n0\r\nX-T: 1\r\n\r\n");
        check(c.read(), 400);
    }

    void unknownPathsStayPlainText()
    {
        RawHttp c(m_port);
        const auto r = c.request("POST", "/v1/messages-not");
        QCOMPARE(r->status, 404);
        QCOMPARE(r->body, QByteArray("404 page not found"));
    }

    // The real gateway: 508 (a request that came back through this gateway) and 503 (a request
    // on an open connection while the gateway drains) are made by the server itself, before any
    // route. On /v1/... they are in OpenAI's error shape, on /api/... in Ollama's. Before the
    // HTTP layer asked the dialect of the path, both were Ollama's {"error":"..."} everywhere,
    // which openAiShapeProblem() refuses.
    void serverMadeErrorsInTheRealDialects_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("openAi");
        QTest::newRow("chat completions")
            << QByteArray("POST") << QByteArray("/v1/chat/completions") << true;
        QTest::newRow("completions") << QByteArray("POST") << QByteArray("/v1/completions") << true;
        QTest::newRow("embeddings") << QByteArray("POST") << QByteArray("/v1/embeddings") << true;
        QTest::newRow("models") << QByteArray("GET") << QByteArray("/v1/models") << true;
        QTest::newRow("ollama chat") << QByteArray("POST") << QByteArray("/api/chat") << false;
        QTest::newRow("ollama tags") << QByteArray("GET") << QByteArray("/api/tags") << false;
    }
    void serverMadeErrorsInTheRealDialects()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(bool, openAi);
        const auto check = [&](const Response &r, int status, const QString &start) {
            QVERIFY2(r, "no answer");
            QCOMPARE(r->status, status);
            QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
            QString message;
            if (openAi) {
                const QString problem = openAiShapeProblem(r->body);
                QVERIFY2(problem.isEmpty(), qPrintable(problem + ": " + r->body));
                message = obj(r->body)
                              .value(QStringLiteral("error"))
                              .toObject()
                              .value(QStringLiteral("message"))
                              .toString();
            } else {
                QVERIFY2(obj(r->body).value(QStringLiteral("error")).isString(),
                         r->body.constData());
                message = obj(r->body).value(QStringLiteral("error")).toString();
            }
            QVERIFY2(message.startsWith(start), qPrintable(message));
        };

        gwtest::GatewayFixture g;
        QVERIFY2(g.setUp(R"({"providers":[{"name":"slowecho","type":"echo",)"
                         R"("options":{"delay_ms":200}}],)"
                         R"("models":[{"name":"slow","provider":"slowecho","model":"echo"}]})"),
                 qPrintable(g.error()));
        const QByteArray body = path == "/v1/embeddings" ? "{\"model\":\"echo\",\"input\":\"x\"}"
                                : path == "/v1/completions"
                                    ? "{\"model\":\"echo\",\"prompt\":\"x\"}"
                                    : "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\","
                                      "\"content\":\"x\"}]}";
        const QByteArray sent = method == "GET" ? QByteArray() : body;

        // 508: the request carries this gateway's own Via.
        check(g.request(method, path, sent, {"Via: 1.1 llm-gateway-" + instanceId()}), 508,
              QStringLiteral("loop detected"));

        // 503: a stream is in flight on a connection when the gateway starts to drain; the
        // next request on that connection is refused by the server.
        RawHttp c(g.port());
        c.send("POST", "/api/chat",
               "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"a b "
               "c\"}]}");
        QVERIFY(c.readHead());
        bool stopped = false;
        g->stopGracefully(10000, [&] { stopped = true; });
        c.send(method, path, sent);
        for (;;) { // the stream in flight ends in full first
            const auto piece = c.readChunk();
            QVERIFY(piece);
            if (piece->isEmpty())
                break;
        }
        check(c.read(), 503, QStringLiteral("llm-gateway is shutting down"));
        QTRY_VERIFY(stopped);
    }
};

QTEST_GUILESS_MAIN(TstDialects)
#include "tst_dialects.moc"
