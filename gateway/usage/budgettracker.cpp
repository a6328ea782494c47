#include "budgettracker.h"

namespace gw {

QDate BudgetTracker::periodStart(Budget::Period period, const QDate &day)
{
    return period == Budget::Period::Day ? day : QDate(day.year(), day.month(), 1);
}

double BudgetTracker::spent(const Budget &budget, const QDate &today) const
{
    const QMutexLocker lock(&m_mutex);
    return spentLocked(budget, today);
}

double BudgetTracker::spentLocked(const Budget &budget, const QDate &today) const
{
    const QDate from = periodStart(budget.period, today);
    double sum = 0;
    for (auto p = m_spend.cbegin(); p != m_spend.cend(); ++p) {
        if (!covers(budget, p.key()))
            continue;
        for (auto d = p->cbegin(); d != p->cend(); ++d)
            if (d.key() >= from && d.key() <= today)
                sum += d.value();
    }
    return sum;
}

QList<BudgetAlert> BudgetTracker::add(const QString &provider, double cost, const QDate &day)
{
    QList<BudgetAlert> alerts;
    if (cost <= 0)
        return alerts;
    const QMutexLocker lock(&m_mutex);
    m_spend[provider.toLower()][day] += cost;
    // Days of earlier months are no longer needed by any budget.
    const QDate monthStart(day.year(), day.month(), 1);
    for (auto &days : m_spend)
        days.removeIf([&](const auto &it) { return it.key() < monthStart; });
    for (qsizetype i = 0; i < m_budgets.size(); ++i) {
        const Budget &b = m_budgets.at(i);
        if (!covers(b, provider) || b.limit <= 0)
            continue;
        const double now = spentLocked(b, day);
        for (int percent : {100, 80}) {
            if (now < b.limit * percent / 100.0)
                continue;
            const QString key = QStringLiteral("%1|%2|%3|%4")
                                    .arg(i)
                                    .arg(periodStart(b.period, day).toString(Qt::ISODate))
                                    .arg(percent)
                                    .arg(b.limit);
            if (!m_alerted.contains(key)) {
                m_alerted.insert(key);
                alerts.append({b, now, percent, periodStart(b.period, day)});
            }
            break; // 100 % says more than 80 %
        }
    }
    return alerts;
}

std::optional<ChatFailure> BudgetTracker::check(const QString &provider, const QDate &today) const
{
    const QMutexLocker lock(&m_mutex);
    for (const Budget &b : m_budgets) {
        if (!b.hard || !covers(b, provider) || spentLocked(b, today) < b.limit)
            continue;
        ChatFailure f;
        f.cause = FailureCause::BudgetExhausted;
        f.status = 429;
        f.provider = provider;
        f.budget = ChatFailure::BudgetFacts{b.provider, b.period == Budget::Period::Day, b.limit};
        return f;
    }
    return std::nullopt;
}

} // namespace gw
