#pragma once

#include <QByteArray>
#include <QLocalServer>
#include <QLockFile>
#include <QObject>
#include <QString>

#include <memory>

namespace gw {

// One tray app per user and config file. The first launch holds a lock file (QLockFile: a
// lock left by a crashed instance is taken over, since its process is gone) and listens on a
// local socket; a later launch finds the lock taken and sends its request ("show …") there.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(const QString &key, QObject *parent = nullptr);
    ~SingleInstance() override;

    // A key from the user and the config file: another config is another instance.
    static QString keyFor(const QString &configPath);

    // True when this process is the first: the lock is ours and we listen for others.
    bool claim(int waitMs = 100); // waitMs: how long an old owner may take to go
    // Delivers a message to the first instance; false when it does not answer in time.
    bool send(const QByteArray &message, int timeoutMs = 3000);
    QString lockPath() const { return m_lockPath; }

signals:
    void messageReceived(const QByteArray &message);

private:
    QString m_name;
    QString m_lockPath;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer m_server;
};

} // namespace gw
