#pragma once

#include <QDateTime>
#include <QList>
#include <QTimer>
#include <QWidget>

#include <functional>

namespace gw {

// Requests per minute (bars) and median latency (line) over the last half hour, drawn with
// QPainter. Memory is bounded: one bucket per minute, a bounded sample of durations in each.
class RequestChart : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMinutes = 30;

    explicit RequestChart(QWidget *parent = nullptr);

    void add(const QDateTime &when, qint64 durationMs);
    void clear();
    // For tests: a fixed "now".
    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }

    // minutesAgo 0 = the current minute.
    int requests(int minutesAgo) const;
    qint64 medianMs(int minutesAgo) const; // -1 without requests

    QSize sizeHint() const override { return {600, 130}; }
    QSize minimumSizeHint() const override { return {240, 90}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Bucket
    {
        qint64 minute = 0; // minutes since the epoch
        int count = 0;
        QList<qint64> durations; // at most kSamples, then every n-th
    };
    static constexpr int kSamples = 512;
    const Bucket *bucket(qint64 minute) const;
    qint64 currentMinute() const;

    QList<Bucket> m_buckets; // ascending by minute, at most kMinutes
    QTimer m_tick;
    std::function<QDateTime()> m_now;
};

} // namespace gw
