// Single instance with two real processes of the real binary: the second launch asks the first
// to show its window and exits 0 without starting a gateway; a lock left by a killed first
// instance is taken over by the next launch.

#include "rawhttp.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

bool answers(quint16 port)
{
    RawHttp c(port);
    if (!c.connect(500))
        return false;
    const auto r = c.request("GET", "/api/version");
    return r && r->status == 200;
}

} // namespace

class TstSingleInstance : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

    void setUp(QProcess &p, quint16 port, const QStringList &extra = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_home.filePath(QStringLiteral("run")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.remove(QStringLiteral("OLLAMA_HOST"));
        env.remove(QStringLiteral("LLM_GATEWAY_CONFIG"));
        p.setProcessEnvironment(env);
        p.setProgram(QStringLiteral(LLMGW_BIN));
        p.setArguments(
            QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)} +
            extra);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QVERIFY(QDir().mkpath(m_home.filePath(QStringLiteral("run"))));
        QFile::setPermissions(m_home.filePath(QStringLiteral("run")), QFileDevice::ReadOwner |
                                                                          QFileDevice::WriteOwner |
                                                                          QFileDevice::ExeOwner);
    }

    void secondLaunchShowsTheFirstAndExits()
    {
        const quint16 port1 = freePort();
        QProcess first;
        setUp(first, port1);
        first.start();
        QVERIFY(first.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(answers(port1), 15000);

        const quint16 port2 = freePort();
        QProcess second;
        setUp(second, port2, {QStringLiteral("--show"), QStringLiteral("log")});
        second.start();
        QVERIFY(second.waitForFinished(15000));
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QCOMPARE(second.exitCode(), 0);
        QVERIFY(second.readAllStandardError().contains("already running"));
        QVERIFY(!answers(port2)); // no second gateway
        QByteArray said;
        QTRY_VERIFY_WITH_TIMEOUT((said += first.readAllStandardError()).contains("showing log"),
                                 5000);
        QVERIFY(answers(port1));

        // A first instance that dies hard leaves its lock behind; the next launch takes over.
        first.kill();
        QVERIFY(first.waitForFinished(5000));
        QVERIFY(!QDir(m_home.filePath(QStringLiteral("run")))
                     .entryList({QStringLiteral("llm-gateway-*.lock")}, QDir::Files)
                     .isEmpty());
        QProcess third;
        setUp(third, port2);
        third.start();
        QVERIFY(third.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(answers(port2), 15000);
        QCOMPARE(third.state(), QProcess::Running);

        // It is the one others now reach.
        QProcess fourth;
        setUp(fourth, freePort());
        fourth.start();
        QVERIFY(fourth.waitForFinished(15000));
        QCOMPARE(fourth.exitCode(), 0);
        said.clear();
        QTRY_VERIFY_WITH_TIMEOUT((said += third.readAllStandardError()).contains("showing window"),
                                 5000);

        ::kill(pid_t(third.processId()), SIGTERM); // quits cleanly
        QVERIFY(third.waitForFinished(10000));
        QCOMPARE(third.exitStatus(), QProcess::NormalExit);
        QCOMPARE(third.exitCode(), 0);
    }
};

QTEST_MAIN(TstSingleInstance)
#include "tst_singleinstance.moc"
