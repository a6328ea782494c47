#include "networkpool.h"

#include "envproxyfactory.h"
#include "upstreamtransport.h"

#include <QHostAddress>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QSet>
#include <QTcpSocket>

namespace gw {

static constexpr int kHttp1PerHost = 6;   // Qt 6.4's fixed per-host connection limit
static constexpr int kHttp2PerHost = 100; // typical SETTINGS_MAX_CONCURRENT_STREAMS

NetworkPool::NetworkPool(QObject *parent) : QObject(parent)
{
    m_clock.start();
}

NetworkPool::~NetworkPool() = default;

QString NetworkPool::hostKey(const QUrl &url)
{
    return url.scheme() + QStringLiteral("://") + url.host() + u':' +
           QString::number(url.port(url.scheme() == u"https" ? 443 : 80));
}

// Which hosts answered over HTTP/2, learnt by any worker's pool and known to all, so that a
// worker's first streams to such a host share one connection instead of opening one manager per
// 6 of them (https only: plain-http calls never ask).
static QMutex s_http2Lock;
static QSet<QString> s_http2Hosts;

static bool speaksHttp2(const QString &hostKey)
{
    const QMutexLocker lock(&s_http2Lock);
    return s_http2Hosts.contains(hostKey);
}

QNetworkAccessManager *NetworkPool::acquire(const QUrl &url, const UpstreamTransport *transport)
{
    const QString key = hostKey(url);
    const QString route = transport ? transport->key : QString();
    const int limit = speaksHttp2(key) ? kHttp2PerHost : kHttp1PerHost;
    for (Slot &slot : m_slots) {
        if (slot.transport != route)
            continue;
        int &n = slot.inFlight[key];
        if (n < limit) {
            ++n;
            return slot.manager.get();
        }
    }
    Slot slot;
    slot.manager = std::make_unique<QNetworkAccessManager>();
    // Redirects are followed only within the same scheme (no https → http downgrade).
    slot.manager->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    slot.transport = route;
    if (transport && transport->proxy)
        slot.manager->setProxy(*transport->proxy);
    else // HTTPS_PROXY / HTTP_PROXY / NO_PROXY, else the desktop's proxy settings
        slot.manager->setProxyFactory(new EnvProxyFactory);
    slot.inFlight[key] = 1;
    QNetworkAccessManager *m = slot.manager.get();
    m_slots.push_back(std::move(slot));
    return m;
}

void NetworkPool::release(QNetworkAccessManager *manager, const QUrl &url)
{
    const QString key = hostKey(url);
    for (Slot &slot : m_slots) {
        if (slot.manager.get() == manager) {
            int &n = slot.inFlight[key];
            if (n > 0)
                --n;
            return;
        }
    }
}

void NetworkPool::noteHttp2(const QUrl &url)
{
    const QString key = hostKey(url);
    const QMutexLocker lock(&s_http2Lock);
    s_http2Hosts.insert(key);
}

static QString idleKey(const QString &host, quint16 port)
{
    return host + u':' + QString::number(port);
}

bool NetworkPool::goesDirect(const QUrl &url, const UpstreamTransport *transport)
{
    if (url.scheme() != u"http")
        return false;
    if (transport && transport->proxy)
        return transport->proxy->type() == QNetworkProxy::NoProxy;
    const QString key = hostKey(url);
    const qint64 now = m_clock.elapsed();
    const auto it = m_direct.constFind(key);
    if (it != m_direct.cend() && (it->expires < 0 || now < it->expires))
        return it->direct;
    ProxyDecision d;
    const QString host = url.host();
    if (const std::optional<QNetworkProxy> p = EnvProxyFactory::fromEnvironment(url)) {
        d.direct = p->type() == QNetworkProxy::NoProxy;
    } else if (host.compare(u"localhost", Qt::CaseInsensitive) == 0 ||
               QHostAddress(host).isLoopback()) {
        d.direct = true; // no desktop proxy is meant for this machine itself
    } else {
        const QList<QNetworkProxy> proxies =
            QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(url));
        d.direct = proxies.isEmpty() || proxies.first().type() == QNetworkProxy::NoProxy ||
                   proxies.first().type() == QNetworkProxy::DefaultProxy;
        d.expires = now + kSystemProxyMs;
    }
    m_direct.insert(key, d);
    return d.direct;
}

QTcpSocket *NetworkPool::takeIdle(const QString &host, quint16 port)
{
    const auto it = m_idle.find(idleKey(host, port));
    while (it != m_idle.end() && !it->isEmpty()) {
        QTcpSocket *s = it->takeLast();
        disconnect(s, nullptr, this, nullptr);
        if (s->state() == QAbstractSocket::ConnectedState && s->bytesAvailable() == 0)
            return s;
        s->abort();
        s->deleteLater();
    }
    return nullptr;
}

void NetworkPool::keepIdle(const QString &host, quint16 port, QTcpSocket *socket)
{
    QList<QTcpSocket *> &list = m_idle[idleKey(host, port)];
    if (list.size() >= kMaxIdlePerHost || socket->state() != QAbstractSocket::ConnectedState) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { dropIdle(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] { dropIdle(socket); });
    list.append(socket);
}

void NetworkPool::dropIdle(QTcpSocket *socket)
{
    for (QList<QTcpSocket *> &list : m_idle) {
        if (list.removeOne(socket)) {
            disconnect(socket, nullptr, this, nullptr);
            socket->abort();
            socket->deleteLater();
            return;
        }
    }
}

int NetworkPool::idleConnections() const
{
    int n = 0;
    for (const QList<QTcpSocket *> &list : m_idle)
        n += int(list.size());
    return n;
}

int NetworkPool::inFlight() const
{
    int total = 0;
    for (const Slot &slot : m_slots)
        for (int n : slot.inFlight)
            total += n;
    return total;
}

} // namespace gw
