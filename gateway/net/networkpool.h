#pragma once

#include <QHash>
#include <QObject>
#include <QUrl>

#include <memory>
#include <vector>

class QNetworkAccessManager;

namespace gw {

struct UpstreamTransport;

// Hands out QNetworkAccessManagers so that concurrent upstream requests do not queue. Qt 6.4
// opens at most 6 HTTP/1.1 connections per host per manager (and has no QHttp1Configuration to
// raise it), so plain-HTTP hosts (local vLLM, LM Studio, a second Ollama) get one more manager
// per 6 requests in flight. Hosts that answered over HTTP/2 multiplex on one connection and
// share a manager up to 100 streams. Managers are kept and reused; they live on the thread
// that created the pool. A provider with a transport of its own (TLS settings, a proxy) gets
// managers of its own, so connections are never shared across different trust or proxies;
// the others choose their proxy per URL with EnvProxyFactory.
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

private:
    struct Slot
    {
        std::unique_ptr<QNetworkAccessManager> manager;
        QString transport;            // UpstreamTransport::key, empty for the default
        QHash<QString, int> inFlight; // by host key
    };
    std::vector<Slot> m_slots;
    QHash<QString, bool> m_http2;
};

} // namespace gw
