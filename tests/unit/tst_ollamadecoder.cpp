#include "api/ollama/ollamadecoder.h"
#include "checked.h"

#include <QJsonArray>
#include <QTest>

using namespace gw;

class TstOllamaDecoder : public QObject
{
    Q_OBJECT

    static QString chatError(const char *body)
    {
        ApiError e;
        const auto c = OllamaDecoder::chat(body, e);
        return c ? QString() : QString::number(e.status) + u' ' + e.message;
    }
    static QString generateError(const char *body)
    {
        ApiError e;
        const auto c = OllamaDecoder::generate(body, e);
        return c ? QString() : QString::number(e.status) + u' ' + e.message;
    }

private slots:
    void fullChatRequest()
    {
        ApiError e;
        const auto c = OllamaDecoder::chat(
            "{"
            "\"model\": \"gpt-4o\", \"stream\": false, \"keep_alive\": \"10m\", \"think\": "
            "\"high\","
            "\"format\": {\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}},"
            "\"options\": {\"temperature\": 0.2, \"top_p\": 0.9, \"top_k\": 40, \"num_predict\": "
            "100,"
            "\"stop\": [\"END\"], \"seed\": 7, \"presence_penalty\": 0.5,"
            "\"frequency_penalty\": 0.25, \"num_ctx\": 8192, \"mirostat\": 1},"
            "\"tools\": "
            "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"d\","
            "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}"
            "],"
            "\"messages\": ["
            "{\"role\":\"system\",\"content\":\"be brief\"},"
            "{\"role\":\"USER\",\"content\":\"look\",\"images\":[\"iVBORw0KGgoAAAANSUhEUg==\"]},"
            "{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"hmm\","
            "\"tool_calls\":[{\"id\":\"call_1\",\"function\":{\"index\":0,\"name\":\"get_weather\","
            "\"arguments\":{\"city\":\"Paris\"}}}]},"
            "{\"role\":\"tool\",\"content\":\"18C\",\"tool_name\":\"get_weather\",\"tool_call_id\":"
            "\"call_1\"}"
            "]}",
            e);
        QVERIFY2(c, qPrintable(e.message));
        const ChatRequest &r = c->request;
        QCOMPARE(r.model, QStringLiteral("gpt-4o"));
        QCOMPARE(r.stream, false);
        QCOMPARE(gwtest::valueOf(c->keepAliveSeconds), 600.0);
        QCOMPARE(r.thinking, Thinking::High);
        QCOMPARE(r.format, OutputFormat::JsonSchema);
        QCOMPARE(r.schema.value(QStringLiteral("type")).toString(), QStringLiteral("object"));
        QCOMPARE(gwtest::valueOf(r.sampling.temperature), 0.2);
        QCOMPARE(gwtest::valueOf(r.sampling.topP), 0.9);
        QCOMPARE(gwtest::valueOf(r.sampling.topK), 40);
        QCOMPARE(gwtest::valueOf(r.sampling.maxTokens), 100);
        QCOMPARE(r.sampling.stop, QStringList{QStringLiteral("END")});
        QCOMPARE(gwtest::valueOf(r.sampling.seed), 7);
        QCOMPARE(gwtest::valueOf(r.sampling.presencePenalty), 0.5);
        QCOMPARE(gwtest::valueOf(r.sampling.frequencyPenalty), 0.25);
        QCOMPARE(r.tools.size(), 1);
        QCOMPARE(r.tools[0].name, QStringLiteral("get_weather"));
        QVERIFY(r.tools[0].parameters.contains(QStringLiteral("properties")));
        QCOMPARE(r.messages.size(), 4);
        QCOMPARE(r.messages[0].role, Role::System);
        QCOMPARE(r.messages[1].role, Role::User);
        QCOMPARE(r.messages[1].images.size(), 1);
        QCOMPARE(r.messages[1].images[0].mime, QStringLiteral("image/png"));
        QCOMPARE(r.messages[2].thinking, QStringLiteral("hmm"));
        QCOMPARE(r.messages[2].toolCalls[0].id, QStringLiteral("call_1"));
        QCOMPARE(r.messages[2].toolCalls[0].arguments.value(QStringLiteral("city")).toString(),
                 QStringLiteral("Paris"));
        QCOMPARE(r.messages[3].role, Role::Tool);
        QCOMPARE(r.messages[3].toolName, QStringLiteral("get_weather"));
        QCOMPARE(r.messages[3].toolCallId, QStringLiteral("call_1"));
        QVERIFY(!c->loadOnly);
    }

    void defaults()
    {
        ApiError e;
        const auto c = OllamaDecoder::chat(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", e);
        QVERIFY(c);
        QVERIFY(c->request.stream); // native endpoints stream unless told otherwise
        QVERIFY(!c->keepAliveSeconds);
        QCOMPARE(c->request.thinking, Thinking::Unset);
        QCOMPARE(c->request.format, OutputFormat::Text);
        QVERIFY(!c->request.sampling.maxTokens);
    }

    void unlimitedAndRandomAreNone()
    {
        ApiError e;
        const auto c = OllamaDecoder::chat(
            "{\"model\":\"m\",\"options\":{\"num_predict\":-1,\"seed\":-1,\"top_k\":3.9}}", e);
        QVERIFY(c);
        QVERIFY(!c->request.sampling.maxTokens);
        QVERIFY(!c->request.sampling.seed);
        QCOMPARE(gwtest::valueOf(c->request.sampling.topK),
                 3); // Ollama truncates numbers for int options
        QVERIFY(c->loadOnly);
    }

    void integerBeyondInt64IsRefused()
    {
        // Found by fuzzing: the conversion to qint64 was undefined. Go's decoder refuses it too.
        ApiError e;
        const auto c =
            OllamaDecoder::chat("{\"model\":\"m\",\"options\":{\"num_predict\":1.11111e+88}}", e);
        QVERIFY(!c);
        QVERIFY2(e.message.contains(QStringLiteral("cannot unmarshal number")),
                 qPrintable(e.message));
        const auto d = OllamaDecoder::chat("{\"model\":\"m\",\"options\":{\"seed\":-1e300}}", e);
        QVERIFY(!d);
    }

    void thinkValues_data()
    {
        QTest::addColumn<QByteArray>("think");
        QTest::addColumn<int>("expected");
        QTest::newRow("true") << QByteArray("true") << int(Thinking::On);
        QTest::newRow("false") << QByteArray("false") << int(Thinking::Off);
        QTest::newRow("low") << QByteArray("\"low\"") << int(Thinking::Low);
        QTest::newRow("medium") << QByteArray("\"medium\"") << int(Thinking::Medium);
        QTest::newRow("max") << QByteArray("\"max\"") << int(Thinking::Max);
        QTest::newRow("null") << QByteArray("null") << int(Thinking::Unset);
    }
    void thinkValues()
    {
        QFETCH(QByteArray, think);
        QFETCH(int, expected);
        ApiError e;
        const auto c = OllamaDecoder::chat("{\"model\":\"m\",\"think\":" + think + '}', e);
        QVERIFY2(c, qPrintable(e.message));
        QCOMPARE(int(c->request.thinking), expected);
    }

    void keepAlive_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<double>("seconds");
        QTest::newRow("5m") << "5m" << 300.0;
        QTest::newRow("1h30m") << "1h30m" << 5400.0;
        QTest::newRow("300ms") << "300ms" << 0.3;
        QTest::newRow("-1m") << "-1m" << -60.0;
        QTest::newRow("1.5s") << "1.5s" << 1.5;
        QTest::newRow("0") << "0" << 0.0;
    }
    void keepAlive()
    {
        QFETCH(QString, value);
        QFETCH(double, seconds);
        std::optional<double> out;
        QString err;
        QVERIFY2(OllamaDecoder::keepAlive(value, out, err), qPrintable(err));
        QCOMPARE(gwtest::valueOf(out), seconds);
    }

    void keepAliveNumbers()
    {
        ApiError e;
        const auto minutes = OllamaDecoder::chat("{\"model\":\"m\",\"keep_alive\":1800}", e);
        QVERIFY2(minutes, qPrintable(e.message));
        QCOMPARE(gwtest::valueOf(minutes->keepAliveSeconds), 1800.0);
        const auto noExpiry = OllamaDecoder::chat("{\"model\":\"m\",\"keep_alive\":-1}", e);
        QVERIFY2(noExpiry, qPrintable(e.message));
        QCOMPARE(gwtest::valueOf(noExpiry->keepAliveSeconds), -1.0);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray("") << "400 missing request body";
        QTest::newRow("blank") << QByteArray("  \n") << "400 missing request body";
        QTest::newRow("malformed") << QByteArray("{\"model\":") << "400 invalid JSON at offset";
        QTest::newRow("array")
            << QByteArray("[1]")
            << "400 json: cannot unmarshal array into Go value of type api.ChatRequest";
        QTest::newRow("stream type") << QByteArray("{\"model\":\"m\",\"stream\":\"yes\"}")
                                     << "400 json: cannot unmarshal string into Go struct field "
                                        "ChatRequest.stream of type bool";
        QTest::newRow("model type") << QByteArray("{\"model\":5}")
                                    << "400 json: cannot unmarshal number into Go struct field "
                                       "ChatRequest.model of type string";
        QTest::newRow("messages type") << QByteArray("{\"model\":\"m\",\"messages\":{}}")
                                       << "ChatRequest.messages of type array";
        QTest::newRow("content parts")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{"
                          "\"type\":\"text\",\"text\":\"x\"}]}]}")
            << "400 json: cannot unmarshal array into Go struct field "
               "ChatRequest.messages.content of type string";
        QTest::newRow("role")
            << QByteArray(
                   "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}")
            << "400 messages[0].role: unknown role 'wizard'";
        QTest::newRow("image not base64")
            << QByteArray(
                   "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"images\":[\"@@@\"]}]}")
            << "400 illegal base64 data";
        QTest::newRow("stop type") << QByteArray("{\"model\":\"m\",\"options\":{\"stop\":\"x\"}}")
                                   << "ChatRequest.options.stop of type array";
        QTest::newRow("temperature type")
            << QByteArray("{\"model\":\"m\",\"options\":{\"temperature\":\"hot\"}}")
            << "ChatRequest.options.temperature of type float64";
        QTest::newRow("think value") << QByteArray("{\"model\":\"m\",\"think\":\"extreme\"}")
                                     << "400 invalid think value: \"extreme\"";
        QTest::newRow("format value")
            << QByteArray("{\"model\":\"m\",\"format\":\"xml\"}") << "400 invalid format: \"xml\"";
        QTest::newRow("keep_alive unit") << QByteArray("{\"model\":\"m\",\"keep_alive\":\"3600\"}")
                                         << "400 time: missing unit in duration \"3600\"";
        QTest::newRow("keep_alive unit name")
            << QByteArray("{\"model\":\"m\",\"keep_alive\":\"1d\"}")
            << "400 time: unknown unit \"d\" in duration \"1d\"";
        QTest::newRow("tool without name")
            << QByteArray("{\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{}}]}")
            << "400 tools[0].function.name is required";
    }
    void errors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        const QString error = chatError(body.constData());
        QVERIFY2(error.startsWith(expected) || error.contains(expected), qPrintable(error));
    }

    void generate()
    {
        ApiError e;
        const auto c = OllamaDecoder::generate(
            "{\"model\":\"m\",\"prompt\":\"why\",\"system\":\"sys\",\"suffix\":\"end\",\"images\":["
            "\"R0lGODlhAQABAAAAACw=\"],\"stream\":false}",
            e);
        QVERIFY2(c, qPrintable(e.message));
        QCOMPARE(c->request.messages.size(), 2);
        QCOMPARE(c->request.messages[0].role, Role::System);
        QCOMPARE(c->request.messages[1].content, QStringLiteral("why"));
        QCOMPARE(c->request.messages[1].images[0].mime, QStringLiteral("image/gif"));
        QCOMPARE(c->request.suffix, QStringLiteral("end"));
        QVERIFY(!c->request.stream);
        QVERIFY(!c->loadOnly);
    }

    void generateProbesAndRaw()
    {
        // The decoded call, or an empty one (and a warning) when the body was refused.
        const auto generate = [](const char *body) {
            ApiError e;
            auto c = OllamaDecoder::generate(body, e);
            if (!c)
                qWarning("refused: %s", qPrintable(e.message));
            return c ? *c : std::remove_cvref_t<decltype(*c)>{};
        };
        QVERIFY(generate("{\"model\":\"m\"}").loadOnly);
        QVERIFY(generate("{\"model\":\"m\",\"prompt\":\"\",\"keep_alive\":0}").loadOnly);
        QVERIFY(generate("{\"model\":\"m\",\"prompt\":\"x\",\"raw\":true}").request.rawCompletion);
        QCOMPARE(generateError("{\"model\":\"m\",\"prompt\":\"x\",\"raw\":true,\"system\":\"s\"}"),
                 QStringLiteral("400 raw mode does not support template, system, or context"));
        QVERIFY(generateError("{\"model\":\"m\",\"prompt\":7}")
                    .contains(QStringLiteral("GenerateRequest.prompt of type string")));
    }

    void dataUrlImagesAreAccepted()
    {
        ApiError e;
        const auto c =
            OllamaDecoder::chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"images\":["
                                "\"data:image/webp;base64,UklGRgAAAABXRUJQ\"]}]}",
                                e);
        QVERIFY2(c, qPrintable(e.message));
        QCOMPARE(c->request.messages[0].images[0].mime, QStringLiteral("image/webp"));
        QCOMPARE(c->request.messages[0].images[0].base64, QByteArray("UklGRgAAAABXRUJQ"));
    }
};

QTEST_GUILESS_MAIN(TstOllamaDecoder)
#include "tst_ollamadecoder.moc"
