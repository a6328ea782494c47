#include "requestchart.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace gw {

RequestChart::RequestChart(QWidget *parent) : QWidget(parent)
{
    m_now = [] { return QDateTime::currentDateTime(); };
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    // The time axis moves even when nothing happens.
    m_tick.setInterval(15000);
    connect(&m_tick, &QTimer::timeout, this, qOverload<>(&QWidget::update));
    m_tick.start();
}

qint64 RequestChart::currentMinute() const
{
    return m_now().toSecsSinceEpoch() / 60;
}

void RequestChart::add(const QDateTime &when, qint64 durationMs)
{
    const qint64 minute = when.toSecsSinceEpoch() / 60;
    if (minute <= currentMinute() - kMinutes)
        return;
    auto it = std::lower_bound(m_buckets.begin(), m_buckets.end(), minute,
                               [](const Bucket &b, qint64 m) { return b.minute < m; });
    if (it == m_buckets.end() || it->minute != minute)
        it = m_buckets.insert(it, Bucket{minute, 0, {}});
    ++it->count;
    if (it->durations.size() < kSamples)
        it->durations.append(durationMs);
    else // keep a spread-out sample of a busy minute
        it->durations[it->count % kSamples] = durationMs;
    const qint64 oldest = currentMinute() - kMinutes + 1;
    while (!m_buckets.isEmpty() && m_buckets.first().minute < oldest)
        m_buckets.removeFirst();
    update();
}

void RequestChart::clear()
{
    m_buckets.clear();
    update();
}

const RequestChart::Bucket *RequestChart::bucket(qint64 minute) const
{
    for (const Bucket &b : m_buckets)
        if (b.minute == minute)
            return &b;
    return nullptr;
}

int RequestChart::requests(int minutesAgo) const
{
    const Bucket *b = bucket(currentMinute() - minutesAgo);
    return b ? b->count : 0;
}

qint64 RequestChart::medianMs(int minutesAgo) const
{
    const Bucket *b = bucket(currentMinute() - minutesAgo);
    if (!b || b->durations.isEmpty())
        return -1;
    QList<qint64> d = b->durations;
    const auto mid = d.begin() + d.size() / 2;
    std::nth_element(d.begin(), mid, d.end());
    return *mid;
}

void RequestChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(rect().adjusted(0, 0, -1, -1));

    const QFontMetrics fm = fontMetrics();
    const int pad = 8;
    const int legendH = fm.height() + 4;
    const QRect plot = rect().adjusted(
        pad + fm.horizontalAdvance(QStringLiteral("000")) + 4, pad + legendH,
        -(pad + fm.horizontalAdvance(QStringLiteral("00.0 s")) + 4), -(pad + fm.height() + 2));
    if (plot.width() < 40 || plot.height() < 20)
        return;

    int maxCount = 0;
    qint64 maxLatency = 0;
    QList<int> counts(kMinutes);
    QList<qint64> medians(kMinutes);
    for (int i = 0; i < kMinutes; ++i) {
        const int ago = kMinutes - 1 - i;
        counts[i] = requests(ago);
        medians[i] = medianMs(ago);
        maxCount = qMax(maxCount, counts[i]);
        maxLatency = qMax(maxLatency, medians[i]);
    }
    const QColor barColor = pal.color(QPalette::Highlight);
    const QColor lineColor(232, 131, 29);

    // Legend
    p.setPen(pal.color(QPalette::Text));
    int x = plot.left();
    const int ly = pad + fm.ascent();
    p.fillRect(QRect(x, ly - fm.ascent() + 2, 10, 10), barColor);
    x += 14;
    const QString l1 = tr("requests/min");
    p.drawText(x, ly, l1);
    x += fm.horizontalAdvance(l1) + 16;
    p.setPen(QPen(lineColor, 2));
    p.drawLine(x, ly - fm.ascent() / 2 + 1, x + 12, ly - fm.ascent() / 2 + 1);
    x += 16;
    p.setPen(pal.color(QPalette::Text));
    p.drawText(x, ly, tr("median latency"));
    const QString span = tr("last %1 min").arg(kMinutes);
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(plot.right() - fm.horizontalAdvance(span), ly, span);

    // Grid and axes
    p.setPen(QPen(pal.color(QPalette::Midlight), 1, Qt::DotLine));
    p.drawLine(plot.left(), plot.top(), plot.right(), plot.top());
    p.drawLine(plot.left(), plot.center().y(), plot.right(), plot.center().y());
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());

    if (maxCount == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(plot, Qt::AlignCenter, tr("No requests in the last %1 min").arg(kMinutes));
    }
    const int countScale = qMax(1, maxCount);
    const double slot = double(plot.width()) / kMinutes;
    for (int i = 0; i < kMinutes; ++i) {
        if (counts[i] == 0)
            continue;
        const double h = double(plot.height()) * counts[i] / countScale;
        p.fillRect(QRectF(plot.left() + i * slot + 1, plot.bottom() - h, qMax(1.0, slot - 2), h),
                   barColor);
    }
    if (maxLatency > 0) {
        QPainterPath path;
        bool started = false;
        p.setPen(QPen(lineColor, 2));
        p.setBrush(lineColor);
        for (int i = 0; i < kMinutes; ++i) {
            if (medians[i] < 0)
                continue;
            const QPointF pt(plot.left() + (i + 0.5) * slot,
                             plot.bottom() - double(plot.height()) * medians[i] / maxLatency);
            if (!started)
                path.moveTo(pt);
            else
                path.lineTo(pt);
            started = true;
            p.drawEllipse(pt, 2.5, 2.5);
        }
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
    }

    // Scales: count on the left, latency on the right, time below.
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(pad, plot.top() - fm.height() / 2, plot.left() - pad - 4, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, QString::number(maxCount));
    p.drawText(QRect(pad, plot.bottom() - fm.height() / 2, plot.left() - pad - 4, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("0"));
    if (maxLatency > 0) {
        const QString top =
            maxLatency < 1000 ? tr("%1 ms").arg(maxLatency)
                              : tr("%1 s").arg(QString::number(double(maxLatency) / 1000, 'f', 1));
        p.setPen(lineColor.darker(120));
        p.drawText(QRect(plot.right() + 4, plot.top() - fm.height() / 2, width(), fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, top);
    }
    p.setPen(pal.color(QPalette::PlaceholderText));
    const int ty = plot.bottom() + 2;
    p.drawText(QRect(plot.left(), ty, plot.width(), fm.height()), Qt::AlignLeft,
               tr("−%1 min").arg(kMinutes));
    p.drawText(QRect(plot.left(), ty, plot.width(), fm.height()), Qt::AlignHCenter,
               tr("−%1 min").arg(kMinutes / 2));
    p.drawText(QRect(plot.left(), ty, plot.width(), fm.height()), Qt::AlignRight, tr("now"));
}

} // namespace gw
