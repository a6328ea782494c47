#pragma once

// "A gateway with this config": the set-up every integration suite shares. The config is JSON,
// written to config.json in a temporary directory and read back with Config::load (as the app
// reads its file, with the provider types the registry knows); the Gateway runs in this thread
// on a free 127.0.0.1 port and keeps that port when started again. Requests go over real
// loopback sockets, one fresh connection each; every finished request's record is kept.
//
//     gwtest::GatewayFixture m_gw;                       // a member of the test class
//     QVERIFY2(m_gw.setUp(R"({"providers":[...]})"), qPrintable(m_gw.error()));
//     const Response r = m_gw.post("/api/chat", body);
//     QCOMPARE(r->status, 200);                          // no answer reads as status 0
//
// A test that needs the gateway before it starts (keys, keychain, environment) calls
// configure(), then uses gateway(), then start().

#include "checkedlist.h"
#include "gateway.h"
#include "gatewayidle.h"
#include "providers/providerregistry.h"
#include "rawhttp.h"

#include <QFile>
#include <QHostAddress>
#include <QTemporaryDir>

namespace gwtest {

class GatewayFixture : public LoopbackClient
{
public:
    GatewayFixture()
    {
        QObject::connect(&m_gateway, &gw::Gateway::requestFinished, &m_gateway,
                         [this](const gw::RequestRecord &r) { m_records.append(r); });
    }
    // Stopped here, while the records are still there: answers still in flight when a test
    // returns early end as the server stops, and their records must not reach a list that is
    // already gone (members are destroyed in reverse order).
    ~GatewayFixture() { m_gateway.stop(); }
    GatewayFixture(const GatewayFixture &) = delete;
    GatewayFixture &operator=(const GatewayFixture &) = delete;

    gw::Gateway &gateway() { return m_gateway; }
    gw::Gateway *operator->() { return &m_gateway; }

    // Writes `json` as the config file and applies it. False, with error() saying why (file,
    // line, field), when the config is refused.
    bool configure(const QByteArray &json)
    {
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary directory: %1").arg(m_dir.errorString()));
        QFile f(configPath());
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(json) != json.size())
            return fail(QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
        f.close();
        QString error;
        const auto config = gw::Config::load(f.fileName(), gw::Gateway::configRules(), &error);
        if (!config)
            return fail(error);
        m_gateway.configure(*config);
        return true;
    }

    // Starts (or restarts) the gateway on `host`: a free port the first time, the same one after.
    bool start(const QHostAddress &host = QHostAddress(QHostAddress::LocalHost))
    {
        gw::ListenAddress a;
        a.host = host;
        a.port = m_port;
        QString error;
        if (!m_gateway.start(a, &error))
            return fail(error);
        m_port = m_gateway.address().port;
        return m_port != 0 || fail(QStringLiteral("the gateway reported port 0"));
    }

    bool setUp(const QByteArray &json) { return configure(json) && start(); }

    const QString &error() const { return m_error; }
    QString configPath() const { return m_dir.filePath(QStringLiteral("config.json")); }

    // True once no chat job and no responder is left: every answer ended and the work behind
    // it is gone.
    bool waitIdle(int timeoutMs = 10000) { return gatewayIdle(&m_gateway, timeoutMs); }

    // The records of the requests finished since the last clearRecords(). The workers report
    // records in batches (within Worker::kReportMs); these include every answer that has ended.
    const CheckedList<gw::RequestRecord> &records()
    {
        m_gateway.flushRecords();
        return m_records;
    }
    void clearRecords()
    {
        m_gateway.flushRecords(); // an earlier test's last record must not arrive afterwards
        m_records.clear();
    }

private:
    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }

    QTemporaryDir m_dir;
    gw::Gateway m_gateway;
    QString m_error;
    CheckedList<gw::RequestRecord> m_records;
};

} // namespace gwtest
