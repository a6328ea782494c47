#pragma once

#include "chat/chatfailure.h"
#include "config/config.h"

#include <QDate>
#include <QHash>
#include <QMutex>
#include <QSet>
#include <QString>

#include <optional>

namespace gw {

// A budget passing 80 % or 100 % of its limit in a period (reported once per budget, period
// and level).
struct BudgetAlert
{
    Budget budget;
    double spent = 0;
    int percent = 80; // 80 or 100
    QDate periodStart;
};

// What has been spent per provider and day this month, and the budgets over it. Lives on the
// gateway thread: the dispatcher asks it before each request, the gateway adds each request's
// cost. Days and months are local time. Thread-safe: the dispatchers of every worker thread
// ask it (one short lock each), the gateway thread adds to it.
class BudgetTracker
{
public:
    void setBudgets(const QList<Budget> &budgets)
    {
        const QMutexLocker lock(&m_mutex);
        m_budgets = budgets;
    }
    QList<Budget> budgets() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_budgets;
    }
    // Spend per provider (lower case) and day, from the usage database.
    void seed(const QHash<QString, QHash<QDate, double>> &spend)
    {
        const QMutexLocker lock(&m_mutex);
        m_spend = spend;
    }

    // Adds a request's cost; the alerts it set off, each once.
    QList<BudgetAlert> add(const QString &provider, double cost, const QDate &day);
    double spent(const Budget &budget, const QDate &today) const;
    // The failure for a request to `provider` when a hard budget that covers it is used up.
    std::optional<ChatFailure> check(const QString &provider, const QDate &today) const;

    static QDate periodStart(Budget::Period period, const QDate &day);

private:
    double spentLocked(const Budget &budget, const QDate &today) const;
    bool covers(const Budget &b, const QString &provider) const
    {
        return b.provider.isEmpty() || b.provider.compare(provider, Qt::CaseInsensitive) == 0;
    }

    mutable QMutex m_mutex;
    QList<Budget> m_budgets;
    QHash<QString, QHash<QDate, double>> m_spend;
    QSet<QString> m_alerted; // "index|period start|percent|limit"
};

} // namespace gw
