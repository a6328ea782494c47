#include "config/config.h"
#include "config/listenaddress.h"
#include "gateway.h"
#include "log/requestlogfile.h"
#include "net/networkpool.h"
#include "providers/providerregistry.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace gw;

class TstConfig : public QObject
{
    Q_OBJECT
    const QStringList types{QStringLiteral("openai"), QStringLiteral("anthropic"),
                            QStringLiteral("echo")};

    QString errorFor(const char *json)
    {
        QString error;
        const auto c = Config::fromJson(json, QStringLiteral("config.json"), types, &error);
        return c ? QString() : error;
    }

private slots:
    void defaultPathsAreOneFolderDeep()
    {
        // The app names both organization and application "llm-gateway": the files must still
        // live in ~/.config/llm-gateway/ and ~/.local/share/llm-gateway/, not one folder deeper.
        QCoreApplication::setOrganizationName(QStringLiteral("llm-gateway"));
        QCoreApplication::setApplicationName(QStringLiteral("llm-gateway"));
        qputenv("XDG_CONFIG_HOME", "/tmp/cfg-home");
        qputenv("XDG_DATA_HOME", "/tmp/data-home");
        QCOMPARE(gw::Config::defaultPath(),
                 QStringLiteral("/tmp/cfg-home/llm-gateway/config.json"));
        QCOMPARE(gw::RequestLogFile::defaultPath(),
                 QStringLiteral("/tmp/data-home/llm-gateway/logs/requests.jsonl"));
        qunsetenv("XDG_CONFIG_HOME");
        qunsetenv("XDG_DATA_HOME");
    }
    void validConfig()
    {
        QString error;
        const auto c = Config::fromJson(
            "{\"version\":1,\"listen\":\"127.0.0.1:9000\","
            "\"providers\":[{\"name\":\"openai\",\"type\":\"openai\",\"base_url\":\"https://"
            "api.openai.com/v1\"},"
            "{\"name\":\"groq\",\"type\":\"openai\",\"base_url\":\"https://api.groq.com/openai/"
            "v1\","
            "\"options\":{\"x\":1}}],"
            "\"models\":[{\"name\":\"gpt-4o\",\"provider\":\"openai\",\"model\":\"gpt-4o\"},"
            "{\"name\":\"fast\",\"provider\":\"groq\",\"model\":\"llama-3.1-8b\",\"context_"
            "length\":8192,"
            "\"capabilities\":[\"completion\"],\"fallbacks\":[\"gpt-4o\"]}]}",
            QStringLiteral("config.json"), types, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->listen, QStringLiteral("127.0.0.1:9000"));
        QCOMPARE(c->providers.size(), 2);
        QCOMPARE(c->providers[1].baseUrl, QStringLiteral("https://api.groq.com/openai/v1"));
        QCOMPARE(c->providers[1].options.value(QStringLiteral("x")).toInt(), 1);
        QCOMPARE(c->models[1].contextLength, 8192);
        QCOMPARE(c->models[1].capabilities, QStringList{QStringLiteral("completion")});
        QCOMPARE(c->models[1].fallbacks, QStringList{QStringLiteral("gpt-4o")});
    }

    void emptyObjectIsValid()
    {
        QString error;
        QVERIFY(Config::fromJson("{}", QString(), types, &error));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("syntax: line and column")
            << QByteArray("{\n  \"providers\": [\n    {\"name\": \"a\",,}\n  ]\n}")
            << QStringLiteral("config.json:3:19: ");
        QTest::newRow("not an object")
            << QByteArray("[]")
            << QStringLiteral("config.json: the top level must be a JSON object");
        QTest::newRow("newer version")
            << QByteArray("{\"version\":7}")
            << QStringLiteral("version 7 was written by a newer llm-gateway");
        QTest::newRow("unknown type")
            << QByteArray("{\"providers\":[{\"name\":\"x\",\"type\":\"opanai\"}]}")
            << QStringLiteral("config.json: providers[0].type: unknown provider type 'opanai' "
                              "(expected one of: openai, anthropic, echo)");
        QTest::newRow("missing name")
            << QByteArray("{\"providers\":[{\"type\":\"openai\"}]}")
            << QStringLiteral("config.json: providers[0].name is required");
        QTest::newRow("bad name") << QByteArray(
                                         "{\"providers\":[{\"name\":\"a b\",\"type\":\"openai\"}]}")
                                  << QStringLiteral("providers[0].name 'a b' may only contain");
        QTest::newRow("duplicate provider")
            << QByteArray("{\"providers\":[{\"name\":\"a\",\"type\":\"openai\"},{\"name\":\"A\","
                          "\"type\":\"openai\"}]}")
            << QStringLiteral("providers[1].name 'A' is used twice");
        QTest::newRow("bad url")
            << QByteArray("{\"providers\":[{\"name\":\"a\",\"type\":\"openai\",\"base_url\":\"ftp:/"
                          "/x\"}]}")
            << QStringLiteral("providers[0].base_url 'ftp://x' is not an http:// or https:// URL");
        QTest::newRow("wrong type")
            << QByteArray("{\"providers\":[{\"name\":\"a\",\"type\":\"openai\",\"base_url\":5}]}")
            << QStringLiteral("config.json: providers[0].base_url must be a string");
        QTest::newRow("unknown provider")
            << QByteArray("{\"providers\":[{\"name\":\"openai\",\"type\":\"openai\"}],"
                          "\"models\":[{\"name\":\"m\",\"provider\":\"opnai\",\"model\":\"x\"}]}")
            << QStringLiteral("config.json: models[0].provider: unknown provider 'opnai' "
                              "(configured: echo, openai)");
        QTest::newRow("duplicate model, case and tag")
            << QByteArray("{\"models\":[{\"name\":\"M\",\"provider\":\"echo\",\"model\":\"x\"},"
                          "{\"name\":\"m:latest\",\"provider\":\"echo\",\"model\":\"y\"}]}")
            << QStringLiteral("models[1].name 'm:latest' is used twice");
        QTest::newRow("context length")
            << QByteArray("{\"models\":[{\"name\":\"m\",\"provider\":\"echo\",\"model\":\"x\","
                          "\"context_length\":-3}]}")
            << QStringLiteral("models[0].context_length must be a positive whole number");
        QTest::newRow("context length beyond int64") // found by fuzzing: the cast was UB
            << QByteArray("{\"models\":[{\"name\":\"m\",\"provider\":\"echo\",\"model\":\"x\","
                          "\"context_length\":1e300}]}")
            << QStringLiteral("models[0].context_length must be a positive whole number");
        QTest::newRow("capability")
            << QByteArray("{\"models\":[{\"name\":\"m\",\"provider\":\"echo\",\"model\":\"x\","
                          "\"capabilities\":[\"telepathy\"]}]}")
            << QStringLiteral("models[0].capabilities: unknown capability 'telepathy'");
        QTest::newRow("fallback") << QByteArray("{\"models\":[{\"name\":\"m\",\"provider\":"
                                                "\"echo\",\"model\":\"x\",\"fallbacks\":[\"n\"]}]}")
                                  << QStringLiteral("models[0].fallbacks: no model named 'n'");
        QTest::newRow("models not array") << QByteArray("{\"models\":{}}")
                                          << QStringLiteral("config.json: models must be an array");
    }

    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const QString error = errorFor(json.constData());
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void saveIsAtomicPrivateAndRoundTrips()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/config.json"));
        Config c;
        c.listen = QStringLiteral("127.0.0.1:1234");
        c.providers.append({QStringLiteral("openai"),
                            QStringLiteral("openai"),
                            QStringLiteral("https://api.openai.com/v1"),
                            {}});
        c.models.append({QStringLiteral("gpt"),
                         QStringLiteral("openai"),
                         QStringLiteral("gpt-4o"),
                         128000,
                         {QStringLiteral("tools")},
                         {}});
        QString error;
        QVERIFY2(c.save(path, &error), qPrintable(error));
        QCOMPARE(QFile::permissions(path) &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        const auto back = Config::load(path, types, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->toJson(), c.toJson());
        QCOMPARE(back->models[0].contextLength, 128000);
        QVERIFY(back->toJson().contains("\"version\": 1"));
    }

    void missingFileNamesIt()
    {
        QString error;
        QVERIFY(!Config::load(QStringLiteral("/nonexistent/x.json"), types, &error));
        QVERIFY2(error.startsWith(QStringLiteral("/nonexistent/x.json: ")), qPrintable(error));
    }

    void listenParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected"); // empty: error
        QTest::newRow("host:port") << "127.0.0.1:8080"
                                   << "127.0.0.1:8080";
        QTest::newRow("host only") << "127.0.0.1"
                                   << "127.0.0.1:11434";
        QTest::newRow("port only = all") << ":9000"
                                         << "0.0.0.0:9000";
        QTest::newRow("v6") << "[::1]:9000"
                            << "[::1]:9000";
        QTest::newRow("localhost") << "localhost:5"
                                   << "127.0.0.1:5";
        QTest::newRow("scheme") << "http://127.0.0.1:7/"
                                << "127.0.0.1:7";
        QTest::newRow("bad port") << "127.0.0.1:99999"
                                  << "";
        QTest::newRow("hostname") << "example.com:1"
                                  << "";
    }
    void listenParse()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QString error;
        const auto a = ListenAddress::parse(text, &error);
        if (expected.isEmpty()) {
            QVERIFY(!a);
            QVERIFY(!error.isEmpty());
        } else {
            QVERIFY2(a, qPrintable(error));
            QCOMPARE(a->toString(), expected);
        }
    }

    // The cases of Ollama's envconfig tests that make sense for a server.
    void ollamaHost_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << ""
                               << "127.0.0.1:11434";
        QTest::newRow("only address") << "1.2.3.4"
                                      << "1.2.3.4:11434";
        QTest::newRow("only port") << ":1234"
                                   << "0.0.0.0:1234";
        QTest::newRow("address and port") << "1.2.3.4:1234"
                                          << "1.2.3.4:1234";
        QTest::newRow("http scheme") << "http://1.2.3.4"
                                     << "1.2.3.4:80";
        QTest::newRow("https scheme") << "https://1.2.3.4"
                                      << "1.2.3.4:443";
        QTest::newRow("quoted") << "\"1.2.3.4:1234\""
                                << "1.2.3.4:1234";
        QTest::newRow("single quoted") << "'1.2.3.4'"
                                       << "1.2.3.4:11434";
        QTest::newRow("bare v6") << "::1"
                                 << "[::1]:11434";
        QTest::newRow("v6 with port") << "[::1]:1234"
                                      << "[::1]:1234";
        QTest::newRow("path prefix") << "http://1.2.3.4:8000/ollama"
                                     << "1.2.3.4:8000";
        QTest::newRow("bad port falls back") << "1.2.3.4:99999"
                                             << "1.2.3.4:11434";
        QTest::newRow("0.0.0.0") << "0.0.0.0"
                                 << "0.0.0.0:11434";
    }
    void ollamaHost()
    {
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QString error;
        const auto a = value.isEmpty() ? Gateway::chooseListenAddress({}, value, {}, &error)
                                       : ListenAddress::fromOllamaHost(value, &error);
        QVERIFY2(a, qPrintable(error));
        QCOMPARE(a->toString(), expected);
    }

    void listenPrecedence()
    {
        QString error;
        // The port chosen, or 0 (and the error) when none was.
        const auto port = [&error](const QString &flag, const QString &ollamaHost,
                                   const QString &configured) {
            const auto a = Gateway::chooseListenAddress(flag, ollamaHost, configured, &error);
            if (!a)
                qWarning("no address: %s", qPrintable(error));
            return a ? int(a->port) : 0;
        };
        QCOMPARE(port(QStringLiteral("127.0.0.1:1"), QStringLiteral("127.0.0.1:2"),
                      QStringLiteral("127.0.0.1:3")),
                 1);
        QCOMPARE(port({}, QStringLiteral("127.0.0.1:2"), QStringLiteral("127.0.0.1:3")), 2);
        QCOMPARE(port({}, {}, QStringLiteral("127.0.0.1:3")), 3);
        QCOMPARE(port({}, {}, {}), 11434);
        QVERIFY(!Gateway::chooseListenAddress(QStringLiteral("nope:1"), {}, {}, &error));
        QVERIFY2(error.startsWith(QStringLiteral("--listen nope:1: ")), qPrintable(error));
    }

    void everyProviderTypeIsRegistered()
    {
        const QStringList types = ProviderRegistry::types();
        NetworkPool pool;
        for (const char *t : {"echo", "openai", "anthropic", "gemini", "huggingface", "ollama",
                              "azure-openai", "tgi"}) {
            const QString type = QString::fromLatin1(t);
            QVERIFY2(types.contains(type), t);
            ProviderSettings s;
            s.name = type;
            s.type = type;
            QVERIFY2(ProviderRegistry::create(s, pool), t);
        }
        ProviderSettings unknown;
        unknown.type = QStringLiteral("nope");
        QVERIFY(!ProviderRegistry::create(unknown, pool));
    }

    void presetNamesNeedNoType()
    {
        QString error;
        const auto c = Config::fromJson("{\"providers\":[{\"name\":\"groq\"}]}",
                                        QStringLiteral("c"), ProviderRegistry::types(), &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->providers[0].type, QStringLiteral("openai"));
        QVERIFY(!Config::fromJson("{\"providers\":[{\"name\":\"acme\"}]}", QStringLiteral("c"),
                                  ProviderRegistry::types(), &error));
        QVERIFY2(error.contains(QStringLiteral("providers[0].type is required")),
                 qPrintable(error));
    }

    void urlIsConnectable()
    {
        QString error;
        const auto any4 = ListenAddress::parse(QStringLiteral("0.0.0.0:5"), &error);
        QVERIFY2(any4, qPrintable(error));
        QCOMPARE(any4->url(), QStringLiteral("http://127.0.0.1:5"));
        const auto any6 = ListenAddress::parse(QStringLiteral("[::]:5"), &error);
        QVERIFY2(any6, qPrintable(error));
        QCOMPARE(any6->url(), QStringLiteral("http://[::1]:5"));
    }
};

QTEST_GUILESS_MAIN(TstConfig)
#include "tst_config.moc"
