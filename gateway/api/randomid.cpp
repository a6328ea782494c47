#include "randomid.h"

#include <QRandomGenerator>

namespace gw {

QByteArray randomId(const char *prefix, char separator)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray id(prefix);
    id += separator;
    for (int i = 0; i < 24; ++i)
        id += alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))];
    return id;
}

} // namespace gw
