#include "accesspolicy.h"

#include <algorithm>

#include <QHostAddress>
#include <QHostInfo>
#include <QNetworkInterface>
#include <QRegularExpression>

namespace gw {
namespace {

// Compares without revealing where the first difference is.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const qsizetype n = qMax(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i)
        diff |=
            static_cast<unsigned char>((i < a.size() ? a.at(i) : 0) ^ (i < b.size() ? b.at(i) : 0));
    return diff == 0;
}

const QByteArray kAllowHeaders =
    "Authorization, Content-Type, User-Agent, Accept, X-Requested-With, OpenAI-Beta, "
    "X-Stainless-Arch, X-Stainless-Async, X-Stainless-Custom-Poll-Interval, "
    "X-Stainless-Helper-Method, "
    "X-Stainless-Lang, X-Stainless-Os, X-Stainless-Package-Version, X-Stainless-Poll-Helper, "
    "X-Stainless-Retry-Count, X-Stainless-Runtime, X-Stainless-Runtime-Version, "
    "X-Stainless-Timeout, X-Api-Key, Anthropic-Version, Anthropic-Beta, "
    "Anthropic-Dangerous-Direct-Browser-Access";

} // namespace

AccessPolicy::AccessPolicy(Settings settings) : m_settings(std::move(settings))
{
    m_origins = m_settings.origins + defaultOrigins();
}

QStringList AccessPolicy::defaultOrigins()
{
    QStringList o;
    for (const char *host : {"localhost", "127.0.0.1", "0.0.0.0"})
        for (const char *scheme : {"http", "https"}) {
            o << QStringLiteral("%1://%2").arg(QLatin1StringView(scheme), QLatin1StringView(host));
            o << QStringLiteral("%1://%2:*")
                     .arg(QLatin1StringView(scheme), QLatin1StringView(host));
        }
    o << QStringLiteral("app://*") << QStringLiteral("file://*") << QStringLiteral("tauri://*")
      << QStringLiteral("vscode-webview://*") << QStringLiteral("vscode-file://*");
    return o;
}

QStringList AccessPolicy::parseOrigins(const QString &ollamaOrigins)
{
    QStringList out;
    for (const QString &o : ollamaOrigins.split(u',', Qt::SkipEmptyParts))
        if (!o.trimmed().isEmpty())
            out << o.trimmed();
    return out;
}

bool AccessPolicy::originAllowed(const QString &origin) const
{
    for (const QString &entry : m_origins) {
        if (entry == u"*")
            return true;
        const qsizetype star = entry.indexOf(u'*');
        if (star < 0) {
            if (origin.compare(entry, Qt::CaseInsensitive) == 0)
                return true;
        } else if (origin.startsWith(entry.left(star), Qt::CaseInsensitive) &&
                   origin.endsWith(entry.mid(star + 1), Qt::CaseInsensitive) &&
                   origin.size() >= entry.size() - 1) {
            return true;
        }
    }
    return false;
}

// The Host headers local clients send ("127.0.0.1:11434", "localhost", "[::1]:11434"), told
// without building a string (the general path below costs ~6 K instructions, issue #15).
static bool plainLoopbackHost(QByteArrayView h)
{
    for (const QByteArrayView name :
         {QByteArrayView("127.0.0.1"), QByteArrayView("localhost"), QByteArrayView("[::1]")}) {
        if (!h.startsWith(name))
            continue;
        const QByteArrayView port = h.sliced(name.size());
        if (port.isEmpty())
            return true;
        if (port.size() < 2 || port.size() > 6 || port.front() != ':')
            return false;
        return std::all_of(port.begin() + 1, port.end(),
                           [](char c) { return c >= '0' && c <= '9'; });
    }
    return false;
}

bool AccessPolicy::hostAllowed(const QByteArray &hostHeader) const
{
    if (plainLoopbackHost(hostHeader))
        return true;
    QString host = QString::fromLatin1(hostHeader).trimmed().toLower();
    // Strip the port: "[::1]:11434", "localhost:11434".
    if (host.startsWith(u'[')) {
        host = host.mid(1, host.indexOf(u']') - 1);
    } else if (host.count(u':') == 1) {
        host = host.section(u':', 0, 0);
    }
    if (host.isEmpty() || host == u"localhost" || host.endsWith(u".localhost") ||
        host.endsWith(u".local") || host.endsWith(u".internal"))
        return true;
    if (host == QHostInfo::localHostName().toLower())
        return true;
    for (const QString &extra : m_settings.extraHosts)
        if (host == extra.toLower())
            return true;
    const QHostAddress a(host);
    if (a.isNull())
        return false;
    if (a.isLoopback() || a == QHostAddress(QHostAddress::AnyIPv4) ||
        a == QHostAddress(QHostAddress::AnyIPv6) ||
        a.isInSubnet(QHostAddress(QStringLiteral("10.0.0.0")), 8) ||
        a.isInSubnet(QHostAddress(QStringLiteral("172.16.0.0")), 12) ||
        a.isInSubnet(QHostAddress(QStringLiteral("192.168.0.0")), 16) ||
        a.isInSubnet(QHostAddress(QStringLiteral("fc00::")), 7))
        return true;
    return QNetworkInterface::allAddresses().contains(a);
}

bool AccessPolicy::isLoopbackPeer(const QHostAddress &peer)
{
    bool v4 = false;
    const quint32 ip4 = peer.toIPv4Address(&v4); // IPv4-mapped IPv6 too
    return v4 ? QHostAddress(ip4).isLoopback() : peer.isLoopback();
}

AccessPolicy::Verdict AccessPolicy::check(const HttpRequest &req) const
{
    Verdict v;
    // DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 still says
    // "Host: evil.example". Only checked on loopback, as Ollama does: a LAN listener is
    // protected by the token instead.
    // A loopback peer of a wider listener is checked the same way: it gets in without the
    // token, so a page rebound to 127.0.0.1 must not.
    const bool loopbackPeer = isLoopbackPeer(req.peer);
    if ((m_settings.loopbackOnly || loopbackPeer) && !hostAllowed(req.header("host"))) {
        v.status = 403;
        return v;
    }

    const QString origin = QString::fromLatin1(req.header("origin"));
    const bool crossOrigin =
        !origin.isEmpty() &&
        !origin.endsWith(QStringLiteral("://") + QString::fromLatin1(req.header("host")),
                         Qt::CaseInsensitive);
    if (crossOrigin) {
        if (!originAllowed(origin)) {
            v.status = 403;
            return v;
        }
        const bool wildcard = m_origins.contains(QStringLiteral("*"));
        v.headers.append(qMakePair(QByteArray("Access-Control-Allow-Origin"),
                                   QByteArray(wildcard ? QByteArray("*") : origin.toUtf8())));
        if (!wildcard)
            v.headers.append(qMakePair(QByteArray("Vary"), QByteArray("Origin")));
        if (req.method == "OPTIONS") {
            v.status = 204;
            v.headers.append(qMakePair(QByteArray("Access-Control-Allow-Methods"),
                                       QByteArray("GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS")));
            v.headers.append(
                qMakePair(QByteArray("Access-Control-Allow-Headers"), QByteArray(kAllowHeaders)));
            v.headers.append(qMakePair(QByteArray("Access-Control-Max-Age"), QByteArray("43200")));
            return v; // preflights carry no credentials: answered before the token check
        }
    }

    const bool tokenNeeded =
        !m_settings.token.isEmpty() && (m_settings.tokenForLoopbackPeers || !loopbackPeer);
    if (tokenNeeded) {
        static const QRegularExpression bearer(QStringLiteral("^\\s*Bearer\\s+(\\S+)\\s*$"),
                                               QRegularExpression::CaseInsensitiveOption);
        // Anthropic's SDKs and Claude Code send the key as x-api-key (ANTHROPIC_API_KEY), or as a
        // bearer token (ANTHROPIC_AUTH_TOKEN): either carries the gateway's token.
        const auto m = bearer.match(QString::fromLatin1(req.header("authorization")));
        const bool bearerOk =
            m.hasMatch() && constantTimeEquals(m.captured(1).toLatin1(), m_settings.token);
        const QByteArray apiKey = req.header("x-api-key").trimmed();
        const bool apiKeyOk = !apiKey.isEmpty() && constantTimeEquals(apiKey, m_settings.token);
        if (!bearerOk && !apiKeyOk)
            v.status = 401; // answered in the dialect of the path by the server
    }
    return v;
}

} // namespace gw
