#include "requestframer.h"

#include <QList>
#include <QPair>

namespace gw {
namespace {

using Fields = QList<QPair<QByteArray, QByteArray>>;

bool startsWithSpace(QByteArrayView v)
{
    return v.startsWith(' ') || v.startsWith('\t');
}

bool validFieldName(QByteArrayView name)
{
    static constexpr QByteArrayView other("!#$%&'*+-.^_`|~");
    if (name.isEmpty())
        return false;
    for (const char c : name)
        if (!(('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') ||
              other.contains(c)))
            return false;
    return true;
}

// The header block as Qt's QHttpHeaderParser::parseHeaders reads it (folded lines joined):
// 0 when Qt takes it, else the status to refuse it with (where Qt would drop every header).
int parseFields(QByteArrayView h, Fields *out)
{
    if (startsWithSpace(h) || (!h.isEmpty() && !h.endsWith('\n')))
        return 400;
    while (h.endsWith("\n\r\n") || h.endsWith("\n\n"))
        h.chop(h.endsWith("\n\r\n") ? 2 : 1);
    while (!h.isEmpty()) {
        const qsizetype colon = h.indexOf(':');
        if (colon < 0)
            return out->isEmpty() && (h == "\n" || h == "\r\n") ? 0 : 400;
        if (out->size() >= RequestFramer::kQtMaxFields)
            return 431;
        const QByteArrayView name = h.first(colon);
        if (!validFieldName(name))
            return 400;
        h = h.sliced(colon + 1);
        QByteArray value;
        qsizetype room = RequestFramer::kQtMaxFieldBytes - name.size() - 1;
        do {
            const qsizetype eol = h.indexOf('\n');
            QByteArrayView line = h.first(eol);
            room -= line.size() - (line.endsWith('\r') ? 1 : 0);
            if (room < 0)
                return 431;
            line = line.trimmed();
            if (!line.isEmpty())
                value += value.isEmpty() ? line.toByteArray() : ' ' + line.toByteArray();
            h = h.sliced(eol + 1);
        } while (startsWithSpace(h));
        out->append({name.toByteArray().toLower(), value});
    }
    return 0;
}

// Qt's combinedHeaderValue: every value of the field, joined with ", ".
QByteArray combined(const Fields &fields, QByteArrayView name, bool *present = nullptr)
{
    QByteArrayList values;
    for (const auto &f : fields)
        if (f.first == name)
            values.append(f.second);
    if (present)
        *present = !values.isEmpty();
    return values.join(", ");
}

} // namespace

RequestFramer::RequestFramer(qint64 maxHeaderBytes, qint64 maxBodyBytes)
    : m_maxHeaderBytes(maxHeaderBytes), m_maxBodyBytes(maxBodyBytes)
{}

bool RequestFramer::midRequest() const
{
    return m_state != State::Idle && m_state != State::Failed;
}

void RequestFramer::feed(QByteArrayView data)
{
    // Qt reads the two bytes after a last chunk with one read: when the CR came in an earlier
    // read, the LF's read also takes the byte after it, the next request's first.
    const bool lfAfterEarlierCr = m_state == State::LastLf;
    qsizetype i = 0;
    while (i < data.size() && m_state != State::Failed) {
        if (m_state == State::Body || m_state == State::ChunkData) {
            const qsizetype n = qMin<qint64>(data.size() - i, m_remaining);
            m_remaining -= n;
            m_offset += n;
            i += n;
            if (m_remaining == 0) {
                if (m_state == State::Body)
                    messageDone();
                else
                    m_state = State::ChunkCr;
            }
            continue;
        }
        if (i == 0 && lfAfterEarlierCr && data.size() > 1)
            return fail(400, QStringLiteral("a chunked body's final CR and LF arrived apart, with "
                                            "the next request right after them: send the "
                                            "request again on a new connection"));
        ++m_offset;
        step(data[i++]);
    }
}

void RequestFramer::step(char c)
{
    switch (m_state) {
    case State::Idle:
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v')
            return; // Qt skips blank lines between requests
        m_head = Head{};
        m_line = QByteArray(1, c);
        m_headBytes = 1;
        m_bodyBytes = 0;
        m_state = State::RequestLine;
        return;
    case State::RequestLine:
    case State::Headers:
        if (++m_headBytes > m_maxHeaderBytes)
            return fail(
                431,
                QStringLiteral("request headers are larger than %1 bytes").arg(m_maxHeaderBytes),
                FailureCause::TooLarge);
        if (m_state == State::RequestLine) {
            if (c == '\n')
                return requestLineDone();
            m_line += c;
            return;
        }
        m_line += c;
        if (c == '\n' && (m_line.endsWith("\n\r\n") || m_line.endsWith("\n\n") ||
                          m_line == "\r\n" || m_line == "\n"))
            headersDone();
        return;
    case State::ChunkSize:
        m_line += c;
        if (m_line.size() > 1024)
            return fail(400, QStringLiteral("a chunk-size line of the request body is too long"));
        if (c == '\n')
            chunkSizeDone();
        return;
    case State::ChunkCr:
    case State::ChunkLf:
        if (c != (m_state == State::ChunkCr ? '\r' : '\n'))
            return fail(400, QStringLiteral("malformed chunked request body: a chunk is not "
                                            "followed by CRLF"));
        m_state = m_state == State::ChunkCr ? State::ChunkLf : State::ChunkSize;
        m_line.clear();
        return;
    case State::LastCr:
        if (c == '\r') {
            m_state = State::LastLf;
            return;
        }
        return fail(400, c == '\n' ? QStringLiteral("malformed chunked request body: the last "
                                                    "chunk is not followed by CRLF")
                                   : QStringLiteral("trailer fields after a chunked request "
                                                    "body are not supported"));
    case State::LastLf:
        if (c != '\n')
            return fail(400, QStringLiteral("malformed chunked request body: the last chunk is "
                                            "not followed by CRLF"));
        return messageDone();
    case State::Body:
    case State::ChunkData:
    case State::Failed:
        return;
    }
}

void RequestFramer::requestLineDone()
{
    // As Qt: METHOD SP+ TARGET SP+ HTTP/x.y, the line ending in LF or CRLF.
    if (m_line.endsWith('\r'))
        m_line.chop(1);
    const QByteArrayView line(m_line);
    qsizetype i = line.indexOf(' ');
    qsizetype j = -1;
    if (i > 0) {
        m_head.method = line.first(i).toByteArray();
        while (i < line.size() && line[i] == ' ')
            ++i;
        j = line.indexOf(' ', i);
    }
    if (j < 0)
        return fail(400, QStringLiteral("malformed request line"));
    m_head.target = line.sliced(i, j - i).toByteArray();
    i = j + 1;
    while (i < line.size() && line[i] == ' ')
        ++i;
    j = line.indexOf(' ', i);
    const QByteArrayView protocol =
        j < 0 ? line.sliced(qMin(i, line.size())) : line.sliced(i, j - i);
    if (protocol.size() != 8 || !protocol.startsWith("HTTP"))
        return fail(400, QStringLiteral("malformed request line"));
    m_head.http10 = protocol[5] == '0' || (protocol[5] == '1' && protocol[7] == '0');
    m_line.clear();
    m_state = State::Headers;
}

void RequestFramer::headersDone()
{
    Fields fields;
    if (const int status = parseFields(m_line, &fields); status != 0)
        return fail(status,
                    status == 431 ? QStringLiteral("a request header field is larger than %1 "
                                                   "bytes, or there are more than %2 of them")
                                        .arg(kQtMaxFieldBytes)
                                        .arg(kQtMaxFields)
                                  : QStringLiteral("malformed request header field"),
                    status == 431 ? FailureCause::TooLarge : FailureCause::BadRequest);
    m_line.clear();
    for (const auto &f : std::as_const(fields))
        if (f.first == "content-length") { // Qt takes the first
            bool ok = false;
            const qulonglong length = f.second.toULongLong(&ok);
            if (!ok)
                return fail(400, QStringLiteral("malformed Content-Length"));
            if (length > qulonglong(m_maxBodyBytes))
                return fail(413,
                            QStringLiteral("request body of %1 bytes is larger than the limit "
                                           "of %2 bytes")
                                .arg(length)
                                .arg(m_maxBodyBytes),
                            FailureCause::TooLarge);
            m_head.contentLength = qint64(length);
            break;
        }
    m_head.chunked = combined(fields, "transfer-encoding").toLower().contains("chunked");
    m_head.expectContinue = combined(fields, "expect").toLower() == "100-continue";
    if (onHead)
        onHead(m_head);
    if (m_state == State::Failed)
        return;
    if (m_head.chunked) {
        m_state = State::ChunkSize;
    } else if (m_head.contentLength > 0) {
        m_remaining = m_head.contentLength;
        m_state = State::Body;
    } else {
        messageDone();
    }
}

void RequestFramer::chunkSizeDone()
{
    if (!m_line.endsWith("\r\n"))
        return fail(400, QStringLiteral("malformed chunked request body: a chunk-size line does "
                                        "not end in CRLF"));
    m_line.chop(2);
    if (const qsizetype extension = m_line.indexOf(';'); extension >= 0)
        m_line.truncate(extension);
    bool ok = false;
    const qint64 size = m_line.trimmed().toLongLong(&ok, 16);
    if (!ok || size < 0)
        return fail(400, QStringLiteral("malformed chunked request body: bad chunk size"));
    m_bodyBytes += size;
    if (m_bodyBytes > m_maxBodyBytes)
        return fail(
            413,
            QStringLiteral("request body is larger than the limit of %1 bytes").arg(m_maxBodyBytes),
            FailureCause::TooLarge);
    m_remaining = size;
    m_state = size == 0 ? State::LastCr : State::ChunkData;
}

void RequestFramer::messageDone()
{
    m_state = State::Idle;
    if (onMessage)
        onMessage(m_head, m_offset);
}

void RequestFramer::fail(int status, const QString &message, FailureCause cause)
{
    m_state = State::Failed;
    if (onError)
        onError({cause, status, message});
}

} // namespace gw
