// libFuzzer target: the NDJSON line splitter. Any split of the input must give the same lines as
// the whole.
#include "fuzzsupport.h"

#include "net/ndjsonparser.h"

namespace {

QList<QByteArray> parse(const QByteArray &body, std::uint8_t pattern, qsizetype max, QString *error)
{
    gw::NdjsonParser p(max);
    QList<QByteArray> out;
    for (const QByteArray &piece : fuzz::split(body, pattern))
        out += p.feed(piece);
    out += p.finish();
    *error = p.errorString();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const std::uint8_t mode = data[0];
    const QByteArray body = fuzz::bytes(data + 1, size - 1);
    const qsizetype max = (mode & 0x80) ? 32 : 16 * 1024 * 1024;
    QString wholeError, splitError;
    const auto whole = parse(body, 0, max, &wholeError);
    const auto pieces = parse(body, mode & 0x7f, max, &splitError);
    if (wholeError.isEmpty() && splitError.isEmpty() && whole != pieces)
        fuzz::fail("a split input gave other lines than the whole");
    for (const QByteArray &line : whole)
        if (line.trimmed().isEmpty() || line.contains('\n'))
            fuzz::fail("a blank line or a line with a line end");
    return 0;
}
