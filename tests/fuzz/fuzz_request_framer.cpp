// libFuzzer target: the bytes of a client connection, fed to the HTTP request framer whole and
// in pieces. Where neither run refuses the input, both must find the same request boundaries.
#include "fuzzsupport.h"

#include "http/requestframer.h"

namespace {

struct Run
{
    QList<qint64> ends;
    bool failed = false;
};

Run frame(const QList<QByteArray> &pieces)
{
    Run run;
    gw::RequestFramer framer(4096, 65536);
    framer.onMessage = [&](const gw::RequestFramer::Head &, qint64 end) { run.ends.append(end); };
    framer.onError = [&](const gw::RequestFramer::Error &e) {
        run.failed = true;
        if (e.message.isEmpty() || (e.status != 400 && e.status != 413 && e.status != 431))
            fuzz::fail("a refusal without a message or with an unexpected status");
    };
    for (const QByteArray &piece : pieces)
        framer.feed(piece);
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
    if (!whole.failed && !pieces.failed && whole.ends != pieces.ends)
        fuzz::fail("the request boundaries depend on how the bytes were split");
    return 0;
}
