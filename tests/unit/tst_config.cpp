#include "config/config.h"
#include "gateway.h"
#include "log/requestlogfile.h"
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
        QTest::newRow("version fraction") // was read with toInt(): 1.5 passed as 1
            << QByteArray("{\"version\":1.5}")
            << QStringLiteral("config.json:1: version must be a positive whole number, not 1.5");
        QTest::newRow("version string")
            << QByteArray("{\"version\":\"1\"}")
            << QStringLiteral("version must be a positive whole number, not a string");
        QTest::newRow("newer version")
            << QByteArray("{\"version\":7}")
            << QStringLiteral("version 7 was written by a newer llm-gateway");
        QTest::newRow("unknown type")
            << QByteArray("{\"providers\":[{\"name\":\"x\",\"type\":\"opanai\"}]}")
            << QStringLiteral("config.json:1: providers[0].type: unknown provider type 'opanai' "
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
            << QStringLiteral("config.json:1: providers[0].base_url must be a string");
        QTest::newRow("unknown provider")
            << QByteArray("{\"providers\":[{\"name\":\"openai\",\"type\":\"openai\"}],"
                          "\"models\":[{\"name\":\"m\",\"provider\":\"opnai\",\"model\":\"x\"}]}")
            << QStringLiteral("config.json:1: models[0].provider: unknown provider 'opnai' "
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
        QTest::newRow("models not array")
            << QByteArray("{\"models\":{}}")
            << QStringLiteral("config.json:1: models must be an array");
    }

    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const QString error = errorFor(json.constData());
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void serverSectionIsTyped_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        // Was silently ignored: the limit stayed at its default.
        QTest::newRow("size as a string")
            << QByteArray("{\n  \"server\": {\n    \"idle_timeout_ms\": 1000,\n"
                          "    \"max_body_bytes\": \"1MB\"\n  }\n}")
            << QStringLiteral("config.json:4: server.max_body_bytes must be a positive whole "
                              "number, not a string");
        QTest::newRow("zero") << QByteArray("{\"server\": {\"max_header_bytes\": 0}}")
                              << QStringLiteral("config.json:1: server.max_header_bytes must be "
                                                "a positive whole number, not 0");
        QTest::newRow("require_token as a string")
            << QByteArray("{\"server\":\n{\"require_token\": \"no\"}}")
            << QStringLiteral("config.json:2: server.require_token must be true or false");
        QTest::newRow("origins") << QByteArray("{\"server\": {\"allowed_origins\": [1]}}")
                                 << QStringLiteral(
                                        "config.json:1: server.allowed_origins must be an array of "
                                        "strings");
        // server.threads: 0 (one per core) to 64 worker threads.
        QTest::newRow("threads too many")
            << QByteArray("{\"server\": {\"threads\": 65}}")
            << QStringLiteral("config.json:1: server.threads must be between 1 and 64 (or 0 for "
                              "one per core), not 65");
        QTest::newRow("threads negative")
            << QByteArray("{\"server\": {\"threads\": -2}}")
            << QStringLiteral("config.json:1: server.threads must be between 1 and 64 (or 0 for "
                              "one per core), not -2");
        QTest::newRow("threads as a string")
            << QByteArray("{\"server\": {\"threads\": \"all\"}}")
            << QStringLiteral("config.json:1: server.threads must be a whole number, not a string");
        QTest::newRow("threads fractional")
            << QByteArray("{\"server\": {\"threads\": 1.5}}")
            << QStringLiteral("config.json:1: server.threads must be a whole number, not 1.5");
        QTest::newRow("server not an object")
            << QByteArray("{\"server\": []}")
            << QStringLiteral("config.json:1: server must be an object, not an array");
    }
    void serverSectionIsTyped()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!Config::fromJson(json, QStringLiteral("config.json"), types, &error));
        QVERIFY2(error.startsWith(expected), qPrintable(error));
    }

    void serverSettingsRoundTrip()
    {
        QString error;
        const auto c = Config::fromJson(
            "{\"server\":{\"max_body_bytes\":1048576,\"max_messages\":5,\"idle_timeout_ms\":"
            "7,\"allowed_origins\":[\"https://a.example\"],\"allowed_hosts\":[\"box\"],"
            "\"token\":\"t\",\"require_token\":false,\"threads\":4}}",
            QString(), types, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->server.maxBodyBytes, 1048576);
        QCOMPARE(c->server.maxMessages, 5);
        QCOMPARE(c->server.idleTimeoutMs, 7);
        QCOMPARE(c->server.maxHeaderBytes, 0);
        QCOMPARE(c->server.allowedOrigins, QStringList{QStringLiteral("https://a.example")});
        QCOMPARE(c->server.allowedHosts, QStringList{QStringLiteral("box")});
        QCOMPARE(c->server.token, QStringLiteral("t"));
        QVERIFY(!c->server.requireToken);
        QCOMPARE(c->server.threads, 4);
        const auto back = Config::fromJson(c->toJson(), QString(), types, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->server, c->server);
    }

    void providerOptionsAreCheckedAtLoad_data()
    {
        QTest::addColumn<QByteArray>("options");
        QTest::addColumn<QString>("expected");
        // Each was read with toInt(default) / toBool(default): the bad value vanished.
        QTest::newRow("timeout as a string")
            << QByteArray("{\"timeouts\": {\"connect_ms\": \"fast\"}}")
            << QStringLiteral("config.json:3: providers[0].options.timeouts.connect_ms must be a "
                              "positive whole number, not a string");
        QTest::newRow("retries negative")
            << QByteArray("{\"max_retries\": -1}")
            << QStringLiteral("config.json:3: providers[0].options.max_retries must not be "
                              "negative");
        QTest::newRow("retries fraction")
            << QByteArray("{\"max_retries\": 1.5}")
            << QStringLiteral("providers[0].options.max_retries must be a whole number, not 1.5");
        QTest::newRow("flag as a string")
            << QByteArray("{\"list_models\": \"yes\"}")
            << QStringLiteral("providers[0].options.list_models must be true or false");
        QTest::newRow("header not a string")
            << QByteArray("{\"headers\": {\"X-A\": 1}}")
            << QStringLiteral("providers[0].options.headers.X-A must be a string, not 1");
        QTest::newRow("max tokens field")
            << QByteArray("{\"max_tokens_field\": \"max\"}")
            << QStringLiteral("providers[0].options.max_tokens_field must be \"max_tokens\" or");
    }
    void providerOptionsAreCheckedAtLoad()
    {
        QFETCH(QByteArray, options);
        QFETCH(QString, expected);
        const QByteArray json = "{\"providers\": [\n  {\"name\": \"a\", \"type\": \"openai\",\n"
                                "   \"options\": " +
                                options + "}\n]}";
        QString error;
        QVERIFY(
            !Config::fromJson(json, QStringLiteral("config.json"), Gateway::configRules(), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        // Good options pass.
        QVERIFY2(Config::fromJson("{\"providers\":[{\"name\":\"a\",\"type\":\"openai\","
                                  "\"options\":{\"timeouts\":{\"connect_ms\":5},\"max_retries\":0,"
                                  "\"headers\":{\"X-A\":\"b\"},\"list_models\":true}}]}",
                                  QString(), Gateway::configRules(), &error),
                 qPrintable(error));
    }

    void modelNamesAreComparedTrimmed()
    {
        // Regression: the config compared names untrimmed, routing trimmed, so "m " and "m"
        // both passed validation and collided at routing.
        QCOMPARE(errorFor("{\"models\":[{\"name\":\"m\",\"provider\":\"echo\",\"model\":\"x\"},"
                          "{\"name\":\"m \",\"provider\":\"echo\",\"model\":\"y\"}]}")
                     .contains(QStringLiteral("models[1].name 'm ' is used twice")),
                 true);
        QCOMPARE(modelNameKey(QStringLiteral(" M:latest ")), QStringLiteral("m"));
    }

    void validateChecksTheTypedValue()
    {
        // What the settings window saves is checked as a value, the same checks as a file.
        Config c;
        c.providers.append(ProviderConfig{QStringLiteral("a"), QStringLiteral("openai"), {}, {}});
        c.models.append(
            ModelMapping{QStringLiteral("m"), QStringLiteral("a"), QStringLiteral("x"), 0, {}, {}});
        QString error;
        QVERIFY2(c.validate(types, &error), qPrintable(error));
        c.models.append(ModelMapping{
            QStringLiteral("M "), QStringLiteral("a"), QStringLiteral("y"), 0, {}, {}});
        QVERIFY(!c.validate(types, &error));
        QVERIFY2(error.startsWith(QStringLiteral("models[1].name 'M ' is used twice")),
                 qPrintable(error));
        c.models.removeLast();
        c.providers[0].options.insert(QStringLiteral("send_top_k"), QStringLiteral("yes"));
        QVERIFY(c.validate(types, &error)); // without the registry's check
        QVERIFY(!c.validate(Gateway::configRules(), &error));
        QVERIFY2(error.startsWith(QStringLiteral("providers[0].options.send_top_k must be true or "
                                                 "false")),
                 qPrintable(error));
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

    void presetNamesNeedNoType()
    {
        QString error;
        const auto c = Config::fromJson("{\"providers\":[{\"name\":\"groq\"}]}",
                                        QStringLiteral("c"), Gateway::configRules(), &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->providers[0].type, QStringLiteral("openai"));
        QVERIFY(!Config::fromJson("{\"providers\":[{\"name\":\"acme\"}]}", QStringLiteral("c"),
                                  Gateway::configRules(), &error));
        QVERIFY2(error.contains(QStringLiteral("providers[0].type is required")),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TstConfig)
#include "tst_config.moc"
