// OpenAiWire and its stream decoder: the OpenAI Chat Completions translation, both directions.
// (Failures: tst_providererror; redaction: tst_redact; key lookup: tst_secretstore; Hugging
// Face's feature-extraction shapes: tst_huggingface.)

#include "chateventdump.h"
#include "providers/openai/openaistreamdecoder.h"
#include "providers/openai/openaiwire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gw;

namespace {

ChatRequest basic()
{
    ChatRequest r;
    r.model = QStringLiteral("gpt");
    r.upstreamModel = QStringLiteral("gpt-4o");
    r.messages.append(ChatMessage{Role::System, QStringLiteral("be brief")});
    r.messages.append(ChatMessage{Role::User, QStringLiteral("hi")});
    return r;
}

QByteArray sse(const QList<QByteArray> &objects, bool done = true)
{
    QByteArray out;
    for (const QByteArray &o : objects)
        out += "data: " + o + "\n\n";
    if (done)
        out += "data: [DONE]\n\n";
    return out;
}

// A realistic OpenAI stream: role chunk, text, a tool call in fragments, finish, usage, [DONE].
QByteArray toolStream()
{
    return sse({"{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Let me "
                "check.\"},\"finish_reason\":null}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_"
                "A\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
                "\"\"}}]},\"finish_reason\":null}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{"
                "\"arguments\":\"{\\\"ci\"}}]},\"finish_reason\":null}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_"
                "B\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}"
                "\"}}]},\"finish_reason\":null}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{"
                "\"arguments\":\"ty\\\": \\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":17,\"total_"
                "tokens\":59}}"});
}

QString describe(const QList<ChatEvent> &events)
{
    QStringList out;
    for (const ChatEvent &e : events) {
        switch (e.type) {
        case ChatEvent::Type::Text:
            out << QStringLiteral("text:") + e.text;
            break;
        case ChatEvent::Type::Thinking:
            out << QStringLiteral("think:") + e.text;
            break;
        case ChatEvent::Type::ToolCall:
            out << QStringLiteral("call:%1:%2:%3")
                       .arg(
                           e.toolCall.id, e.toolCall.name,
                           QString::fromUtf8(
                               QJsonDocument(e.toolCall.arguments).toJson(QJsonDocument::Compact)));
            break;
        case ChatEvent::Type::Usage:
            out << QStringLiteral("usage:%1/%2").arg(e.promptTokens).arg(e.completionTokens);
            break;
        case ChatEvent::Type::Finish:
            out << QStringLiteral("finish:%1").arg(int(e.finish));
            break;
        case ChatEvent::Type::Error:
            out << QStringLiteral("error:") + (e.failure.upstreamMessage.isEmpty()
                                                   ? e.failure.detail
                                                   : e.failure.upstreamMessage);
            break;
        }
    }
    return out.join(u'|');
}

} // namespace

class TstOpenAiWire : public QObject
{
    Q_OBJECT

private slots:
    // The body is written as bytes, not built as a QJsonObject: the exact text for a request
    // with every kind of member, including text that needs escaping and numbers Qt would format.
    void bodyBytesExact()
    {
        ChatRequest r = basic();
        r.messages.first().content = QStringLiteral("say \"json\"\n\ttab \u00e9\u4e2d\x01");
        r.messages.last().images.append(ImagePart::fromBase64("/9j/4AAQSkZJRgABAQ=="));
        ChatMessage a{Role::Assistant, QString()};
        a.toolCalls.append(
            ToolCall{QString(), QStringLiteral("f"), QJsonObject{{QStringLiteral("x"), 1}}, 0});
        r.messages << a << ChatMessage{Role::Tool, QStringLiteral("r")};
        r.tools.append(ToolSpec{QStringLiteral("f"), QString(), {}});
        r.toolChoice = {ToolChoice::Mode::Named, QStringLiteral("f")};
        r.sampling.temperature = 0.7;
        r.sampling.topP = 1e-5;
        r.sampling.seed = -3;
        r.sampling.maxTokens = 100;
        r.sampling.stop = {QStringLiteral("a"), QStringLiteral("b")};
        r.format = OutputFormat::JsonSchema;
        r.schema = QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}};
        r.logprobs = true;
        r.topLogprobs = 2;
        QCOMPARE(OpenAiWire::chatBytes(r, {}),
                 QByteArray("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":"
                            "\"say \\\"json\\\"\\n\\ttab "
                            "\xc3\xa9\xe4\xb8\xad\\u0001"
                            "\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                            "\"hi\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/"
                            "jpeg;base64,/9j/4AAQSkZJRgABAQ==\"}}]},"
                            "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_2_0\",\"type\":"
                            "\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":"
                            "1}\"}}],\"content\":null},"
                            "{\"role\":\"tool\",\"tool_call_id\":\"call_2_0\",\"content\":\"r\"}],"
                            "\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                            "\"parameters\":{\"type\":\"object\",\"properties\":{}}}}],"
                            "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},"
                            "\"temperature\":0.7,\"top_p\":1e-05,\"seed\":-3,"
                            "\"stop\":[\"a\",\"b\"],\"max_tokens\":100,\"response_format\":{"
                            "\"type\":\"json_schema\",\"json_schema\":{\"name\":\"response\","
                            "\"schema\":{\"type\":\"object\"},\"strict\":false}},"
                            "\"logprobs\":true,\"top_logprobs\":2}"));
        // What Qt makes of it is what the old QJsonObject-built body was.
        QVERIFY(!OpenAiWire::chatBody(r, {}).isEmpty());
        QCOMPARE(OpenAiWire::chatBody(r, {}).value(QStringLiteral("temperature")).toDouble(), 0.7);
    }

    // The simdjson reading of each chunk gives exactly the events QJsonDocument's gives: on
    // every shape a chunk may take, and on those the fast path hands over.
    void fastJsonSameEvents_data()
    {
        QTest::addColumn<QList<QByteArray>>("chunks");
        const auto row = [](const char *name, QList<QByteArray> chunks) {
            QTest::newRow(name) << chunks;
        };
        const QByteArray head = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                                "\"model\":\"m\",\"system_fingerprint\":null,\"choices\":";
        row("plain answer",
            {head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                    "\"logprobs\":null,\"finish_reason\":null}]}",
             head + "[{\"index\":0,\"delta\":{\"content\":\"Hel\\u00e9\\n\\\"x\\\"\"},"
                    "\"logprobs\":null,\"finish_reason\":null}]}",
             head + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}",
             head + "[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9,"
                    "\"total_tokens\":14,\"prompt_tokens_details\":{\"cached_tokens\":2},"
                    "\"completion_tokens_details\":{\"reasoning_tokens\":3}}}"});
        row("reasoning and think tags",
            {"{\"choices\":[{\"delta\":{\"reasoning_content\":\"\",\"reasoning\":\"r\"}}]}",
             "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hm\"}}]}",
             "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<thi\"}}]}",
             "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"nk>a</think> b\"}}]}",
             "{\"choices\":[{\"index\":0,\"finish_reason\":\"length\"}]}"});
        row("tool calls",
            {"{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"A\","
             "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}}]}}]}",
             "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
             "\"function\":{\"arguments\":\"1.5e3}\"}},{\"index\":1,\"id\":\"B\",\"function\":"
             "{\"name\":\"g\",\"arguments\":{\"x\":[1,-2,3.25,true,null,\"s\"]}}}]}}]}",
             "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"});
        row("bad tool arguments",
            {"{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"f\","
             "\"arguments\":\"{nope\"}}]},\"finish_reason\":\"tool_calls\"}]}"});
        row("logprobs",
            {"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"logprobs\":{\"content\":"
             "[{\"token\":\"a\",\"logprob\":-0.25,\"top_logprobs\":[{\"token\":\"a\","
             "\"logprob\":-0.25},{\"token\":\"b\",\"logprob\":-1e-7}]}]}}]}",
             "{\"choices\":[{\"index\":0,\"text\":\"t\",\"logprobs\":{\"tokens\":[\"t\"],"
             "\"token_logprobs\":[-1],\"top_logprobs\":[{\"t\":-1}]},\"finish_reason\":\"stop\"}]"
             "}"});
        row("other choices and odd indexes",
            {"{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"no\"}},{\"index\":0,"
             "\"delta\":{\"content\":\"yes\"}}]}",
             "{\"choices\":[{\"index\":4294967296,\"delta\":{\"content\":\" wrapped\"}}]}",
             "{\"choices\":[{\"index\":null,\"delta\":{\"content\":\" null\"}}]}",
             "{\"choices\":[{\"index\":0.0,\"delta\":{\"content\":\" double\"}}]}",
             "{\"choices\":[{\"index\":\"0\",\"delta\":{\"content\":\" string\"}}]}",
             "{\"choices\":[7,\"x\",null]}", "{\"choices\":{\"index\":0},\"usage\":[]}",
             "{\"choices\":[{\"index\":0,\"delta\":\"text\",\"text\":\" from text\","
             "\"finish_reason\":7}]}",
             "{\"choices\":[{\"index\":0,\"delta\":{\"content\":5,\"tool_calls\":{}},"
             "\"finish_reason\":\"content_filter\"}]}"});
        row("repeated keys: the last counts",
            {"{\"choices\":[{\"index\":1}],\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\","
             "\"content\":\"b\"},\"index\":0}]}",
             "{\"usage\":{\"prompt_tokens\":1},\"usage\":{\"prompt_tokens\":2,\"prompt_tokens\":3,"
             "\"completion_tokens\":18446744073709551615}}",
             "{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"finish_reason\":null}]}"});
        row("errors after 200",
            {"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}",
             "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":\"x\"}}"});
        row("not json", {"{\"choices\":[", "nope"});
        row("not an object", {"[1,2]"});
        row("trailing garbage", {"{\"choices\":[]} x"});
        row("surrogate escapes",
            {"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\ud83d\\ude00 \\ud800 x\"}}]}",
             "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\uDC00\"}}]}"});
        row("invalid utf-8", {"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\xff\"}}]}"});
        row("byte-order mark",
            {"\xef\xbb\xbf{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}"});
        row("control character in a string",
            {QByteArray("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\tb\x01\"}}]}")});
        row("deep nesting", {"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"x\":" +
                             QByteArray(200, '[') + QByteArray(200, ']') + "}]}"});
        row("numbers", {"{\"choices\":[],\"usage\":{\"prompt_tokens\":1e2,\"completion_tokens\":-0,"
                        "\"prompt_tokens_details\":{\"cached_tokens\":12345678901234567890123}}}",
                        "{\"choices\":[],\"usage\":{\"prompt_tokens\":01}}",
                        "{\"choices\":[],\"usage\":{\"prompt_tokens\":1e400}}"});
        row("past the fast path's size", {"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" +
                                          QByteArray(20000, 'x') + "\"}}]}"});
        row("nul escape", {"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\u0000b\"}}]}"});
    }

    void fastJsonSameEvents()
    {
        QFETCH(QList<QByteArray>, chunks);
        // Each chunk as its own stream too, so one that fails does not hide the others.
        QList<QList<QByteArray>> streams{chunks};
        for (const QByteArray &c : chunks)
            streams.append({c});
        for (const QList<QByteArray> &stream : std::as_const(streams)) {
            QByteArray body;
            for (const QByteArray &c : stream)
                body += "data: " + c + "\n\n";
            body += "data: [DONE]\n\n";
            OpenAiStreamDecoder fast(OpenAiStreamDecoder::Json::Fast);
            OpenAiStreamDecoder qt(OpenAiStreamDecoder::Json::Qt);
            QList<ChatEvent> a = fast.feed(body);
            a += fast.finish();
            QList<ChatEvent> b = qt.feed(body);
            b += qt.finish();
            QCOMPARE(testing::dump(a), testing::dump(b));
        }
    }

    void toolChoiceMapping()
    {
        // From the typed value, written in OpenAI's own form.
        ChatRequest r = basic();
        r.tools.append(ToolSpec{QStringLiteral("get_weather"), QStringLiteral("Weather"), {}});
        OpenAiFlavor flavor;
        const auto choice = [&](ToolChoice c) {
            r.toolChoice = std::move(c);
            return OpenAiWire::chatBody(r, flavor).value(QStringLiteral("tool_choice"));
        };
        QVERIFY(choice({}).isUndefined());
        QCOMPARE(choice({ToolChoice::Mode::Auto, {}}), QJsonValue(QStringLiteral("auto")));
        QCOMPARE(choice({ToolChoice::Mode::None, {}}), QJsonValue(QStringLiteral("none")));
        QCOMPARE(choice({ToolChoice::Mode::Required, {}}), QJsonValue(QStringLiteral("required")));
        QCOMPARE(choice(ToolChoice::named(QStringLiteral("get_weather"))),
                 QJsonValue(QJsonObject{
                     {QStringLiteral("type"), QStringLiteral("function")},
                     {QStringLiteral("function"),
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("get_weather")}}}}));
    }

    void basicBody()
    {
        const QJsonObject b = OpenAiWire::chatBody(basic(), {});
        QCOMPARE(b.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-4o"));
        QCOMPARE(b.value(QStringLiteral("stream")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("stream_options"))
                     .toObject()
                     .value(QStringLiteral("include_usage"))
                     .toBool(),
                 true);
        const QJsonArray m = b.value(QStringLiteral("messages")).toArray();
        QCOMPARE(m.size(), 2);
        QCOMPARE(m[0].toObject().value(QStringLiteral("role")).toString(),
                 QStringLiteral("system"));
        QCOMPARE(m[1].toObject().value(QStringLiteral("content")).toString(), QStringLiteral("hi"));
        QVERIFY(!b.contains(QStringLiteral("tools")));
        QVERIFY(!b.contains(QStringLiteral("temperature")));
    }

    void sampling()
    {
        ChatRequest r = basic();
        r.sampling.temperature = 0.3;
        r.sampling.topP = 0.8;
        r.sampling.topK = 20;
        r.sampling.maxTokens = 99;
        r.sampling.seed = 5;
        r.sampling.stop = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                           QStringLiteral("d"), QStringLiteral("e")};
        r.sampling.presencePenalty = 0.1;
        r.sampling.frequencyPenalty = 0.2;
        QJsonObject b = OpenAiWire::chatBody(r, {});
        QCOMPARE(b.value(QStringLiteral("temperature")).toDouble(), 0.3);
        QCOMPARE(b.value(QStringLiteral("top_p")).toDouble(), 0.8);
        QVERIFY(!b.contains(QStringLiteral("top_k"))); // OpenAI rejects it
        QCOMPARE(b.value(QStringLiteral("max_tokens")).toInt(), 99);
        QCOMPARE(b.value(QStringLiteral("seed")).toInt(), 5);
        QCOMPARE(b.value(QStringLiteral("stop")).toArray().size(), 4); // OpenAI's maximum
        QCOMPARE(b.value(QStringLiteral("presence_penalty")).toDouble(), 0.1);
        QCOMPARE(b.value(QStringLiteral("frequency_penalty")).toDouble(), 0.2);

        OpenAiFlavor official;
        official.maxCompletionTokens = true;
        official.sendTopK = true;
        b = OpenAiWire::chatBody(r, official);
        QCOMPARE(b.value(QStringLiteral("max_completion_tokens")).toInt(), 99);
        QVERIFY(!b.contains(QStringLiteral("max_tokens")));
        QCOMPARE(b.value(QStringLiteral("top_k")).toInt(), 20);

        // Reasoning models refuse non-default sampling: it is left out.
        r.upstreamModel = QStringLiteral("o4-mini");
        r.thinking = Thinking::High;
        b = OpenAiWire::chatBody(r, official);
        QVERIFY(!b.contains(QStringLiteral("temperature")));
        QVERIFY(!b.contains(QStringLiteral("top_p")));
        QCOMPARE(b.value(QStringLiteral("reasoning_effort")).toString(), QStringLiteral("high"));
    }

    void thinkingLevels()
    {
        const QString compatible = QStringLiteral("qwen3");
        QCOMPARE(OpenAiWire::reasoningEffort(compatible, Thinking::Low), QStringLiteral("low"));
        QCOMPARE(OpenAiWire::reasoningEffort(compatible, Thinking::On), QStringLiteral("medium"));
        QCOMPARE(OpenAiWire::reasoningEffort(compatible, Thinking::Max), QStringLiteral("high"));
        QVERIFY(OpenAiWire::reasoningEffort(compatible, Thinking::Off).isEmpty());
        QVERIFY(OpenAiWire::reasoningEffort(compatible, Thinking::Unset).isEmpty());
        QVERIFY(OpenAiWire::isReasoningModel(QStringLiteral("gpt-5-mini")));
        QVERIFY(!OpenAiWire::isReasoningModel(QStringLiteral("gpt-4o")));
    }

    void imagesBecomeDataUrls()
    {
        ChatRequest r = basic();
        r.messages.last().images.append(ImagePart::fromBase64("/9j/4AAQSkZJRgABAQ=="));
        const QJsonArray parts = OpenAiWire::chatBody(r, {})
                                     .value(QStringLiteral("messages"))
                                     .toArray()[1]
                                     .toObject()
                                     .value(QStringLiteral("content"))
                                     .toArray();
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts[0].toObject().value(QStringLiteral("text")).toString(),
                 QStringLiteral("hi"));
        QCOMPARE(parts[1]
                     .toObject()
                     .value(QStringLiteral("image_url"))
                     .toObject()
                     .value(QStringLiteral("url"))
                     .toString(),
                 QStringLiteral("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ=="));
    }

    void toolsAndToolHistory()
    {
        ChatRequest r = basic();
        r.tools.append(ToolSpec{QStringLiteral("get_weather"), QStringLiteral("Weather"), {}});
        r.toolChoice = {ToolChoice::Mode::Required, {}};
        ChatMessage a{Role::Assistant, QString()};
        a.toolCalls.append(ToolCall{QString(), QStringLiteral("get_weather"),
                                    QJsonObject{{QStringLiteral("city"), QStringLiteral("Paris")}},
                                    0});
        a.toolCalls.append(
            ToolCall{QStringLiteral("call_given"), QStringLiteral("get_time"), {}, 1});
        a.thinking = QStringLiteral("secret reasoning");
        r.messages.append(a);
        ChatMessage t1{Role::Tool, QStringLiteral("12:00")};
        t1.toolName = QStringLiteral("get_time"); // only a name, as older Ollama clients send
        ChatMessage t2{Role::Tool, QStringLiteral("18C")};
        t2.toolName = QStringLiteral("get_weather");
        ChatMessage t3{Role::Tool, QStringLiteral("orphan")};
        t3.toolName = QStringLiteral("nobody");
        r.messages << t1 << t2 << t3;

        const QJsonObject b = OpenAiWire::chatBody(r, {});
        const QJsonObject fn = b.value(QStringLiteral("tools"))
                                   .toArray()[0]
                                   .toObject()
                                   .value(QStringLiteral("function"))
                                   .toObject();
        QCOMPARE(fn.value(QStringLiteral("description")).toString(), QStringLiteral("Weather"));
        QCOMPARE(fn.value(QStringLiteral("parameters"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("object"));
        QCOMPARE(b.value(QStringLiteral("tool_choice")).toString(), QStringLiteral("required"));

        const QJsonArray m = b.value(QStringLiteral("messages")).toArray();
        QCOMPARE(m.size(), 6);
        const QJsonObject asst = m[2].toObject();
        QVERIFY(asst.value(QStringLiteral("content")).isNull());
        QVERIFY(!asst.contains(QStringLiteral("reasoning_content")));
        const QJsonArray calls = asst.value(QStringLiteral("tool_calls")).toArray();
        QCOMPARE(calls[0].toObject().value(QStringLiteral("id")).toString(),
                 QStringLiteral("call_2_0")); // synthesised
        QCOMPARE(calls[0]
                     .toObject()
                     .value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("arguments"))
                     .toString(),
                 QStringLiteral("{\"city\":\"Paris\"}")); // a JSON string on the OpenAI wire
        QCOMPARE(m[3].toObject().value(QStringLiteral("tool_call_id")).toString(),
                 QStringLiteral("call_given"));
        QCOMPARE(m[4].toObject().value(QStringLiteral("tool_call_id")).toString(),
                 QStringLiteral("call_2_0"));
        QCOMPARE(m[5].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("user"));
        QVERIFY(m[5].toObject()
                    .value(QStringLiteral("content"))
                    .toString()
                    .contains(QStringLiteral("orphan")));
    }

    void formats()
    {
        ChatRequest r = basic();
        r.format = OutputFormat::Json;
        QJsonObject b = OpenAiWire::chatBody(r, {});
        QCOMPARE(b.value(QStringLiteral("response_format"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("json_object"));
        // json_object needs the word JSON in the messages; the gateway adds it when missing.
        QVERIFY(b.value(QStringLiteral("messages"))
                    .toArray()[0]
                    .toObject()
                    .value(QStringLiteral("content"))
                    .toString()
                    .contains(QStringLiteral("JSON")));
        r.messages.last().content = QStringLiteral("answer in json");
        QCOMPARE(OpenAiWire::chatBody(r, {}).value(QStringLiteral("messages")).toArray().size(), 2);

        r.format = OutputFormat::JsonSchema;
        r.schema = QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}};
        b = OpenAiWire::chatBody(r, {});
        const QJsonObject rf = b.value(QStringLiteral("response_format")).toObject();
        QCOMPARE(rf.value(QStringLiteral("type")).toString(), QStringLiteral("json_schema"));
        QCOMPARE(rf.value(QStringLiteral("json_schema"))
                     .toObject()
                     .value(QStringLiteral("schema"))
                     .toObject(),
                 r.schema);
        QCOMPARE(rf.value(QStringLiteral("json_schema"))
                     .toObject()
                     .value(QStringLiteral("strict"))
                     .toBool(),
                 false);
    }

    void decodeToolStreamWholeAndByteByByte()
    {
        const QByteArray stream = toolStream();
        const QString expected =
            QStringLiteral("text:Let me check.|call:call_A:get_weather:{\"city\":\"Paris\"}|"
                           "call:call_B:get_time:{}|usage:42/17|finish:%1")
                .arg(int(FinishReason::ToolCalls));
        OpenAiStreamDecoder whole;
        QList<ChatEvent> events = whole.feed(stream);
        events += whole.finish();
        QCOMPARE(describe(events), expected);

        OpenAiStreamDecoder bytes;
        events.clear();
        for (char c : stream)
            events += bytes.feed(QByteArray(1, c));
        events += bytes.finish();
        QCOMPARE(describe(events), expected);
    }

    void decodeReasoningAndCrlf()
    {
        QByteArray s =
            sse({"{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hmm\"}}]}",
                 "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\" so\"}}]}",
                 "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"42\"},\"finish_reason\":"
                 "\"length\"}]}"});
        s.replace("\n", "\r\n");
        OpenAiStreamDecoder d;
        QList<ChatEvent> events = d.feed(s);
        events += d.finish();
        QCOMPARE(
            describe(events),
            QStringLiteral("think:hmm|think: so|text:42|finish:%1").arg(int(FinishReason::Length)));
    }

    void decodeProblems_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("expected");
        QTest::newRow("error after 200")
            << sse({"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}",
                    "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"},
                   false)
            << "text:a|error:overloaded";
        QTest::newRow("malformed json")
            << sse({"{\"choices\":"}, false) << "error:the provider sent malformed data";
        QTest::newRow("truncated")
            << sse({"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}"}, false)
            << "text:a|error:the provider's stream ended before the answer was complete";
        QTest::newRow("finish without DONE")
            << sse({"{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":"
                    "\"stop\"}]}"},
                   false)
            << "text:a|finish:0";
        QTest::newRow("bad tool args")
            << sse({"{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":"
                    "\"x\",\"function\":{\"name\":\"f\",\"arguments\":\"{oops\"}}]},\"finish_"
                    "reason\":\"tool_calls\"}]}"})
            << "error:the model returned invalid arguments for tool 'f'";
        QTest::newRow("content filter") << sse({"{\"choices\":[{\"index\":0,\"delta\":{},\"finish_"
                                                "reason\":\"content_filter\"}]}"})
                                        << "finish:3";
        QTest::newRow("empty choices only")
            << sse({"{\"choices\":[],\"prompt_filter_results\":[]}",
                    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":"
                    "\"stop\"}]}"})
            << "text:ok|finish:0";
    }
    void decodeProblems()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, expected);
        OpenAiStreamDecoder d;
        QList<ChatEvent> events = d.feed(stream);
        events += d.finish();
        const QString got = describe(events);
        QVERIFY2(got.startsWith(expected), qPrintable(got));
        QCOMPARE(std::count_if(events.begin(), events.end(),
                               [](const ChatEvent &e) {
                                   return e.type == ChatEvent::Type::Error ||
                                          e.type == ChatEvent::Type::Finish;
                               }),
                 1); // exactly one terminal event
    }

    void inlineThinkTags_data()
    {
        QTest::addColumn<QStringList>("pieces");
        QTest::addColumn<QString>("expected");
        QTest::newRow("whole") << QStringList{QStringLiteral("<think>hmm</think>\n\nAnswer")}
                               << "think:hmm|text:Answer|finish:0";
        QTest::newRow("tags split")
            << QStringList{QStringLiteral("<thi"), QStringLiteral("nk>a"), QStringLiteral("b</th"),
                           QStringLiteral("ink> x")}
            << "think:a|think:b|text:x|finish:0";
        QTest::newRow("no tag") << QStringList{QStringLiteral("<b>bold</b>")}
                                << "text:<b>bold</b>|finish:0";
        QTest::newRow("short answer") << QStringList{QStringLiteral("<")} << "text:<|finish:0";
        QTest::newRow("tag later is text")
            << QStringList{QStringLiteral("Hi "), QStringLiteral("<think>x</think>")}
            << "text:Hi |text:<think>x</think>|finish:0";
    }
    void inlineThinkTags()
    {
        QFETCH(QStringList, pieces);
        QFETCH(QString, expected);
        QList<QByteArray> chunks;
        for (const QString &p : pieces)
            chunks.append(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":" +
                QJsonDocument(QJsonArray{p}).toJson(QJsonDocument::Compact).mid(1).chopped(1) +
                "}}]}");
        chunks.append("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        OpenAiStreamDecoder d;
        QList<ChatEvent> events = d.feed(sse(chunks));
        events += d.finish();
        QCOMPARE(describe(events), expected);
    }

    void decodeNonStreamingJson()
    {
        OpenAiStreamDecoder d;
        d.setJsonBody(true);
        QList<ChatEvent> events =
            d.feed("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                   "\"hi\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{"
                   "\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},");
        events += d.feed("\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":3,"
                         "\"completion_tokens\":4}}");
        events += d.finish();
        QCOMPARE(describe(events),
                 QStringLiteral("text:hi|call:c1:f:{\"a\":1}|usage:3/4|finish:2"));
    }

    void embeddingsAndModels()
    {
        const EmbedResult r =
            OpenAiWire::parseEmbeddings("{\"data\":[{\"index\":1,\"embedding\":[3,4]},{\"index\":0,"
                                        "\"embedding\":[1,0]}],\"usage\":{\"prompt_tokens\":7}}");
        QVERIFY(r.ok());
        QCOMPARE(r.vectors.size(), 2);
        QCOMPARE(r.vectors[0], (QList<double>{1, 0})); // ordered by index
        QCOMPARE(r.vectors[1], (QList<double>{3, 4}));
        QCOMPARE(r.promptTokens, 7);
        QVERIFY(!OpenAiWire::parseEmbeddings("{}").ok());
        EmbedRequest e;
        e.upstreamModel = QStringLiteral("text-embedding-3-small");
        e.inputs = {QStringLiteral("a")};
        e.dimensions = 256;
        const QJsonObject b = OpenAiWire::embedBody(e);
        QCOMPARE(b.value(QStringLiteral("dimensions")).toInt(), 256);
        QCOMPARE(b.value(QStringLiteral("encoding_format")).toString(), QStringLiteral("float"));
        QCOMPARE(OpenAiWire::parseModels("{\"data\":[{\"id\":\"b\"},{\"id\":\"a\"}]}"),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    }

    void errorBodies()
    {
        UpstreamErrorBody b = OpenAiWire::errorBody("{\"error\":{\"message\":\"bad\",\"type\":"
                                                    "\"invalid_request_error\",\"code\":\"x\"}}");
        QCOMPARE(b.message, QStringLiteral("bad"));
        QCOMPARE(b.type, QStringLiteral("invalid_request_error"));
        QCOMPARE(b.code, QStringLiteral("x"));
        b = OpenAiWire::errorBody("{\"error\":\"hf style\",\"error_type\":\"overloaded\"}");
        QCOMPARE(b.message, QStringLiteral("hf style"));
        QCOMPARE(b.type, QStringLiteral("overloaded"));
        QCOMPARE(OpenAiWire::errorBody("<html>Bad Gateway</html>").message,
                 QStringLiteral("<html>Bad Gateway</html>"));
        QCOMPARE(OpenAiWire::errorBody("{\"detail\":\"Not Found\"}").message,
                 QStringLiteral("Not Found"));
        b = OpenAiWire::errorBody(
            "{\"error\":{\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}");
        QCOMPARE(b.bestCode(), QStringLiteral("insufficient_quota"));
        QCOMPARE(OpenAiWire::errorBody("{\"error\":{\"type\":\"server_error\",\"code\":null}}")
                     .bestCode(),
                 QStringLiteral("server_error"));
    }

    // A realistic stream from a reasoning model with a cached prompt: the counts the canonical
    // usage has beyond prompt and completion; -1 where the provider does not say.
    void usageDetails()
    {
        OpenAiStreamDecoder d;
        QList<ChatEvent> events = d.feed(sse(
            {"{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{"
             "\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_"
             "reason\":null}],\"usage\":null}",
             "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":"
             "null}",
             "{\"choices\":[],\"usage\":{\"prompt_tokens\":2006,\"completion_tokens\":300,"
             "\"total_tokens\":2306,\"prompt_tokens_details\":{\"cached_tokens\":1920,\"audio_"
             "tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":256,\"audio_"
             "tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}"}));
        events += d.finish();
        const auto u = std::find_if(events.begin(), events.end(), [](const ChatEvent &e) {
            return e.type == ChatEvent::Type::Usage;
        });
        QVERIFY(u != events.end());
        QCOMPARE(u->promptTokens, 2006);
        QCOMPARE(u->completionTokens, 300);
        QCOMPARE(u->cachedTokens, 1920);
        QCOMPARE(u->reasoningTokens, 256);
        QCOMPARE(u->cacheWriteTokens, -1); // OpenAI has no cache writes to report
        // A compatible server that gives only the two totals.
        const ChatEvent plain = OpenAiWire::usage(QJsonObject{
            {QStringLiteral("prompt_tokens"), 5}, {QStringLiteral("completion_tokens"), 7}});
        QCOMPARE(plain.promptTokens, 5);
        QCOMPARE(plain.completionTokens, 7);
        QCOMPARE(plain.cachedTokens, -1);
        QCOMPARE(plain.reasoningTokens, -1);
    }
};

QTEST_GUILESS_MAIN(TstOpenAiWire)
#include "tst_openaiwire.moc"
