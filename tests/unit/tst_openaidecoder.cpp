// The OpenAI request decoder: every field of /v1/chat/completions, /v1/completions and
// /v1/embeddings, the errors that name the field, and random input that must never crash.

#include "api/openai/openaidecoder.h"
#include "checked.h"
#include "testseed.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <functional>

using namespace gw;

class TstOpenAiDecoder : public QObject
{
    Q_OBJECT

    static QString chatError(const QByteArray &body)
    {
        ApiError e;
        const auto c = OpenAiDecoder::chat(body, e);
        return c ? QString() : QString::number(e.status) + u' ' + e.message;
    }
    static QString completionError(const QByteArray &body)
    {
        ApiError e;
        const auto c = OpenAiDecoder::completion(body, e);
        return c ? QString() : QString::number(e.status) + u' ' + e.message;
    }
    static QString embedError(const QByteArray &body)
    {
        ApiError e;
        const auto c = OpenAiDecoder::embeddings(body, e);
        return c ? QString() : QString::number(e.status) + u' ' + e.message;
    }
    static OpenAiCall chat(const QByteArray &body)
    {
        ApiError e;
        auto c = OpenAiDecoder::chat(body, e);
        if (!c)
            qWarning("unexpected error: %s", qPrintable(e.message));
        return c ? *c : OpenAiCall{};
    }
    // A chat body with one user message and the given extra fields.
    static QByteArray withUser(const QByteArray &extra)
    {
        return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" +
               (extra.isEmpty() ? QByteArray() : ',' + extra) + '}';
    }

private slots:
    void fullChatRequest()
    {
        ApiError e;
        const auto c = OpenAiDecoder::chat(
            "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            "\"max_tokens\":50,\"temperature\":0.2,\"top_p\":0.9,\"seed\":7,\"stop\":\"END\","
            "\"presence_penalty\":0.5,\"frequency_penalty\":0.25,\"n\":1,\"user\":\"u1\","
            "\"logit_bias\":{},\"parallel_tool_calls\":false,"
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            "\"description\":\"d\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
            "{\"type\":\"string\"}}}}}],"
            "\"tool_choice\":\"required\","
            "\"messages\":["
            "{\"role\":\"system\",\"content\":\"be brief\"},"
            "{\"role\":\"developer\",\"content\":\"really\"},"
            "{\"role\":\"user\",\"content\":\"weather?\",\"name\":\"bob\"},"
            "{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"hmm\","
            "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":"
            "\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
            "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"18C\"}"
            "]}",
            e);
        QVERIFY2(c, qPrintable(e.message));
        const ChatRequest &r = c->request;
        QCOMPARE(r.model, QStringLiteral("gpt-4o"));
        QCOMPARE(r.stream, true);
        QCOMPARE(c->includeUsage, true);
        QCOMPARE(gwtest::valueOf(r.sampling.maxTokens), 50);
        QCOMPARE(gwtest::valueOf(r.sampling.temperature), 0.2);
        QCOMPARE(gwtest::valueOf(r.sampling.topP), 0.9);
        QCOMPARE(gwtest::valueOf(r.sampling.seed), 7);
        QCOMPARE(r.sampling.stop, QStringList{QStringLiteral("END")});
        QCOMPARE(gwtest::valueOf(r.sampling.presencePenalty), 0.5);
        QCOMPARE(gwtest::valueOf(r.sampling.frequencyPenalty), 0.25);
        QVERIFY(!r.sampling.topK);
        QCOMPARE(r.rawCompletion, false);
        QCOMPARE(r.thinking, Thinking::Unset);
        QCOMPARE(r.format, OutputFormat::Text);
        QCOMPARE(r.toolChoice.mode, ToolChoice::Mode::Required);
        QCOMPARE(r.tools.size(), 1);
        QCOMPARE(r.tools[0].name, QStringLiteral("get_weather"));
        QCOMPARE(r.tools[0].description, QStringLiteral("d"));
        QVERIFY(r.tools[0]
                    .parameters.value(QStringLiteral("properties"))
                    .toObject()
                    .contains(QStringLiteral("city")));
        QCOMPARE(r.messages.size(), 5);
        QCOMPARE(r.messages[0].role, Role::System);
        QCOMPARE(r.messages[0].content, QStringLiteral("be brief"));
        QCOMPARE(r.messages[1].role, Role::System); // developer
        QCOMPARE(r.messages[2].role, Role::User);
        QCOMPARE(r.messages[3].role, Role::Assistant);
        QCOMPARE(r.messages[3].content, QString());
        QCOMPARE(r.messages[3].thinking, QStringLiteral("hmm"));
        QCOMPARE(r.messages[3].toolCalls.size(), 1);
        QCOMPARE(r.messages[3].toolCalls[0].id, QStringLiteral("call_1"));
        QCOMPARE(r.messages[3].toolCalls[0].name, QStringLiteral("get_weather"));
        QCOMPARE(r.messages[3].toolCalls[0].arguments,
                 (QJsonObject{{QStringLiteral("city"), QStringLiteral("Paris")}}));
        QCOMPARE(r.messages[4].role, Role::Tool);
        QCOMPARE(r.messages[4].toolCallId, QStringLiteral("call_1"));
        QCOMPARE(r.messages[4].toolName, QStringLiteral("get_weather")); // looked up by id
        QCOMPARE(r.messages[4].content, QStringLiteral("18C"));
    }

    void defaults()
    {
        const OpenAiCall c = chat(withUser({}));
        QCOMPARE(c.request.stream, false); // /v1 streams only when asked
        QCOMPARE(c.includeUsage, false);
        QCOMPARE(c.request.toolChoice.mode, ToolChoice::Mode::Unset);
        QVERIFY(!c.request.sampling.maxTokens);
        QVERIFY(!c.request.sampling.temperature);
        QVERIFY(c.request.sampling.stop.isEmpty());
        QCOMPARE(c.request.thinking, Thinking::Unset);
        // Explicit nulls are the same as absent fields.
        const OpenAiCall n = chat(withUser("\"stream\":null,\"temperature\":null,\"stop\":null,"
                                           "\"tools\":null,\"response_format\":null"));
        QCOMPARE(n.request.stream, false);
        QVERIFY(!n.request.sampling.temperature);
    }

    void maxTokens()
    {
        QCOMPARE(gwtest::valueOf(chat(withUser("\"max_tokens\":10")).request.sampling.maxTokens),
                 10);
        QCOMPARE(gwtest::valueOf(
                     chat(withUser("\"max_completion_tokens\":12")).request.sampling.maxTokens),
                 12);
        QCOMPARE(gwtest::valueOf(chat(withUser("\"max_tokens\":10,\"max_completion_tokens\":12"))
                                     .request.sampling.maxTokens),
                 12);
        QVERIFY(!chat(withUser("\"max_tokens\":-1")).request.sampling.maxTokens);
        QCOMPARE(chatError(withUser("\"max_tokens\":0")),
                 QStringLiteral("400 max_tokens must be at least 1"));
        QCOMPARE(chatError(withUser("\"max_tokens\":1.5")),
                 QStringLiteral("400 max_tokens must be an integer, not a number"));
        QCOMPARE(chatError(withUser("\"max_completion_tokens\":\"5\"")),
                 QStringLiteral("400 max_completion_tokens must be an integer, not a string"));
    }

    void stop()
    {
        QCOMPARE(chat(withUser("\"stop\":[\"a\",\"b\"]")).request.sampling.stop,
                 (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(chat(withUser("\"stop\":\"\"")).request.sampling.stop, QStringList());
        QCOMPARE(chatError(withUser("\"stop\":5")),
                 QStringLiteral("400 stop must be a string or an array of strings"));
        QCOMPARE(chatError(withUser("\"stop\":[\"a\",1]")),
                 QStringLiteral("400 stop must be a string or an array of strings"));
    }

    void samplingTypes_data()
    {
        QTest::addColumn<QByteArray>("field");
        QTest::addColumn<QString>("error");
        QTest::newRow("temperature") << QByteArray("\"temperature\":\"hot\"")
                                     << "400 temperature must be a number, not a string";
        QTest::newRow("top_p") << QByteArray("\"top_p\":true")
                               << "400 top_p must be a number, not a boolean";
        QTest::newRow("seed") << QByteArray("\"seed\":1.25")
                              << "400 seed must be an integer, not a number";
        QTest::newRow("presence") << QByteArray("\"presence_penalty\":[]")
                                  << "400 presence_penalty must be a number, not an array";
        QTest::newRow("frequency") << QByteArray("\"frequency_penalty\":{}")
                                   << "400 frequency_penalty must be a number, not an object";
        QTest::newRow("stream") << QByteArray("\"stream\":\"yes\"")
                                << "400 stream must be a boolean, not a string";
        QTest::newRow("stream_options") << QByteArray("\"stream_options\":true")
                                        << "400 stream_options must be an object, not a boolean";
        QTest::newRow("include_usage")
            << QByteArray("\"stream_options\":{\"include_usage\":1}")
            << "400 stream_options.include_usage must be a boolean, not a number";
        QTest::newRow("n > 1") << QByteArray("\"n\":2") << "400 n > 1 is not supported";
        QTest::newRow("n = 0") << QByteArray("\"n\":0") << "400 n must be at least 1";
        QTest::newRow("tools") << QByteArray("\"tools\":{}")
                               << "400 tools must be an array, not an object";
    }
    void samplingTypes()
    {
        QFETCH(QByteArray, field);
        QFETCH(QString, error);
        const QString got = chatError(withUser(field));
        QVERIFY2(got.startsWith(error), qPrintable(got));
    }

    void modelAndMessagesAreRequired()
    {
        QCOMPARE(chatError("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                 QStringLiteral("400 you must provide a model parameter"));
        QCOMPARE(chatError("{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                 QStringLiteral("400 you must provide a model parameter"));
        QCOMPARE(chatError("{\"model\":5,\"messages\":[]}"),
                 QStringLiteral("400 model must be a string, not a number"));
        QCOMPARE(chatError("{\"model\":\"m\"}"),
                 QStringLiteral("400 Missing required parameter: 'messages'."));
        QCOMPARE(chatError("{\"model\":\"m\",\"messages\":[]}"),
                 QStringLiteral("400 [] is too short - 'messages'"));
        QCOMPARE(chatError("{\"model\":\"m\",\"messages\":\"hi\"}"),
                 QStringLiteral("400 messages must be an array, not a string"));
    }

    void badBodies()
    {
        QVERIFY(chatError("").startsWith(QStringLiteral("400 missing request body")));
        QVERIFY(chatError("   \n").startsWith(QStringLiteral("400 missing request body")));
        QVERIFY(chatError("{\"model\": gpt}").startsWith(QStringLiteral("400 invalid JSON")));
        QVERIFY(chatError("[1,2]").startsWith(
            QStringLiteral("400 the request body must be a JSON object")));
        QVERIFY(chatError("\"x\"").startsWith(QStringLiteral("400 ")));
        QVERIFY(completionError("").startsWith(QStringLiteral("400 missing request body")));
        QVERIFY(embedError("nope").startsWith(QStringLiteral("400 invalid JSON")));
    }

    void messageErrorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("messages");
        QTest::addColumn<QString>("error");
        QTest::newRow("not an object") << QByteArray("[{\"role\":\"user\",\"content\":\"a\"},7]")
                                       << "400 messages[1] must be an object, not a number";
        QTest::newRow("no role") << QByteArray("[{\"content\":\"a\"}]")
                                 << "400 messages[0].role is required";
        QTest::newRow("bad role") << QByteArray("[{\"role\":\"robot\",\"content\":\"a\"}]")
                                  << "400 messages[0].role 'robot' is not one of";
        QTest::newRow("content number")
            << QByteArray("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\","
                          "\"content\":\"b\"},{\"role\":\"user\",\"content\":42}]")
            << "400 messages[2].content must be a string or an array of content parts";
        QTest::newRow("part not object")
            << QByteArray("[{\"role\":\"user\",\"content\":[\"x\"]}]")
            << "400 messages[0].content[0] must be a content part object, not a string";
        QTest::newRow("part without type")
            << QByteArray("[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]")
            << "400 messages[0].content[0].type must be a string";
        QTest::newRow("text not string")
            << QByteArray("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":1}]}]")
            << "400 messages[0].content[0].text must be a string";
        QTest::newRow("audio part")
            << QByteArray("[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\","
                          "\"input_audio\":{}}]}]")
            << "400 messages[0].content[0].type 'input_audio' is not supported";
        QTest::newRow("image url not string")
            << QByteArray("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                          "\"image_url\":{\"url\":3}}]}]")
            << "400 messages[0].content[0].image_url.url must be a string, not a number";
        QTest::newRow("image not object")
            << QByteArray("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                          "\"image_url\":5}]}]")
            << "400 messages[0].content[0].image_url must be an object";
        QTest::newRow("image ftp")
            << QByteArray("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                          "\"image_url\":{\"url\":\"ftp://x/a.png\"}}]}]")
            << "400 messages[0].content[0].image_url.url must be an http(s) URL or a data: URL";
        QTest::newRow("image data not base64")
            << QByteArray("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                          "\"image_url\":{\"url\":\"data:image/png,rawbytes\"}}]}]")
            << "400 messages[0].content[0].image_url.url must be a base64 data URL";
        QTest::newRow("image bad base64")
            << QByteArray("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                          "\"image_url\":{\"url\":\"data:image/png;base64,@@@@\"}}]}]")
            << "400 messages[0].content[0].image_url.url holds invalid base64 data";
        QTest::newRow("tool_calls not array")
            << QByteArray("[{\"role\":\"assistant\",\"tool_calls\":{}}]")
            << "400 messages[0].tool_calls must be an array, not an object";
        QTest::newRow("tool call without name")
            << QByteArray("[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":"
                          "\"function\",\"function\":{\"arguments\":\"{}\"}}]}]")
            << "400 messages[0].tool_calls[0].function.name is required";
        QTest::newRow("invalid arguments")
            << QByteArray("[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":"
                          "\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{oops\"}}]}]")
            << "400 invalid tool call arguments";
        QTest::newRow("arguments not an object")
            << QByteArray("[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":"
                          "\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"[1]\"}}]}]")
            << "400 invalid tool call arguments";
        QTest::newRow("arguments number")
            << QByteArray("[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":"
                          "\"function\",\"function\":{\"name\":\"f\",\"arguments\":5}}]}]")
            << "400 invalid tool call arguments";
        QTest::newRow("tool_call_id type")
            << QByteArray("[{\"role\":\"tool\",\"tool_call_id\":1,\"content\":\"x\"}]")
            << "400 messages[0].tool_call_id must be a string, not a number";
        QTest::newRow("reasoning type")
            << QByteArray("[{\"role\":\"assistant\",\"content\":\"a\",\"reasoning\":[]}]")
            << "400 messages[0].reasoning must be a string, not an array";
    }
    void messageErrorsNameTheField()
    {
        QFETCH(QByteArray, messages);
        QFETCH(QString, error);
        const QString got = chatError("{\"model\":\"m\",\"messages\":" + messages + '}');
        QVERIFY2(got.startsWith(error), qPrintable(got));
    }

    void contentParts()
    {
        const QByteArray png = "iVBORw0KGgoAAAANSUhEUg==";
        const OpenAiCall c = chat(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
            "{\"type\":\"text\",\"text\":\"look\"},"
            "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64," +
            png +
            "\",\"detail\":\"low\"}},"
            "{\"type\":\"image_url\",\"image_url\":\"data:;base64," +
            png +
            "\"},"
            "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.WEBP?x=1\"}},"
            "{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://example.com/pic\"}},"
            "{\"type\":\"text\",\"text\":\"closely\"}]}]}");
        QCOMPARE(c.request.messages.size(), 1);
        const ChatMessage &m = c.request.messages[0];
        QCOMPARE(m.content, QStringLiteral("look\nclosely"));
        QCOMPARE(m.images.size(), 4);
        // A data URL keeps the mime it declares, even when the bytes say otherwise.
        QCOMPARE(m.images[0].mime, QStringLiteral("image/jpeg"));
        QCOMPARE(m.images[0].base64, png);
        QVERIFY(m.images[0].url.isEmpty());
        // A data URL without a mime gets one from the bytes; a bare string works like {url}.
        QCOMPARE(m.images[1].mime, QStringLiteral("image/png"));
        QCOMPARE(m.images[1].base64, png);
        QCOMPARE(m.images[2].url, QStringLiteral("https://example.com/cat.WEBP?x=1"));
        QCOMPARE(m.images[2].mime, QStringLiteral("image/webp"));
        QVERIFY(m.images[2].base64.isEmpty());
        QCOMPARE(m.images[3].url, QStringLiteral("http://example.com/pic"));
        QCOMPARE(m.images[3].mime, QString());

        // An assistant's refusal part is what it said.
        const OpenAiCall r = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\","
                                  "\"content\":[{\"type\":\"refusal\",\"refusal\":\"no\"}]}]}");
        QCOMPARE(r.request.messages[0].content, QStringLiteral("no"));
        // Null content is empty content.
        const OpenAiCall n = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                                  "null}]}");
        QCOMPARE(n.request.messages[0].content, QString());
    }

    void toolMessages()
    {
        const OpenAiCall c = chat(
            "{\"model\":\"m\",\"messages\":["
            "{\"role\":\"assistant\",\"reasoning\":\"think\",\"tool_calls\":["
            "{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"fa\",\"arguments\":"
            "\"\"}},"
            "{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"fb\",\"arguments\":{"
            "\"k\":1}}}]},"
            "{\"role\":\"tool\",\"tool_call_id\":\"b\",\"content\":[{\"type\":\"text\",\"text\":"
            "\"rb\"}]},"
            "{\"role\":\"tool\",\"tool_call_id\":\"a\",\"name\":\"given\",\"content\":\"ra\"},"
            "{\"role\":\"tool\",\"tool_call_id\":\"zzz\",\"content\":\"rz\"},"
            "{\"role\":\"function\",\"name\":\"legacy\",\"content\":\"rl\"}]}");
        const auto &ms = c.request.messages;
        QCOMPARE(ms.size(), 5);
        QCOMPARE(ms[0].thinking, QStringLiteral("think")); // "reasoning" too
        QCOMPARE(ms[0].toolCalls.size(), 2);
        QCOMPARE(ms[0].toolCalls[0].arguments, QJsonObject()); // "" = no arguments
        QCOMPARE(ms[0].toolCalls[0].index, 0);
        QCOMPARE(ms[0].toolCalls[1].arguments.value(QStringLiteral("k")).toInt(), 1);
        QCOMPARE(ms[0].toolCalls[1].index, 1);
        QCOMPARE(ms[1].toolName, QStringLiteral("fb"));
        QCOMPARE(ms[1].content, QStringLiteral("rb"));
        QCOMPARE(ms[2].toolName, QStringLiteral("given")); // the message's own name wins
        QCOMPARE(ms[3].toolName, QString());               // unknown id: no name
        QCOMPARE(ms[3].toolCallId, QStringLiteral("zzz"));
        QCOMPARE(ms[4].role, Role::Tool);
        QCOMPARE(ms[4].toolName, QStringLiteral("legacy"));

        // reasoning_content wins over reasoning when both are there.
        const OpenAiCall both = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\","
                                     "\"content\":\"x\",\"reasoning\":\"r\",\"reasoning_content\":"
                                     "\"rc\"}]}");
        QCOMPARE(both.request.messages[0].thinking, QStringLiteral("rc"));
    }

    void tools()
    {
        const OpenAiCall c = chat(
            withUser("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"noargs\"}},"
                     "{\"type\":\"function\",\"function\":{\"name\":\"empty\",\"parameters\":{}}},"
                     "{\"type\":\"web_search\"},"
                     "{\"type\":\"custom\",\"custom\":{\"name\":\"c\"}}]"));
        QCOMPARE(c.request.tools.size(), 2);
        const QJsonObject emptySchema{{QStringLiteral("type"), QStringLiteral("object")},
                                      {QStringLiteral("properties"), QJsonObject()}};
        QCOMPARE(c.request.tools[0].name, QStringLiteral("noargs"));
        QCOMPARE(c.request.tools[0].parameters, emptySchema);
        QCOMPARE(c.request.tools[1].parameters, emptySchema);

        QVERIFY(chatError(withUser("\"tools\":[{\"type\":\"function\",\"function\":{}}]"))
                    .startsWith(QStringLiteral("400 tools[0].function is required")));
        QVERIFY(chatError(withUser("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
                                   "\"\",\"description\":\"d\"}}]"))
                    .startsWith(QStringLiteral("400 tools[0].function.name is required")));
        QVERIFY(chatError(withUser("\"tools\":[3]"))
                    .startsWith(QStringLiteral("400 tools[0] must be an object")));
        QVERIFY(
            chatError(withUser("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
                               "\"f\",\"parameters\":\"x\"}}]"))
                .startsWith(QStringLiteral("400 tools[0].function.parameters must be an object")));

        // The legacy spelling.
        const OpenAiCall legacy =
            chat(withUser("\"functions\":[{\"name\":\"old\",\"parameters\":{\"type\":\"object\"}}],"
                          "\"function_call\":{\"name\":\"old\"}"));
        QCOMPARE(legacy.request.tools.size(), 1);
        QCOMPARE(legacy.request.tools[0].name, QStringLiteral("old"));
        QCOMPARE(legacy.request.toolChoice, ToolChoice::named(QStringLiteral("old")));
        QCOMPARE(chat(withUser("\"function_call\":\"none\"")).request.toolChoice.mode,
                 ToolChoice::Mode::None);
    }

    void toolChoice()
    {
        // Decoded once into the typed value; providers never see OpenAI's JSON.
        const std::pair<const char *, ToolChoice::Mode> modes[] = {
            {"auto", ToolChoice::Mode::Auto},
            {"none", ToolChoice::Mode::None},
            {"required", ToolChoice::Mode::Required}};
        for (const auto &[s, mode] : modes)
            QCOMPARE(chat(withUser("\"tool_choice\":\"" + QByteArray(s) + '"')).request.toolChoice,
                     (ToolChoice{mode, {}}));
        QCOMPARE(chat(withUser("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":"
                               "\"f\"}}"))
                     .request.toolChoice,
                 ToolChoice::named(QStringLiteral("f")));
        QVERIFY(chatError(withUser("\"tool_choice\":{\"type\":\"function\",\"function\":{}}"))
                    .startsWith(QStringLiteral("400 tool_choice must be")));
        QVERIFY(chatError(withUser("\"tool_choice\":\"sometimes\""))
                    .startsWith(QStringLiteral("400 tool_choice must be")));
        QVERIFY(chatError(withUser("\"tool_choice\":1"))
                    .startsWith(QStringLiteral("400 tool_choice must be")));
    }

    void responseFormat()
    {
        QCOMPARE(chat(withUser("\"response_format\":{\"type\":\"text\"}")).request.format,
                 OutputFormat::Text);
        QCOMPARE(chat(withUser("\"response_format\":{\"type\":\"json_object\"}")).request.format,
                 OutputFormat::Json);
        const OpenAiCall s = chat(withUser(
            "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
            "\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":"
            "\"string\"}}}}}"));
        QCOMPARE(s.request.format, OutputFormat::JsonSchema);
        QCOMPARE(s.request.schema.value(QStringLiteral("type")).toString(),
                 QStringLiteral("object"));
        QVERIFY(s.request.schema.value(QStringLiteral("properties"))
                    .toObject()
                    .contains(QStringLiteral("a")));

        QVERIFY(chatError(withUser("\"response_format\":{\"type\":\"yaml\"}"))
                    .startsWith(QStringLiteral("400 response_format.type must be")));
        QVERIFY(chatError(withUser("\"response_format\":{\"type\":\"json_schema\"}"))
                    .startsWith(QStringLiteral("400 response_format.json_schema is required")));
        QVERIFY(chatError(withUser("\"response_format\":\"json\""))
                    .startsWith(QStringLiteral("400 response_format must be an object")));
        QVERIFY(chatError(withUser("\"response_format\":{\"type\":\"json_schema\","
                                   "\"json_schema\":{\"schema\":[]}}"))
                    .startsWith(QStringLiteral(
                        "400 response_format.json_schema.schema must be an object")));
    }

    void reasoningEffort_data()
    {
        QTest::addColumn<QByteArray>("field");
        QTest::addColumn<int>("thinking");
        QTest::newRow("none") << QByteArray("\"reasoning_effort\":\"none\"") << int(Thinking::Off);
        QTest::newRow("minimal") << QByteArray("\"reasoning_effort\":\"minimal\"")
                                 << int(Thinking::Minimal);
        QTest::newRow("low") << QByteArray("\"reasoning_effort\":\"low\"") << int(Thinking::Low);
        QTest::newRow("medium") << QByteArray("\"reasoning_effort\":\"medium\"")
                                << int(Thinking::Medium);
        QTest::newRow("high") << QByteArray("\"reasoning_effort\":\"high\"") << int(Thinking::High);
        QTest::newRow("xhigh") << QByteArray("\"reasoning_effort\":\"xhigh\"")
                               << int(Thinking::Max);
        QTest::newRow("max") << QByteArray("\"reasoning_effort\":\"max\"") << int(Thinking::Max);
        QTest::newRow("nested") << QByteArray("\"reasoning\":{\"effort\":\"high\"}")
                                << int(Thinking::High);
        QTest::newRow("flat wins")
            << QByteArray("\"reasoning_effort\":\"low\",\"reasoning\":{\"effort\":\"high\"}")
            << int(Thinking::Low);
    }
    void reasoningEffort()
    {
        QFETCH(QByteArray, field);
        QFETCH(int, thinking);
        QCOMPARE(int(chat(withUser(field)).request.thinking), thinking);
    }

    void reasoningEffortErrors()
    {
        QVERIFY(chatError(withUser("\"reasoning_effort\":\"ultra\""))
                    .startsWith(QStringLiteral("400 reasoning_effort 'ultra' is not supported")));
        QVERIFY(chatError(withUser("\"reasoning\":{\"effort\":\"lots\"}"))
                    .startsWith(QStringLiteral("400 reasoning.effort 'lots' is not supported")));
        QVERIFY(chatError(withUser("\"reasoning_effort\":3"))
                    .startsWith(QStringLiteral("400 reasoning_effort must be a string")));
        QVERIFY(chatError(withUser("\"reasoning\":{\"effort\":true}"))
                    .startsWith(QStringLiteral("400 reasoning.effort must be a string")));
    }

    void unknownFieldsAreIgnored()
    {
        QCOMPARE(chatError(withUser("\"store\":true,\"metadata\":{\"a\":1},\"logprobs\":true,"
                                    "\"top_logprobs\":2,\"service_tier\":\"auto\",\"verbosity\":"
                                    "\"low\",\"whatever\":[1,{}]")),
                 QString());
    }

    void completion()
    {
        ApiError e;
        const auto c = OpenAiDecoder::completion(
            "{\"model\":\"m\",\"prompt\":\"def f(\",\"suffix\":\"return x\",\"max_tokens\":9,"
            "\"temperature\":0.1,\"top_p\":0.5,\"seed\":3,\"stop\":[\"\\n\\n\"],"
            "\"presence_penalty\":1,\"frequency_penalty\":-1,\"stream\":true,"
            "\"stream_options\":{\"include_usage\":true},\"echo\":false,\"best_of\":1}",
            e);
        QVERIFY2(c, qPrintable(e.message));
        const ChatRequest &r = c->request;
        QCOMPARE(r.rawCompletion, true);
        QCOMPARE(r.messages.size(), 1);
        QCOMPARE(r.messages[0].role, Role::User);
        QCOMPARE(r.messages[0].content, QStringLiteral("def f("));
        QCOMPARE(r.suffix, QStringLiteral("return x"));
        QCOMPARE(gwtest::valueOf(r.sampling.maxTokens), 9);
        QCOMPARE(gwtest::valueOf(r.sampling.temperature), 0.1);
        QCOMPARE(gwtest::valueOf(r.sampling.topP), 0.5);
        QCOMPARE(gwtest::valueOf(r.sampling.seed), 3);
        QCOMPARE(r.sampling.stop, QStringList{QStringLiteral("\n\n")});
        QCOMPARE(gwtest::valueOf(r.sampling.presencePenalty), 1.0);
        QCOMPARE(gwtest::valueOf(r.sampling.frequencyPenalty), -1.0);
        QCOMPARE(r.stream, true);
        QCOMPARE(c->includeUsage, true);

        const auto one = OpenAiDecoder::completion("{\"model\":\"m\",\"prompt\":[\"only\"]}", e);
        QVERIFY(one);
        QCOMPARE(one->request.messages[0].content, QStringLiteral("only"));
        QCOMPARE(one->request.stream, false);

        QCOMPARE(completionError("{\"model\":\"m\"}"),
                 QStringLiteral("400 Missing required parameter: 'prompt'."));
        QCOMPARE(completionError("{\"prompt\":\"x\"}"),
                 QStringLiteral("400 you must provide a model parameter"));
        QCOMPARE(completionError("{\"model\":\"m\",\"prompt\":[1,2,3]}"),
                 QStringLiteral("400 token arrays are not supported; send text"));
        QCOMPARE(completionError("{\"model\":\"m\",\"prompt\":[[1,2]]}"),
                 QStringLiteral("400 token arrays are not supported; send text"));
        QVERIFY(completionError("{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}")
                    .startsWith(QStringLiteral("400 a prompt array with more than one string")));
        QCOMPARE(completionError("{\"model\":\"m\",\"prompt\":5}"),
                 QStringLiteral("400 prompt must be a string, not a number"));
        QCOMPARE(completionError("{\"model\":\"m\",\"prompt\":\"x\",\"suffix\":1}"),
                 QStringLiteral("400 suffix must be a string, not a number"));
        QVERIFY(completionError("{\"model\":\"m\",\"prompt\":\"x\",\"n\":3}")
                    .startsWith(QStringLiteral("400 n > 1 is not supported")));
        QCOMPARE(completionError("{\"model\":\"m\",\"prompt\":\"x\",\"max_tokens\":\"9\"}"),
                 QStringLiteral("400 max_tokens must be an integer, not a string"));
    }

    void embeddings()
    {
        ApiError e;
        auto c = OpenAiDecoder::embeddings("{\"model\":\"m\",\"input\":\"one\"}", e);
        QVERIFY2(c, qPrintable(e.message));
        QCOMPARE(c->request.model, QStringLiteral("m"));
        QCOMPARE(c->request.inputs, QStringList{QStringLiteral("one")});
        QCOMPARE(c->base64, false);
        QVERIFY(!c->request.dimensions);

        c = OpenAiDecoder::embeddings(
            "{\"model\":\"m\",\"input\":[\"a\",\"b\"],\"encoding_format\":"
            "\"base64\",\"dimensions\":16,\"user\":\"x\"}",
            e);
        QVERIFY2(c, qPrintable(e.message));
        QCOMPARE(c->request.inputs, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(c->base64, true);
        QCOMPARE(gwtest::valueOf(c->request.dimensions), 16);
        c = OpenAiDecoder::embeddings(
            "{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"float\"}", e);
        QVERIFY(c);
        QCOMPARE(c->base64, false);

        QCOMPARE(embedError("{\"model\":\"m\",\"input\":[]}"),
                 QStringLiteral("400 input must not be empty"));
        QCOMPARE(embedError("{\"model\":\"m\",\"input\":[1,2]}"),
                 QStringLiteral("400 token arrays are not supported; send text"));
        QCOMPARE(embedError("{\"model\":\"m\",\"input\":[[1],[2]]}"),
                 QStringLiteral("400 token arrays are not supported; send text"));
        QCOMPARE(embedError("{\"model\":\"m\",\"input\":[\"a\",null]}"),
                 QStringLiteral("400 input[1] must be a string, not null"));
        QCOMPARE(
            embedError("{\"model\":\"m\",\"input\":{}}"),
            QStringLiteral("400 input must be a string or an array of strings, not an object"));
        QCOMPARE(embedError("{\"model\":\"m\"}"),
                 QStringLiteral("400 Missing required parameter: 'input'."));
        QCOMPARE(embedError("{\"input\":\"a\"}"),
                 QStringLiteral("400 you must provide a model parameter"));
        QCOMPARE(embedError("{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"int8\"}"),
                 QStringLiteral("400 encoding_format must be float or base64, not 'int8'"));
        QCOMPARE(embedError("{\"model\":\"m\",\"input\":\"a\",\"dimensions\":0}"),
                 QStringLiteral("400 dimensions must be between 1 and 65536"));
        QCOMPARE(embedError("{\"model\":\"m\",\"input\":\"a\",\"dimensions\":\"8\"}"),
                 QStringLiteral("400 dimensions must be an integer, not a string"));
    }

    // Random and mutated input: every call must return (a request or a 400), never crash or
    // hang. Run under ASan/UBSan builds this also catches out-of-bounds reads.
    void fuzz()
    {
        const QList<QByteArray> seeds = {
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            "\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\","
            "\"content\":[{\"type\":\"text\",\"text\":\"t\"},{\"type\":\"image_url\","
            "\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]},{\"role\":"
            "\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{"
            "\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},{\"role\":\"tool\","
            "\"tool_call_id\":\"c\",\"content\":\"r\"}],\"tools\":[{\"type\":\"function\","
            "\"function\":{\"name\":\"f\",\"parameters\":{}}}],\"tool_choice\":\"auto\","
            "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{}}},"
            "\"reasoning_effort\":\"low\",\"stop\":[\"x\"],\"max_tokens\":5}",
            "{\"model\":\"m\",\"prompt\":[\"p\"],\"suffix\":\"s\",\"max_tokens\":3}",
            "{\"model\":\"m\",\"input\":[\"a\",\"b\"],\"dimensions\":4,\"encoding_format\":"
            "\"base64\"}",
        };
        const QList<QJsonValue> oddValues = {
            QJsonValue(),
            QJsonValue(QJsonValue::Undefined),
            true,
            -1,
            0,
            1e308,
            2.5,
            QStringLiteral(""),
            QStringLiteral("data:"),
            QStringLiteral("{"),
            QJsonArray(),
            QJsonArray{1, QStringLiteral("a"), QJsonValue()},
            QJsonObject(),
            QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}}};
        // Fixed, so a failure can be repeated (printed on failure, LLMGW_TEST_SEED to vary).
        const gwtest::TestSeed randomSeed(20261203);
        QRandomGenerator generator = randomSeed.generator();
        QRandomGenerator *rng = &generator;
        ApiError e;
        int decoded = 0;
        int refused = 0;
        const auto run = [&](const QByteArray &body) {
            using Decode = std::optional<OpenAiCall> (*)(const QByteArray &, ApiError &);
            const Decode chat = [](const QByteArray &b, ApiError &err) {
                return OpenAiDecoder::chat(b, err);
            };
            for (Decode fn : {chat, Decode(&OpenAiDecoder::completion)}) {
                if (fn(body, e)) {
                    ++decoded;
                } else {
                    QCOMPARE(e.status, 400);
                    QVERIFY(!e.message.isEmpty());
                    ++refused;
                }
            }
            if (OpenAiDecoder::embeddings(body, e)) {
                ++decoded;
            } else {
                QCOMPARE(e.status, 400);
                ++refused;
            }
        };
        // Structure: replace any value anywhere with an odd one.
        std::function<QJsonValue(QJsonValue, int)> mutate = [&](QJsonValue v, int depth) {
            if (rng->bounded(6) == 0 || depth > 8)
                return oddValues.at(rng->bounded(int(oddValues.size())));
            // Fresh containers: an undefined value drops the key or element.
            if (v.isObject()) {
                const QJsonObject in = v.toObject();
                QJsonObject o;
                for (auto it = in.begin(); it != in.end(); ++it)
                    if (const QJsonValue m = mutate(it.value(), depth + 1); !m.isUndefined())
                        o.insert(it.key(), m);
                return QJsonValue(o);
            }
            if (v.isArray()) {
                QJsonArray a;
                for (const QJsonValue &item : v.toArray())
                    if (const QJsonValue m = mutate(item, depth + 1); !m.isUndefined())
                        a.append(m);
                return QJsonValue(a);
            }
            return v;
        };
        for (int i = 0; i < 3000; ++i) {
            const QByteArray &seed = seeds.at(i % seeds.size());
            const QJsonValue m = mutate(QJsonDocument::fromJson(seed).object(), 0);
            run(m.isObject() ? QJsonDocument(m.toObject()).toJson()
                             : QByteArray("[") + QByteArray::number(i) + ']');
        }
        // Bytes: flip, drop, duplicate and cut.
        for (int i = 0; i < 3000; ++i) {
            QByteArray b = seeds.at(i % seeds.size());
            const int edits = 1 + rng->bounded(4);
            for (int k = 0; k < edits && !b.isEmpty(); ++k) {
                const int at = rng->bounded(int(b.size()));
                switch (rng->bounded(4)) {
                case 0:
                    b[at] = char(rng->bounded(256));
                    break;
                case 1:
                    b.remove(at, 1 + rng->bounded(8));
                    break;
                case 2:
                    b.insert(at, b.mid(rng->bounded(int(b.size())), rng->bounded(16)));
                    break;
                default:
                    b.truncate(at);
                }
            }
            run(b);
        }
        QVERIFY(decoded > 100);
        QVERIFY(refused > 100);
    }
};

QTEST_GUILESS_MAIN(TstOpenAiDecoder)
#include "tst_openaidecoder.moc"
