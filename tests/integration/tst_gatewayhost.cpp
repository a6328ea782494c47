// The desktop app's way of running the gateway: on its own thread, driven by queued calls,
// reporting by signals. Requests must be served while the calling thread only waits.

#include "gatewayhost.h"
#include "rawhttp.h"

#include <QSignalSpy>
#include <QTest>

using namespace gw;

class TstGatewayHost : public QObject
{
    Q_OBJECT

private slots:
    void startServeStop()
    {
        GatewayHost host;
        QSignalSpy state(&host, &GatewayHost::stateChanged);
        QSignalSpy requests(&host, &GatewayHost::requestFinished);
        Config config;
        host.configure(config, QDateTime::currentDateTime());
        ListenAddress a;
        a.port = 0;
        host.start(a);
        QVERIFY(state.wait(5000));
        QCOMPARE(state.last().at(0).toBool(), true);
        QVERIFY(host.isRunning());
        const QUrl url(host.url());
        QVERIFY(url.port() > 0);

        RawHttp c(quint16(url.port()));
        const auto r = c.request("POST", "/api/chat",
                                 "{\"model\":\"echo\",\"stream\":false,\"messages\":[{\"role\":"
                                 "\"user\",\"content\":\"threaded\"}]}");
        QVERIFY(r);
        QVERIFY(r->body.contains("\"content\":\"threaded\""));
        QTRY_COMPARE(requests.size(), 1);
        QCOMPARE(requests.first().at(0).value<RequestRecord>().model, QStringLiteral("echo"));

        host.stop();
        QVERIFY(state.wait(5000));
        QCOMPARE(state.last().at(0).toBool(), false);
        RawHttp d(quint16(url.port()));
        QVERIFY(!d.connect(500) || !d.request("GET", "/api/version"));
    }

    void startErrorIsReported()
    {
        GatewayHost first;
        ListenAddress a;
        a.port = 0;
        QSignalSpy s1(&first, &GatewayHost::stateChanged);
        first.start(a);
        QVERIFY(s1.wait(5000));
        a.port = quint16(QUrl(first.url()).port());

        GatewayHost second;
        QSignalSpy s2(&second, &GatewayHost::stateChanged);
        second.start(a);
        QVERIFY(s2.wait(5000));
        QCOMPARE(s2.last().at(0).toBool(), false);
        QVERIFY(s2.last().at(2).toString().contains(QStringLiteral("already in use")));
        QCOMPARE(second.lastError(), s2.last().at(2).toString());
    }
};

QTEST_GUILESS_MAIN(TstGatewayHost)
#include "tst_gatewayhost.moc"
