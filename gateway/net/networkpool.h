#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QUrl>

#include <memory>
#include <vector>

class QNetworkAccessManager;
class QTcpSocket;

namespace gw {

struct UpstreamTransport;

// Hands out QNetworkAccessManagers so that concurrent upstream requests do not queue. Qt 6.4
// opens at most 6 HTTP/1.1 connections per host per manager (and has no QHttp1Configuration to
// raise it), so plain-HTTP hosts reached through a proxy get one more manager per 6 requests
// in flight (direct ones do not use a manager: see below). Hosts that answered over HTTP/2
// multiplex on one connection and share a manager up to 100 streams. Managers are kept and reused;
// they live on the thread that created the pool. A provider with a transport of its own (TLS
// settings, a proxy) gets managers of its own, so connections are never shared across different
// trust or proxies; the others choose their proxy per URL with EnvProxyFactory.
//
// Plain http:// requests that no proxy applies to skip QNetworkAccessManager (HttpExchange):
// the pool keeps their idle keep-alive connections per host, and caches per host whether a
// proxy applies (goesDirect). The pool is not thread-safe: it, its connections and every
// request using it belong to one thread.
class NetworkPool : public QObject
{
    Q_OBJECT
public:
    explicit NetworkPool(QObject *parent = nullptr);
    ~NetworkPool() override;

    QNetworkAccessManager *acquire(const QUrl &url, const UpstreamTransport *transport = nullptr);
    void release(QNetworkAccessManager *manager, const QUrl &url);
    // Called when a reply from this host came over HTTP/2.
    void noteHttp2(const QUrl &url);
    int managerCount() const { return int(m_slots.size()); }

    int inFlight() const;

    static QString hostKey(const QUrl &url);

    // Whether a request to `url` goes straight to the host over HttpExchange: http://, and no
    // proxy applies (the provider's "direct", NO_PROXY, or neither the environment nor the
    // system names one). The environment's answer is kept per host for the pool's life, the
    // system's (libproxy, the desktop settings) for kSystemProxyMs; loopback hosts never ask
    // the system.
    bool goesDirect(const QUrl &url, const UpstreamTransport *transport);
    static constexpr int kSystemProxyMs = 30000;

    // Idle keep-alive connections for HttpExchange: the most recently used one to host:port,
    // or null; and back when a response ended cleanly. A kept connection the server closes, or
    // that receives anything while idle, is dropped.
    QTcpSocket *takeIdle(const QString &host, quint16 port);
    void keepIdle(const QString &host, quint16 port, QTcpSocket *socket);
    int idleConnections() const;
    static constexpr int kMaxIdlePerHost = 64;

private:
    void dropIdle(QTcpSocket *socket);

    struct Slot
    {
        std::unique_ptr<QNetworkAccessManager> manager;
        QString transport;            // UpstreamTransport::key, empty for the default
        QHash<QString, int> inFlight; // by host key
    };
    std::vector<Slot> m_slots;
    struct ProxyDecision
    {
        bool direct = false;
        qint64 expires = -1; // m_clock ms; -1: never
    };
    QHash<QString, ProxyDecision> m_direct; // by host key
    QElapsedTimer m_clock;
    QHash<QString, QList<QTcpSocket *>> m_idle; // by "host:port"
};

} // namespace gw
