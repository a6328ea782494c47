#pragma once

#include <QNetworkProxy>
#include <QSslConfiguration>
#include <QString>

#include <QMutex>

#include <memory>
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
    // The provider's TLS files and switches: read when the first request needs them (parsing
    // a certificate starts Qt's TLS backend, about 4 MB of RSS and a good part of a second,
    // which a config with a CA file must not cost at start-up), then kept.
    TlsSettings files;
    // SSL_CERT_FILE / SSL_CERT_DIR were set when the transport was made: their certificates
    // are added to the roots too (read at the first request, again when they change). An
    // explicit CA list turns Qt's on-demand roots off, so the system roots are read and added
    // to it, also only when the first request needs them.
    bool environmentRoots = false;
    // Unset: the environment's proxy (HTTPS_PROXY, NO_PROXY …), else the desktop's.
    std::optional<QNetworkProxy> proxy;
    // Managers are shared only between equal transports (NetworkPool).
    QString key;

    // Whether requests need sslConfiguration() rather than Qt's default.
    bool customTls() const { return !files.isDefault() || environmentRoots; }
    // The configuration for a request: Qt's default with the provider's files and switches,
    // and when there are extra or environment roots, the system roots plus them. A file that
    // cannot be used (it changed since the config was checked) is said in `error`.
    QSslConfiguration sslConfiguration(QString *error = nullptr) const;
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
    // What the config check asks of a file, without starting Qt's TLS backend: readable, and PEM
    // of that kind (the reason when not). The contents are read by sslConfiguration().
    enum class PemKind { Certificates, PrivateKey };
    static QString checkPemFile(const QString &file, PemKind kind);
    // Reads a PEM file of certificates / a private key; the reason when it is unusable.
    static QString readCertificates(const QString &file, QList<QSslCertificate> &out);
    static QString readKey(const QString &file, QSslKey &out);

private:
    struct Loaded
    {
        QMutex mutex;
        bool done = false;
        QString error;
        std::optional<QSslConfiguration> conf; // even an empty one starts the TLS backend
        QList<QSslCertificate> extraRoots;
    };
    // Shared by the copies of this transport; made by make() when there are files.
    std::shared_ptr<Loaded> m_loaded;
};

} // namespace gw
