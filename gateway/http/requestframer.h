#pragma once

#include "chat/chatfailure.h"
#include "httprequest.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>

namespace gw {

// The server's HTTP/1.x request parser: it reads the bytes of one connection, in whatever
// pieces they arrive, into whole requests (HttpRequest), and applies the limits as the bytes
// come, before anything is buffered beyond them.
//
// A request is a request line (METHOD SP+ TARGET SP+ HTTP/d.d, ending in LF or CRLF), header
// fields up to an empty line (CRLF or LF; folded lines are joined with a space), then a body
// framed by Transfer-Encoding: chunked (which wins) or Content-Length. Blank lines between
// requests are skipped. Refused with an error (and no more bytes taken after it): a head over
// maxHeaderBytes, more than kMaxFields fields or a field over kMaxFieldBytes (431), a body over
// maxBodyBytes (413), and as malformed (400) a bad request line or field name, a
// Content-Length that is not a number or differs between two fields, chunk framing that is not
// CRLF, a chunk size that is not hex, and trailer fields after the last chunk.
//
// The path is percent-decoded (%HH, then UTF-8; a '%' not followed by two hex digits stays as
// sent), the query after '?' is parsed into a QUrlQuery, a fragment is dropped, and an
// absolute-form target (http://host/path) is cut to its path. Header names are lower-cased,
// values kept as sent without the surrounding blanks.
//
// feed() takes the bytes of one read in the order they arrived; the callbacks run from inside
// it.
class RequestFramer
{
public:
    struct Head
    {
        QByteArray method; // as sent
        QByteArray target; // as sent: path and query
        bool http10 = false;
        bool expectContinue = false;
        bool chunked = false;
        qint64 contentLength = 0;
    };
    struct Message
    {
        HttpRequest request; // all but peer and receivedNs
        bool http10 = false;
        qint64 end = 0; // the offset just past the request in the connection's byte stream
    };
    struct Error
    {
        FailureCause cause = FailureCause::BadRequest;
        int status = 400;
        QString message;
    };

    // The headers of a request are in; its body (if any) follows.
    std::function<void(const Head &)> onHead;
    // A request is complete (the receiver may move the request out).
    std::function<void(Message &)> onMessage;
    std::function<void(const Error &)> onError;

    RequestFramer(qint64 maxHeaderBytes, qint64 maxBodyBytes);

    void feed(QByteArrayView data);
    // The same, taking over the bytes (a whole body that arrived in one read is not copied).
    void feed(QByteArray &&data);

    // Some byte of a request has arrived and the request is not complete yet.
    bool midRequest() const;
    // ...and its headers are not complete yet.
    bool inHead() const { return m_state == State::RequestLine || m_state == State::Headers; }
    bool failed() const { return m_state == State::Failed; }
    // The request target of the request being read, once its request line is in.
    QByteArray target() const { return m_head.target; }
    qint64 offset() const { return m_fed - m_buf.size(); }

    static constexpr int kMaxFields = 100;
    static constexpr int kMaxFieldBytes = 8 * 1024;
    static constexpr int kMaxChunkSizeLine = 1024;

private:
    enum class State {
        Idle,        // between requests: blank lines are skipped
        RequestLine, // up to LF
        Headers,     // up to an empty line
        Body,        // Content-Length bytes
        ChunkSize,   // hex size [; extension] CRLF
        ChunkData,
        ChunkCrLf, // after a chunk's data
        LastCrLf,  // after the size-0 line: CRLF ends the body
        Failed,
    };

    void parse();
    bool step(); // false when it needs more bytes
    bool requestLineDone(qsizetype lf);
    bool headersDone(qsizetype end);
    bool chunkSizeDone(qsizetype lf);
    bool crlf(bool last);
    void messageDone(QByteArray body);
    void fail(int status, const QString &message, FailureCause cause = FailureCause::BadRequest);
    void consume(qsizetype n);

    qint64 m_maxHeaderBytes;
    qint64 m_maxBodyBytes;
    State m_state = State::Idle;
    QByteArray m_buf;         // bytes not consumed yet: the current part of the request on
    qsizetype m_scan = 0;     // where to look on for the next LF in m_buf (head states)
    qsizetype m_fieldsAt = 0; // where the header fields begin in m_buf
    qint64 m_remaining = 0;   // of the chunk being read
    qint64 m_fed = 0;         // bytes of the stream fed so far
    QByteArray m_body;        // a chunked body so far
    Head m_head;
    HttpRequest m_request;
};

} // namespace gw
