#include "requestlog.h"

#include "log/adjustmenttext.h"
#include "log/redact.h"

namespace gw {

RequestLog::RequestLog(qsizetype capacity, QObject *parent)
    : QObject(parent), m_capacity(qMax<qsizetype>(1, capacity))
{
    m_ring.reserve(qMin<qsizetype>(m_capacity, 256));
}

void RequestLog::append(const RequestRecord &record)
{
    if (m_ring.size() < m_capacity) {
        m_ring.append(record);
    } else {
        m_ring[m_head] = record;
        m_head = (m_head + 1) % m_capacity;
    }
    ++m_total;
    emit appended(record);
}

QList<RequestRecord> RequestLog::records() const
{
    if (m_ring.size() < m_capacity)
        return m_ring;
    return m_ring.mid(m_head) + m_ring.mid(0, m_head);
}

void RequestLog::clear()
{
    m_ring.clear();
    m_head = 0;
}

RequestRecord RequestLog::redacted(RequestRecord record)
{
    if (record.redacted)
        return record;
    record.redacted = true;
    record.requestBody = redact(record.requestBody);
    record.responseBody = redact(record.responseBody);
    record.error = redact(record.error);
    return record;
}

namespace {

// Appends a decimal integer (what QString::arg(qint64) gives).
void appendNumber(QString &s, qint64 v)
{
    char buf[24];
    char *e = buf + sizeof buf;
    char *p = e;
    const bool negative = v < 0;
    quint64 u = negative ? 0 - quint64(v) : quint64(v);
    do {
        *--p = char('0' + u % 10);
        u /= 10;
    } while (u);
    if (negative)
        *--p = '-';
    s.append(QLatin1StringView(p, e - p));
}

void appendDigits(char *&p, int v, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        p[i] = char('0' + v % 10);
        v /= 10;
    }
    p += width;
}

// What QDateTime::toString(Qt::ISODateWithMs) gives, without its general machinery for the
// common case (local time, years 0-9999): yyyy-MM-ddTHH:mm:ss.zzz.
void appendTime(QString &s, const QDateTime &t)
{
    if (!t.isValid() || t.timeSpec() != Qt::LocalTime) {
        s.append(t.toString(Qt::ISODateWithMs));
        return;
    }
    const QDate d = t.date();
    const QTime tm = t.time();
    if (d.year() < 0 || d.year() > 9999) {
        s.append(t.toString(Qt::ISODateWithMs));
        return;
    }
    char buf[23];
    char *p = buf;
    appendDigits(p, d.year(), 4);
    *p++ = '-';
    appendDigits(p, d.month(), 2);
    *p++ = '-';
    appendDigits(p, d.day(), 2);
    *p++ = 'T';
    appendDigits(p, tm.hour(), 2);
    *p++ = ':';
    appendDigits(p, tm.minute(), 2);
    *p++ = ':';
    appendDigits(p, tm.second(), 2);
    *p++ = '.';
    appendDigits(p, tm.msec(), 3);
    s.append(QLatin1StringView(buf, p - buf));
}

} // namespace

QString RequestLog::line(const RequestRecord &r)
{
    // Appended piece by piece into one buffer: the serve line is printed for every request.
    QString s;
    s.reserve(160 + r.client.size() + r.path.size() + r.model.size() + r.provider.size() +
              r.upstreamModel.size() + r.error.size());
    const auto text = [&s](const char *latin1) { s.append(QLatin1StringView(latin1)); };
    appendTime(s, r.started);
    s.append(u' ');
    s.append(r.client);
    s.append(u' ');
    s.append(r.method);
    s.append(u' ');
    s.append(r.path);
    if (!r.dialect.isEmpty()) {
        text(" dialect=");
        s.append(r.dialect);
    }
    if (r.app != ClientApp::Unknown) {
        text(" app=");
        s.append(clientAppId(r.app));
    }
    if (!r.model.isEmpty()) {
        text(" model=");
        s.append(r.model);
    }
    if (!r.provider.isEmpty()) {
        text(" via=");
        s.append(r.provider);
        s.append(u'/');
        s.append(r.upstreamModel);
    }
    s.append(u' ');
    appendNumber(s, r.status);
    s.append(u' ');
    appendNumber(s, r.durationMs);
    text("ms");
    if (r.firstTokenMs >= 0) {
        text(" ttft=");
        appendNumber(s, r.firstTokenMs);
        text("ms");
    }
    if (r.promptTokens >= 0 || r.completionTokens >= 0) {
        text(" tokens=");
        appendNumber(s, qMax<qint64>(0, r.promptTokens));
        s.append(u'/');
        appendNumber(s, qMax<qint64>(0, r.completionTokens));
    }
    if (r.cachedTokens > 0) {
        text(" cached=");
        appendNumber(s, r.cachedTokens);
    }
    if (r.cacheWriteTokens > 0) {
        text(" cache_write=");
        appendNumber(s, r.cacheWriteTokens);
    }
    if (r.reasoningTokens > 0) {
        text(" reasoning=");
        appendNumber(s, r.reasoningTokens);
    }
    if (r.cost >= 0) {
        text(" cost=$");
        s.append(QString::number(r.cost, 'f', 6));
    }
    if (!r.error.isEmpty()) {
        text(" error=\"");
        s.append(r.error);
        s.append(u'"');
    }
    for (const Adjustment &a : r.adjustments) {
        text(" adjusted=\"");
        s.append(adjustmentText(a));
        s.append(u'"');
    }
    return s;
}

} // namespace gw
