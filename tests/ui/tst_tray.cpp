// The tray controller drives the real gateway: its toggle starts and stops the listener, its
// menu, icon and tooltip follow the real state, a taken port and a provider that rejects its
// key put it in the error state and notify the user once per cause per interval. Runs under
// QT_QPA_PLATFORM=offscreen, where no system tray exists, so the stand-in window is used.

#include "autostart.h"
#include "fakeserver.h"
#include "hostfixture.h"
#include "ratelimiter.h"
#include "rawhttp.h"
#include "traycontroller.h"

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace gw;
using gwtest::FakeServer;
using gwtest::Reply;

namespace {

bool answers(quint16 port)
{
    RawHttp c(port);
    if (!c.connect(1000))
        return false;
    const auto r = c.request("GET", "/api/version");
    return r && r->status == 200;
}

QByteArray chat(const QString &model)
{
    return QStringLiteral("{\"model\":\"%1\",\"stream\":false,\"messages\":[{\"role\":\"user\","
                          "\"content\":\"hi\"}]}")
        .arg(model)
        .toUtf8();
}

} // namespace

class TstTray : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Autostart entries land in a scratch folder, never in the real ~/.config.
        QVERIFY(m_xdg.isValid());
        qputenv("XDG_CONFIG_HOME", m_xdg.path().toUtf8());
    }

    void toggleStartsStopsAndStartsTheGateway()
    {
        GatewayHost host;
        ListenAddress a;
        a.port = 0;
        TrayController tray(host, a);
        QVERIFY(!TrayController::trayAvailable());
        QVERIFY(!tray.show()); // no tray here: the caller shows the window
        QCOMPARE(tray.state(), TrayController::State::Stopped);
        QCOMPARE(tray.iconName(), QStringLiteral("tray-stopped"));

        // The menu: everything there, in order, with what cannot work yet disabled.
        QStringList texts;
        for (QAction *action : tray.menu()->actions())
            if (!action->isSeparator() && action->isVisible())
                texts.append(action->text());
        QCOMPARE(texts, (QStringList{
                            QStringLiteral("Gateway stopped"), QStringLiteral("Gateway on"),
                            QStringLiteral("Copy OLLAMA_HOST=http://127.0.0.1:0"),
                            QStringLiteral("Copy Claude Code environment"),
                            QStringLiteral("Open Settings…"), QStringLiteral("Connect Your Tools…"),
                            QStringLiteral("Request Log…"), QStringLiteral("Usage and Spend…"),
                            QStringLiteral("Start at Login"), QStringLiteral("Quit")}));
        QVERIFY(!tray.statusAction()->isEnabled());
        QVERIFY(tray.toggleAction()->isCheckable() && !tray.toggleAction()->isChecked());
        QVERIFY(!tray.copyAction()->isEnabled()); // no address to copy while stopped
        QVERIFY(!tray.copyClaudeAction()->isEnabled());
        QVERIFY(tray.settingsAction()->isEnabled() && tray.logAction()->isEnabled());
        QVERIFY(tray.autostartAction()->isCheckable() && tray.quitAction()->isEnabled());

        QSignalSpy settings(&tray, &TrayController::settingsRequested);
        QSignalSpy log(&tray, &TrayController::logRequested);
        tray.settingsAction()->trigger();
        tray.logAction()->trigger();
        QCOMPARE(settings.size(), 1);
        QCOMPARE(log.size(), 1);

        QSignalSpy state(&host, &GatewayHost::stateChanged);
        tray.toggleAction()->trigger();
        QVERIFY(!tray.toggleAction()->isEnabled()); // until the gateway answers
        QVERIFY(state.wait(5000));
        QVERIFY(tray.toggleAction()->isChecked() && tray.toggleAction()->isEnabled());
        const quint16 port = quint16(QUrl(host.url()).port());
        QVERIFY(answers(port));
        QCOMPARE(tray.state(), TrayController::State::Running);
        QCOMPARE(tray.iconName(), QStringLiteral("tray-running"));
        QCOMPARE(tray.statusAction()->text(),
                 QStringLiteral("Running on http://127.0.0.1:%1").arg(port));
        QVERIFY(tray.copyAction()->isEnabled());
        tray.copyAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("OLLAMA_HOST=http://127.0.0.1:%1").arg(port));
        QVERIFY(tray.copyClaudeAction()->isEnabled());
        tray.copyClaudeAction()->trigger();
        QCOMPARE(
            QApplication::clipboard()->text(),
            QStringLiteral("ANTHROPIC_BASE_URL=http://127.0.0.1:%1\nANTHROPIC_AUTH_TOKEN=unused\n")
                .arg(port));
        QTRY_VERIFY(tray.toolTip().contains(QStringLiteral("1 request(s)")));
        QVERIFY(tray.toolTip().contains(QStringLiteral("http://127.0.0.1:%1").arg(port)));

        tray.toggleAction()->trigger(); // off
        QVERIFY(state.wait(5000));
        QVERIFY(!tray.toggleAction()->isChecked());
        QVERIFY(!answers(port));
        QCOMPARE(tray.iconName(), QStringLiteral("tray-stopped"));
        QVERIFY(!tray.copyAction()->isEnabled());

        // The fallback window's buttons are the same actions.
        QWidget *window = tray.statusWindow();
        QToolButton *toggle = nullptr;
        for (auto *b : window->findChildren<QToolButton *>())
            if (b->defaultAction() == tray.toggleAction())
                toggle = b;
        QVERIFY(toggle);
        toggle->click(); // on again, from the window
        QVERIFY(state.wait(5000));
        const quint16 again = quint16(QUrl(host.url()).port());
        QVERIFY(answers(again));
        const QLabel *status = window->findChild<QLabel *>(QStringLiteral("status"));
        QVERIFY(status);
        QVERIFY(
            status->text().contains(QStringLiteral("Running on http://127.0.0.1:%1").arg(again)));
    }

    void portTakenIsAnErrorNotifiedOnce()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        GatewayHost host;
        ListenAddress a;
        a.port = squatter.serverPort();
        TrayController tray(host, a);
        QSignalSpy notified(&tray, &TrayController::notified);
        QSignalSpy state(&host, &GatewayHost::stateChanged);
        for (int i = 0; i < 3; ++i) {
            tray.toggleAction()->trigger();
            QVERIFY(state.wait(5000));
            QVERIFY(!tray.toggleAction()->isChecked());
            QCOMPARE(tray.state(), TrayController::State::Error);
        }
        QCOMPARE(tray.iconName(), QStringLiteral("tray-error"));
        QVERIFY(tray.statusAction()->toolTip().contains(QStringLiteral("already in use")));
        QVERIFY(tray.toolTip().contains(QStringLiteral("already in use")));
        QCOMPARE(notified.size(), 1); // three failures, one notification
        QCOMPARE(notified.first().at(0).toString(), QStringLiteral("llm-gateway could not start"));
        QVERIFY(notified.first().at(1).toString().contains(QString::number(a.port)));
        // The window shows the notification too (there is no tray to show it).
        QWidget *window = tray.statusWindow();
        tray.toggleAction()->trigger();
        QVERIFY(state.wait(5000));
        QCOMPARE(notified.size(), 1);

        squatter.close(); // the port is free again: the same switch now works
        tray.toggleAction()->trigger();
        QVERIFY(state.wait(5000));
        QCOMPARE(tray.state(), TrayController::State::Running);
        QCOMPARE(tray.iconName(), QStringLiteral("tray-running"));
        QVERIFY(answers(a.port));
        const QLabel *status = window->findChild<QLabel *>(QStringLiteral("status"));
        QVERIFY(status);
        QVERIFY(status->text().startsWith(QStringLiteral("Running")));
    }

    void rejectedKeyIsAnErrorNotifiedOncePerInterval()
    {
        FakeServer upstream;
        upstream.on("POST", "/v1/chat/completions", [](const gwtest::Received &) {
            return Reply::json(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
                                    "sk-test1234567890abcdef\",\"type\":\"invalid_request_error\","
                                    "\"code\":\"invalid_api_key\"}}");
        });
        qputenv("ACME_API_KEY", "sk-test1234567890abcdef");
        // The gateway with this config file; the tray starts it.
        gwtest::HostFixture h;
        GatewayHost &host = h.host();
        QSignalSpy changed(&host, &GatewayHost::configChanged);
        QVERIFY2(h.configure(
                     QStringLiteral("{\"providers\":[{\"name\":\"acme\",\"type\":\"openai\","
                                    "\"base_url\":\"%1\",\"options\":{\"max_retries\":0}}],"
                                    "\"models\":[{\"name\":\"m\",\"provider\":\"acme\",\"model\":"
                                    "\"x\"}]}")
                         .arg(upstream.url(QStringLiteral("/v1")))
                         .toUtf8()),
                 qPrintable(h.error()));
        QVERIFY(changed.wait(5000));
        ListenAddress a;
        a.port = 0;
        TrayController tray(host, a);
        qint64 now = 1000000;
        tray.setClock([&now] { return now; });
        QSignalSpy notified(&tray, &TrayController::notified);
        QSignalSpy state(&host, &GatewayHost::stateChanged);
        QSignalSpy records(&host, &GatewayHost::requestFinished);
        tray.toggleAction()->trigger();
        QVERIFY(state.wait(5000));
        const quint16 port = quint16(QUrl(host.url()).port());

        for (int i = 0; i < 3; ++i) {
            RawHttp c(port);
            QCOMPARE(c.request("POST", "/api/chat", chat(QStringLiteral("m")))->status, 401);
        }
        QTRY_COMPARE(records.size(), 3);
        QCOMPARE(notified.size(), 1);
        QCOMPARE(notified.first().at(0).toString(),
                 QStringLiteral("Provider “acme” rejected its API key"));
        const QString said = notified.first().at(1).toString();
        QVERIFY2(said.contains(QStringLiteral("rejected the API key")), qPrintable(said));
        QVERIFY2(!said.contains(QStringLiteral("1234567890abcdef")), qPrintable(said));
        QCOMPARE(tray.state(), TrayController::State::Running);  // still serving…
        QCOMPARE(tray.iconName(), QStringLiteral("tray-error")); // …but needs the user
        QVERIFY(tray.toolTip().contains(QStringLiteral("acme: API key rejected")));
        QCOMPARE(tray.problemActions().size(), 1);
        QVERIFY(tray.menu()->actions().contains(tray.problemActions().first()));
        QSignalSpy settings(&tray, &TrayController::settingsRequested);
        tray.problemActions().first()->trigger(); // the way to fix it
        QCOMPARE(settings.size(), 1);

        now += 9 * 60 * 1000; // still within ten minutes: quiet
        RawHttp c(port);
        QCOMPARE(c.request("POST", "/api/chat", chat(QStringLiteral("m")))->status, 401);
        QTRY_COMPARE(records.size(), 4);
        QCOMPARE(notified.size(), 1);
        now += 2 * 60 * 1000; // past ten minutes since the first: news again
        QCOMPARE(c.request("POST", "/api/chat", chat(QStringLiteral("m")))->status, 401);
        QTRY_COMPARE(records.size(), 5);
        QCOMPARE(notified.size(), 2);

        // The key works again: the error state goes.
        upstream.on("POST", "/v1/chat/completions", [](const gwtest::Received &) {
            return Reply::sse(
                {FakeServer::sseData(QJsonObject{
                     {QStringLiteral("choices"),
                      QJsonArray{QJsonObject{
                          {QStringLiteral("index"), 0},
                          {QStringLiteral("delta"),
                           QJsonObject{{QStringLiteral("content"), QStringLiteral("ok")}}},
                          {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}}}),
                 "data: [DONE]\n\n"});
        });
        QCOMPARE(c.request("POST", "/api/chat", chat(QStringLiteral("m")))->status, 200);
        QTRY_COMPARE(records.size(), 6);
        QCOMPARE(tray.iconName(), QStringLiteral("tray-running"));
        QVERIFY(tray.problemActions().isEmpty());
        QVERIFY(!tray.toolTip().contains(QStringLiteral("rejected")));
        qunsetenv("ACME_API_KEY");
    }

    void rateLimiterLetsOnePerKeyPerInterval()
    {
        RateLimiter limiter(600000);
        QVERIFY(limiter.allow(QStringLiteral("a"), 0));
        QVERIFY(!limiter.allow(QStringLiteral("a"), 1));
        QVERIFY(!limiter.allow(QStringLiteral("a"), 599999));
        QVERIFY(limiter.allow(QStringLiteral("b"), 1)); // another cause is its own news
        QVERIFY(limiter.allow(QStringLiteral("a"), 600000));
        QVERIFY(!limiter.allow(QStringLiteral("a"), 600001));
        limiter.reset(QStringLiteral("a"));
        QVERIFY(limiter.allow(QStringLiteral("a"), 600002));
    }

    void autostartWritesAValidDesktopEntry()
    {
        const QString entry = m_xdg.filePath(QStringLiteral("autostart/llm-gateway.desktop"));
        QCOMPARE(autostart::entryPath(), entry);
        QVERIFY(!autostart::isEnabled());
        QString error;
        QVERIFY2(autostart::setEnabled(true, &error), qPrintable(error));
        QVERIFY(autostart::isEnabled());
        QFile f(entry);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.startsWith("[Desktop Entry]\n"));
        QVERIFY(text.contains("\nType=Application\n"));
        QVERIFY(text.contains("\nExec=" + QCoreApplication::applicationFilePath().toUtf8() + '\n'));
        QVERIFY(text.contains("\nX-GNOME-Autostart-enabled=true\n"));
        const QString validator =
            QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
        QVERIFY2(!validator.isEmpty(),
                 "desktop-file-validate missing: scripts/setup.sh test installs it");
        QProcess validate;
        validate.start(validator, {entry});
        QVERIFY(validate.waitForFinished(10000));
        const QByteArray said = validate.readAllStandardOutput() + validate.readAllStandardError();
        QVERIFY2(validate.exitCode() == 0 && !said.contains("error"), said.constData());

        // The tray's check mark follows the entry, and switches it.
        GatewayHost host;
        TrayController tray(host, ListenAddress{});
        emit tray.menu()->aboutToShow();
        QVERIFY(tray.autostartAction()->isChecked());
        tray.autostartAction()->trigger();
        QVERIFY(!QFile::exists(entry));
        QVERIFY(!autostart::isEnabled());
        QVERIFY(!tray.autostartAction()->isChecked());
        tray.autostartAction()->trigger();
        QVERIFY(QFile::exists(entry));
        QVERIFY(tray.autostartAction()->isChecked());
        QVERIFY2(autostart::setEnabled(false, &error), qPrintable(error));
        QVERIFY(!QFile::exists(entry));
        QVERIFY(autostart::setEnabled(false, &error)); // nothing to remove is fine
        emit tray.menu()->aboutToShow();
        QVERIFY(!tray.autostartAction()->isChecked());
    }

private:
    QTemporaryDir m_xdg;
};

QTEST_MAIN(TstTray)
#include "tst_tray.moc"
