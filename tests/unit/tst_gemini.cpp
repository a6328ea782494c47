// The Gemini generateContent translation, both directions.

#include "providers/gemini/geministreamdecoder.h"
#include "providers/gemini/geminiwire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gw;

namespace {

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
            out << QStringLiteral("call:%1:%2")
                       .arg(
                           e.toolCall.name,
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
            out << QStringLiteral("error:%1:%2")
                       .arg(e.failure.status)
                       .arg(e.failure.upstreamMessage.isEmpty() ? e.failure.detail
                                                                : e.failure.upstreamMessage);
            break;
        }
    }
    return out.join(u'|');
}

// Google separates events with CRLF and ends without a blank line or [DONE].
QByteArray stream(const QList<QByteArray> &chunks)
{
    QByteArray out;
    for (const QByteArray &c : chunks)
        out += "data: " + c + "\r\n\r\n";
    out.chop(4);
    return out;
}

} // namespace

class TstGemini : public QObject
{
    Q_OBJECT

private slots:
    void toolChoiceMapping()
    {
        // From the typed value: Gemini's functionCallingConfig, never OpenAI's JSON re-parsed.
        ChatRequest r;
        r.upstreamModel = QStringLiteral("gemini-2.5-flash");
        r.messages.append(ChatMessage{Role::User, QStringLiteral("hi")});
        r.tools.append(ToolSpec{QStringLiteral("get_weather"), QStringLiteral("Weather"), {}});
        ThinkingCache sigs;
        const auto config = [&](ToolChoice choice) {
            r.toolChoice = std::move(choice);
            return GeminiWire::generateBody(r, sigs)
                .value(QStringLiteral("toolConfig"))
                .toObject()
                .value(QStringLiteral("functionCallingConfig"))
                .toObject();
        };
        QVERIFY(config({}).isEmpty());
        QCOMPARE(config({ToolChoice::Mode::Auto, {}}).value(QStringLiteral("mode")).toString(),
                 QStringLiteral("AUTO"));
        QCOMPARE(config({ToolChoice::Mode::None, {}}).value(QStringLiteral("mode")).toString(),
                 QStringLiteral("NONE"));
        QCOMPARE(config({ToolChoice::Mode::Required, {}}).value(QStringLiteral("mode")).toString(),
                 QStringLiteral("ANY"));
        const QJsonObject named = config(ToolChoice::named(QStringLiteral("get_weather")));
        QCOMPARE(named.value(QStringLiteral("mode")).toString(), QStringLiteral("ANY"));
        QCOMPARE(named.value(QStringLiteral("allowedFunctionNames")).toArray(),
                 QJsonArray{QStringLiteral("get_weather")});
    }

    void bodyStructure()
    {
        ThinkingCache sigs;
        sigs.put(QStringLiteral("call_known"), QJsonArray{QStringLiteral("SIG_A")});
        ChatRequest r;
        r.upstreamModel = QStringLiteral("models/gemini-2.5-flash");
        r.messages << ChatMessage{Role::System, QStringLiteral("terse")};
        ChatMessage u{Role::User, QStringLiteral("weather?")};
        u.images.append(ImagePart::fromBase64("iVBORw0KGgoAAAANSUhEUg=="));
        r.messages << u;
        ChatMessage a{Role::Assistant, QString()};
        a.toolCalls.append(ToolCall{QStringLiteral("call_known"), QStringLiteral("get_weather"),
                                    QJsonObject{{QStringLiteral("city"), QStringLiteral("Paris")}},
                                    0});
        a.toolCalls.append(ToolCall{QStringLiteral("call_2"), QStringLiteral("get_time"), {}, 1});
        r.messages << a;
        ChatMessage t1{Role::Tool, QStringLiteral("18C")};
        t1.toolCallId = QStringLiteral("call_known"); // an OpenAI client gives only the id
        ChatMessage t2{Role::Tool, QStringLiteral("{\"time\":\"noon\"}")};
        t2.toolName = QStringLiteral("get_time");
        r.messages << t1 << t2;
        r.tools.append(ToolSpec{
            QStringLiteral("get_weather"), QStringLiteral("Weather"),
            QJsonObject{
                {QStringLiteral("type"), QStringLiteral("object")},
                {QStringLiteral("properties"),
                 QJsonObject{{QStringLiteral("city"),
                              QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}}}}});
        r.tools.append(ToolSpec{QStringLiteral("get_time"), {}, {}});
        r.toolChoice = {ToolChoice::Mode::Required, {}};
        r.sampling.temperature = 0.5;
        r.sampling.maxTokens = 50;
        r.sampling.stop = {QStringLiteral("x")};
        r.sampling.seed = 3;
        r.format = OutputFormat::Json;

        const QJsonObject b = GeminiWire::generateBody(r, sigs);
        QCOMPARE(b.value(QStringLiteral("systemInstruction"))
                     .toObject()
                     .value(QStringLiteral("parts"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("text"))
                     .toString(),
                 QStringLiteral("terse"));
        const QJsonArray c = b.value(QStringLiteral("contents")).toArray();
        QCOMPARE(c.size(), 3);
        QCOMPARE(c[0].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("user"));
        QCOMPARE(c[0].toObject()
                     .value(QStringLiteral("parts"))
                     .toArray()[1]
                     .toObject()
                     .value(QStringLiteral("inlineData"))
                     .toObject()
                     .value(QStringLiteral("mimeType"))
                     .toString(),
                 QStringLiteral("image/png"));
        const QJsonArray calls = c[1].toObject().value(QStringLiteral("parts")).toArray();
        QCOMPARE(c[1].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("model"));
        QCOMPARE(calls[0].toObject().value(QStringLiteral("thoughtSignature")).toString(),
                 QStringLiteral("SIG_A")); // restored
        QVERIFY(calls[0]
                    .toObject()
                    .value(QStringLiteral("functionCall"))
                    .toObject()
                    .value(QStringLiteral("args"))
                    .isObject());
        QVERIFY(!calls[1].toObject().contains(
            QStringLiteral("thoughtSignature"))); // only the first call carries one
        const QJsonArray responses = c[2].toObject().value(QStringLiteral("parts")).toArray();
        QCOMPARE(responses.size(), 2); // both results in one user content
        const QJsonObject fr0 =
            responses[0].toObject().value(QStringLiteral("functionResponse")).toObject();
        QCOMPARE(fr0.value(QStringLiteral("name")).toString(),
                 QStringLiteral("get_weather")); // recovered from the id
        QCOMPARE(fr0.value(QStringLiteral("response"))
                     .toObject()
                     .value(QStringLiteral("result"))
                     .toString(),
                 QStringLiteral("18C"));
        QCOMPARE(responses[1]
                     .toObject()
                     .value(QStringLiteral("functionResponse"))
                     .toObject()
                     .value(QStringLiteral("response"))
                     .toObject()
                     .value(QStringLiteral("time"))
                     .toString(),
                 QStringLiteral("noon"));

        const QJsonArray decls = b.value(QStringLiteral("tools"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("functionDeclarations"))
                                     .toArray();
        QVERIFY(decls[0].toObject().contains(QStringLiteral("parametersJsonSchema")));
        QVERIFY(!decls[1].toObject().contains(
            QStringLiteral("parametersJsonSchema"))); // no arguments: omitted
        QCOMPARE(b.value(QStringLiteral("toolConfig"))
                     .toObject()
                     .value(QStringLiteral("functionCallingConfig"))
                     .toObject()
                     .value(QStringLiteral("mode"))
                     .toString(),
                 QStringLiteral("ANY"));
        const QJsonObject g = b.value(QStringLiteral("generationConfig")).toObject();
        QCOMPARE(g.value(QStringLiteral("temperature")).toDouble(), 0.5);
        QCOMPARE(g.value(QStringLiteral("maxOutputTokens")).toInt(), 50);
        QCOMPARE(g.value(QStringLiteral("stopSequences")).toArray().size(), 1);
        QCOMPARE(g.value(QStringLiteral("seed")).toInt(), 3);
        QCOMPARE(g.value(QStringLiteral("responseMimeType")).toString(),
                 QStringLiteral("application/json"));
        QVERIFY(!g.contains(QStringLiteral("thinkingConfig")));
    }

    void unknownHistoryGetsTheSkipSentinel()
    {
        ChatRequest r;
        r.upstreamModel = QStringLiteral("gemini-3-pro-preview");
        r.messages << ChatMessage{Role::User, QStringLiteral("x")};
        ChatMessage a{Role::Assistant, QString()};
        a.toolCalls.append(ToolCall{QStringLiteral("from_elsewhere"), QStringLiteral("f"), {}, 0});
        r.messages << a;
        const QJsonObject b = GeminiWire::generateBody(r, ThinkingCache());
        QCOMPARE(b.value(QStringLiteral("contents"))
                     .toArray()[1]
                     .toObject()
                     .value(QStringLiteral("parts"))
                     .toArray()[0]
                     .toObject()
                     .value(QStringLiteral("thoughtSignature"))
                     .toString(),
                 QStringLiteral("skip_thought_signature_validator"));
    }

    void thinkingConfigByGeneration()
    {
        ChatRequest r;
        r.messages << ChatMessage{Role::User, QStringLiteral("x")};
        r.upstreamModel = QStringLiteral("gemini-2.5-flash");
        r.thinking = Thinking::High;
        QJsonObject tc = GeminiWire::generateBody(r, ThinkingCache())
                             .value(QStringLiteral("generationConfig"))
                             .toObject()
                             .value(QStringLiteral("thinkingConfig"))
                             .toObject();
        QCOMPARE(tc.value(QStringLiteral("thinkingBudget")).toInt(), 16384);
        QCOMPARE(tc.value(QStringLiteral("includeThoughts")).toBool(), true);
        r.thinking = Thinking::Off;
        tc = GeminiWire::generateBody(r, ThinkingCache())
                 .value(QStringLiteral("generationConfig"))
                 .toObject()
                 .value(QStringLiteral("thinkingConfig"))
                 .toObject();
        QCOMPARE(tc.value(QStringLiteral("thinkingBudget")).toInt(), 0);
        r.upstreamModel = QStringLiteral("gemini-2.5-pro");
        tc = GeminiWire::generateBody(r, ThinkingCache())
                 .value(QStringLiteral("generationConfig"))
                 .toObject()
                 .value(QStringLiteral("thinkingConfig"))
                 .toObject();
        QCOMPARE(tc.value(QStringLiteral("thinkingBudget")).toInt(), 128); // Pro cannot go to zero
        r.upstreamModel = QStringLiteral("gemini-3-flash");
        r.thinking = Thinking::Low;
        tc = GeminiWire::generateBody(r, ThinkingCache())
                 .value(QStringLiteral("generationConfig"))
                 .toObject()
                 .value(QStringLiteral("thinkingConfig"))
                 .toObject();
        QCOMPARE(tc.value(QStringLiteral("thinkingLevel")).toString(), QStringLiteral("LOW"));
        QVERIFY(!tc.contains(QStringLiteral("thinkingBudget"))); // a level or a budget, never both
    }

    // usageMetadata of a thinking model reading a cached context: promptTokenCount includes
    // the cached part; thoughts are output beside the candidates.
    void usageWithCacheAndThoughts()
    {
        GeminiStreamDecoder d(nullptr);
        QList<ChatEvent> events = d.feed(stream(
            {"{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
             "\"Hi\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":"
             "4100,\"cachedContentTokenCount\":4000,\"candidatesTokenCount\":12,"
             "\"thoughtsTokenCount\":88,\"totalTokenCount\":4200},\"modelVersion\":\"gemini-2.5-"
             "flash\"}"}));
        events += d.finish();
        const auto u = std::find_if(events.begin(), events.end(), [](const ChatEvent &e) {
            return e.type == ChatEvent::Type::Usage;
        });
        QVERIFY(u != events.end());
        QCOMPARE(u->promptTokens, 4100);
        QCOMPARE(u->completionTokens, 100);
        QCOMPARE(u->cachedTokens, 4000);
        QCOMPARE(u->reasoningTokens, 88);
        QCOMPARE(u->cacheWriteTokens, -1);
        // Without cache or thoughts, those stay unknown.
        const ChatEvent plain = GeminiWire::usage(QJsonObject{
            {QStringLiteral("promptTokenCount"), 3}, {QStringLiteral("candidatesTokenCount"), 4}});
        QCOMPARE(plain.promptTokens, 3);
        QCOMPARE(plain.completionTokens, 4);
        QCOMPARE(plain.cachedTokens, -1);
        QCOMPARE(plain.reasoningTokens, -1);
    }

    // Regression: Gemini's decoder never looked at the SSE parser's error, so an event over the
    // size bound ended in silence instead of an error at once (the other decoders reported it).
    void oversizedEventIsAnError()
    {
        GeminiStreamDecoder d(nullptr);
        QByteArray huge = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"";
        huge += QByteArray(17 * 1024 * 1024, 'a'); // over the parser's 16 MB bound, no newline
        const QList<ChatEvent> events = d.feed(huge);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].type, ChatEvent::Type::Error);
        QCOMPARE(int(events[0].failure.cause), int(FailureCause::UpstreamFault));
        QCOMPARE(events[0].failure.status, 502);
        QVERIFY(d.finish().isEmpty()); // one terminal event only
    }

    void decodeStreamWithCallsAndThoughts()
    {
        auto sigs = std::make_shared<ThinkingCache>();
        const QByteArray s =
            stream({"{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
                    "\"Planning\",\"thought\":true}]}}]}",
                    "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
                    "\"Checking \"}]}}],\"usageMetadata\":{\"promptTokenCount\":10}}",
                    "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{"
                    "\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},"
                    "\"thoughtSignature\":\"SIG_Z\"}]},\"finishReason\":\"STOP\"}],"
                    "\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":7,"
                    "\"thoughtsTokenCount\":30}}"});
        const QString expected =
            QStringLiteral("think:Planning|text:Checking "
                           "|call:get_weather:{\"city\":\"Paris\"}|usage:10/37|finish:%1")
                .arg(int(FinishReason::ToolCalls));
        GeminiStreamDecoder whole(sigs);
        QList<ChatEvent> events = whole.feed(s);
        events += whole.finish();
        QCOMPARE(describe(events), expected);
        // The synthesised id keys the signature for the next turn.
        const ChatEvent call = events[2];
        QVERIFY(call.toolCall.id.startsWith(QStringLiteral("call_")));
        QVERIFY(call.toolCall.id.size() <= 40);
        QCOMPARE(sigs->get(call.toolCall.id).first().toString(), QStringLiteral("SIG_Z"));

        GeminiStreamDecoder bytes(nullptr);
        events.clear();
        for (char c : s)
            events += bytes.feed(QByteArray(1, c));
        events += bytes.finish();
        QCOMPARE(describe(events), expected);
    }

    void decodeProblems_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("max tokens")
            << stream({"{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},"
                       "\"finishReason\":\"MAX_TOKENS\"}]}"})
            << "text:a|finish:1";
        QTest::newRow("safety, nothing said")
            << stream({"{\"candidates\":[{\"finishReason\":\"SAFETY\"}]}"})
            << "error:400:the provider blocked the answer (SAFETY)";
        QTest::newRow("safety after text")
            << stream({"{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},"
                       "\"finishReason\":\"SAFETY\"}]}"})
            << "text:a|finish:3";
        QTest::newRow("prompt blocked")
            << stream({"{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"}}"})
            << "error:400:the provider blocked the prompt (PROHIBITED_CONTENT)";
        QTest::newRow("no finish")
            << stream({"{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}"})
            << "text:a|error:502:the provider's stream ended";
        QTest::newRow("error chunk")
            << stream({"{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}",
                       "{\"error\":{\"code\":503,\"message\":\"The model is "
                       "overloaded.\",\"status\":\"UNAVAILABLE\"}}"})
            << "text:a|error:503:The model is overloaded.";
        QTest::newRow("bare json error")
            << QByteArray("{\"error\":{\"code\":500,\"message\":\"Internal "
                          "error\",\"status\":\"INTERNAL\"}}")
            << "error:502:Internal error";
        QTest::newRow("json array (no alt=sse)")
            << QByteArray("[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]},\r\n{"
                          "\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},"
                          "\"finishReason\":\"STOP\"}]}]")
            << "text:a|text:b|finish:0";
        QTest::newRow("signature-only part")
            << stream({"{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"},{\"text\":\"\","
                       "\"thoughtSignature\":\"S\"}]},\"finishReason\":\"STOP\"}]}"})
            << "text:a|finish:0";
    }
    void decodeProblems()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        GeminiStreamDecoder d(nullptr);
        QList<ChatEvent> events = d.feed(body);
        events += d.finish();
        const QString got = describe(events);
        QVERIFY2(got.startsWith(expected), qPrintable(got));
    }

    void errorsModelsEmbeddings()
    {
        const UpstreamErrorBody err = GeminiWire::errorBody(QByteArray(
            "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API "
            "key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type."
            "googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]}}"));
        QCOMPARE(err.message, QStringLiteral("API key not valid. Please pass a valid API key."));
        QCOMPARE(err.code, QStringLiteral("API_KEY_INVALID"));
        QCOMPARE(err.type, QStringLiteral("INVALID_ARGUMENT"));
        QCOMPARE(
            GeminiWire::errorBody(QByteArray("[{\"error\":{\"message\":\"wrapped\"}}]")).message,
            QStringLiteral("wrapped"));
        QCOMPARE(
            GeminiWire::parseModels(
                "{\"models\":[{\"name\":\"models/"
                "gemini-2.5-flash\",\"supportedGenerationMethods\":[\"generateContent\"]},"
                "{\"name\":\"models/aqa\",\"supportedGenerationMethods\":[\"generateAnswer\"]},"
                "{\"name\":\"models/"
                "gemini-embedding-001\",\"supportedGenerationMethods\":[\"embedContent\"]}]}"),
            (QStringList{QStringLiteral("gemini-2.5-flash"),
                         QStringLiteral("gemini-embedding-001")}));
        const QJsonObject b =
            GeminiWire::batchEmbedBody(QStringLiteral("gemini-embedding-001"),
                                       {QStringLiteral("a"), QStringLiteral("b")}, 256);
        const QJsonArray reqs = b.value(QStringLiteral("requests")).toArray();
        QCOMPARE(reqs.size(), 2);
        QCOMPARE(reqs[1].toObject().value(QStringLiteral("model")).toString(),
                 QStringLiteral("models/gemini-embedding-001")); // repeated, with prefix
        QCOMPARE(reqs[0].toObject().value(QStringLiteral("outputDimensionality")).toInt(), 256);
        const EmbedResult e =
            GeminiWire::parseBatchEmbed("{\"embeddings\":[{\"values\":[1,2]},{\"values\":[3,4]}]}");
        QCOMPARE(e.vectors, (QList<QList<double>>{{1, 2}, {3, 4}}));
    }
};

QTEST_GUILESS_MAIN(TstGemini)
#include "tst_gemini.moc"
