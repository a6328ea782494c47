#pragma once

// A minimal HTTP/1.1 client over a real socket for tests: it shows exactly what went over the
// wire (status line, headers, chunk framing) and lets a test read a stream piece by piece. It
// waits with QTest::qWaitFor, which keeps the event loop (and an in-process server) running.

#include <QByteArray>
#include <QList>
#include <QTcpSocket>
#include <QTest>

#include <optional>
#include <utility>

struct RawResponse
{
    int status = 0;
    QByteArray statusLine;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;                              // de-chunked
    QList<QByteArray> chunks;                     // as framed by the server
    bool chunked = false;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first == name)
                return h.second;
        return {};
    }
};

// The answer to a request, or none (nothing in time, or the connection closed first). Test it
// (`QVERIFY(r)`) where "no answer" is the point; reading through an empty one does not crash:
// it reads as status 0 with no headers and no body (and warns), so the test's next QCOMPARE
// fails that one test function instead of the whole binary dying on a null dereference.
class Response : public std::optional<RawResponse>
{
public:
    Response() = default;
    Response(std::nullopt_t) {}
    Response(RawResponse r) : std::optional<RawResponse>(std::move(r)) {}
    Response(std::optional<RawResponse> r) : std::optional<RawResponse>(std::move(r)) {}

    const RawResponse *operator->() const { return &get(); }
    RawResponse *operator->() { return &get(); }
    const RawResponse &operator*() const { return get(); }
    RawResponse &operator*() { return get(); }

private:
    const RawResponse &get() const
    {
        if (has_value())
            return std::optional<RawResponse>::operator*();
        qWarning("no response came: reading it as status 0 with an empty body");
        return m_none;
    }
    RawResponse &get()
    {
        if (has_value())
            return std::optional<RawResponse>::operator*();
        qWarning("no response came: reading it as status 0 with an empty body");
        m_none = RawResponse{};
        return m_none;
    }
    RawResponse m_none;
};

class RawHttp
{
public:
    explicit RawHttp(quint16 port, const char *host = "127.0.0.1") : m_port(port), m_host(host) {}

    bool connect(int timeoutMs = 5000)
    {
        m_socket.connectToHost(QString::fromLatin1(m_host), m_port);
        return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                               timeoutMs);
    }

    void send(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
              const QList<QByteArray> &extraHeaders = {}, const QByteArray &version = "HTTP/1.1")
    {
        if (m_socket.state() != QAbstractSocket::ConnectedState)
            connect();
        QByteArray req = method + ' ' + path + ' ' + version + "\r\nHost: 127.0.0.1\r\n";
        for (const QByteArray &h : extraHeaders)
            req += h + "\r\n";
        if (!body.isEmpty() || method == "POST")
            req += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        req += "\r\n" + body;
        m_socket.write(req);
        m_lastMethod = method;
    }

    // Reads up to and including the header block.
    Response readHead(int timeoutMs = 10000)
    {
        if (!waitFor([&] { return m_buf.contains("\r\n\r\n"); }, timeoutMs))
            return std::nullopt;
        const qsizetype end = m_buf.indexOf("\r\n\r\n");
        const QList<QByteArray> lines = m_buf.left(end).split('\n');
        m_buf.remove(0, end + 4);
        RawResponse r;
        r.statusLine = lines.value(0).trimmed();
        r.status = r.statusLine.split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            r.headers.append(
                {lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed()});
        }
        r.chunked = r.header("transfer-encoding") == "chunked";
        return r;
    }

    // The next chunk of a chunked body; an empty array at the terminating chunk.
    std::optional<QByteArray> readChunk(int timeoutMs = 10000)
    {
        qsizetype lineEnd = -1;
        if (!waitFor([&] { return (lineEnd = m_buf.indexOf("\r\n")) >= 0; }, timeoutMs))
            return std::nullopt;
        bool ok = false;
        const qsizetype size = m_buf.left(lineEnd).toLongLong(&ok, 16);
        if (!ok)
            return std::nullopt;
        if (!waitFor([&] { return m_buf.size() >= lineEnd + 2 + size + 2; }, timeoutMs))
            return std::nullopt;
        const QByteArray data = m_buf.mid(lineEnd + 2, size);
        m_buf.remove(0, lineEnd + 2 + size + 2);
        return data;
    }

    // A whole response: Content-Length, chunked, or until the connection closes.
    Response read(int timeoutMs = 10000)
    {
        Response r = readHead(timeoutMs);
        if (!r)
            return std::nullopt;
        if (m_lastMethod == "HEAD" || r->status == 100 || r->status == 204) {
            // no body, whatever the headers say
        } else if (r->chunked) {
            for (;;) {
                const auto c = readChunk(timeoutMs);
                if (!c)
                    return std::nullopt;
                if (c->isEmpty())
                    break;
                r->chunks.append(*c);
                r->body += *c;
            }
        } else if (!r->header("content-length").isEmpty()) {
            const qsizetype n = r->header("content-length").toLongLong();
            if (!waitFor([&] { return m_buf.size() >= n; }, timeoutMs))
                return std::nullopt;
            r->body = m_buf.left(n);
            m_buf.remove(0, n);
        } else {
            waitFor([&] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                    timeoutMs);
            r->body = m_buf;
            m_buf.clear();
        }
        return r;
    }

    Response request(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                     const QList<QByteArray> &headers = {})
    {
        send(method, path, body, headers);
        return read();
    }

    // True when the server closed the connection (within the time given).
    bool waitClosed(int timeoutMs = 5000)
    {
        return waitFor([&] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                       timeoutMs);
    }
    bool hasBufferedData()
    {
        pump();
        return !m_buf.isEmpty();
    }

    // Bytes exactly as given, for malformed or unusual requests.
    void writeRaw(const QByteArray &bytes)
    {
        if (m_socket.state() != QAbstractSocket::ConnectedState)
            connect();
        m_socket.write(bytes);
    }

    QTcpSocket &socket() { return m_socket; }
    void close() { m_socket.abort(); }

private:
    void pump() { m_buf += m_socket.readAll(); }
    template <typename F> bool waitFor(F done, int timeoutMs)
    {
        return QTest::qWaitFor(
            [&] {
                pump();
                return done();
            },
            timeoutMs);
    }

    quint16 m_port;
    const char *m_host;
    QTcpSocket m_socket;
    QByteArray m_buf;
    QByteArray m_lastMethod;
};

// Requests to a server on 127.0.0.1:port(), one fresh connection each; the base of the test
// fixtures that run a gateway. Extra headers as "Name: value".
class LoopbackClient
{
public:
    quint16 port() const { return m_port; }

    Response request(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                     const QList<QByteArray> &headers = {}) const
    {
        RawHttp c(m_port);
        return c.request(method, path, body, headers);
    }
    Response get(const QByteArray &path, const QList<QByteArray> &headers = {}) const
    {
        return request("GET", path, {}, headers);
    }
    Response post(const QByteArray &path, const QByteArray &body,
                  const QList<QByteArray> &headers = {}) const
    {
        return request("POST", path, body, headers);
    }

protected:
    quint16 m_port = 0;
};
