#include "requestframer.h"

#include <algorithm>
#include <utility>

namespace gw {
namespace {

using Fields = QList<QPair<QByteArray, QByteArray>>;

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

bool startsWithSpace(QByteArrayView v)
{
    return !v.isEmpty() && isBlank(v.front());
}

bool isTokenChar(char c)
{
    static constexpr QByteArrayView other("!#$%&'*+-.^_`|~");
    return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') ||
           other.contains(c);
}

// RFC 9110 token: a method or a field name.
bool isToken(QByteArrayView name)
{
    return !name.isEmpty() && std::all_of(name.begin(), name.end(), isTokenChar);
}

// A field name, lower-cased; empty when it is not a token.
QByteArray lowerCaseName(QByteArrayView name)
{
    QByteArray lower(name.size(), Qt::Uninitialized);
    char *out = lower.data();
    for (const char c : name) {
        if (!isTokenChar(c))
            return {};
        *out++ = 'A' <= c && c <= 'Z' ? char(c - 'A' + 'a') : c;
    }
    return lower;
}

int hexValue(char c)
{
    if ('0' <= c && c <= '9')
        return c - '0';
    if ('a' <= c && c <= 'f')
        return c - 'a' + 10;
    if ('A' <= c && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The header block after the request line, up to and including the empty line that ends it:
// 0 and the fields (names lower-cased, folded lines joined), else the status to refuse it with.
int parseFields(QByteArrayView h, Fields *out)
{
    // Drop the empty line that ends the block.
    h.chop(h.endsWith("\r\n") ? 2 : 1);
    if (startsWithSpace(h))
        return 400;
    while (!h.isEmpty()) {
        const qsizetype colon = h.indexOf(':');
        if (colon < 0)
            return 400;
        if (out->size() >= RequestFramer::kMaxFields)
            return 431;
        QByteArray name = lowerCaseName(h.first(colon));
        if (name.isEmpty())
            return 400;
        h = h.sliced(colon + 1);
        QByteArray value;
        qsizetype room = RequestFramer::kMaxFieldBytes - name.size() - 1;
        do { // the field's line, then each folded line after it
            const qsizetype eol = h.indexOf('\n');
            QByteArrayView line = h.first(eol);
            room -= line.size() - (line.endsWith('\r') ? 1 : 0);
            if (room < 0)
                return 431;
            line = line.trimmed();
            if (value.isEmpty())
                value = line.toByteArray();
            else if (!line.isEmpty())
                value += ' ' + line.toByteArray();
            h = h.sliced(eol + 1);
        } while (startsWithSpace(h));
        out->append({std::move(name), std::move(value)});
    }
    return 0;
}

// Every value of the field, joined with ", ".
QByteArray combined(const Fields &fields, QByteArrayView name)
{
    QByteArray values;
    for (const auto &f : fields)
        if (f.first == name) {
            if (!values.isEmpty())
                values += ", ";
            values += f.second;
        }
    return values;
}

QString decodePath(QByteArrayView path)
{
    if (!path.contains('%'))
        return QString::fromUtf8(path);
    QByteArray bytes;
    bytes.reserve(path.size());
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (path[i] == '%' && i + 2 < path.size()) {
            const int hi = hexValue(path[i + 1]);
            const int lo = hexValue(path[i + 2]);
            if (hi >= 0 && lo >= 0) {
                bytes += char(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        bytes += path[i];
    }
    return QString::fromUtf8(bytes);
}

// The path (percent-decoded) and query of a request target.
void splitTarget(QByteArrayView target, HttpRequest *request)
{
    QByteArrayView t = target;
    for (const QByteArrayView scheme : {QByteArrayView("http://"), QByteArrayView("https://")})
        if (t.size() >= scheme.size() &&
            QByteArrayView(t.first(scheme.size())).compare(scheme, Qt::CaseInsensitive) == 0) {
            t = t.sliced(scheme.size());
            qsizetype end = 0; // the authority ends at '/', '?' or '#'
            while (end < t.size() && t[end] != '/' && t[end] != '?' && t[end] != '#')
                ++end;
            t = t.sliced(end);
            break;
        }
    if (const qsizetype hash = t.indexOf('#'); hash >= 0)
        t = t.first(hash);
    const qsizetype q = t.indexOf('?');
    const QByteArrayView path = q < 0 ? t : t.first(q);
    request->path = path.isEmpty() ? QStringLiteral("/") : decodePath(path);
    if (q >= 0 && q + 1 < t.size())
        request->query.setQuery(QString::fromUtf8(t.sliced(q + 1)));
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
    if (m_state == State::Failed || data.isEmpty())
        return;
    m_fed += data.size();
    m_buf.append(data);
    parse();
}

void RequestFramer::feed(QByteArray &&data)
{
    if (m_state == State::Failed || data.isEmpty())
        return;
    m_fed += data.size();
    if (m_buf.isEmpty())
        m_buf = std::move(data);
    else
        m_buf.append(data);
    parse();
}

void RequestFramer::parse()
{
    while (m_state != State::Failed && step()) {
    }
    if (m_state == State::Failed)
        m_buf.clear();
}

void RequestFramer::consume(qsizetype n)
{
    // From the front of an unshared QByteArray this only moves its start.
    if (n >= m_buf.size())
        m_buf.clear();
    else
        m_buf.remove(0, n);
}

bool RequestFramer::step()
{
    switch (m_state) {
    case State::Idle: {
        qsizetype i = 0;
        while (i < m_buf.size() &&
               (isBlank(m_buf[i]) || m_buf[i] == '\r' || m_buf[i] == '\n' || m_buf[i] == '\v'))
            ++i;
        consume(i);
        if (m_buf.isEmpty())
            return false;
        m_head = Head{};
        m_request = HttpRequest{};
        m_scan = 0;
        m_state = State::RequestLine;
        return true;
    }
    case State::RequestLine:
    case State::Headers: {
        for (;;) {
            const qsizetype lf = QByteArrayView(m_buf).indexOf('\n', m_scan);
            if (lf < 0 || lf >= m_maxHeaderBytes) {
                if (m_buf.size() > m_maxHeaderBytes) {
                    fail(431,
                         QStringLiteral("request headers are larger than %1 bytes")
                             .arg(m_maxHeaderBytes),
                         FailureCause::TooLarge);
                    return false;
                }
                m_scan = m_buf.size();
                return false;
            }
            m_scan = lf + 1;
            if (m_state == State::RequestLine) {
                if (!requestLineDone(lf))
                    return false;
                continue;
            }
            // The head ends with an empty line: this LF right after the one before it (the
            // request line's, when there are no fields), or after a CR right after it.
            const char *b = m_buf.constData();
            if (b[lf - 1] == '\n' ||
                (b[lf - 1] == '\r' && lf - 2 >= m_fieldsAt - 1 && b[lf - 2] == '\n'))
                return headersDone(lf + 1);
        }
    }
    case State::Body: {
        if (m_buf.size() < m_head.contentLength)
            return false;
        QByteArray body;
        if (m_buf.size() == m_head.contentLength) {
            body = std::move(m_buf);
            m_buf = QByteArray();
        } else {
            body = m_buf.first(m_head.contentLength);
            consume(m_head.contentLength);
        }
        messageDone(std::move(body));
        return true;
    }
    case State::ChunkSize: {
        const qsizetype lf = m_buf.indexOf('\n');
        if ((lf < 0 && m_buf.size() > kMaxChunkSizeLine) || lf >= kMaxChunkSizeLine) {
            fail(400, QStringLiteral("a chunk-size line of the request body is too long"));
            return false;
        }
        return lf >= 0 && chunkSizeDone(lf);
    }
    case State::ChunkData: {
        const qsizetype n = qMin<qint64>(m_buf.size(), m_remaining);
        if (n == 0)
            return false;
        m_body.append(QByteArrayView(m_buf).first(n));
        consume(n);
        m_remaining -= n;
        if (m_remaining == 0)
            m_state = State::ChunkCrLf;
        return true;
    }
    case State::ChunkCrLf:
        return crlf(false);
    case State::LastCrLf:
        return crlf(true);
    case State::Failed:
        return false;
    }
    return false;
}

bool RequestFramer::requestLineDone(qsizetype lf)
{
    // METHOD SP+ TARGET SP+ HTTP/d.d, then nothing but spaces, ending in LF or CRLF.
    QByteArrayView line = QByteArrayView(m_buf).first(lf);
    if (line.endsWith('\r'))
        line.chop(1);
    qsizetype i = line.indexOf(' ');
    qsizetype j = -1;
    if (i > 0) {
        m_head.method = line.first(i).toByteArray();
        while (i < line.size() && line[i] == ' ')
            ++i;
        j = line.indexOf(' ', i);
    }
    if (j < 0 || !isToken(m_head.method)) {
        fail(400, QStringLiteral("malformed request line"));
        return false;
    }
    m_head.target = line.sliced(i, j - i).toByteArray();
    QByteArrayView protocol = line.sliced(j + 1);
    while (protocol.startsWith(' '))
        protocol = protocol.sliced(1);
    while (protocol.endsWith(' '))
        protocol.chop(1);
    if (protocol.size() != 8 || !protocol.startsWith("HTTP/") || hexValue(protocol[5]) < 0 ||
        hexValue(protocol[5]) > 9 || protocol[6] != '.' || hexValue(protocol[7]) < 0 ||
        hexValue(protocol[7]) > 9) {
        fail(400, QStringLiteral("malformed request line"));
        return false;
    }
    m_head.http10 = protocol[5] == '0' || (protocol[5] == '1' && protocol[7] == '0');
    m_fieldsAt = lf + 1;
    m_state = State::Headers;
    return true;
}

bool RequestFramer::headersDone(qsizetype end)
{
    Fields fields;
    fields.reserve(16);
    if (const int status =
            parseFields(QByteArrayView(m_buf).sliced(m_fieldsAt, end - m_fieldsAt), &fields);
        status != 0) {
        fail(status,
             status == 431 ? QStringLiteral("a request header field is larger than %1 bytes, or "
                                            "there are more than %2 of them")
                                 .arg(kMaxFieldBytes)
                                 .arg(kMaxFields)
                           : QStringLiteral("malformed request header field"),
             status == 431 ? FailureCause::TooLarge : FailureCause::BadRequest);
        return false;
    }
    consume(end);
    bool haveLength = false;
    for (const auto &f : std::as_const(fields)) {
        if (f.first != "content-length")
            continue;
        qint64 length = 0;
        bool ok = !f.second.isEmpty() && f.second.size() <= 18;
        for (qsizetype i = 0; ok && i < f.second.size(); ++i) {
            const char c = f.second[i];
            ok = '0' <= c && c <= '9';
            length = length * 10 + (c - '0');
        }
        if (!ok || (haveLength && length != m_head.contentLength)) {
            fail(400, QStringLiteral("malformed Content-Length"));
            return false;
        }
        if (length > m_maxBodyBytes) {
            fail(413,
                 QStringLiteral("request body of %1 bytes is larger than the limit of %2 bytes")
                     .arg(length)
                     .arg(m_maxBodyBytes),
                 FailureCause::TooLarge);
            return false;
        }
        m_head.contentLength = length;
        haveLength = true;
    }
    m_head.chunked = combined(fields, "transfer-encoding").toLower().contains("chunked");
    m_head.expectContinue = combined(fields, "expect").toLower() == "100-continue";

    m_request.method = m_head.method;
    splitTarget(m_head.target, &m_request);
    m_request.headers = std::move(fields);

    if (onHead)
        onHead(m_head);
    if (m_state == State::Failed)
        return false;
    if (m_head.chunked) {
        m_body.clear();
        m_state = State::ChunkSize;
    } else if (m_head.contentLength > 0) {
        // Room for the body as announced, up to 1 MiB: a head alone must not claim the limit.
        m_buf.reserve(qMin<qint64>(m_head.contentLength, 1 << 20));
        m_state = State::Body;
    } else {
        messageDone(QByteArray());
    }
    return true;
}

bool RequestFramer::chunkSizeDone(qsizetype lf)
{
    if (lf == 0 || m_buf[lf - 1] != '\r') {
        fail(400, QStringLiteral("malformed chunked request body: a chunk-size line does not "
                                 "end in CRLF"));
        return false;
    }
    QByteArrayView line = QByteArrayView(m_buf).first(lf - 1);
    if (const qsizetype extension = line.indexOf(';'); extension >= 0)
        line.truncate(extension);
    line = line.trimmed();
    qint64 size = 0;
    bool ok = !line.isEmpty() && line.size() <= 15;
    for (qsizetype i = 0; ok && i < line.size(); ++i) {
        const int v = hexValue(line[i]);
        ok = v >= 0;
        size = size * 16 + v;
    }
    if (!ok) {
        fail(400, QStringLiteral("malformed chunked request body: bad chunk size"));
        return false;
    }
    if (m_body.size() + size > m_maxBodyBytes) {
        fail(
            413,
            QStringLiteral("request body is larger than the limit of %1 bytes").arg(m_maxBodyBytes),
            FailureCause::TooLarge);
        return false;
    }
    consume(lf + 1);
    m_remaining = size;
    m_state = size == 0 ? State::LastCrLf : State::ChunkData;
    return true;
}

// The CRLF after a chunk's data (last: after the size-0 line, where anything else would be a
// trailer field).
bool RequestFramer::crlf(bool last)
{
    if (m_buf.isEmpty())
        return false;
    if (m_buf[0] != '\r' || (m_buf.size() > 1 && m_buf[1] != '\n')) {
        fail(400, !last ? QStringLiteral("malformed chunked request body: a chunk is not "
                                         "followed by CRLF")
                  : m_buf[0] == '\r' || m_buf[0] == '\n'
                      ? QStringLiteral("malformed chunked request body: the last chunk is not "
                                       "followed by CRLF")
                      : QStringLiteral("trailer fields after a chunked request body are not "
                                       "supported"));
        return false;
    }
    if (m_buf.size() < 2)
        return false;
    consume(2);
    if (!last) {
        m_state = State::ChunkSize;
        return true;
    }
    messageDone(std::exchange(m_body, QByteArray()));
    return true;
}

void RequestFramer::messageDone(QByteArray body)
{
    m_state = State::Idle;
    Message m{std::move(m_request), m_head.http10, offset()};
    m.request.body = std::move(body);
    m_request = HttpRequest{};
    if (onMessage)
        onMessage(m);
}

void RequestFramer::fail(int status, const QString &message, FailureCause cause)
{
    m_state = State::Failed;
    if (onError)
        onError({cause, status, message});
}

} // namespace gw
