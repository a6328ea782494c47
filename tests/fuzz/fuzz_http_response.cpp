// libFuzzer target: the upstream HTTP/1.1 response parser (HttpResponseParser), which reads
// what a provider's server sends on the plain-http path. Any split of the input must give the
// same status, body and outcome as the whole; the body never exceeds the input.
#include "fuzzsupport.h"

#include "net/httpresponseparser.h"

namespace {

struct Result
{
    bool done = false;
    bool failed = false;
    bool headers = false;
    int status = 0;
    bool keepAlive = false;
    QByteArray body;
};

Result parse(const QByteArray &input, std::uint8_t pattern, bool head, bool close)
{
    gw::HttpResponseParser p;
    p.reset(head);
    Result r;
    for (const QByteArray &piece : fuzz::split(input, pattern)) {
        if (p.done() || p.failed())
            break;
        const qsizetype used = p.feed(piece, r.body);
        if (used < 0 || used > piece.size())
            fuzz::fail("feed consumed more than it was given");
        if (used < piece.size() && !p.done() && !p.failed())
            fuzz::fail("feed stopped early without an end or an error");
    }
    if (close)
        p.closed();
    r.done = p.done();
    r.failed = p.failed();
    if (r.failed && p.error().isEmpty())
        fuzz::fail("an error without a reason");
    r.headers = p.headersDone();
    r.status = p.status();
    r.keepAlive = p.keepAlive();
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    // First byte: the split pattern, HEAD or not, and whether the connection closes at the end.
    const std::uint8_t mode = data[0];
    const QByteArray input = fuzz::bytes(data + 1, size - 1);
    const bool head = mode & 0x40;
    const bool close = mode & 0x80;
    const Result whole = parse(input, 0, head, close);
    const Result split = parse(input, mode & 0x3f, head, close);
    if (whole.body.size() > input.size())
        fuzz::fail("more body than input");
    if (whole.done != split.done || whole.failed != split.failed)
        fuzz::fail("a split input ended otherwise than the whole");
    if (!whole.failed && (whole.status != split.status || whole.body != split.body ||
                          whole.headers != split.headers || whole.keepAlive != split.keepAlive))
        fuzz::fail("a split input gave another response than the whole");
    return 0;
}
