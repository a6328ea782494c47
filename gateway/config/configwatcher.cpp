#include "configwatcher.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace gw {

ConfigWatcher::ConfigWatcher(QObject *parent) : QObject(parent), m_watcher(this), m_settle(this)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(150); // editors write in several steps
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, &m_settle, qOverload<>(&QTimer::start));
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, &m_settle,
            qOverload<>(&QTimer::start));
    connect(&m_settle, &QTimer::timeout, this, &ConfigWatcher::check);
}

void ConfigWatcher::watch(const QString &path)
{
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    m_path = QFileInfo(path).absoluteFilePath();
    QFile f(m_path);
    m_existed = f.open(QIODevice::ReadOnly);
    m_last = m_existed ? f.readAll() : QByteArray();
    rewatch();
}

void ConfigWatcher::rewatch()
{
    const QFileInfo fi(m_path);
    QDir().mkpath(fi.absolutePath());
    if (!m_watcher.directories().contains(fi.absolutePath()))
        m_watcher.addPath(fi.absolutePath());
    if (fi.exists() && !m_watcher.files().contains(m_path))
        m_watcher.addPath(m_path);
}

void ConfigWatcher::check()
{
    rewatch();
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return; // removed, or in the middle of being replaced: the next event tells
    const QByteArray content = f.readAll();
    if (m_existed && content == m_last)
        return;
    m_existed = true;
    m_last = content;
    emit changed(content);
}

} // namespace gw
