#pragma once

#include "usage/usagerow.h"

#include <QDate>
#include <QList>
#include <QWidget>

namespace gw {

// Cost per day, stacked by provider, drawn with QPainter: one bar a day over the chosen range,
// a colour per provider with a legend, the largest day's cost on the axis.
class CostChart : public QWidget
{
    Q_OBJECT
public:
    explicit CostChart(QWidget *parent = nullptr);

    void setData(const QList<DailyCost> &costs, const QDate &from, const QDate &to);
    QStringList providers() const { return m_providers; }
    double dayTotal(const QDate &day) const;
    int days() const { return int(m_from.daysTo(m_to)) + 1; }

    QSize sizeHint() const override { return {640, 200}; }
    QSize minimumSizeHint() const override { return {240, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<DailyCost> m_costs;
    QStringList m_providers; // by total cost, largest first
    QDate m_from, m_to;
};

} // namespace gw
