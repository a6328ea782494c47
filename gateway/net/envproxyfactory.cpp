#include "envproxyfactory.h"

#include "upstreamtransport.h"

#include <QHostAddress>
#include <QUrl>

namespace gw {
namespace {

QString variable(const char *lower, const char *upper)
{
    QByteArray v = qgetenv(lower);
    if (v.isEmpty())
        v = qgetenv(upper);
    return QString::fromLocal8Bit(v).trimmed();
}

bool matches(QString entry, const QString &host, int port)
{
    entry = entry.trimmed().toLower();
    if (entry.isEmpty())
        return false;
    if (entry == u"*")
        return true;
    if (entry.contains(u'/')) { // a CIDR range
        const QHostAddress address(host);
        const auto subnet = QHostAddress::parseSubnet(entry);
        return !address.isNull() && subnet.second >= 0 && address.isInSubnet(subnet);
    }
    // "host:port" (not an IPv6 address, which has more colons)
    const qsizetype colon = entry.lastIndexOf(u':');
    if (colon > 0 && entry.count(u':') == 1) {
        bool ok = false;
        const int p = entry.mid(colon + 1).toInt(&ok);
        if (!ok || p != port)
            return false;
        entry.truncate(colon);
    }
    if (entry.startsWith(u'[') && entry.endsWith(u']'))
        entry = entry.mid(1, entry.size() - 2);
    if (entry.startsWith(u"*."))
        entry.remove(0, 1);
    if (entry.startsWith(u'.'))
        return host.endsWith(entry) || host == QStringView(entry).mid(1);
    const QHostAddress a(entry), b(host);
    if (!a.isNull() && !b.isNull())
        return a.isEqual(b, QHostAddress::TolerantConversion);
    return host == entry || host.endsWith(u'.' + entry);
}

} // namespace

bool EnvProxyFactory::exempt(const QString &noProxy, const QString &host, int port)
{
    const QString h = host.toLower();
    for (const QString &entry : noProxy.split(u',', Qt::SkipEmptyParts))
        if (matches(entry, h, port))
            return true;
    return false;
}

std::optional<QNetworkProxy> EnvProxyFactory::fromEnvironment(const QUrl &url)
{
    const bool https = url.scheme() == u"https";
    QString proxy =
        https ? variable("https_proxy", "HTTPS_PROXY") : variable("http_proxy", "HTTP_PROXY");
    if (proxy.isEmpty())
        proxy = variable("all_proxy", "ALL_PROXY");
    if (proxy.isEmpty())
        return std::nullopt;
    if (exempt(variable("no_proxy", "NO_PROXY"), url.host(), url.port(https ? 443 : 80)))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    QNetworkProxy p;
    if (!UpstreamTransport::parseProxy(proxy, p))
        return std::nullopt; // not a proxy we can use: as if unset
    return p;
}

QList<QNetworkProxy> EnvProxyFactory::queryProxy(const QNetworkProxyQuery &query)
{
    if (const std::optional<QNetworkProxy> p = fromEnvironment(query.url()))
        return {*p};
    return systemProxyForQuery(query);
}

} // namespace gw
