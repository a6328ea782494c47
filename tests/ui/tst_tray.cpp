// The tray controller drives the real gateway: its toggle starts and stops the listener, and
// its status line, icon state and tooltip follow. Runs under QT_QPA_PLATFORM=offscreen, where
// no system tray exists, so the stand-in status window is shown.

#include "gatewayhost.h"
#include "rawhttp.h"
#include "traycontroller.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace gw;

class TstTray : public QObject
{
    Q_OBJECT

private slots:
    void toggleStartsAndStopsTheGateway()
    {
        GatewayHost host;
        ListenAddress a;
        a.port = 0;
        TrayController tray(host, a);
        tray.show();
        QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable());
        QWidget *window = nullptr;
        for (QWidget *w : QApplication::topLevelWidgets())
            if (w->isVisible())
                window = w;
        QVERIFY(window); // a window stands in for the missing tray
        auto *button = window->findChild<QPushButton *>();
        QVERIFY(button);
        QCOMPARE(button->text(), QStringLiteral("Start gateway"));

        QSignalSpy state(&host, &GatewayHost::stateChanged);
        tray.toggleAction()->trigger();
        QVERIFY(state.wait(5000));
        QVERIFY(tray.toggleAction()->isChecked());
        const quint16 port = quint16(QUrl(host.url()).port());
        RawHttp c(port);
        QCOMPARE(c.request("GET", "/api/version")->status, 200);
        QTRY_COMPARE(button->text(), QStringLiteral("Stop gateway"));
        QVERIFY(window->findChild<QLabel *>()->text().contains(
            QStringLiteral("Running on http://127.0.0.1:%1").arg(port)));

        button->click(); // the same switch, from the window
        QVERIFY(state.wait(5000));
        QVERIFY(!tray.toggleAction()->isChecked());
        RawHttp d(port);
        QVERIFY(!d.connect(500) || !d.request("GET", "/api/version"));
        QVERIFY(tray.menu()->actions().last()->text().contains(QStringLiteral("Quit")));
    }
};

QTEST_MAIN(TstTray)
#include "tst_tray.moc"
