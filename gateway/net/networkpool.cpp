#include "networkpool.h"

#include "envproxyfactory.h"
#include "upstreamtransport.h"

#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>

namespace gw {

static constexpr int kHttp1PerHost = 6;   // Qt 6.4's fixed per-host connection limit
static constexpr int kHttp2PerHost = 100; // typical SETTINGS_MAX_CONCURRENT_STREAMS

NetworkPool::NetworkPool(QObject *parent) : QObject(parent) {}

NetworkPool::~NetworkPool() = default;

QString NetworkPool::hostKey(const QUrl &url)
{
    return url.scheme() + QStringLiteral("://") + url.host() + u':' +
           QString::number(url.port(url.scheme() == u"https" ? 443 : 80));
}

QNetworkAccessManager *NetworkPool::acquire(const QUrl &url, const UpstreamTransport *transport)
{
    const QString key = hostKey(url);
    const QString route = transport ? transport->key : QString();
    const int limit = m_http2.value(key) ? kHttp2PerHost : kHttp1PerHost;
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
    m_http2.insert(hostKey(url), true);
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
