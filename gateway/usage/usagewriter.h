#pragma once

#include "usage/usagedb.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <memory>

namespace gw {

// Writes usage rows to the database on a thread of its own, in batches: the gateway thread
// puts a row in a locked queue and never waits on the disk; the writer thread is woken only
// when a batch begins and when it is full, not per row (a wake-up per request cost ~18 K
// instructions, issue #15). A batch is one transaction,
// written when `flushMs` has passed since its first row or when it holds `batchRows`; a process
// killed in between loses only that batch.
class UsageWriter : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int flushMs = 1000;
        int batchRows = 200;
        int retentionDays = 400; // older rows are deleted at start and once a day
    };

    // Starts the thread and opens (creating or migrating) the file there; the result is known
    // when this returns.
    UsageWriter(const QString &path, const Options &options, QString *error,
                QObject *parent = nullptr);
    ~UsageWriter() override; // writes what is still waiting, then ends the thread

    bool isOpen() const { return m_open; }
    QString path() const { return m_path; }

    // From any thread.
    void append(const UsageRow &row);
    void setRetentionDays(int days);
    // Blocks until every row appended so far from this thread is written (tests, shutdown).
    void flush();

signals:
    void writeFailed(const QString &error);

private:
    class Worker;
    QString m_path;
    bool m_open = false;
    QThread m_thread;
    Worker *m_worker = nullptr; // lives on m_thread
    int m_batchRows = 0;
    QMutex m_queueLock;
    QList<UsageRow> m_queue; // appended, not yet taken by the worker
};

} // namespace gw
