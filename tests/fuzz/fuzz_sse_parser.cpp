// libFuzzer target: the SSE parser. Any split of the input must give the same events as the whole.
#include "fuzzsupport.h"

#include "net/sseparser.h"

namespace {

QList<gw::SseEvent> parse(const QByteArray &body, std::uint8_t pattern, qsizetype max,
                          QString *error)
{
    gw::SseParser p(max);
    QList<gw::SseEvent> out;
    for (const QByteArray &piece : fuzz::split(body, pattern))
        out += p.feed(piece);
    out += p.finish();
    *error = p.errorString();
    return out;
}

bool same(const QList<gw::SseEvent> &a, const QList<gw::SseEvent> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].event != b[i].event || a[i].data != b[i].data || a[i].id != b[i].id)
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    // First byte: the split pattern, and whether to use a tiny event limit.
    const std::uint8_t mode = data[0];
    const QByteArray body = fuzz::bytes(data + 1, size - 1);
    const qsizetype max = (mode & 0x80) ? 32 : 16 * 1024 * 1024;
    QString wholeError, splitError;
    const auto whole = parse(body, 0, max, &wholeError);
    const auto pieces = parse(body, mode & 0x7f, max, &splitError);
    if (wholeError.isEmpty() && splitError.isEmpty() && !same(whole, pieces))
        fuzz::fail("a split input gave other events than the whole");
    return 0;
}
