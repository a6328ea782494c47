#include "dialecttable.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

void DialectTable::add(Dialect dialect)
{
    m_dialects.append(std::move(dialect));
}

const Route *DialectTable::match(const QString &path, const QByteArray &method,
                                 bool *pathKnown) const
{
    *pathKnown = false;
    for (const Dialect &d : m_dialects) {
        for (const Route &r : d.routes) {
            const bool hit =
                r.prefix ? path.startsWith(r.path) && path.size() > r.path.size() : path == r.path;
            if (!hit)
                continue;
            *pathKnown = true;
            if (r.methods.contains(method))
                return &r;
        }
    }
    return nullptr;
}

const Dialect *DialectTable::forPath(QStringView path) const
{
    if (const qsizetype query = path.indexOf(u'?'); query >= 0)
        path = path.left(query);
    const Dialect *best = nullptr;
    qsizetype bestLength = -1;
    for (const Dialect &d : m_dialects)
        for (const QString &prefix : d.pathPrefixes)
            if (prefix.size() > bestLength && path.startsWith(prefix)) {
                best = &d;
                bestLength = prefix.size();
            }
    return best;
}

RenderedError DialectTable::render(QStringView path, const ChatFailure &failure,
                                   const QString &message) const
{
    const Dialect *d = forPath(path);
    if (d && d->renderError)
        return d->renderError(failure, message);
    return {QByteArrayLiteral("application/json; charset=utf-8"),
            QJsonDocument(QJsonObject{{QStringLiteral("error"), message}})
                .toJson(QJsonDocument::Compact)};
}

} // namespace gw
