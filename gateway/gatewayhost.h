#pragma once

#include "chat/requestrecord.h"
#include "config/config.h"
#include "config/listenaddress.h"

#include <QDateTime>
#include <QObject>
#include <QThread>

namespace gw {

class Gateway;
class RequestLogFile;

// Runs a Gateway on its own thread for the desktop app, so the UI never waits on the network.
// All calls are queued to the gateway thread; results come back as signals carrying values.
class GatewayHost : public QObject
{
    Q_OBJECT
public:
    explicit GatewayHost(QObject *parent = nullptr);
    ~GatewayHost() override;

    void configure(const Config &config, const QDateTime &modifiedAt);
    void start(const ListenAddress &address);
    void stop();

    bool isRunning() const { return m_running; }
    QString url() const { return m_url; }
    QString lastError() const { return m_error; }

    // --- request log file (tray / log window) ---
    // Appends every request record, redacted, to a rotated JSONL file written from the gateway
    // thread in batches; an empty path turns it off. Failures come back as logFileFailed.
    void setLogFile(const QString &path);
    // --- end request log file ---

signals:
    void stateChanged(bool running, const QString &url, const QString &error);
    void requestFinished(const gw::RequestRecord &record);
    void logFileFailed(const QString &error);

private:
    QThread m_thread;
    Gateway *m_gateway = nullptr;        // lives on m_thread
    RequestLogFile *m_logFile = nullptr; // lives on m_thread; touched only there
    bool m_running = false;
    QString m_url;
    QString m_error;
};

} // namespace gw
