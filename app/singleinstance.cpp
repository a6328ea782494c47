#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QLocalSocket>
#include <QStandardPaths>
#include <QThread>

#if defined(Q_OS_UNIX)
#include <unistd.h>
#endif

namespace gw {

SingleInstance::SingleInstance(const QString &key, QObject *parent)
    : QObject(parent), m_name(QStringLiteral("llm-gateway-") + key)
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath();
    m_lockPath = dir + u'/' + m_name + QStringLiteral(".lock");
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *s = m_server.nextPendingConnection()) {
            connect(s, &QLocalSocket::disconnected, s, &QObject::deleteLater);
            connect(s, &QLocalSocket::readyRead, this, [this, s] {
                while (s->canReadLine()) {
                    const QByteArray line = s->readLine().trimmed();
                    s->write("ok\n");
                    emit messageReceived(line);
                }
            });
        }
    });
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::keyFor(const QString &configPath)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
#if defined(Q_OS_UNIX)
    h.addData(QByteArray::number(qulonglong(::getuid())));
#else
    h.addData(qgetenv("USERNAME"));
#endif
    h.addData("\n");
    h.addData(QFileInfo(configPath).absoluteFilePath().toUtf8());
    return QString::fromLatin1(h.result().toHex().left(16));
}

bool SingleInstance::claim(int waitMs)
{
    m_lock = std::make_unique<QLockFile>(m_lockPath);
    // Only a dead owner makes a lock stale, however long the first instance has been running.
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(waitMs)) {
        m_lock.reset();
        return false;
    }
    // A socket file left by a crashed instance would make listen() fail.
    QLocalServer::removeServer(m_name);
    if (!m_server.listen(m_name))
        qWarning("llm-gateway: cannot listen for other launches on %s: %s", qPrintable(m_name),
                 qPrintable(m_server.errorString()));
    return true;
}

bool SingleInstance::send(const QByteArray &message, int timeoutMs)
{
    // The first instance may have just taken the lock and not be listening yet.
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        QLocalSocket s;
        s.connectToServer(m_name);
        if (s.waitForConnected(qMax<qint64>(1, deadline.remainingTime()))) {
            s.write(message + '\n');
            if (!s.waitForBytesWritten(qMax<qint64>(1, deadline.remainingTime())))
                return false;
            while (!s.canReadLine() &&
                   s.waitForReadyRead(qMax<qint64>(1, deadline.remainingTime())))
                ;
            return s.canReadLine() && s.readLine().trimmed() == "ok";
        }
        QThread::msleep(50);
    }
    return false;
}

} // namespace gw
