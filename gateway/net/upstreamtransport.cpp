#include "upstreamtransport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QSslCertificate>
#include <QSslKey>
#include <QUrl>

namespace gw {
namespace {

// The system's roots, read once (Qt otherwise loads them on demand, which an explicit list of
// CA certificates turns off).
const QList<QSslCertificate> &systemRoots()
{
    static const QList<QSslCertificate> roots = QSslConfiguration::systemCaCertificates();
    return roots;
}

QList<QSslCertificate> readEnvironment(const QByteArray &file, const QByteArray &dirs)
{
    QList<QSslCertificate> out;
    if (!file.isEmpty())
        out += QSslCertificate::fromPath(QString::fromLocal8Bit(file), QSsl::Pem);
    // SSL_CERT_DIR is a list, like PATH; OpenSSL looks up hashed names, we read every file.
    for (const QString &dir :
         QString::fromLocal8Bit(dirs).split(QDir::listSeparator(), Qt::SkipEmptyParts)) {
        const QDir d(dir);
        for (const QString &name : d.entryList(QDir::Files | QDir::Readable))
            out += QSslCertificate::fromPath(d.filePath(name), QSsl::Pem);
    }
    return out;
}

QString fileError(const QString &file, const QString &why)
{
    return QStringLiteral("%1 %2").arg(file, why);
}

} // namespace

QList<QSslCertificate> UpstreamTransport::environmentCertificates()
{
    static QMutex mutex;
    static QByteArray seenFile, seenDirs;
    static QList<QSslCertificate> certs;
    const QByteArray file = qgetenv("SSL_CERT_FILE");
    const QByteArray dirs = qgetenv("SSL_CERT_DIR");
    QMutexLocker lock(&mutex);
    if (file != seenFile || dirs != seenDirs) {
        certs = readEnvironment(file, dirs);
        seenFile = file;
        seenDirs = dirs;
    }
    return certs;
}

namespace {

// A PEM file's text: a regular file of at most 1 MiB (never a device or a FIFO that would
// block or never end); the reason otherwise.
QString readPem(const QString &file, QByteArray &out)
{
    static constexpr qint64 kMaxPem = 1 << 20;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return fileError(file, QStringLiteral("cannot be read: %1").arg(f.errorString()));
    if (!QFileInfo(file).isFile() || f.size() > kMaxPem)
        return fileError(file, QStringLiteral("is not a PEM file (a regular file up to 1 MiB)"));
    out = f.read(kMaxPem);
    return {};
}

} // namespace

QString UpstreamTransport::checkPemFile(const QString &file, PemKind kind)
{
    QByteArray pem;
    if (QString why = readPem(file, pem); !why.isEmpty())
        return why;
    if (kind == PemKind::Certificates) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----"))
            return fileError(file, QStringLiteral("holds no PEM certificate (-----BEGIN "
                                                  "CERTIFICATE-----)"));
        return {};
    }
    if (pem.contains("ENCRYPTED"))
        return fileError(file, QStringLiteral("is an encrypted private key; give it without a "
                                              "passphrase"));
    if (!pem.contains("PRIVATE KEY-----"))
        return fileError(file, QStringLiteral("holds no PEM private key (RSA or EC)"));
    return {};
}

QString UpstreamTransport::readCertificates(const QString &file, QList<QSslCertificate> &out)
{
    QByteArray pem;
    if (QString why = readPem(file, pem); !why.isEmpty())
        return why;
    out = QSslCertificate::fromData(pem, QSsl::Pem);
    if (out.isEmpty())
        return fileError(file, QStringLiteral("holds no PEM certificate (-----BEGIN "
                                              "CERTIFICATE-----)"));
    return {};
}

QString UpstreamTransport::readKey(const QString &file, QSslKey &out)
{
    QByteArray pem;
    if (QString why = readPem(file, pem); !why.isEmpty())
        return why;
    for (const QSsl::KeyAlgorithm a : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, a, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull()) {
            out = key;
            return {};
        }
    }
    if (pem.contains("ENCRYPTED"))
        return fileError(file, QStringLiteral("is an encrypted private key; give it without a "
                                              "passphrase"));
    return fileError(file, QStringLiteral("holds no PEM private key (RSA or EC)"));
}

bool UpstreamTransport::parseProxy(const QString &text, QNetworkProxy &out, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (text.compare(u"direct", Qt::CaseInsensitive) == 0) {
        out = QNetworkProxy(QNetworkProxy::NoProxy);
        return true;
    }
    // Like curl: a bare host:port is an HTTP proxy.
    const QUrl url(text.contains(QLatin1StringView("://")) ? text
                                                           : QStringLiteral("http://") + text);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty())
        return fail(QStringLiteral("must be \"direct\" or a proxy URL such as "
                                   "http://proxy.example:3128"));
    QNetworkProxy::ProxyType type = QNetworkProxy::HttpProxy;
    if (scheme == u"socks5" || scheme == u"socks5h")
        type = QNetworkProxy::Socks5Proxy;
    else if (scheme != u"http")
        return fail(
            QStringLiteral("must be an http:// or socks5:// proxy URL, not %1://").arg(scheme));
    // Without a port, curl's default.
    out = QNetworkProxy(type, url.host(), quint16(url.port(1080)), url.userName(QUrl::FullyDecoded),
                        url.password(QUrl::FullyDecoded));
    return true;
}

std::optional<UpstreamTransport> UpstreamTransport::make(const TlsSettings &tls,
                                                         const QString &proxy, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    UpstreamTransport t;
    QCryptographicHash key(QCryptographicHash::Sha256);
    if (!proxy.isEmpty()) {
        QNetworkProxy p;
        QString why;
        if (!parseProxy(proxy, p, &why))
            return fail(why);
        t.proxy = p;
        key.addData(proxy.toUtf8());
    }
    // SSL_CERT_FILE / SSL_CERT_DIR are read when the first request needs them: at load they
    // would cost every start-up the parsing of whole certificate stores.
    const QByteArray envFile = qgetenv("SSL_CERT_FILE");
    const QByteArray envDirs = qgetenv("SSL_CERT_DIR");
    t.environmentRoots = !envFile.isEmpty() || !envDirs.isEmpty();
    if (t.environmentRoots) {
        key.addData(envFile);
        key.addData(QByteArrayView("\0", 1));
        key.addData(envDirs);
    }
    if (tls.isDefault()) {
        if (t.proxy || t.environmentRoots) // else the default transport, key empty
            t.key = QString::fromLatin1(key.result().toHex().left(16));
        return t;
    }
    if (tls.certFile.isEmpty() != tls.keyFile.isEmpty())
        return fail(QStringLiteral("a client certificate needs both cert_file and key_file"));
    t.files = tls;
    t.m_loaded = std::make_shared<Loaded>();
    key.addData(tls.caFile.toUtf8());
    if (tls.insecure)
        key.addData("insecure");
    key.addData(tls.certFile.toUtf8());
    key.addData(tls.keyFile.toUtf8());
    t.key = QString::fromLatin1(key.result().toHex().left(16));
    return t;
}

QSslConfiguration UpstreamTransport::sslConfiguration(QString *error) const
{
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    QList<QSslCertificate> extra;
    if (m_loaded) {
        const QMutexLocker lock(&m_loaded->mutex);
        Loaded &l = *m_loaded;
        if (!l.done) {
            l.done = true;
            l.conf = conf;
            if (files.insecure)
                l.conf->setPeerVerifyMode(QSslSocket::VerifyNone);
            if (!files.caFile.isEmpty())
                l.error = readCertificates(files.caFile, l.extraRoots);
            if (l.error.isEmpty() && !files.certFile.isEmpty()) {
                QList<QSslCertificate> chain;
                QSslKey privateKey;
                l.error = readCertificates(files.certFile, chain);
                if (l.error.isEmpty())
                    l.error = readKey(files.keyFile, privateKey);
                l.conf->setLocalCertificateChain(chain);
                l.conf->setPrivateKey(privateKey);
            }
        }
        if (!l.error.isEmpty()) {
            if (error)
                *error = l.error;
            return conf;
        }
        conf = *l.conf;
        extra = l.extraRoots;
    }
    if (environmentRoots || !extra.isEmpty())
        conf.setCaCertificates(
            systemRoots() +
            (environmentRoots ? environmentCertificates() : QList<QSslCertificate>()) + extra);
    return conf;
}

} // namespace gw
