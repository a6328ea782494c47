#include "httpresponseparser.h"

#include <cstring>

namespace gw {
namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// RFC 9110 token characters, for header names.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c))
        return true;
    return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

// Whether a comma-separated header value holds `token` (case-insensitive).
bool hasToken(const QByteArray &value, const char *token)
{
    for (const QByteArray &part : value.split(','))
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

void HttpResponseParser::reset(bool head)
{
    m_state = State::StatusLine;
    m_head = head;
    m_headersDone = false;
    m_keepAlive = true;
    m_status = 0;
    m_http10 = false;
    m_framing = Framing::None;
    m_remaining = 0;
    m_headBytes = 0;
    m_line.clear();
    m_lineTaken = false;
    m_headers.clear();
    m_error.clear();
}

bool HttpResponseParser::fail(const QString &why)
{
    m_state = State::Error;
    m_error = why;
    return false;
}

QByteArray HttpResponseParser::header(const QByteArray &lowerName) const
{
    QByteArray out;
    for (const auto &h : m_headers) {
        if (h.first != lowerName)
            continue;
        if (!out.isEmpty())
            out += ", ";
        out += h.second;
    }
    return out;
}

// One line without its CR LF in `out`, `complete` when its LF was seen. A line that arrived
// whole is viewed in place; one split across reads is collected in m_line (valid until the
// next call).
bool HttpResponseParser::line(const char *&p, const char *end, qsizetype limit, QByteArrayView &out,
                              bool &complete)
{
    if (m_lineTaken) {
        m_line.truncate(0);
        m_lineTaken = false;
    }
    const char *lf = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
    const char *stop = lf ? lf : end;
    if (m_line.size() + (stop - p) > limit)
        return fail(QStringLiteral("a header or chunk line longer than %1 bytes").arg(limit));
    complete = lf != nullptr;
    if (!complete) {
        m_line.append(p, stop - p);
        p = end;
        return true;
    }
    if (m_line.isEmpty()) {
        out = QByteArrayView(p, stop - p);
    } else {
        m_line.append(p, stop - p);
        out = QByteArrayView(m_line);
        m_lineTaken = true;
    }
    p = lf + 1;
    if (out.endsWith('\r'))
        out.chop(1);
    return true;
}

bool HttpResponseParser::statusLine(QByteArrayView l)
{
    // HTTP/1.x SP 3DIGIT [SP reason]
    if (l.size() < 12 || !l.startsWith("HTTP/1.") || !isDigit(l[7]) || l[8] != ' ' ||
        !isDigit(l[9]) || !isDigit(l[10]) || !isDigit(l[11]) || (l.size() > 12 && l[12] != ' '))
        return fail(QStringLiteral("not an HTTP/1.1 status line"));
    m_http10 = l[7] == '0';
    m_status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
    if (m_status < 100)
        return fail(QStringLiteral("status %1 is not an HTTP status").arg(m_status));
    m_state = State::Headers;
    return true;
}

bool HttpResponseParser::headerLine(QByteArrayView l)
{
    if (l.startsWith(' ') || l.startsWith('\t')) {
        // Obsolete line folding: part of the previous value.
        if (m_headers.isEmpty())
            return fail(QStringLiteral("a folded header line without a header"));
        m_headers.last().second += ' ';
        m_headers.last().second += l.trimmed();
        return true;
    }
    const char *sep = static_cast<const char *>(std::memchr(l.data(), ':', size_t(l.size())));
    const qsizetype colon = sep ? sep - l.data() : -1;
    if (colon <= 0)
        return fail(QStringLiteral("a header line without a name"));
    for (qsizetype i = 0; i < colon; ++i)
        if (!isTokenChar(l[i]))
            return fail(QStringLiteral("a header name with a character not allowed in it"));
    QByteArray name(l.constData(), colon);
    for (char &c : name)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    m_headers.append(qMakePair(std::move(name), l.sliced(colon + 1).trimmed().toByteArray()));
    return true;
}

bool HttpResponseParser::headersEnd()
{
    if (m_status < 200) {
        if (m_status == 101)
            return fail(QStringLiteral("the server switched protocols"));
        // 100 Continue, 103 Early Hints: the real response follows.
        m_state = State::StatusLine;
        m_headers.clear();
        return true;
    }
    m_headersDone = true;
    const QByteArray connection = header("connection");
    m_keepAlive = m_http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");
    const QByteArray te = header("transfer-encoding");
    const QByteArray cl = header("content-length");
    if (m_head || m_status == 204 || m_status == 304) {
        m_framing = Framing::None;
        m_state = State::Done;
        return true;
    }
    if (!te.isEmpty()) {
        // Chunked must be the last coding; any other framing runs until the close.
        const QList<QByteArray> codings = te.split(',');
        if (codings.last().trimmed().compare("chunked", Qt::CaseInsensitive) == 0) {
            if (codings.size() > 1)
                return fail(QStringLiteral("a transfer coding other than chunked"));
            m_framing = Framing::Chunked;
            m_state = State::ChunkSize;
        } else {
            m_framing = Framing::UntilClose;
            m_state = State::Body;
        }
        return true;
    }
    if (!cl.isEmpty()) {
        // Several equal values ("5, 5") are allowed; anything else is not.
        qint64 length = -1;
        for (const QByteArray &part : cl.split(',')) {
            const QByteArray v = part.trimmed();
            if (v.isEmpty() || v.size() > 15)
                return fail(QStringLiteral("a Content-Length that is not a number"));
            qint64 n = 0;
            for (char c : v) {
                if (!isDigit(c))
                    return fail(QStringLiteral("a Content-Length that is not a number"));
                n = n * 10 + (c - '0');
            }
            if (length >= 0 && n != length)
                return fail(QStringLiteral("two different Content-Length values"));
            length = n;
        }
        m_framing = Framing::Length;
        m_remaining = length;
        m_state = length == 0 ? State::Done : State::Body;
        return true;
    }
    m_framing = Framing::UntilClose;
    m_state = State::Body;
    return true;
}

bool HttpResponseParser::chunkSize(QByteArrayView l)
{
    qint64 n = 0;
    qsizetype i = 0;
    for (; i < l.size(); ++i) {
        const int v = hexValue(l[i]);
        if (v < 0)
            break;
        if (i >= 15)
            return fail(QStringLiteral("a chunk size too large"));
        n = n * 16 + v;
    }
    if (i == 0)
        return fail(QStringLiteral("a chunk size that is not a hex number"));
    // Only whitespace or chunk extensions may follow.
    for (; i < l.size(); ++i) {
        if (l[i] == ';')
            break;
        if (l[i] != ' ' && l[i] != '\t')
            return fail(QStringLiteral("a chunk size that is not a hex number"));
    }
    m_remaining = n;
    m_state = n == 0 ? State::Trailers : State::ChunkData;
    return true;
}

qsizetype HttpResponseParser::feed(const char *data, qsizetype size, QByteArray &body)
{
    const char *p = data;
    const char *const end = data + size;
    QByteArrayView l;
    bool complete = false;
    while (p < end) {
        switch (m_state) {
        case State::StatusLine:
        case State::Headers: {
            if (!line(p, end, kMaxHead - m_headBytes, l, complete))
                return p - data;
            if (!complete)
                break;
            m_headBytes += l.size() + 2;
            if (m_state == State::StatusLine) {
                if (l.isEmpty())
                    break; // stray CR LF before a status line (within kMaxHead) is tolerated
                if (!statusLine(l))
                    return p - data;
            } else if (l.isEmpty()) {
                m_headBytes = 0;
                if (!headersEnd())
                    return p - data;
            } else if (!headerLine(l)) {
                return p - data;
            }
            break;
        }
        case State::Body: {
            qsizetype n = end - p;
            if (m_framing == Framing::Length && n > m_remaining)
                n = qsizetype(m_remaining);
            body.append(p, n);
            p += n;
            if (m_framing == Framing::Length) {
                m_remaining -= n;
                if (m_remaining == 0)
                    m_state = State::Done;
            }
            break;
        }
        case State::ChunkSize:
            if (!line(p, end, kMaxLine, l, complete))
                return p - data;
            if (complete && !chunkSize(l))
                return p - data;
            break;
        case State::ChunkData: {
            const qsizetype n = qsizetype(qMin<qint64>(m_remaining, end - p));
            body.append(p, n);
            p += n;
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = State::ChunkDataEnd;
            break;
        }
        case State::ChunkDataEnd:
            if (!line(p, end, 2, l, complete))
                return p - data;
            if (complete) {
                if (!l.isEmpty()) {
                    fail(QStringLiteral("chunk data longer than its size"));
                    return p - data;
                }
                m_state = State::ChunkSize;
            }
            break;
        case State::Trailers:
            if (!line(p, end, kMaxLine, l, complete))
                return p - data;
            if (complete && l.isEmpty())
                m_state = State::Done;
            break;
        case State::Done:
        case State::Error:
            return p - data;
        }
    }
    return p - data;
}

void HttpResponseParser::closed()
{
    if (m_state == State::Done || m_state == State::Error)
        return;
    if (m_state == State::Body && m_framing == Framing::UntilClose) {
        m_state = State::Done;
        return;
    }
    fail(m_state == State::StatusLine && m_status == 0 && (m_line.isEmpty() || m_lineTaken)
             ? QStringLiteral("the connection closed before a response")
             : QStringLiteral("the connection closed in the middle of the response"));
}

} // namespace gw
