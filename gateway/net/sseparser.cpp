#include "sseparser.h"

#include <cstring>

namespace gw {

static QString tooLarge(qsizetype max)
{
    return QStringLiteral("an event in the provider's stream is larger than %1 bytes").arg(max);
}

QList<SseEvent> SseParser::feed(const QByteArray &bytes)
{
    QList<SseEvent> out;
    if (hasError())
        return out;
    m_buf.append(bytes);
    if (!m_started) {
        // Only the first bytes of the stream may be a BOM, and it can itself be split across reads.
        const QByteArray bom("\xEF\xBB\xBF");
        if (m_buf.size() < bom.size() && bom.startsWith(m_buf))
            return out;
        m_started = true;
        if (m_buf.startsWith(bom))
            m_buf.remove(0, bom.size());
    }
    const char *d = m_buf.constData();
    const qsizetype n = m_buf.size();
    qsizetype start = 0;
    // Bytes before m_pos are the unfinished line, already searched: a long event arriving in many
    // small reads must not be rescanned on each one. Lines end in LF, CR or CRLF; without a CR
    // in the new bytes (what providers send) memchr finds each LF.
    if (!m_skipLf && !memchr(d + m_pos, '\r', size_t(n - m_pos))) {
        for (const char *lf; !hasError() && (lf = static_cast<const char *>(
                                                 memchr(d + m_pos, '\n', size_t(n - m_pos))));) {
            const qsizetype i = lf - d;
            if (i - start > m_max) {
                m_error = tooLarge(m_max);
                break;
            }
            line(QByteArrayView(d + start, i - start), out);
            start = m_pos = i + 1;
        }
        m_pos = n; // searched to the end
    }
    for (qsizetype i = m_pos; i < n && !hasError(); ++i) {
        const char c = d[i];
        if (m_skipLf) {
            m_skipLf = false;
            if (c == '\n') {
                start = i + 1;
                continue;
            }
        }
        if (c != '\n' && c != '\r')
            continue;
        if (i - start > m_max) {
            m_error = tooLarge(m_max);
            break;
        }
        line(QByteArrayView(d + start, i - start), out);
        if (hasError())
            break;
        if (c == '\r')
            m_skipLf = true;
        start = i + 1;
    }
    if (hasError()) {
        // The oversized event is never dispatched, and nothing after it is parsed.
        m_buf.clear();
        m_event = SseEvent{};
        m_hasData = false;
        m_pos = 0;
        return out;
    }
    // Keep only the unfinished line: the buffer never grows beyond one line.
    m_buf.remove(0, start);
    m_pos = m_buf.size();
    if (m_buf.size() + m_event.data.size() > m_max)
        m_error = tooLarge(m_max);
    return out;
}

QList<SseEvent> SseParser::finish()
{
    QList<SseEvent> out;
    if (hasError())
        return out;
    if (!m_buf.isEmpty()) {
        line(m_buf, out);
        m_buf.clear();
        m_pos = 0;
    }
    if (m_hasData && !hasError())
        dispatch(out);
    return out;
}

void SseParser::line(QByteArrayView l, QList<SseEvent> &out)
{
    if (l.isEmpty()) {
        if (m_hasData)
            dispatch(out);
        else
            m_event = SseEvent{};
        return;
    }
    if (l.startsWith(':'))
        return;
    const qsizetype colon = l.indexOf(':');
    const QByteArrayView field = colon < 0 ? l : l.first(colon);
    QByteArrayView value;
    if (colon >= 0) {
        qsizetype v = colon + 1;
        if (v < l.size() && l.at(v) == ' ')
            ++v;
        value = l.sliced(v);
    }
    if (field == "data") {
        if (m_hasData)
            m_event.data.append('\n');
        m_event.data.append(value);
        m_hasData = true;
        if (m_event.data.size() > m_max)
            m_error = tooLarge(m_max);
    } else if (field == "event") {
        m_event.event = value.toByteArray();
    } else if (field == "id") {
        m_event.id = value.toByteArray();
    }
}

void SseParser::dispatch(QList<SseEvent> &out)
{
    out.append(m_event);
    m_event = SseEvent{};
    m_hasData = false;
}

} // namespace gw
