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

QString RequestLog::line(const RequestRecord &r)
{
    QString s = QStringLiteral("%1 %2 %3 %4")
                    .arg(r.started.toString(Qt::ISODateWithMs), r.client, r.method, r.path);
    if (!r.dialect.isEmpty())
        s += QStringLiteral(" dialect=") + r.dialect;
    if (r.app != ClientApp::Unknown)
        s += QStringLiteral(" app=") + clientAppId(r.app);
    if (!r.model.isEmpty())
        s += QStringLiteral(" model=") + r.model;
    if (!r.provider.isEmpty())
        s += QStringLiteral(" via=%1/%2").arg(r.provider, r.upstreamModel);
    s += QStringLiteral(" %1 %2ms").arg(r.status).arg(r.durationMs);
    if (r.firstTokenMs >= 0)
        s += QStringLiteral(" ttft=%1ms").arg(r.firstTokenMs);
    if (r.promptTokens >= 0 || r.completionTokens >= 0)
        s += QStringLiteral(" tokens=%1/%2")
                 .arg(qMax<qint64>(0, r.promptTokens))
                 .arg(qMax<qint64>(0, r.completionTokens));
    if (r.cachedTokens > 0)
        s += QStringLiteral(" cached=%1").arg(r.cachedTokens);
    if (r.cacheWriteTokens > 0)
        s += QStringLiteral(" cache_write=%1").arg(r.cacheWriteTokens);
    if (r.reasoningTokens > 0)
        s += QStringLiteral(" reasoning=%1").arg(r.reasoningTokens);
    if (r.cost >= 0)
        s += QStringLiteral(" cost=$%1").arg(QString::number(r.cost, 'f', 6));
    if (!r.error.isEmpty())
        s += QStringLiteral(" error=\"%1\"").arg(r.error);
    for (const Adjustment &a : r.adjustments)
        s += QStringLiteral(" adjusted=\"%1\"").arg(adjustmentText(a));
    return s;
}

} // namespace gw
