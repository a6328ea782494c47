#include "costchart.h"

#include "desktopwords.h"

#include <QHash>
#include <QPainter>
#include <QPalette>

#include <algorithm>

namespace gw {
namespace {

QColor providerColor(int i)
{
    static const QColor colors[] = {QColor(0x2e, 0x7d, 0xd2), QColor(0xf5, 0x9e, 0x0b),
                                    QColor(0x10, 0xb9, 0x81), QColor(0xdc, 0x26, 0x26),
                                    QColor(0x8b, 0x5c, 0xf6), QColor(0x64, 0x74, 0x8b)};
    return colors[i % int(std::size(colors))];
}

} // namespace

CostChart::CostChart(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("costChart"));
    setAccessibleName(tr("Cost per day by provider"));
}

void CostChart::setData(const QList<DailyCost> &costs, const QDate &from, const QDate &to)
{
    m_costs = costs;
    m_from = from;
    m_to = to < from ? from : to;
    QHash<QString, double> totals;
    for (const DailyCost &c : costs)
        totals[c.provider] += c.cost;
    m_providers.clear();
    for (auto it = totals.cbegin(); it != totals.cend(); ++it)
        if (it.value() > 0) // free ones draw nothing
            m_providers.append(it.key());
    std::sort(m_providers.begin(), m_providers.end(), [&](const QString &a, const QString &b) {
        return totals.value(a) != totals.value(b) ? totals.value(a) > totals.value(b) : a < b;
    });
    update();
}

double CostChart::dayTotal(const QDate &day) const
{
    double sum = 0;
    for (const DailyCost &c : m_costs)
        if (c.day == day)
            sum += c.cost;
    return sum;
}

void CostChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());
    const QFontMetrics fm(font());
    const int days = qMax(1, this->days());
    double max = 0;
    for (int d = 0; d < days; ++d)
        max = qMax(max, dayTotal(m_from.addDays(d)));

    // Legend on top, the axis label at the left, dates below.
    const int legendH = fm.height() + 6;
    const QString maxLabel = DesktopWords::money(max);
    const int left = fm.horizontalAdvance(maxLabel) + 10;
    const QRect plot(left, legendH + 4, width() - left - 8, height() - legendH - fm.height() - 12);
    if (plot.width() < 20 || plot.height() < 20)
        return;

    int x = left;
    for (int i = 0; i < m_providers.size(); ++i) {
        p.fillRect(QRect(x, 4 + (fm.height() - 10) / 2, 10, 10), providerColor(i));
        x += 14;
        p.setPen(pal.color(QPalette::Text));
        p.drawText(x, 4 + fm.ascent(), m_providers.at(i));
        x += fm.horizontalAdvance(m_providers.at(i)) + 14;
    }
    if (m_providers.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(plot, Qt::AlignCenter, tr("No spending in this range"));
    }

    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());
    p.setPen(pal.color(QPalette::Text));
    if (max > 0)
        p.drawText(QRect(0, plot.top() - fm.height() / 2, left - 6, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, maxLabel);

    const double slot = double(plot.width()) / days;
    const double barW = qMax(2.0, slot * 0.7);
    const int labelEvery =
        qMax(1, int(std::ceil((fm.horizontalAdvance(QStringLiteral("00-00")) + 8) / slot)));
    for (int d = 0; d < days; ++d) {
        const QDate day = m_from.addDays(d);
        const double bx = plot.left() + d * slot + (slot - barW) / 2;
        double y = plot.bottom();
        for (int i = 0; i < m_providers.size() && max > 0; ++i) {
            double c = 0;
            for (const DailyCost &dc : m_costs)
                if (dc.day == day && dc.provider == m_providers.at(i))
                    c += dc.cost;
            const double h = c / max * plot.height();
            if (h <= 0)
                continue;
            p.fillRect(QRectF(bx, y - h, barW, h), providerColor(i));
            y -= h;
        }
        if (d % labelEvery == 0) {
            p.setPen(pal.color(QPalette::Text));
            const QString label = QLocale().toString(day, QStringLiteral("MM-dd"));
            p.drawText(
                QRectF(plot.left() + d * slot - 20, plot.bottom() + 2, slot + 40, fm.height()),
                Qt::AlignHCenter | Qt::AlignTop, label);
        }
    }
}

} // namespace gw
