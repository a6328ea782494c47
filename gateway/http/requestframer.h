#pragma once

#include "chat/chatfailure.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>

namespace gw {

// Finds where each request on a connection begins and ends, byte for byte as Qt 6.4's
// QHttpServerRequest parser does (Qt's own reader, derived from QHttpNetworkReply: request line
// up to LF, headers up to an empty line, Content-Length or chunked body), so the server can
// apply limits before Qt buffers anything. Qt accepts some input it then misreads: headers its
// header parser refuses (over 100 fields, a field over 8 KiB, a bad name: Qt silently drops
// every header, and the body becomes the "next request"), a bad Content-Length, chunk framing
// that is not CRLF, a chunk size that is not hex (Qt reads it as 0, the end), trailers after
// the last chunk (Qt takes them for the next request line) and a last CRLF split between two
// reads right before a pipelined request (Qt eats the next request's first byte). The framer
// refuses all of these with an error instead, so the two never disagree about a boundary.
//
// feed() takes the bytes of one read in the order they arrived; the callbacks run from inside
// it. After an error the framer takes no more bytes.
class RequestFramer
{
public:
    struct Head
    {
        QByteArray method;
        QByteArray target; // as sent: path and query
        bool http10 = false;
        bool expectContinue = false;
        bool chunked = false;
        qint64 contentLength = 0;
    };
    struct Error
    {
        FailureCause cause = FailureCause::BadRequest;
        int status = 400;
        QString message;
    };

    // The headers of a request are in; its body (if any) follows.
    std::function<void(const Head &)> onHead;
    // A request is complete; `end` is the offset just past it in the connection's byte stream.
    std::function<void(const Head &, qint64 end)> onMessage;
    std::function<void(const Error &)> onError;

    RequestFramer(qint64 maxHeaderBytes, qint64 maxBodyBytes);

    void feed(QByteArrayView data);

    // Some byte of a request has arrived and the request is not complete yet.
    bool midRequest() const;
    // ...and its headers are not complete yet.
    bool inHead() const { return m_state == State::RequestLine || m_state == State::Headers; }
    bool failed() const { return m_state == State::Failed; }
    // The request target of the request being read, once its request line is in.
    QByteArray target() const { return m_head.target; }
    qint64 offset() const { return m_offset; }

    // Header limits of Qt's header parser (QHttpHeaderParser).
    static constexpr int kQtMaxFields = 100;
    static constexpr int kQtMaxFieldBytes = 8 * 1024;

private:
    enum class State {
        Idle,        // between requests: Qt skips whitespace here
        RequestLine, // up to LF
        Headers,     // up to an empty line
        Body,        // Content-Length bytes
        ChunkSize,   // hex size [; extension] CRLF
        ChunkData,
        ChunkCr,
        ChunkLf,
        LastCr, // after the size-0 line: CRLF ends the body
        LastLf,
        Failed,
    };

    void step(char c);
    void requestLineDone();
    void headersDone();
    void chunkSizeDone();
    void messageDone();
    void fail(int status, const QString &message, FailureCause cause = FailureCause::BadRequest);

    qint64 m_maxHeaderBytes;
    qint64 m_maxBodyBytes;
    State m_state = State::Idle;
    QByteArray m_line; // the request line, the header block or a chunk-size line so far
    qint64 m_headBytes = 0;
    qint64 m_remaining = 0;
    qint64 m_bodyBytes = 0;
    qint64 m_offset = 0; // bytes of the stream consumed so far
    Head m_head;
};

} // namespace gw
