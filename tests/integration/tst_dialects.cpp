// The HTTP layer's dialect plug-in over real loopback sockets: three dialects registered the
// way the real ones are, the errors the server makes itself rendered by the dialect whose path
// prefix is the longest match ("/v1/messages" inside "/v1/" inside "/").

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
        const auto check = [&](const std::optional<RawResponse> &r, int status) {
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
};

QTEST_GUILESS_MAIN(TstDialects)
#include "tst_dialects.moc"
