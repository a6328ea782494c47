// Provider connections as they are in the wild: every provider type over TLS to a fake upstream
// whose certificate comes from a test CA made at test time (tests/common/testpki.h), streamed
// and not; trust through tls.ca_file, SSL_CERT_FILE and SSL_CERT_DIR, and refused without;
// expired and wrong-host certificates; mutual TLS; insecure_skip_verify; bad files as config
// errors; HTTPS through a real proxy (tinyproxy) with and without credentials, NO_PROXY and the
// per-provider proxy. Each failure is checked in the words the client gets.

#include "checkedlist.h"
#include "fakeserver.h"
#include "gatewayfixture.h"
#include "net/envproxyfactory.h"
#include "rawhttp.h"
#include "testpki.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace gw;
using gwtest::FakeServer;
using gwtest::Received;
using gwtest::Reply;

namespace {

QJsonObject obj(const QByteArray &b)
{
    return QJsonDocument::fromJson(b).object();
}

QByteArray oaiChunk(const QString &content, const QJsonValue &finish = QJsonValue::Null)
{
    return FakeServer::sseData(
        {{QStringLiteral("choices"),
          QJsonArray{QJsonObject{
              {QStringLiteral("index"), 0},
              {QStringLiteral("delta"), QJsonObject{{QStringLiteral("content"), content}}},
              {QStringLiteral("finish_reason"), finish}}}}});
}

QByteArray ev(const char *name, const char *json)
{
    return QByteArray("event: ") + name + "\ndata: " + json + "\n\n";
}

// Every provider type's streamed answer "Hi there", on the paths each one calls.
void answerAllTypes(FakeServer &fake)
{
    const auto openAi = [](const Received &) {
        return Reply::sse({oaiChunk(QStringLiteral("Hi")), oaiChunk(QStringLiteral(" there")),
                           oaiChunk(QString(), QStringLiteral("stop")), "data: [DONE]\n\n"});
    };
    fake.on("POST", "/v1/chat/completions", openAi);
    fake.on("POST", "/openai/deployments/*", openAi);
    fake.on("POST", "/v1/messages", [](const Received &) {
        return Reply::sse(
            {ev("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_"
                                 "tokens\":3,\"output_tokens\":1}}}"),
             ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                                       "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
             ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{"
                                       "\"type\":\"text_delta\",\"text\":\"Hi there\"}}"),
             ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
             ev("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_"
                                 "turn\"},\"usage\":{\"output_tokens\":2}}"),
             ev("message_stop", "{\"type\":\"message_stop\"}")});
    });
    fake.on("POST", "/v1beta/models/*", [](const Received &) {
        return Reply::sse({"data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{"
                           "\"text\":\"Hi there\"}]},\"finishReason\":\"STOP\"}]}\r\n\r\n"});
    });
    fake.on("POST", "/api/chat", [](const Received &) {
        return Reply::ndjson(
            {"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi there\"},"
             "\"done\":false}",
             "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":"
             "true,\"done_reason\":\"stop\",\"prompt_eval_count\":2,\"eval_count\":2}"});
    });
    fake.on("POST", "/generate_stream", [](const Received &) {
        return Reply::sse({"data: {\"token\":{\"text\":\"Hi there\",\"special\":false}}\n\n",
                           "data: {\"token\":{\"text\":\"</s>\",\"special\":true},\"generated_"
                           "text\":\"Hi there\",\"details\":{\"finish_reason\":\"eos_token\","
                           "\"generated_tokens\":2,\"input_length\":3}}\n\n"});
    });
}

// The base URL each type is configured with, relative to the fake's root.
QString basePath(const QString &type)
{
    if (type == u"openai" || type == u"huggingface")
        return QStringLiteral("/v1");
    if (type == u"gemini")
        return QStringLiteral("/v1beta");
    return {};
}

// A tinyproxy on a free loopback port, with its own config and log; optional Basic auth.
class Tinyproxy
{
public:
    Tinyproxy(const QString &user = {}, const QString &password = {})
    {
        QTcpServer probe; // a free port
        if (!probe.listen(QHostAddress::LocalHost))
            return;
        m_port = probe.serverPort();
        probe.close();
        QFile conf(m_dir.filePath(QStringLiteral("tinyproxy.conf")));
        QByteArray text = "Port " + QByteArray::number(m_port) +
                          "\nListen 127.0.0.1\nTimeout 60\nLogLevel Connect\nLogFile \"" +
                          logPath().toUtf8() + "\"\nMaxClients 50\nAllow 127.0.0.1\n";
        if (!user.isEmpty())
            text += "BasicAuth " + user.toUtf8() + ' ' + password.toUtf8() + '\n';
        if (!conf.open(QIODevice::WriteOnly) || conf.write(text) != text.size())
            return;
        conf.close();
        m_process.start(QStringLiteral("tinyproxy"),
                        {QStringLiteral("-d"), QStringLiteral("-c"), conf.fileName()});
        if (!m_process.waitForStarted())
            return;
        // Ready when it accepts a connection.
        for (int i = 0; i < 500 && m_process.state() == QProcess::Running; ++i) {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, m_port);
            if (s.waitForConnected(1000)) {
                m_ready = true;
                return;
            }
            QTest::qWait(10);
        }
    }
    ~Tinyproxy()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
    }
    bool ready() const { return m_ready; }
    quint16 port() const { return m_port; }
    QString logPath() const { return m_dir.filePath(QStringLiteral("tinyproxy.log")); }
    QByteArray log() const
    {
        QFile f(logPath());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // How many CONNECT requests to this port it was asked for.
    int connects(quint16 port) const
    {
        return int(log().count("CONNECT 127.0.0.1:" + QByteArray::number(port) + ' '));
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    bool m_ready = false;
};

// Sets an environment variable for one scope.
class ScopedEnv
{
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name), m_had(qEnvironmentVariableIsSet(name)), m_old(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

} // namespace

class TstTls : public QObject
{
    Q_OBJECT

    gwtest::TestPki m_pki;
    std::unique_ptr<FakeServer> m_fake;
    gwtest::GatewayFixture m_gw;

    // A TLS fake with the given certificate, answering every provider type.
    void serve(const QString &cert = QStringLiteral("server"), bool requireClient = false)
    {
        m_fake = std::make_unique<FakeServer>(m_pki.server(cert, requireClient));
        answerAllTypes(*m_fake);
    }

    // One provider "up" of `type` at the fake with these options, and the model "m" on it.
    bool setUp(const QByteArray &options, const QString &type = QStringLiteral("openai"))
    {
        const QByteArray json =
            "{\"providers\":[{\"name\":\"up\",\"type\":\"" + type.toUtf8() + "\",\"base_url\":\"" +
            m_fake->url(basePath(type)).toUtf8() +
            "\",\"options\":{\"requires_key\":false,\"max_retries\":0" +
            (options.isEmpty() ? QByteArray() : ',' + options) +
            "}}],\"models\":[{\"name\":\"m\",\"provider\":\"up\",\"model\":\"model-1\"}]}";
        if (type != u"openai" && type != u"ollama" && type != u"tgi")
            m_gw->secrets().setKeychainKey(QStringLiteral("up"),
                                           QStringLiteral("test-key-0123456789"));
        if (!m_gw.setUp(json)) {
            qWarning("set-up failed: %s", qPrintable(m_gw.error()));
            return false;
        }
        return true;
    }

    QByteArray caOption() const
    {
        return "\"tls\":{\"ca_file\":\"" + m_pki.caFile().toUtf8() + "\"}";
    }

    Response chat(bool stream = false, const QByteArray &path = "/api/chat")
    {
        const QJsonObject body{
            {QStringLiteral("model"), QStringLiteral("m")},
            {QStringLiteral("stream"), stream},
            {QStringLiteral("max_tokens"), 100},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("content"), QStringLiteral("hello")}}}}};
        return m_gw.post(path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    static QString content(const Response &r)
    {
        QString text;
        for (const QByteArray &line : r->body.split('\n'))
            text += obj(line)
                        .value(QStringLiteral("message"))
                        .toObject()
                        .value(QStringLiteral("content"))
                        .toString();
        return text;
    }

    static QString error(const Response &r) // Ollama's {"error": …}
    {
        return obj(r->body).value(QStringLiteral("error")).toString();
    }

private slots:
    void initTestCase() { QVERIFY2(m_pki.ok(), qPrintable(m_pki.error())); }

    void everyProviderTypeOverTls_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("stream");
        for (const char *type :
             {"openai", "anthropic", "gemini", "ollama", "tgi", "huggingface", "azure-openai"})
            for (const bool stream : {false, true})
                QTest::addRow("%s %s", type, stream ? "streamed" : "whole")
                    << QString::fromLatin1(type) << stream;
    }

    void everyProviderTypeOverTls()
    {
        QFETCH(QString, type);
        QFETCH(bool, stream);
        serve();
        QVERIFY(setUp(caOption(), type));
        const Response r = chat(stream);
        QCOMPARE(r->status, 200);
        QCOMPARE(content(r), QStringLiteral("Hi there"));
        QCOMPARE(m_fake->requestCount(), 1); // it reached the TLS server
        QCOMPARE(m_fake->failedHandshakes(), 0);
    }

    void connectionReusedAcrossRequests()
    {
        serve();
        QVERIFY(setUp(caOption()));
        for (int i = 0; i < 10; ++i)
            QCOMPARE(chat(i % 2 == 0)->status, 200);
        QCOMPARE(m_fake->requestCount(), 10);
        // Kept alive (UpstreamCall::bodyComplete): one handshake, or two if Qt opens a second
        // connection while the first still reads the end of a body. (It was one per request.)
        QVERIFY2(m_fake->connections() <= 2, qPrintable(QString::number(m_fake->connections())));
    }

    void refusedWithoutTrust()
    {
        serve();
        QVERIFY(setUp({}));
        const Response r = chat();
        QCOMPARE(r->status, 502);
        const QString e = error(r);
        QVERIFY2(e.contains(QStringLiteral("cannot connect securely to provider 'up'")) &&
                     e.contains(QStringLiteral("issuer this machine does not trust")) &&
                     e.contains(QStringLiteral("tls.ca_file")) &&
                     e.contains(QStringLiteral("SSL_CERT_FILE")),
                 qPrintable(e));
        QCOMPARE(m_fake->requestCount(), 0);

        // The same in the OpenAI and Anthropic dialects.
        const Response o = chat(false, "/v1/chat/completions");
        QCOMPARE(o->status, 502);
        const QJsonObject oe = obj(o->body).value(QStringLiteral("error")).toObject();
        QVERIFY2(oe.value(QStringLiteral("message")).toString().contains(u"tls.ca_file"),
                 o->body.constData());
        const Response a = chat(false, "/v1/messages");
        QCOMPARE(a->status, 502);
        const QJsonObject ae = obj(a->body).value(QStringLiteral("error")).toObject();
        QCOMPARE(ae.value(QStringLiteral("type")).toString(), QStringLiteral("api_error"));
        QVERIFY2(ae.value(QStringLiteral("message")).toString().contains(u"SSL_CERT_FILE"),
                 a->body.constData());
    }

    void trustThroughSslCertFile()
    {
        serve();
        const ScopedEnv env("SSL_CERT_FILE", m_pki.caFile().toLocal8Bit());
        QVERIFY(setUp({}));
        const Response r = chat(true);
        QCOMPARE(r->status, 200);
        QCOMPARE(content(r), QStringLiteral("Hi there"));
    }

    void trustThroughSslCertDir()
    {
        serve();
        QTemporaryDir dir;
        QVERIFY(QFile::copy(m_pki.caFile(), dir.filePath(QStringLiteral("company-ca.pem"))));
        const ScopedEnv env("SSL_CERT_DIR",
                            QByteArray("/nonexistent-dir:") + dir.path().toLocal8Bit());
        QVERIFY(setUp({}));
        QCOMPARE(chat()->status, 200);
    }

    void anotherCaIsNotEnough()
    {
        serve(QStringLiteral("other")); // signed by a CA that is not the one trusted
        QVERIFY(setUp(caOption()));
        const Response r = chat();
        QCOMPARE(r->status, 502);
        QVERIFY2(error(r).contains(QStringLiteral("issuer this machine does not trust")),
                 qPrintable(error(r)));
    }

    void expiredCertificate()
    {
        serve(QStringLiteral("expired"));
        QVERIFY(setUp(caOption()));
        const Response r = chat(true);
        QCOMPARE(r->status, 502);
        QVERIFY2(error(r).contains(QStringLiteral("its certificate has expired or is not valid "
                                                  "yet")),
                 qPrintable(error(r)));
    }

    void wrongHostCertificate()
    {
        serve(QStringLiteral("wronghost"));
        QVERIFY(setUp(caOption()));
        const Response r = chat();
        QCOMPARE(r->status, 502);
        QVERIFY2(error(r).contains(QStringLiteral("its certificate is for another host name")),
                 qPrintable(error(r)));
    }

    void insecureSkipVerify()
    {
        serve(QStringLiteral("wronghost"));
        QVERIFY(setUp("\"tls\":{\"insecure_skip_verify\":true}"));
        const Response r = chat(true);
        QCOMPARE(r->status, 200);
        QCOMPARE(content(r), QStringLiteral("Hi there"));
    }

    void mutualTls()
    {
        serve(QStringLiteral("server"), true);
        QVERIFY(setUp(caOption()));
        const Response refused = chat();
        QCOMPARE(refused->status, 502);
        QVERIFY2(error(refused).contains(QStringLiteral("tls.cert_file and tls.key_file")),
                 qPrintable(error(refused)));
        QCOMPARE(m_fake->requestCount(), 0);

        QVERIFY(setUp("\"tls\":{\"ca_file\":\"" + m_pki.caFile().toUtf8() + "\",\"cert_file\":\"" +
                      m_pki.clientCert().toUtf8() + "\",\"key_file\":\"" +
                      m_pki.clientKey().toUtf8() + "\"}"));
        const Response r = chat(true);
        QCOMPARE(r->status, 200);
        QCOMPARE(content(r), QStringLiteral("Hi there"));
        QCOMPARE(m_fake->last().clientCertificate, QStringLiteral("llmgw-test-client"));
    }

    // The config check looks only at the shape of the files (Qt's TLS backend stays unloaded at
    // start-up): a certificate broken inside its PEM markers fails the first request, in words,
    // and nothing reaches the provider.
    void brokenCertificateFailsTheRequest()
    {
        serve();
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("broken.pem"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        f.close();
        QVERIFY(setUp("\"tls\":{\"ca_file\":\"" + file.toUtf8() + "\"}"));
        const Response r = chat();
        QCOMPARE(r->status, 502);
        QVERIFY2(error(r).contains(QStringLiteral("broken.pem holds no PEM certificate")),
                 qPrintable(error(r)));
        QCOMPARE(m_fake->requestCount(), 0);
    }

    void badFilesAreConfigErrors_data()
    {
        QTest::addColumn<QByteArray>("tls");
        QTest::addColumn<QString>("expected");
        QTest::addRow("missing ca") << QByteArray("{\"ca_file\":\"/nonexistent/ca.pem\"}")
                                    << QStringLiteral("options.tls.ca_file: /nonexistent/ca.pem "
                                                      "cannot be read");
        QTest::addRow("device as ca") << QByteArray("{\"ca_file\":\"/dev/zero\"}")
                                      << QStringLiteral("options.tls.ca_file: /dev/zero is not a "
                                                        "PEM file");
        QTest::addRow("key as ca")
            << QByteArray("{\"ca_file\":\"KEY\"}") << QStringLiteral("holds no PEM certificate");
        QTest::addRow("cert as key")
            << QByteArray("{\"cert_file\":\"CERT\",\"key_file\":\"CERT\"}")
            << QStringLiteral("options.tls.key_file: CERT holds no PEM private key");
        QTest::addRow("cert without key") << QByteArray("{\"cert_file\":\"CERT\"}")
                                          << QStringLiteral("options.tls.key_file is needed too");
        QTest::addRow("wrong type") << QByteArray("{\"insecure_skip_verify\":\"yes\"}")
                                    << QStringLiteral("options.tls.insecure_skip_verify");
    }

    void badFilesAreConfigErrors()
    {
        QFETCH(QByteArray, tls);
        QFETCH(QString, expected);
        serve();
        tls.replace("KEY", m_pki.clientKey().toUtf8()).replace("CERT", m_pki.clientCert().toUtf8());
        expected.replace(QStringLiteral("CERT"), m_pki.clientCert());
        const QByteArray json = "{\"providers\":[{\"name\":\"up\",\"type\":\"openai\",\"base_url\":"
                                "\"https://127.0.0.1:1/v1\",\"options\":{\"tls\":" +
                                tls + "}}]}";
        QVERIFY(!m_gw.configure(json));
        QVERIFY2(m_gw.error().contains(expected), qPrintable(m_gw.error()));
        QVERIFY2(m_gw.error().contains(QStringLiteral("config.json:")), qPrintable(m_gw.error()));
    }

    void noProxyRules_data()
    {
        QTest::addColumn<QString>("noProxy");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("exempt");
        QTest::addRow("star") << "*"
                              << "api.openai.com" << 443 << true;
        QTest::addRow("exact") << "localhost,api.openai.com"
                               << "api.openai.com" << 443 << true;
        QTest::addRow("suffix") << "openai.com"
                                << "api.openai.com" << 443 << true;
        QTest::addRow("dot suffix") << ".openai.com"
                                    << "api.openai.com" << 443 << true;
        QTest::addRow("dot matches bare") << ".openai.com"
                                          << "openai.com" << 443 << true;
        QTest::addRow("not a suffix") << "ai.com"
                                      << "api.openai.com" << 443 << false;
        QTest::addRow("ip") << "127.0.0.1"
                            << "127.0.0.1" << 8080 << true;
        QTest::addRow("cidr") << "10.0.0.0/8"
                              << "10.2.3.4" << 443 << true;
        QTest::addRow("cidr miss") << "10.0.0.0/8"
                                   << "11.2.3.4" << 443 << false;
        QTest::addRow("port") << "example.com:8443"
                              << "example.com" << 8443 << true;
        QTest::addRow("other port") << "example.com:8443"
                                    << "example.com" << 443 << false;
        QTest::addRow("spaces") << " a.com , b.com "
                                << "b.com" << 443 << true;
        QTest::addRow("empty") << ""
                               << "b.com" << 443 << false;
    }

    void noProxyRules()
    {
        QFETCH(QString, noProxy);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(bool, exempt);
        QCOMPARE(EnvProxyFactory::exempt(noProxy, host, port), exempt);
    }

    void httpsThroughProxyFromEnvironment()
    {
        Tinyproxy proxy;
        QVERIFY2(proxy.ready(), "tinyproxy did not start (scripts/setup.sh installs it)");
        serve();
        const ScopedEnv env("HTTPS_PROXY", "http://127.0.0.1:" + QByteArray::number(proxy.port()));
        QVERIFY(setUp(caOption()));
        for (const bool stream : {false, true}) {
            const Response r = chat(stream);
            QCOMPARE(r->status, 200);
            QCOMPARE(content(r), QStringLiteral("Hi there"));
        }
        QVERIFY2(proxy.connects(m_fake->port()) >= 1, proxy.log().constData());

        // NO_PROXY: straight to the provider.
        const int before = proxy.connects(m_fake->port());
        const ScopedEnv noProxy("NO_PROXY", "example.com,127.0.0.1");
        QVERIFY(setUp(caOption()));
        QCOMPARE(chat()->status, 200);
        QCOMPARE(proxy.connects(m_fake->port()), before);
    }

    void proxyCredentialsStayOutOfLogs()
    {
        Tinyproxy proxy(QStringLiteral("alice"), QStringLiteral("pr0xy-s3cret"));
        QVERIFY2(proxy.ready(), "tinyproxy did not start (scripts/setup.sh installs it)");
        serve();
        // Wrong password: a clear failure, and the password in no answer or record.
        {
            const ScopedEnv env("HTTPS_PROXY", "http://alice:wr0ng-pass@127.0.0.1:" +
                                                   QByteArray::number(proxy.port()));
            QVERIFY(setUp(caOption()));
            m_gw.clearRecords();
            const Response r = chat();
            QCOMPARE(r->status, 502);
            QVERIFY2(error(r).contains(QStringLiteral("proxy")), qPrintable(error(r)));
            QVERIFY(!r->body.contains("wr0ng-pass"));
            QVERIFY(m_gw.waitIdle());
            for (const RequestRecord &rec : m_gw.records())
                QVERIFY(!rec.error.contains(QStringLiteral("wr0ng-pass")));
            QCOMPARE(m_fake->requestCount(), 0);
        }
        const ScopedEnv env("HTTPS_PROXY", "http://alice:pr0xy-s3cret@127.0.0.1:" +
                                               QByteArray::number(proxy.port()));
        QVERIFY(setUp(caOption()));
        const Response r = chat(true);
        QCOMPARE(r->status, 200);
        QCOMPARE(content(r), QStringLiteral("Hi there"));
        QVERIFY(proxy.connects(m_fake->port()) >= 1);
    }

    void perProviderProxy()
    {
        Tinyproxy proxy;
        QVERIFY2(proxy.ready(), "tinyproxy did not start (scripts/setup.sh installs it)");
        serve();
        // The provider's own proxy, with none in the environment.
        QVERIFY(setUp(caOption() +
                      ",\"proxy\":\"http://127.0.0.1:" + QByteArray::number(proxy.port()) + "\""));
        QCOMPARE(chat()->status, 200);
        const int through = proxy.connects(m_fake->port());
        QVERIFY2(through >= 1, proxy.log().constData());
        // "direct" bypasses the environment's proxy.
        const ScopedEnv env("HTTPS_PROXY", "http://127.0.0.1:1");
        QVERIFY(setUp(caOption() + ",\"proxy\":\"direct\""));
        QCOMPARE(chat()->status, 200);
        QCOMPARE(proxy.connects(m_fake->port()), through);
        // A proxy that is not a URL is a config error.
        QVERIFY(!m_gw.configure("{\"providers\":[{\"name\":\"up\",\"type\":\"openai\","
                                "\"options\":{\"proxy\":\"ftp://x\"}}]}"));
        QVERIFY2(m_gw.error().contains(QStringLiteral("options.proxy must be an http:// or "
                                                      "socks5:// proxy URL")),
                 qPrintable(m_gw.error()));
    }
};

QTEST_GUILESS_MAIN(TstTls)
#include "tst_tls.moc"
