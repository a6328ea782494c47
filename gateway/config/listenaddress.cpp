#include "listenaddress.h"

namespace gw {
namespace {

std::optional<QHostAddress> hostFrom(const QString &host, QString *error)
{
    if (host.isEmpty() || host == u"0.0.0.0")
        return QHostAddress(QHostAddress::AnyIPv4);
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    QHostAddress a;
    if (a.setAddress(host))
        return a;
    if (error)
        *error = QStringLiteral("'%1' is not an IP address (use e.g. 127.0.0.1, 0.0.0.0 or ::1)")
                     .arg(host);
    return std::nullopt;
}

// Splits "host:port", "[v6]:port", "v6" (bare IPv6 has several colons), "host".
void split(const QString &hostPort, QString &host, QString &port)
{
    if (hostPort.startsWith(u'[')) {
        const qsizetype close = hostPort.indexOf(u']');
        host = hostPort.mid(1, close - 1);
        const QString rest = hostPort.mid(close + 1);
        port = rest.startsWith(u':') ? rest.mid(1) : QString();
        return;
    }
    if (hostPort.count(u':') == 1) {
        host = hostPort.section(u':', 0, 0);
        port = hostPort.section(u':', 1);
        return;
    }
    host = hostPort;
    port.clear();
}

} // namespace

std::optional<ListenAddress> ListenAddress::parse(const QString &text, QString *error)
{
    QString t = text.trimmed();
    if (t.startsWith(u"http://"))
        t = t.mid(7);
    if (t.endsWith(u'/'))
        t.chop(1);
    QString host, port;
    split(t, host, port);
    ListenAddress a;
    const auto h = hostFrom(host, error);
    if (!h)
        return std::nullopt;
    a.host = *h;
    if (!port.isEmpty()) {
        bool ok = false;
        const uint p = port.toUInt(&ok);
        if (!ok || p > 65535) {
            if (error)
                *error = QStringLiteral("'%1' is not a port number (0-65535)").arg(port);
            return std::nullopt;
        }
        a.port = static_cast<quint16>(p);
    }
    return a;
}

std::optional<ListenAddress> ListenAddress::fromOllamaHost(const QString &value, QString *error)
{
    QString v = value.trimmed();
    while (v.size() >= 2 && (v.front() == u'"' || v.front() == u'\'') && v.back() == v.front())
        v = v.mid(1, v.size() - 2).trimmed();
    quint16 defaultPort = kDefaultPort;
    if (v.startsWith(u"http://")) {
        v = v.mid(7);
        defaultPort = 80;
    } else if (v.startsWith(u"https://")) {
        v = v.mid(8);
        defaultPort = 443;
    }
    v = v.section(u'/', 0, 0); // a path prefix means nothing to a server
    QString host, port;
    split(v, host, port);
    ListenAddress a;
    const auto h = hostFrom(host, error);
    if (!h)
        return std::nullopt;
    a.host = *h;
    bool ok = false;
    const uint p = port.toUInt(&ok);
    a.port = ok && p <= 65535 ? static_cast<quint16>(p) : defaultPort;
    return a;
}

QString ListenAddress::toString() const
{
    const QString h = host.protocol() == QAbstractSocket::IPv6Protocol
                          ? u'[' + host.toString() + u']'
                          : host.toString();
    return h + u':' + QString::number(port);
}

QString ListenAddress::url() const
{
    // A client cannot connect to "any": point it at loopback.
    ListenAddress connectable = *this;
    if (host == QHostAddress(QHostAddress::AnyIPv4) || host == QHostAddress(QHostAddress::Any))
        connectable.host = QHostAddress(QHostAddress::LocalHost);
    else if (host == QHostAddress(QHostAddress::AnyIPv6))
        connectable.host = QHostAddress(QHostAddress::LocalHostIPv6);
    return QStringLiteral("http://") + connectable.toString();
}

} // namespace gw
