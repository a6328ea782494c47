// Who may use the gateway: DNS-rebinding Host checks, CORS as Ollama does it (OLLAMA_ORIGINS),
// and the bearer token that guards a gateway listening beyond loopback.

#include "gatewayfixture.h"
#include "http/accesspolicy.h"
#include "rawhttp.h"

#include <QNetworkInterface>
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
              QByteArray("[::1]"), QByteArray("127.0.0.1"), QByteArray("localhost:11434"),
              QByteArray("192.168.1.10"), QByteArray("10.0.0.2:80")})
            QVERIFY2(get(port, "/api/version", {"Host: " + host})->status == 200, host.constData());
        for (const QByteArray &host :
             {QByteArray("evil.example"), QByteArray("evil.example:11434"), QByteArray("8.8.8.8"),
              QByteArray("localhost.evil.example"), QByteArray("127.0.0.1.evil.example"),
              QByteArray("localhostevil.example:80")}) {
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

    // An address of this machine that is not loopback, so a request from it comes from "the
    // network" as far as the gateway can tell; empty when the machine has none.
    static QString networkAddress()
    {
        for (const QHostAddress &a : QNetworkInterface::allAddresses())
            if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
                return a.toString();
        return {};
    }

    void beyondLoopbackNeedsAToken()
    {
        const QString lan = networkAddress();
        if (lan.isEmpty())
            QSKIP("this machine has no address beyond loopback to call from");
        const QByteArray from = lan.toLatin1();
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
        auto r = get(port, "/api/tags", {"Host: 192.0.2.1"}, "GET", from.constData());
        QCOMPARE(r->status, 401);
        QVERIFY(r->body.contains("requires an access token"));
        QCOMPARE(get(port, "/api/tags", {"Host: 192.0.2.1", "Authorization: Bearer wrong"}, "GET",
                     from.constData())
                     ->status,
                 401);
        QCOMPARE(get(port, "/api/tags", {"Host: 192.0.2.1", "Authorization: Bearer s3cret-token"},
                     "GET", from.constData())
                     ->status,
                 200);
        // The OpenAI surface answers in its own shape (the SDKs send their apiKey as the bearer).
        r = get(port, "/v1/models", {"Host: 192.0.2.1"}, "GET", from.constData());
        QCOMPARE(r->status, 401);
        QVERIFY(r->body.contains("\"authentication_error\""));
        QCOMPARE(get(port, "/v1/models", {"Host: 192.0.2.1", "Authorization: bearer s3cret-token"},
                     "GET", from.constData())
                     ->status,
                 200);
        g->stop();

        // Explicitly trusted network: no token asked.
        QVERIFY2(g.configure(R"({"server":{"require_token":false}})"), qPrintable(g.error()));
        QVERIFY2(g.start(any), qPrintable(g.error()));
        QCOMPARE(get(g.port(), "/api/tags", {"Host: 192.0.2.1"}, "GET", from.constData())->status,
                 200);
    }

    // Beyond loopback with a token: a client on this machine (Copilot's Ollama provider, which
    // cannot send a token) gets in without it, one from the network does not; with
    // token_for_local_clients both need it.
    void loopbackPeersNeedNoTokenUnlessAsked()
    {
        const QString lan = networkAddress();
        if (lan.isEmpty())
            QSKIP("this machine has no address beyond loopback to call from");
        const QByteArray from = lan.toLatin1();
        const QHostAddress any(QHostAddress::AnyIPv4);
        for (const bool everywhere : {false, true}) {
            GatewayFixture g;
            const QByteArray server = everywhere ? "\"token_for_local_clients\":true," : "";
            QVERIFY2(g.configure("{\"server\":{" + server + "\"token\":\"s3cret-token\"}}"),
                     qPrintable(g.error()));
            QVERIFY2(g.start(any), qPrintable(g.error()));
            const quint16 port = g.port();
            const int local = everywhere ? 401 : 200;
            QCOMPARE(get(port, "/api/tags", {"Host: 127.0.0.1"})->status, local);
            QCOMPARE(get(port, "/v1/models", {"Host: localhost"})->status, local);
            // DNS rebinding to 127.0.0.1 gains nothing: the Host check holds for local peers.
            QCOMPARE(get(port, "/api/tags", {"Host: evil.example"})->status, 403);
            QCOMPARE(get(port, "/api/tags", {"Host: 192.0.2.1"}, "GET", from.constData())->status,
                     401);
            for (const char *to : {"127.0.0.1", from.constData()})
                QCOMPARE(get(port, "/api/tags",
                             {"Host: localhost", "Authorization: Bearer s3cret-token"}, "GET", to)
                             ->status,
                         200);
        }
        QVERIFY(AccessPolicy::isLoopbackPeer(QHostAddress(QStringLiteral("::ffff:127.0.0.1"))));
        QVERIFY(AccessPolicy::isLoopbackPeer(QHostAddress(QStringLiteral("::1"))));
        QVERIFY(!AccessPolicy::isLoopbackPeer(QHostAddress(QStringLiteral("::ffff:192.0.2.9"))));
        QVERIFY(!AccessPolicy::isLoopbackPeer(QHostAddress(lan)));
    }
};

QTEST_GUILESS_MAIN(TstAccess)
#include "tst_access.moc"
