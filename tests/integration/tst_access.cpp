// Who may use the gateway: DNS-rebinding Host checks, CORS as Ollama does it (OLLAMA_ORIGINS),
// and the bearer token that guards a gateway listening beyond loopback.

#include "gatewayfixture.h"
#include "http/accesspolicy.h"
#include "rawhttp.h"

#include <QTest>

using namespace gw;
using gwtest::GatewayFixture;

class TstAccess : public QObject
{
    Q_OBJECT

    // A request with exactly these header lines (no Host unless given).
    static Response get(quint16 port, const QByteArray &path, const QList<QByteArray> &headers,
                        const QByteArray &method = "GET", const char *host = "127.0.0.1")
    {
        RawHttp c(port, host);
        c.writeRaw(method + ' ' + path + " HTTP/1.1\r\n" + headers.join("\r\n") + "\r\n\r\n");
        return c.read();
    }

private slots:
    void hostHeaderAgainstDnsRebinding()
    {
        GatewayFixture g;
        QVERIFY2(g.setUp("{}"), qPrintable(g.error()));
        const quint16 port = g.port();
        for (const QByteArray &host :
             {QByteArray("127.0.0.1:1"), QByteArray("localhost"), QByteArray("LOCALHOST:11434"),
              QByteArray("foo.localhost"), QByteArray("box.local"), QByteArray("[::1]:5"),
              QByteArray("192.168.1.10"), QByteArray("10.0.0.2:80")})
            QVERIFY2(get(port, "/api/version", {"Host: " + host})->status == 200, host.constData());
        for (const QByteArray &host :
             {QByteArray("evil.example"), QByteArray("evil.example:11434"), QByteArray("8.8.8.8"),
              QByteArray("localhost.evil.example")}) {
            const auto r = get(port, "/api/version", {"Host: " + host});
            QVERIFY2(r->status == 403, host.constData());
            QVERIFY(r->body.isEmpty()); // as Ollama: no body
        }
        const auto recs = g->log().records();
        QVERIFY(std::any_of(recs.begin(), recs.end(), [](const RequestRecord &r) {
            return r.status == 403 && !r.error.isEmpty();
        }));
    }

    void corsLikeOllama()
    {
        qputenv("OLLAMA_ORIGINS", "https://my.app, chrome-extension://*");
        GatewayFixture g;
        const bool started = g.setUp("{}");
        qunsetenv("OLLAMA_ORIGINS");
        QVERIFY2(started, qPrintable(g.error()));
        const quint16 port = g.port();

        auto r = get(port, "/api/tags", {"Host: 127.0.0.1", "Origin: http://localhost:3000"});
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("access-control-allow-origin"), QByteArray("http://localhost:3000"));
        QCOMPARE(r->header("vary"), QByteArray("Origin"));

        r = get(port, "/api/tags", {"Host: 127.0.0.1", "Origin: https://evil.example"});
        QCOMPARE(r->status, 403);
        QVERIFY(r->header("access-control-allow-origin").isEmpty());

        for (const QByteArray &origin :
             {QByteArray("https://my.app"), QByteArray("chrome-extension://abcdef"),
              QByteArray("vscode-webview://x"), QByteArray("app://whatever")})
            QVERIFY2(get(port, "/api/tags", {"Host: 127.0.0.1", "Origin: " + origin})->status ==
                         200,
                     origin.constData());
        QCOMPARE(get(port, "/api/tags", {"Host: 127.0.0.1", "Origin: moz-extension://x"})->status,
                 403); // not by default

        // The page's own origin is not cross-origin.
        QCOMPARE(get(port, "/api/tags", {"Host: 127.0.0.1:11434", "Origin: http://127.0.0.1:11434"})
                     ->status,
                 200);

        // Preflight: answered at once, with what the OpenAI SDK's browser build needs.
        r = get(port, "/v1/chat/completions",
                {"Host: 127.0.0.1", "Origin: http://localhost:5173",
                 "Access-Control-Request-Method: POST"},
                "OPTIONS");
        QCOMPARE(r->status, 204);
        QVERIFY(r->header("access-control-allow-methods").contains("POST"));
        QVERIFY(r->header("access-control-allow-headers").contains("X-Stainless-Os"));
        QCOMPARE(r->header("access-control-max-age"), QByteArray("43200"));
        QCOMPARE(get(port, "/v1/chat/completions",
                     {"Host: 127.0.0.1", "Origin: https://evil.example"}, "OPTIONS")
                     ->status,
                 403);
    }

    void originPatterns()
    {
        AccessPolicy p(
            {true,
             {},
             AccessPolicy::parseOrigins(QStringLiteral("*.example.com,https://exact.org")),
             {}});
        QVERIFY(p.originAllowed(QStringLiteral("https://a.example.com")));
        QVERIFY(p.originAllowed(QStringLiteral("https://exact.org")));
        QVERIFY(!p.originAllowed(QStringLiteral("https://exact.org.evil.net")));
        QVERIFY(!p.originAllowed(QStringLiteral("https://evil.net")));
        AccessPolicy all({true, {}, {QStringLiteral("*")}, {}});
        QVERIFY(all.originAllowed(QStringLiteral("https://anything")));
    }

    void beyondLoopbackNeedsAToken()
    {
        const QHostAddress any(QHostAddress::AnyIPv4);
        GatewayFixture g;
        QVERIFY2(g.configure("{}"), qPrintable(g.error()));
        QVERIFY(!g.start(any)); // safe by default
        QVERIFY2(g.error().contains(QStringLiteral("LLM_GATEWAY_TOKEN")), qPrintable(g.error()));

        qputenv("LLM_GATEWAY_TOKEN", "s3cret-token");
        const bool started = g.start(any);
        qunsetenv("LLM_GATEWAY_TOKEN");
        QVERIFY2(started, qPrintable(g.error()));
        const quint16 port = g.port();
        auto r = get(port, "/api/tags", {"Host: 192.0.2.1"});
        QCOMPARE(r->status, 401);
        QVERIFY(r->body.contains("requires an access token"));
        QCOMPARE(get(port, "/api/tags", {"Host: 192.0.2.1", "Authorization: Bearer wrong"})->status,
                 401);
        QCOMPARE(get(port, "/api/tags", {"Host: 192.0.2.1", "Authorization: Bearer s3cret-token"})
                     ->status,
                 200);
        // The OpenAI surface answers in its own shape (the SDKs send their apiKey as the bearer).
        r = get(port, "/v1/models", {"Host: 192.0.2.1"});
        QCOMPARE(r->status, 401);
        QVERIFY(r->body.contains("\"authentication_error\""));
        QCOMPARE(get(port, "/v1/models", {"Host: 192.0.2.1", "Authorization: bearer s3cret-token"})
                     ->status,
                 200);
        g->stop();

        // Explicitly trusted network: no token asked.
        QVERIFY2(g.configure(R"({"server":{"require_token":false}})"), qPrintable(g.error()));
        QVERIFY2(g.start(any), qPrintable(g.error()));
        QCOMPARE(get(g.port(), "/api/tags", {"Host: 192.0.2.1"})->status, 200);
    }
};

QTEST_GUILESS_MAIN(TstAccess)
#include "tst_access.moc"
