// libFuzzer target: log redaction (any bytes: bodies and errors are untrusted). The scanner must
// give exactly what the regular expressions it replaced gave (tests/common/redactoracle.h), on the
// bytes as UTF-8 and on them read as UTF-16, and an untouched text must stay the same bytes.
#include "fuzzsupport.h"

#include "log/redact.h"
#include "redactoracle.h"

#include <QString>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes = fuzz::bytes(data, size);
    if (gw::redact(bytes) != oracle::redact(bytes))
        fuzz::fail("the UTF-8 redaction differs from the regular expressions'");
    // The same bytes as UTF-16 code units; the expressions refuse a lone surrogate (they leave the
    // text as it is, where the scanner still masks), so those are compared only when well formed.
    const QString text(reinterpret_cast<const QChar *>(data), qsizetype(size / 2));
    bool wellFormed = true;
    for (qsizetype i = 0; i < text.size() && wellFormed; ++i) {
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            ++i;
        else if (text[i].isSurrogate())
            wellFormed = false;
    }
    if (wellFormed && gw::redact(text) != oracle::redact(text))
        fuzz::fail("the UTF-16 redaction differs from the regular expressions'");
    return 0;
}
