#include "randomid.h"

#include <QRandomGenerator>

#include <cstring>

namespace gw {

QByteArray randomId(const char *prefix, char separator)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // One draw from the shared generator (one lock) for all 24 characters; each 32-bit value is
    // scaled to the alphabet (multiply-shift: a bias below 2^-26, nothing an id minds).
    quint32 random[24];
    QRandomGenerator::global()->fillRange(random);
    const qsizetype prefixLength = qsizetype(qstrlen(prefix));
    QByteArray id(prefixLength + 1 + 24, Qt::Uninitialized);
    char *out = id.data();
    memcpy(out, prefix, size_t(prefixLength));
    out[prefixLength] = separator;
    for (int i = 0; i < 24; ++i)
        out[prefixLength + 1 + i] = alphabet[(quint64(random[i]) * (sizeof(alphabet) - 1)) >> 32];
    return id;
}

} // namespace gw
