#include "gatewayhost.h"

#include "gateway.h"
#include "log/requestlogfile.h"

#include <utility>

namespace gw {

GatewayHost::GatewayHost(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<gw::RequestRecord>();
    m_thread.setObjectName(QStringLiteral("gateway"));
    m_thread.start();
    // Gateway's constructor creates no sockets or network managers (start() does, on the
    // gateway thread), so it may be built here and moved.
    auto *gateway = new Gateway;
    gateway->moveToThread(&m_thread);
    m_gateway = gateway;
    connect(gateway, &Gateway::requestFinished, this, &GatewayHost::requestFinished,
            Qt::QueuedConnection);
}

GatewayHost::~GatewayHost()
{
    // The log file writes what it still holds, on its own thread, before the thread ends.
    QMetaObject::invokeMethod(
        m_gateway, [this] { delete std::exchange(m_logFile, nullptr); },
        Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        m_gateway, [g = m_gateway] { g->stop(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    // Its thread has ended, so nothing else can touch it now (a deleteLater would never run).
    delete m_gateway;
}

void GatewayHost::configure(const Config &config, const QDateTime &modifiedAt)
{
    QMetaObject::invokeMethod(
        m_gateway, [g = m_gateway, config, modifiedAt] { g->configure(config, modifiedAt); });
}

void GatewayHost::start(const ListenAddress &address)
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, address] {
        QString error;
        const bool ok = g->start(address, &error);
        const QString url = ok ? g->address().url() : QString();
        QMetaObject::invokeMethod(this, [this, ok, url, error] {
            m_running = ok;
            m_url = url;
            m_error = error;
            emit stateChanged(ok, url, error);
        });
    });
}

void GatewayHost::stop()
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway] {
        g->stop();
        QMetaObject::invokeMethod(this, [this] {
            m_running = false;
            m_error.clear();
            emit stateChanged(false, m_url, QString());
        });
    });
}

// --- request log file ---

void GatewayHost::setLogFile(const QString &path)
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, path] {
        delete std::exchange(m_logFile, nullptr);
        if (path.isEmpty())
            return;
        m_logFile = new RequestLogFile(path, g);
        connect(g, &Gateway::requestFinished, m_logFile, &RequestLogFile::append);
        connect(m_logFile, &RequestLogFile::writeFailed, this, &GatewayHost::logFileFailed,
                Qt::QueuedConnection);
    });
}

} // namespace gw
