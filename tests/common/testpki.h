#pragma once

// A test CA and certificates made at test time with the openssl command line (no keys in the
// repository): a CA, a server certificate for 127.0.0.1 and localhost, an expired one, one for
// another host name, a client certificate for mutual TLS, and a second CA nobody trusts.

#include <QDir>
#include <QFile>
#include <QList>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace gwtest {

class TestPki
{
public:
    TestPki() { m_ok = m_dir.isValid() && make(); }

    bool ok() const { return m_ok; }
    const QString &error() const { return m_error; }
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QString caFile() const { return path(QStringLiteral("ca.crt")); }
    QString clientCert() const { return path(QStringLiteral("client.crt")); }
    QString clientKey() const { return path(QStringLiteral("client.key")); }

    // A server configuration presenting `name`.crt (server, expired, wronghost, other);
    // `requireClient`: ask for a client certificate signed by the CA and refuse without one.
    QSslConfiguration server(const QString &name = QStringLiteral("server"),
                             bool requireClient = false) const
    {
        QSslConfiguration c = QSslConfiguration::defaultConfiguration();
        c.setLocalCertificateChain(QSslCertificate::fromPath(path(name + QStringLiteral(".crt"))));
        QFile key(
            path(name == u"other" ? QStringLiteral("other.key") : QStringLiteral("server.key")));
        key.open(QIODevice::ReadOnly);
        c.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec));
        if (requireClient) {
            c.setCaCertificates(QSslCertificate::fromPath(caFile()));
            c.setPeerVerifyMode(QSslSocket::VerifyPeer);
        } else {
            c.setPeerVerifyMode(QSslSocket::VerifyNone);
        }
        return c;
    }

private:
    bool openssl(const QStringList &args)
    {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral("openssl"), args);
        if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit ||
            p.exitCode() != 0) {
            m_error = QStringLiteral("openssl %1: %2%3")
                          .arg(args.join(u' '), p.errorString(),
                               QString::fromLocal8Bit(p.readAllStandardError()));
            return false;
        }
        return true;
    }

    bool write(const QString &name, const QByteArray &text)
    {
        QFile f(path(name));
        return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
    }

    bool key(const QString &name)
    {
        return openssl({QStringLiteral("genpkey"), QStringLiteral("-algorithm"),
                        QStringLiteral("EC"), QStringLiteral("-pkeyopt"),
                        QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-out"), name});
    }

    bool ca(const QString &name, const QString &cn)
    {
        return key(name + QStringLiteral(".key")) &&
               openssl(
                   {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-new"),
                    QStringLiteral("-key"), name + QStringLiteral(".key"), QStringLiteral("-out"),
                    name + QStringLiteral(".crt"), QStringLiteral("-days"), QStringLiteral("2"),
                    QStringLiteral("-subj"), QStringLiteral("/CN=") + cn, QStringLiteral("-addext"),
                    QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
                    QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
    }

    // A certificate for `csrKey`'s key signed by `issuer`, with the extensions in `ext`.
    bool sign(const QString &name, const QString &keyFile, const QString &cn, const QString &issuer,
              const QByteArray &ext, const QString &days)
    {
        const QString csr = name + QStringLiteral(".csr");
        return write(name + QStringLiteral(".ext"), ext) &&
               openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-key"),
                        keyFile, QStringLiteral("-out"), csr, QStringLiteral("-subj"),
                        QStringLiteral("/CN=") + cn}) &&
               openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
                        QStringLiteral("-CA"), issuer + QStringLiteral(".crt"),
                        QStringLiteral("-CAkey"), issuer + QStringLiteral(".key"),
                        QStringLiteral("-CAcreateserial"), QStringLiteral("-out"),
                        name + QStringLiteral(".crt"), QStringLiteral("-days"), days,
                        QStringLiteral("-extfile"), name + QStringLiteral(".ext")});
    }

    bool make()
    {
        const QByteArray local = "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                 "extendedKeyUsage=serverAuth\n";
        const QString serverKey = QStringLiteral("server.key");
        return ca(QStringLiteral("ca"), QStringLiteral("llm-gateway test CA")) &&
               ca(QStringLiteral("untrusted"), QStringLiteral("llm-gateway untrusted CA")) &&
               key(serverKey) && key(QStringLiteral("client.key")) &&
               key(QStringLiteral("other.key")) &&
               sign(QStringLiteral("server"), serverKey, QStringLiteral("127.0.0.1"),
                    QStringLiteral("ca"), local, QStringLiteral("2")) &&
               // -days -1: valid until a day before it was made
               sign(QStringLiteral("expired"), serverKey, QStringLiteral("127.0.0.1"),
                    QStringLiteral("ca"), local, QStringLiteral("-1")) &&
               sign(QStringLiteral("wronghost"), serverKey, QStringLiteral("wrong.example"),
                    QStringLiteral("ca"),
                    "subjectAltName=DNS:wrong.example\nextendedKeyUsage=serverAuth\n",
                    QStringLiteral("2")) &&
               sign(QStringLiteral("other"), QStringLiteral("other.key"),
                    QStringLiteral("127.0.0.1"), QStringLiteral("untrusted"), local,
                    QStringLiteral("2")) &&
               sign(QStringLiteral("client"), QStringLiteral("client.key"),
                    QStringLiteral("llmgw-test-client"), QStringLiteral("ca"),
                    "extendedKeyUsage=clientAuth\n", QStringLiteral("2"));
    }

    QTemporaryDir m_dir;
    bool m_ok = false;
    QString m_error;
};

} // namespace gwtest
