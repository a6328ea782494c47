#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

namespace gw {

// Answers in progress per client address (server.max_requests_per_client), counted across
// every worker thread's server: one short lock when a request starts and when it ends.
class ClientSlots
{
public:
    // Takes a slot for `client` unless it already has `limit` (> 0) answers in progress.
    bool tryAcquire(const QString &client, int limit)
    {
        const QMutexLocker lock(&m_mutex);
        int &active = m_active[client];
        if (active >= limit)
            return false;
        ++active;
        return true;
    }
    void release(const QString &client)
    {
        const QMutexLocker lock(&m_mutex);
        const auto it = m_active.find(client);
        if (it != m_active.end() && --*it <= 0)
            m_active.erase(it);
    }

private:
    QMutex m_mutex;
    QHash<QString, int> m_active;
};

} // namespace gw
