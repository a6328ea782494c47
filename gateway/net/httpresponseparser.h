#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace gw {

// Reads one HTTP/1.1 response from an upstream, byte by byte as it arrives: the status line,
// the headers, and a body framed by Content-Length, chunked transfer coding, or the end of the
// connection. Interim 1xx responses are skipped. The input is untrusted: every limit is
// checked, and anything malformed ends in error() with the reason (never a crash or a guess).
class HttpResponseParser
{
public:
    enum class Framing { None, Length, Chunked, UntilClose };

    // A new response; `head`: the request was HEAD (no body whatever the headers say).
    void reset(bool head = false);
    // Parses `data`; body bytes are appended to `body`. Returns the number of bytes consumed:
    // less than the input only when the response ended (done()) or on error().
    qsizetype feed(const char *data, qsizetype size, QByteArray &body);
    qsizetype feed(const QByteArray &data, QByteArray &body)
    {
        return feed(data.constData(), data.size(), body);
    }
    // The connection closed: ends a body that runs until the close; otherwise, unless the
    // response was complete, an error (a truncated response).
    void closed();

    // The final (non-1xx) status line and headers have been read (they stay valid after an
    // error in the body).
    bool headersDone() const { return m_headersDone; }
    bool done() const { return m_state == State::Done; }
    bool failed() const { return m_state == State::Error; }
    const QString &error() const { return m_error; }
    int status() const { return m_status; }
    Framing framing() const { return m_framing; }
    // Whether the connection may carry another request once this response is done.
    bool keepAlive() const { return m_keepAlive && m_framing != Framing::UntilClose; }
    // The value of a header (name in lower case); several are joined with ", ".
    QByteArray header(const QByteArray &lowerName) const;
    const QList<QPair<QByteArray, QByteArray>> &headers() const { return m_headers; }

    static constexpr qsizetype kMaxHead = 64 * 1024; // status line and headers
    static constexpr qsizetype kMaxLine = 8 * 1024;  // a chunk-size or trailer line

private:
    enum class State {
        StatusLine,
        Headers,
        Body,         // Length or UntilClose
        ChunkSize,    // the hex size line
        ChunkData,    // m_remaining bytes of data
        ChunkDataEnd, // the CRLF after the data
        Trailers,
        Done,
        Error,
    };

    bool fail(const QString &why);
    bool line(const char *&p, const char *end, qsizetype limit, QByteArrayView &out,
              bool &complete);
    bool statusLine(QByteArrayView l);
    bool headerLine(QByteArrayView l);
    bool headersEnd();
    bool chunkSize(QByteArrayView l);

    State m_state = State::StatusLine;
    bool m_head = false;
    bool m_headersDone = false;
    bool m_keepAlive = true;
    int m_status = 0;
    bool m_http10 = false;
    Framing m_framing = Framing::None;
    qint64 m_remaining = 0;
    qsizetype m_headBytes = 0;
    QByteArray m_line;        // a line split across reads
    bool m_lineTaken = false; // m_line was handed out whole: empty it before the next
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QString m_error;
};

} // namespace gw
