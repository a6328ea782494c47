#pragma once

#include "dialect.h"

#include <QList>

namespace gw {

// The dialects a server speaks: their routes, and which one renders the errors of a path
// (longest matching prefix wins, see dialect.h).
class DialectTable
{
public:
    void add(Dialect dialect);

    // The route for method and path; null when none. `pathKnown` says whether some route has
    // the path (with another method: 405).
    const Route *match(const QString &path, const QByteArray &method, bool *pathKnown) const;
    // The dialect whose prefix is the longest match of `path` (which may carry a query), or
    // null when no dialect claims it.
    const Dialect *forPath(QStringView path) const;
    // An error the server makes, in the dialect of `path`: JSON {"error": message} when no
    // dialect claims the path.
    RenderedError render(QStringView path, const ChatFailure &failure,
                         const QString &message) const;

private:
    QList<Dialect> m_dialects;
};

} // namespace gw
