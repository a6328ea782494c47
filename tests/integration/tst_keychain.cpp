// The OS keychain through QtKeychain, against a real Secret Service (gnome-keyring started under
// dbus-run-session by scripts/test.sh), and the no-service case (tst_keychain_noservice runs
// this binary with the session bus pointing nowhere and no display).

#include "config/keychain.h"
#include "desktopwords.h"
#include "fakeserver.h"
#include "gatewayfixture.h"
#include "rawhttp.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace gw;
using namespace gwtest;

namespace {

// One OpenAI-type provider at the fake upstream (its key from the keychain or the environment)
// and one model on it.
QByteArray providerConfig(const QByteArray &provider, const FakeServer &fake,
                          const QByteArray &model, const QByteArray &upstreamModel)
{
    return "{\"providers\":[{\"name\":\"" + provider + "\",\"type\":\"openai\",\"base_url\":\"" +
           fake.url(QStringLiteral("/v1")).toUtf8() + "\"}],\"models\":[{\"name\":\"" + model +
           "\",\"provider\":\"" + provider + "\",\"model\":\"" + upstreamModel + "\"}]}";
}

// A service of its own, so running the suite on a desktop never touches the user's real keys.
QString testService()
{
    return QStringLiteral("llm-gateway-test-%1").arg(QCoreApplication::applicationPid());
}

bool expectNoService()
{
    return qEnvironmentVariableIsSet("LLMGW_EXPECT_NO_KEYCHAIN");
}

Keychain::Result wait(const std::function<void(Keychain::Callback)> &op)
{
    std::optional<Keychain::Result> out;
    op([&](const Keychain::Result &r) { out = r; });
    [[maybe_unused]] const bool done = QTest::qWaitFor([&] { return out.has_value(); }, 20000);
    return out.value_or(
        Keychain::Result{Keychain::Status::Failed, {}, {}, QStringLiteral("no answer")});
}

QByteArray sseText(const QString &text)
{
    return FakeServer::sseData(
        {{QStringLiteral("id"), QStringLiteral("c1")},
         {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
         {QStringLiteral("choices"),
          QJsonArray{
              QJsonObject{{QStringLiteral("index"), 0},
                          {QStringLiteral("delta"), QJsonObject{{QStringLiteral("content"), text}}},
                          {QStringLiteral("finish_reason"), QJsonValue::Null}}}}});
}

} // namespace

class TstKeychain : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        if (expectNoService())
            return;
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no D-Bus session bus: run through scripts/test.sh, which starts one with "
                  "gnome-keyring (dbus-run-session)");
    }

    void writeReadReplaceDelete()
    {
        if (expectNoService())
            QSKIP("the keychain cases need a Secret Service");
        Keychain k(testService());
        const QString acct = QStringLiteral("openai");
        auto r = wait([&](auto cb) { k.write(acct, QStringLiteral("sk-first-123456"), this, cb); });
        QVERIFY2(r.ok(), qPrintable(r.detail));
        r = wait([&](auto cb) { k.read(acct, this, cb); });
        QVERIFY2(r.ok(), qPrintable(r.detail));
        QCOMPARE(r.secret, QStringLiteral("sk-first-123456"));
        QCOMPARE(r.account, acct);

        r = wait([&](auto cb) { k.write(acct, QStringLiteral("sk-second-7890"), this, cb); });
        QVERIFY2(r.ok(), qPrintable(r.detail));
        r = wait([&](auto cb) { k.read(acct, this, cb); });
        QCOMPARE(r.secret, QStringLiteral("sk-second-7890"));

        // Another account is separate.
        r = wait([&](auto cb) { k.read(QStringLiteral("anthropic"), this, cb); });
        QCOMPARE(r.status, Keychain::Status::NotFound);

        r = wait([&](auto cb) { k.remove(acct, this, cb); });
        QVERIFY2(r.ok(), qPrintable(r.detail));
        r = wait([&](auto cb) { k.read(acct, this, cb); });
        QCOMPARE(r.status, Keychain::Status::NotFound);
        QVERIFY(r.secret.isEmpty());
        // Deleting what is gone is fine: the wanted state holds.
        r = wait([&](auto cb) { k.remove(acct, this, cb); });
        QVERIFY(r.ok());
    }

    // A key stored in the keychain reaches the upstream of a real request through the gateway.
    void gatewayUsesKeychainKey()
    {
        if (expectNoService())
            QSKIP("the keychain cases need a Secret Service");
        const QString key = QStringLiteral("sk-from-keychain-42424242");
        Keychain k(testService());
        auto r = wait([&](auto cb) { k.write(QStringLiteral("fakeai"), key, this, cb); });
        QVERIFY2(r.ok(), qPrintable(r.detail));

        FakeServer fake;
        fake.on("POST", "/v1/chat/completions", [](const Received &) {
            return Reply::sse({sseText(QStringLiteral("hello")), "data: [DONE]\n\n"});
        });
        GatewayFixture g;
        QVERIFY2(g.configure(providerConfig("fakeai", fake, "m1", "gpt-x")), qPrintable(g.error()));
        QSignalSpy loaded(&g.gateway(), &Gateway::keychainLoaded);
        g->useKeychain(testService());
        QVERIFY(loaded.wait(20000));
        QVERIFY2(!g->keychainProblem(),
                 qPrintable(DesktopWords::keychainProblem(
                     g->keychainProblem().value_or(Keychain::Result{Keychain::Status::Ok}))));
        QCOMPARE(g->secrets().lookup(QStringLiteral("fakeai"), QStringLiteral("openai")).source,
                 QStringLiteral("keychain"));
        QVERIFY2(g.start(), qPrintable(g.error()));

        const auto resp =
            g.post("/api/chat", "{\"model\":\"m1\",\"stream\":false,\"messages\":[{\"role\":"
                                "\"user\",\"content\":\"hi\"}]}");
        QVERIFY(resp);
        QCOMPARE(resp->status, 200);
        QVERIFY(resp->body.contains("hello"));
        QCOMPARE(fake.last().header("authorization"), "Bearer " + key.toUtf8());

        r = wait([&](auto cb) { k.remove(QStringLiteral("fakeai"), this, cb); });
        QVERIFY(r.ok());
    }

    // No Secret Service: a plain "no keychain" answer, quickly, and keys still come from the
    // environment; nothing is written anywhere else.
    void noService()
    {
        if (!expectNoService())
            QSKIP("run by tst_keychain_noservice (session bus pointing nowhere)");
        Keychain k(testService());
        auto r = wait([&](auto cb) {
            k.write(QStringLiteral("openai"), QStringLiteral("sk-x-123456"), this, cb);
        });
        QCOMPARE(r.status, Keychain::Status::Unavailable);
        QVERIFY(r.unusable());
        QVERIFY(!r.detail.contains(QStringLiteral("sk-x-123456")));
        // The fact, worded by the desktop (untranslated here: no translator installed).
        const QString words = DesktopWords::keyOperation(r, true, QStringLiteral("OPENAI_API_KEY"));
        QVERIFY2(words.startsWith(QStringLiteral(
                     "no keychain available on this system — set OPENAI_API_KEY instead (")),
                 qPrintable(words));
        QVERIFY(!words.contains(QStringLiteral("sk-x-123456")));
        r = wait([&](auto cb) { k.read(QStringLiteral("openai"), this, cb); });
        QCOMPARE(r.status, Keychain::Status::Unavailable);

        // The gateway gives up after the first answer, and the environment's key is used.
        qputenv("NOSVC_API_KEY", "sk-env-key-5555555");
        FakeServer fake;
        fake.on("POST", "/v1/chat/completions", [](const Received &) {
            return Reply::sse({sseText(QStringLiteral("ok")), "data: [DONE]\n\n"});
        });
        GatewayFixture g;
        QVERIFY2(g.configure(providerConfig("nosvc", fake, "m2", "gpt-y")), qPrintable(g.error()));
        QSignalSpy loaded(&g.gateway(), &Gateway::keychainLoaded);
        g->useKeychain(testService());
        QVERIFY(loaded.wait(20000));
        const std::optional<Keychain::Result> problem = g->keychainProblem();
        QVERIFY(problem);
        QVERIFY(problem->unusable());
        const QString problemWords = DesktopWords::keychainProblem(*problem);
        QVERIFY2(problemWords.contains(QStringLiteral("no keychain available")),
                 qPrintable(problemWords));
        QVERIFY2(g.start(), qPrintable(g.error()));
        const auto resp =
            g.post("/api/chat", "{\"model\":\"m2\",\"stream\":false,\"messages\":[{\"role\":"
                                "\"user\",\"content\":\"hi\"}]}");
        QVERIFY(resp);
        QCOMPARE(resp->status, 200);
        QCOMPARE(fake.last().header("authorization"), QByteArray("Bearer sk-env-key-5555555"));
    }
};

QTEST_GUILESS_MAIN(TstKeychain)
#include "tst_keychain.moc"
