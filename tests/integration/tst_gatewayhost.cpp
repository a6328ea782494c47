// The desktop app's way of running the gateway: on its own thread, driven by queued calls,
// reporting by signals. Requests must be served while the calling thread only waits.

#include "hostfixture.h"
#include "log/requestlog.h"
#include "log/requestlogfile.h"
#include "rawhttp.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace gw;
using gwtest::HostFixture;

namespace {

// A port on loopback that nothing listens on: connections to it are refused.
quint16 closedPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    const quint16 port = s.serverPort();
    s.close();
    return port;
}

ProviderConfig unreachable(const QString &name)
{
    return ProviderConfig{name,
                          QStringLiteral("openai"),
                          QStringLiteral("http://127.0.0.1:%1/v1").arg(closedPort()),
                          {}};
}

} // namespace

class TstGatewayHost : public QObject
{
    Q_OBJECT

private slots:
    void startServeStop()
    {
        HostFixture h;
        QSignalSpy requests(&h.host(), &GatewayHost::requestFinished);
        QVERIFY2(h.configure("{}"), qPrintable(h.error()));
        QVERIFY2(h.start(), qPrintable(h.error()));
        QVERIFY(h->isRunning());

        const auto r = h.post("/api/chat", "{\"model\":\"echo\",\"stream\":false,\"messages\":[{"
                                           "\"role\":\"user\",\"content\":\"threaded\"}]}");
        QVERIFY(r);
        QVERIFY(r->body.contains("\"content\":\"threaded\""));
        QTRY_COMPARE(requests.size(), 1);
        QCOMPARE(requests.first().at(0).value<RequestRecord>().model, QStringLiteral("echo"));

        QVERIFY2(h.stop(), qPrintable(h.error()));
        QVERIFY(!h->isRunning());
        RawHttp d(h.port());
        QVERIFY(!d.connect(500) || !d.request("GET", "/api/version"));
    }

    void startErrorIsReported()
    {
        HostFixture first;
        QVERIFY2(first.start(), qPrintable(first.error()));

        HostFixture second;
        QSignalSpy s2(&second.host(), &GatewayHost::stateChanged);
        QVERIFY(!second.start(first.port()));
        QCOMPARE(s2.size(), 1);
        QCOMPARE(s2.last().at(0).toBool(), false);
        QVERIFY2(second.error().contains(QStringLiteral("already in use")),
                 qPrintable(second.error()));
        QCOMPARE(second->lastError(), second.error());
    }

    // The verdict of "Test connection" names the provider tested. It used to be matched against
    // a `static const` prefix built from the first provider's name, so the second provider's
    // refused connection was worded as "The provider answered with an error: ...".
    void connectionTestNamesEachProvider()
    {
        GatewayHost host;
        QSignalSpy tested(&host, &GatewayHost::connectionTested);
        const QStringList names{QStringLiteral("alpha"), QStringLiteral("beta")};
        for (const QString &name : names) {
            host.testConnection(unreachable(name), QStringLiteral("sk-test-0123456789"));
            QVERIFY(tested.wait(20000));
            const QList<QVariant> answer = tested.takeFirst();
            QCOMPARE(answer.at(0).toString(), name);
            QCOMPARE(answer.at(1).toBool(), false);
            const QString words = answer.at(2).toString();
            QVERIFY2(words.startsWith(QStringLiteral("Could not connect to %1: ").arg(name)),
                     qPrintable(words));
            for (const QString &other : names)
                if (other != name)
                    QVERIFY2(!words.contains(other), qPrintable(words));
        }
    }

    // No key for a remote provider, nothing upstream asked: the verdict says where a key can go.
    void connectionTestWithoutKeyNamesTheVariables()
    {
        GatewayHost host;
        QSignalSpy tested(&host, &GatewayHost::connectionTested);
        host.testConnection(ProviderConfig{QStringLiteral("nokeyprov"),
                                           QStringLiteral("openai"),
                                           QStringLiteral("https://nokeyprov.invalid/v1"),
                                           {}});
        QVERIFY(tested.wait(20000));
        const QString words = tested.first().at(2).toString();
        QCOMPARE(tested.first().at(1).toBool(), false);
        QVERIFY2(words.startsWith(QStringLiteral("No API key for nokeyprov: enter one, or set ")),
                 qPrintable(words));
        QVERIFY2(words.contains(QStringLiteral("NOKEYPROV_API_KEY")), qPrintable(words));
    }

    // The tray's start-up (app/main.cpp: setConfigPath, then start) applies the config once.
    // It used to be loaded and applied by setConfigPath and then again by configure().
    void configFileIsAppliedOnce()
    {
        HostFixture h;
        QSignalSpy applied(&h.host(), &GatewayHost::configApplied);
        QSignalSpy changed(&h.host(), &GatewayHost::configChanged);
        QVERIFY2(h.configure(R"({"models":[{"name":"mine","provider":"echo","model":"echo"}]})"),
                 qPrintable(h.error()));
        QVERIFY2(h.start(), qPrintable(h.error()));
        // Signals from the gateway thread arrive in order: every apply before the start is in.
        QCOMPARE(applied.size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(h->config().models.size(), 1);
        const auto r = h.post("/api/chat", "{\"model\":\"mine\",\"stream\":false,\"messages\":[{"
                                           "\"role\":\"user\",\"content\":\"once\"}]}");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(applied.size(), 1);
    }

    // A record is redacted once, where the Gateway publishes it; the log file and the windows
    // take it as it is (RequestRecord::redacted says it has been done).
    void recordsAreRedactedOnce()
    {
        HostFixture h;
        h->setLogFile(h.filePath(QStringLiteral("requests.jsonl")));
        QSignalSpy records(&h.host(), &GatewayHost::requestFinished);
        QVERIFY2(h.start(), qPrintable(h.error()));
        const auto r =
            h.post("/api/chat", "{\"model\":\"echo\",\"stream\":false,\"messages\":[{\"role\":"
                                "\"user\",\"content\":\"key sk-proj-abcdefghijklmnop\"}]}");
        QVERIFY(r);
        QTRY_COMPARE(records.size(), 1);
        const auto rec = records.first().at(0).value<RequestRecord>();
        QVERIFY(rec.redacted);
        QVERIFY2(rec.requestBody.contains("sk-proj-[redacted]"), rec.requestBody.constData());
        QVERIFY(!rec.requestBody.contains("abcdefghijklmnop"));

        // Redacting a redacted record is the identity, even on text that looks like a key: the
        // second pass does not happen.
        RequestRecord again = rec;
        again.error = QStringLiteral("sk-proj-stillhereafterone");
        QCOMPARE(RequestLog::redacted(again).error, again.error);
        QVERIFY(RequestLogFile::toJsonLine(again).contains("sk-proj-stillhereafterone"));
        // ...while a record that was never redacted is masked by the file (once).
        RequestRecord raw = again;
        raw.redacted = false;
        QVERIFY(!RequestLogFile::toJsonLine(raw).contains("stillhereafterone"));
        QVERIFY(RequestLogFile::toJsonLine(raw).contains("sk-proj-[redacted]"));
    }
};

QTEST_GUILESS_MAIN(TstGatewayHost)
#include "tst_gatewayhost.moc"
