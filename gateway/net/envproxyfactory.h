#pragma once

#include <QNetworkProxyFactory>

namespace gw {

// The proxy for an upstream URL as curl, Go and so Ollama choose it: https_proxy / HTTPS_PROXY
// for https, http_proxy / HTTP_PROXY for http, then all_proxy / ALL_PROXY, unless the host is
// in no_proxy / NO_PROXY (comma-separated names, domain suffixes with or without a leading dot,
// IP addresses, CIDR ranges, "host:port", or "*"). Credentials in the proxy URL are used for
// the proxy. With none of these set, the desktop's proxy settings (Qt's system configuration).
class EnvProxyFactory : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override;

    // The environment's proxy for this URL: nullopt when the environment names none; NoProxy
    // when NO_PROXY exempts it.
    static std::optional<QNetworkProxy> fromEnvironment(const QUrl &url);
    static bool exempt(const QString &noProxy, const QString &host, int port);
};

} // namespace gw
