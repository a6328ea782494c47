#pragma once

#include <QNetworkProxy>
#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace gw {

// How a provider's connections are made: which certificates are trusted, whether the peer is
// verified, the client certificate for mutual TLS, and the proxy. Built once per provider from
// its options; the default value means "the system's roots, the environment's proxy".
struct TlsSettings
{
    QString caFile;        // PEM, added to the system roots for this provider
    bool insecure = false; // insecure_skip_verify: no verification at all (lab servers)
    QString certFile;      // client certificate (PEM) for mutual TLS
    QString keyFile;       // its private key (PEM, unencrypted)

    bool isDefault() const
    {
        return caFile.isEmpty() && !insecure && certFile.isEmpty() && keyFile.isEmpty();
    }
};

struct UpstreamTransport
{
    // Unset: Qt's default configuration (the system roots, loaded on demand).
    std::optional<QSslConfiguration> tls;
    // Trusted besides the system roots (SSL_CERT_FILE / SSL_CERT_DIR, tls.ca_file). An explicit
    // CA list turns Qt's on-demand roots off, so the system roots are read and added to it, but
    // only when the first request needs them (reading them costs megabytes and a good part of a
    // second), never when the config is loaded.
    QList<QSslCertificate> extraRoots;
    // SSL_CERT_FILE / SSL_CERT_DIR were set when the transport was made: their certificates
    // are added to the roots too (read at the first request, again when they change).
    bool environmentRoots = false;
    // Unset: the environment's proxy (HTTPS_PROXY, NO_PROXY …), else the desktop's.
    std::optional<QNetworkProxy> proxy;
    // Managers are shared only between equal transports (NetworkPool).
    QString key;

    // Whether requests need sslConfiguration() rather than Qt's default.
    bool customTls() const { return tls || environmentRoots || !extraRoots.isEmpty(); }
    // The configuration for a request: `tls` (or Qt's default), and when there are extra or
    // environment roots, the system roots plus them.
    QSslConfiguration sslConfiguration() const;
    // The transport for these settings plus SSL_CERT_FILE / SSL_CERT_DIR. `proxy` is the
    // provider's proxy option: empty, "direct", or a proxy URL. On a bad file or proxy, nullopt
    // and `error` says which and why.
    static std::optional<UpstreamTransport> make(const TlsSettings &tls, const QString &proxy,
                                                 QString *error = nullptr);
    // The certificates of SSL_CERT_FILE and SSL_CERT_DIR (OpenSSL's variables), read again
    // when they change.
    static QList<QSslCertificate> environmentCertificates();
    // "direct", or an http:// or socks5:// URL with a host; false with the reason otherwise.
    static bool parseProxy(const QString &text, QNetworkProxy &out, QString *error = nullptr);
    // Checks a PEM file of certificates / a private key; the reason when it is unusable.
    static QString readCertificates(const QString &file, QList<QSslCertificate> &out);
    static QString readKey(const QString &file, QSslKey &out);
};

} // namespace gw
