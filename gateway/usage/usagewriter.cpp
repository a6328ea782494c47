#include "usagewriter.h"

#include <QMetaObject>

namespace gw {

// The half that lives on the writer thread.
class UsageWriter::Worker : public QObject
{
public:
    Worker(UsageWriter *owner, const Options &options)
        : m_owner(owner), m_options(options), m_timer(this), m_pruneTimer(this)
    {
        m_timer.setSingleShot(true);
        m_timer.setInterval(options.flushMs);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { write(); });
        m_pruneTimer.setInterval(24 * 3600 * 1000);
        QObject::connect(&m_pruneTimer, &QTimer::timeout, this, [this] { prune(); });
    }

    bool open(const QString &path, QString *error)
    {
        if (!m_db.open(path, error))
            return false;
        prune();
        m_pruneTimer.start();
        return true;
    }
    // Rows are waiting in the owner's queue: a batch began (the timer runs from now) or is full.
    // They stay there until write() takes them all.
    void take()
    {
        qsizetype waiting;
        {
            QMutexLocker lock(&m_owner->m_queueLock);
            waiting = m_owner->m_queue.size();
        }
        if (waiting >= m_options.batchRows)
            write();
        else if (waiting > 0 && !m_timer.isActive())
            m_timer.start();
    }
    void write()
    {
        m_timer.stop();
        takeQueue();
        if (m_pending.isEmpty())
            return;
        QString error;
        if (!m_db.insert(m_pending, &error))
            emit m_owner->writeFailed(QStringLiteral("%1: %2").arg(m_db.path(), error));
        m_pending.clear();
    }
    void prune() { m_db.prune(QDateTime::currentDateTime().addDays(-m_options.retentionDays)); }
    void setRetention(int days)
    {
        m_options.retentionDays = days;
        prune();
    }

private:
    void takeQueue()
    {
        QMutexLocker lock(&m_owner->m_queueLock);
        m_pending += std::move(m_owner->m_queue);
        m_owner->m_queue.clear();
    }

    UsageWriter *m_owner;
    Options m_options;
    UsageDb m_db;
    QList<UsageRow> m_pending;
    // Children, so they move to the writer thread with the worker.
    QTimer m_timer;
    QTimer m_pruneTimer;
};

UsageWriter::UsageWriter(const QString &path, const Options &options, QString *error,
                         QObject *parent)
    : QObject(parent), m_path(path), m_batchRows(options.batchRows)
{
    m_thread.setObjectName(QStringLiteral("usage writer"));
    m_thread.start();
    m_worker = new Worker(this, options);
    m_worker->moveToThread(&m_thread);
    QString e;
    QMetaObject::invokeMethod(
        m_worker, [this, &e, path] { m_open = m_worker->open(path, &e); },
        Qt::BlockingQueuedConnection);
    if (error)
        *error = e;
}

UsageWriter::~UsageWriter()
{
    Worker *w = m_worker;
    QMetaObject::invokeMethod(
        w,
        [w] {
            w->write();
            delete w;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void UsageWriter::append(const UsageRow &row)
{
    if (!m_open)
        return;
    qsizetype queued;
    {
        QMutexLocker lock(&m_queueLock);
        m_queue.append(row);
        queued = m_queue.size();
    }
    // The worker is woken once when a batch begins (its timer starts) and once when it is full;
    // write() takes the whole queue.
    if (queued == 1 || queued == m_batchRows) {
        Worker *w = m_worker;
        QMetaObject::invokeMethod(
            w, [w] { w->take(); }, Qt::QueuedConnection);
    }
}

void UsageWriter::setRetentionDays(int days)
{
    Worker *w = m_worker;
    QMetaObject::invokeMethod(
        w, [w, days] { w->setRetention(days); }, Qt::QueuedConnection);
}

void UsageWriter::flush()
{
    Worker *w = m_worker;
    QMetaObject::invokeMethod(
        w, [w] { w->write(); }, Qt::BlockingQueuedConnection);
}

} // namespace gw
