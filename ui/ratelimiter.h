#pragma once

#include <QHash>
#include <QString>

namespace gw {

// Lets one event per key through per interval: notifications about the same cause (a provider's
// rejected key, a port that is taken) reach the user once, not once per request.
class RateLimiter
{
public:
    explicit RateLimiter(qint64 intervalMs) : m_intervalMs(intervalMs) {}

    bool allow(const QString &key, qint64 nowMs)
    {
        const auto it = m_last.constFind(key);
        if (it != m_last.cend() && nowMs - *it < m_intervalMs)
            return false;
        m_last.insert(key, nowMs);
        return true;
    }
    // The cause went away (the key works again): the next occurrence is news.
    void reset(const QString &key) { m_last.remove(key); }
    qint64 interval() const { return m_intervalMs; }
    void setInterval(qint64 ms) { m_intervalMs = ms; }

private:
    qint64 m_intervalMs;
    QHash<QString, qint64> m_last;
};

} // namespace gw
