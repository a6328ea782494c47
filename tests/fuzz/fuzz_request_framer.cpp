// libFuzzer target: the bytes of a client connection, fed to the HTTP request parser whole and
// in pieces. How the bytes are split must not matter: both runs give the same requests (method,
// target, path, query, headers, body, version, where each ends) and the same refusal, if any.
// Every request respects the limits, and header names come out lower-cased.
#include "fuzzsupport.h"

#include "http/requestframer.h"

namespace {

constexpr qint64 kMaxHead = 4096;
constexpr qint64 kMaxBody = 65536;

struct Request
{
    QByteArray method;
    QByteArray target;
    QString path;
    QString query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool http10 = false;
    qint64 end = 0;

    bool operator==(const Request &) const = default;
};

struct Run
{
    QList<Request> requests;
    int errorStatus = 0;
};

Run frame(const QList<QByteArray> &pieces)
{
    Run run;
    gw::RequestFramer framer(kMaxHead, kMaxBody);
    QByteArray target;
    framer.onHead = [&](const gw::RequestFramer::Head &h) {
        target = h.target;
        if (h.contentLength > kMaxBody || h.contentLength < 0)
            fuzz::fail("a Content-Length over the limit was taken");
    };
    framer.onMessage = [&](gw::RequestFramer::Message &m) {
        const gw::HttpRequest &r = m.request;
        if (r.body.size() > kMaxBody)
            fuzz::fail("a body over the limit was taken");
        if (r.method.isEmpty() || r.path.isEmpty())
            fuzz::fail("a request without a method or a path");
        for (const auto &h : r.headers)
            if (h.first.isEmpty() || h.first != h.first.toLower())
                fuzz::fail("a header name that is empty or not lower-cased");
        run.requests.append({r.method, target, r.path, r.query.toString(QUrl::FullyEncoded),
                             r.headers, r.body, m.http10, m.end});
    };
    framer.onError = [&](const gw::RequestFramer::Error &e) {
        if (run.errorStatus != 0)
            fuzz::fail("a second refusal");
        run.errorStatus = e.status;
        if (e.message.isEmpty() || (e.status != 400 && e.status != 413 && e.status != 431))
            fuzz::fail("a refusal without a message or with an unexpected status");
    };
    for (const QByteArray &piece : pieces) {
        if (piece.size() % 2) // both ways in: a view (appended) and a QByteArray taken over
            framer.feed(QByteArrayView(piece));
        else
            framer.feed(QByteArray(piece));
    }
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray bytes = fuzz::bytes(data + 1, size - 1);
    const Run whole = frame({bytes});
    const Run pieces = frame(fuzz::split(bytes, data[0]));
    if (whole.errorStatus != pieces.errorStatus)
        fuzz::fail("whether the bytes are refused depends on how they were split");
    if (whole.requests != pieces.requests)
        fuzz::fail("the requests depend on how the bytes were split");
    return 0;
}
