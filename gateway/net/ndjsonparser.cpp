#include "ndjsonparser.h"

namespace gw {

static QString tooLong(qsizetype max)
{
    return QStringLiteral("a line in the provider's stream is longer than %1 bytes").arg(max);
}

static void take(QByteArray line, QList<QByteArray> &out)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (!line.trimmed().isEmpty())
        out.append(line);
}

QList<QByteArray> NdjsonParser::feed(const QByteArray &bytes)
{
    QList<QByteArray> out;
    if (hasError())
        return out;
    const qsizetype old = m_buf.size();
    m_buf.append(bytes);
    qsizetype start = 0;
    // Only the new bytes can hold a line end: no rescanning of what was already searched.
    for (qsizetype i = m_buf.indexOf('\n', old); i >= 0; i = m_buf.indexOf('\n', i + 1)) {
        if (i - start > m_max) {
            // A complete line can be over the limit too when it arrives in one read.
            m_error = tooLong(m_max);
            m_buf.clear();
            return out;
        }
        take(m_buf.mid(start, i - start), out);
        start = i + 1;
    }
    m_buf.remove(0, start);
    if (m_buf.size() > m_max)
        m_error = tooLong(m_max);
    return out;
}

QList<QByteArray> NdjsonParser::finish()
{
    QList<QByteArray> out;
    if (!hasError())
        take(m_buf, out);
    m_buf.clear();
    return out;
}

} // namespace gw
