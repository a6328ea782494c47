#pragma once

// The desktop app's gateway with a config: a GatewayHost (the gateway on its own thread)
// reading config.json from a temporary directory, as the tray app reads its file, started on a
// free 127.0.0.1 port. For the suites that link llmgw_desktop; GatewayFixture is the same for
// a Gateway in the test's thread.
//
//     gwtest::HostFixture h;
//     QVERIFY2(h.configure(R"({"models":[...]})"), qPrintable(h.error()));
//     QVERIFY2(h.start(), qPrintable(h.error()));
//     QCOMPARE(h.post("/api/chat", body)->status, 200);

#include "gatewayhost.h"
#include "rawhttp.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUrl>

namespace gwtest {

class HostFixture : public LoopbackClient
{
public:
    HostFixture() = default;
    HostFixture(const HostFixture &) = delete;
    HostFixture &operator=(const HostFixture &) = delete;

    gw::GatewayHost &host() { return m_host; }
    gw::GatewayHost *operator->() { return &m_host; }

    // Writes `json` as the config file and points the host at it (which applies it, on the
    // gateway's thread; a refused file is reported by GatewayHost::configError).
    bool configure(const QByteArray &json)
    {
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary directory: %1").arg(m_dir.errorString()));
        QFile f(configPath());
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(json) != json.size())
            return fail(QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
        f.close();
        m_host.setConfigPath(f.fileName());
        return true;
    }

    // Starts the gateway on 127.0.0.1:`port` (0: a free one) and waits until it says whether it
    // runs. False, with error() from the host, when it does not.
    bool start(quint16 port = 0)
    {
        QSignalSpy state(&m_host, &gw::GatewayHost::stateChanged);
        gw::ListenAddress a;
        a.port = port;
        m_host.start(a);
        if (!state.wait(10000))
            return fail(QStringLiteral("the gateway thread did not report its state"));
        const QList<QVariant> last = state.last();
        if (!last.at(0).toBool())
            return fail(last.at(2).toString());
        m_port = quint16(QUrl(m_host.url()).port());
        return m_port != 0 || fail(QStringLiteral("the host reported no port: ") + m_host.url());
    }

    // Stops the gateway and waits until it says so.
    bool stop()
    {
        QSignalSpy state(&m_host, &gw::GatewayHost::stateChanged);
        m_host.stop();
        if (!state.wait(10000))
            return fail(QStringLiteral("the gateway thread did not report its state"));
        return !state.last().at(0).toBool() || fail(QStringLiteral("still running"));
    }

    const QString &error() const { return m_error; }
    QString configPath() const { return m_dir.filePath(QStringLiteral("config.json")); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

private:
    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }

    QTemporaryDir m_dir;
    gw::GatewayHost m_host;
    QString m_error;
};

} // namespace gwtest
