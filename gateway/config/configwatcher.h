#pragma once

#include <QByteArray>
#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace gw {

// Notices edits of the config file. Watches the file and its folder: saving with QSaveFile (or
// most editors) replaces the file, which ends a watch on the file alone. Bursts of events are
// folded into one `changed`, and only when the bytes on disk differ from the last ones seen
// (so the app's own save, announced with `expect`, is not reported back).
class ConfigWatcher : public QObject
{
    Q_OBJECT
public:
    explicit ConfigWatcher(QObject *parent = nullptr);

    void watch(const QString &path);
    QString path() const { return m_path; }
    // The content about to be written by the app itself.
    void expect(const QByteArray &content) { m_last = content; }

signals:
    void changed(const QByteArray &content);

private:
    void check();
    void rewatch();

    QFileSystemWatcher m_watcher;
    QTimer m_settle;
    QString m_path;
    QByteArray m_last;
    bool m_existed = false;
};

} // namespace gw
