// The Anthropic Messages translation, both directions.

#include "providers/anthropic/anthropicstreamdecoder.h"
#include "providers/anthropic/anthropicwire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gw;

namespace {

QByteArray ev(const char *name, const QByteArray &json)
{
    return QByteArray("event: ") + name + "\ndata: " + json + "\n\n";
}

// Thinking, text, a tool call whose input arrives in fragments, a ping, cumulative usage.
QByteArray transcript()
{
    return ev("message_start",
              "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
              "\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":20,\"cache_read_"
              "input_tokens\":5,\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}") +
           ev("content_block_start",
              "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":"
              "\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}") +
           ev("content_block_delta",
              "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_"
              "delta\",\"thinking\":\"Need weather.\"}}") +
           ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{"
                                     "\"type\":\"signature_delta\",\"signature\":\"SIG123\"}}") +
           ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}") +
           ev("ping", "{\"type\":\"ping\"}") +
           ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_"
                                     "block\":{\"type\":\"text\",\"text\":\"\"}}") +
           ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{"
                                     "\"type\":\"text_delta\",\"text\":\"Checking.\"}}") +
           ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}") +
           ev("content_block_start",
              "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_"
              "use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{}}}") +
           ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{"
                                     "\"type\":\"input_json_delta\",\"partial_json\":\"\"}}") +
           ev("content_block_delta",
              "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_"
              "delta\",\"partial_json\":\"{\\\"city\\\": \\\"Pa\"}}") +
           ev("content_block_delta",
              "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_"
              "delta\",\"partial_json\":\"ris\\\"}\"}}") +
           ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}") +
           ev("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_"
                               "use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":42}}") +
           ev("message_stop", "{\"type\":\"message_stop\"}");
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
            if (!e.signature.isEmpty())
                out << QStringLiteral("signed:") + e.signature;
            else if (!e.redacted.isEmpty())
                out << QStringLiteral("redacted:") + e.redacted;
            else
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
            out << QStringLiteral("error:%1:%2")
                       .arg(e.failure.status)
                       .arg(e.failure.upstreamMessage.isEmpty() ? e.failure.detail
                                                                : e.failure.upstreamMessage);
            break;
        }
    }
    return out.join(u'|');
}

ChatRequest conversation()
{
    ChatRequest r;
    r.upstreamModel = QStringLiteral("claude-sonnet-4-5");
    r.messages << ChatMessage{Role::System, QStringLiteral("be brief")}
               << ChatMessage{Role::System, QStringLiteral("be kind")};
    ChatMessage u{Role::User, QStringLiteral("weather in Paris?")};
    u.images.append(ImagePart::fromBase64("iVBORw0KGgoAAAANSUhEUg=="));
    r.messages << u << ChatMessage{Role::User, QStringLiteral("and be quick")};
    ChatMessage a{Role::Assistant, QString()};
    a.toolCalls.append(ToolCall{QStringLiteral("call.1|x"), QStringLiteral("get_weather"),
                                QJsonObject{{QStringLiteral("city"), QStringLiteral("Paris")}}, 0});
    r.messages << a;
    ChatMessage t{Role::Tool, QStringLiteral("18C")};
    t.toolName = QStringLiteral("get_weather");
    r.messages << t << ChatMessage{Role::User, QStringLiteral("thanks")};
    r.tools.append(ToolSpec{QStringLiteral("get_weather"), QStringLiteral("Weather"), {}});
    return r;
}

} // namespace

class TstAnthropic : public QObject
{
    Q_OBJECT

private slots:
    void bodyStructure()
    {
        ThinkingCache cache;
        bool viaTool = true;
        ChatRequest r = conversation();
        r.sampling.temperature = 1.7;
        r.sampling.topK = 5;
        r.sampling.stop = {QStringLiteral("END")};
        const QJsonObject b = AnthropicWire::messagesBody(r, {}, cache, &viaTool);
        QVERIFY(!viaTool);
        QCOMPARE(b.value(QStringLiteral("system")).toString(),
                 QStringLiteral("be brief\n\nbe kind"));
        QCOMPARE(b.value(QStringLiteral("max_tokens")).toInt(), 16384);   // always sent
        QCOMPARE(b.value(QStringLiteral("temperature")).toDouble(), 1.0); // clamped to 0..1
        QCOMPARE(b.value(QStringLiteral("top_k")).toInt(), 5);
        QCOMPARE(b.value(QStringLiteral("stop_sequences")).toArray().first().toString(),
                 QStringLiteral("END"));
        QCOMPARE(b.value(QStringLiteral("stream")).toBool(), true);
        const QJsonObject tool = b.value(QStringLiteral("tools")).toArray().first().toObject();
        QCOMPARE(tool.value(QStringLiteral("input_schema"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("object"));

        const QJsonArray m = b.value(QStringLiteral("messages")).toArray();
        QCOMPARE(m.size(), 3); // user (merged), assistant, user (tool result + text)
        const QJsonArray first = m[0].toObject().value(QStringLiteral("content")).toArray();
        QCOMPARE(first.size(), 3);
        QCOMPARE(first[0].toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("image"));
        QCOMPARE(first[0]
                     .toObject()
                     .value(QStringLiteral("source"))
                     .toObject()
                     .value(QStringLiteral("media_type"))
                     .toString(),
                 QStringLiteral("image/png"));
        QCOMPARE(first[2].toObject().value(QStringLiteral("text")).toString(),
                 QStringLiteral("and be quick"));
        const QJsonObject use =
            m[1].toObject().value(QStringLiteral("content")).toArray().first().toObject();
        QCOMPARE(use.value(QStringLiteral("type")).toString(), QStringLiteral("tool_use"));
        QCOMPARE(use.value(QStringLiteral("id")).toString(),
                 QStringLiteral("call_1_x")); // sanitised
        QVERIFY(use.value(QStringLiteral("input")).isObject());
        const QJsonArray last = m[2].toObject().value(QStringLiteral("content")).toArray();
        QCOMPARE(last[0].toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("tool_result")); // results first
        QCOMPARE(last[0].toObject().value(QStringLiteral("tool_use_id")).toString(),
                 QStringLiteral("call_1_x"));
        QCOMPARE(last[1].toObject().value(QStringLiteral("text")).toString(),
                 QStringLiteral("thanks"));
    }

    void thinkingBudgetAndMaxTokens()
    {
        ThinkingCache cache;
        bool viaTool = false;
        ChatRequest r;
        r.upstreamModel = QStringLiteral("claude-3-5-haiku-latest");
        r.messages << ChatMessage{Role::User, QStringLiteral("hi")};
        QCOMPARE(AnthropicWire::messagesBody(r, {}, cache, &viaTool)
                     .value(QStringLiteral("max_tokens"))
                     .toInt(),
                 8192);
        r.sampling.maxTokens = 100;
        r.sampling.temperature = 0.2;
        r.thinking = Thinking::High;
        const QJsonObject b = AnthropicWire::messagesBody(r, {}, cache, &viaTool);
        QCOMPARE(b.value(QStringLiteral("thinking"))
                     .toObject()
                     .value(QStringLiteral("budget_tokens"))
                     .toInt(),
                 16384);
        QVERIFY(b.value(QStringLiteral("max_tokens")).toInt() > 16384); // the budget must fit
        QVERIFY(!b.contains(QStringLiteral("temperature")));            // not allowed with thinking
    }

    void thinkingRoundTripsThroughTheCache()
    {
        auto cache = std::make_shared<ThinkingCache>();
        AnthropicStreamDecoder d(cache, false);
        QList<ChatEvent> events = d.feed(transcript());
        events += d.finish();
        QVERIFY(cache->contains(QStringLiteral("toolu_01A")));

        // Next turn: the client sends the call back without any signature.
        ChatRequest r;
        r.upstreamModel = QStringLiteral("claude-sonnet-4-5");
        r.thinking = Thinking::On;
        r.messages << ChatMessage{Role::User, QStringLiteral("weather?")};
        ChatMessage a{Role::Assistant, QString()};
        a.toolCalls.append(
            ToolCall{QStringLiteral("toolu_01A"), QStringLiteral("get_weather"), {}, 0});
        ChatMessage t{Role::Tool, QStringLiteral("18C")};
        t.toolCallId = QStringLiteral("toolu_01A");
        r.messages << a << t;
        bool viaTool = false;
        QJsonObject b = AnthropicWire::messagesBody(r, {}, *cache, &viaTool);
        const QJsonObject firstBlock = b.value(QStringLiteral("messages"))
                                           .toArray()[1]
                                           .toObject()
                                           .value(QStringLiteral("content"))
                                           .toArray()
                                           .first()
                                           .toObject();
        QCOMPARE(firstBlock.value(QStringLiteral("type")).toString(), QStringLiteral("thinking"));
        QCOMPARE(firstBlock.value(QStringLiteral("signature")).toString(),
                 QStringLiteral("SIG123"));
        QVERIFY(b.contains(QStringLiteral("thinking")));

        // Without the cached block, thinking is left off for that turn rather than refused.
        ThinkingCache empty;
        b = AnthropicWire::messagesBody(r, {}, empty, &viaTool);
        QVERIFY(!b.contains(QStringLiteral("thinking")));
    }

    void jsonThroughAForcedTool()
    {
        ThinkingCache cache;
        bool viaTool = false;
        ChatRequest r;
        r.upstreamModel = QStringLiteral("claude-3-5-haiku-latest");
        r.messages << ChatMessage{Role::User, QStringLiteral("a person")};
        r.format = OutputFormat::JsonSchema;
        r.schema = QJsonObject{
            {QStringLiteral("type"), QStringLiteral("object")},
            {QStringLiteral("properties"),
             QJsonObject{{QStringLiteral("name"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}}}};
        const QJsonObject b = AnthropicWire::messagesBody(r, {}, cache, &viaTool);
        QVERIFY(viaTool);
        QCOMPARE(b.value(QStringLiteral("tool_choice"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("json_response"));
        QCOMPARE(b.value(QStringLiteral("tools"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("input_schema"))
                     .toObject(),
                 r.schema);

        AnthropicStreamDecoder d(nullptr, true);
        QList<ChatEvent> events = d.feed(
            ev("message_start", "{\"message\":{\"usage\":{\"input_tokens\":3}}}") +
            ev("content_block_start", "{\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                                      "\"id\":\"t\",\"name\":\"json_response\",\"input\":{}}}") +
            ev("content_block_delta", "{\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                                      "\"partial_json\":\"{\\\"name\\\":\\\"Ada\\\"}\"}}") +
            ev("content_block_stop", "{\"index\":0}") +
            ev("message_delta",
               "{\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}") +
            ev("message_stop", "{}"));
        QCOMPARE(describe(events), QStringLiteral("text:{\"name\":\"Ada\"}|usage:3/9|finish:0"));
    }

    void toolChoiceMapping()
    {
        ThinkingCache cache;
        bool viaTool = false;
        ChatRequest r = conversation();
        r.toolChoice = {ToolChoice::Mode::Required, {}};
        QCOMPARE(AnthropicWire::messagesBody(r, {}, cache, &viaTool)
                     .value(QStringLiteral("tool_choice"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("any"));
        r.toolChoice = ToolChoice::named(QStringLiteral("get_weather"));
        const QJsonObject tc = AnthropicWire::messagesBody(r, {}, cache, &viaTool)
                                   .value(QStringLiteral("tool_choice"))
                                   .toObject();
        QCOMPARE(tc.value(QStringLiteral("type")).toString(), QStringLiteral("tool"));
        QCOMPARE(tc.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        const auto typeFor = [&](ToolChoice::Mode mode) {
            r.toolChoice = {mode, {}};
            return AnthropicWire::messagesBody(r, {}, cache, &viaTool)
                .value(QStringLiteral("tool_choice"))
                .toObject()
                .value(QStringLiteral("type"))
                .toString();
        };
        QCOMPARE(typeFor(ToolChoice::Mode::Auto), QStringLiteral("auto"));
        QCOMPARE(typeFor(ToolChoice::Mode::None), QStringLiteral("none"));
        r.toolChoice = {};
        QVERIFY(!AnthropicWire::messagesBody(r, {}, cache, &viaTool)
                     .contains(QStringLiteral("tool_choice")));
    }

    // A realistic cached turn: message_start carries the cache counts, message_delta the
    // cumulative output (and, on newer API versions, the input counts again). input_tokens
    // excludes the cache, so the canonical prompt count is the sum.
    void usageWithPromptCache()
    {
        AnthropicStreamDecoder d(nullptr, false);
        QList<ChatEvent> events =
            d.feed(ev("message_start",
                      "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":"
                      "\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                      "\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":12,\"cache_"
                      "creation_input_tokens\":1500,\"cache_read_input_tokens\":8000,\"output_"
                      "tokens\":1}}}") +
                   ev("content_block_start", "{\"index\":0,\"content_block\":{\"type\":\"text\","
                                             "\"text\":\"\"}}") +
                   ev("content_block_delta",
                      "{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}") +
                   ev("content_block_stop", "{\"index\":0}") +
                   ev("message_delta", "{\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{"
                                       "\"output_tokens\":57,\"input_tokens\":null,\"cache_read_"
                                       "input_tokens\":null}}") +
                   ev("message_stop", "{}"));
        events += d.finish();
        const auto u = std::find_if(events.begin(), events.end(), [](const ChatEvent &e) {
            return e.type == ChatEvent::Type::Usage;
        });
        QVERIFY(u != events.end());
        QCOMPARE(u->promptTokens, 12 + 1500 + 8000);
        QCOMPARE(u->completionTokens, 57);
        QCOMPARE(u->cachedTokens, 8000);
        QCOMPARE(u->cacheWriteTokens, 1500);
        QCOMPARE(u->reasoningTokens, -1); // Anthropic does not count thinking apart
    }

    void decodeTranscriptWholeAndByteByByte()
    {
        const QString expected = QStringLiteral("think:Need "
                                                "weather.|signed:SIG123|text:Checking.|call:toolu_"
                                                "01A:get_weather:{\"city\":\"Paris\"}"
                                                "|usage:25/42|finish:%1")
                                     .arg(int(FinishReason::ToolCalls));
        AnthropicStreamDecoder whole(nullptr, false);
        QList<ChatEvent> events = whole.feed(transcript());
        events += whole.finish();
        QCOMPARE(describe(events), expected);
        AnthropicStreamDecoder bytes(nullptr, false);
        events.clear();
        QByteArray t = transcript();
        t.replace("\n", "\r\n"); // any line ending
        for (char c : t)
            events += bytes.feed(QByteArray(1, c));
        events += bytes.finish();
        QCOMPARE(describe(events), expected);
    }

    void decodeProblems()
    {
        AnthropicStreamDecoder overloaded(nullptr, false);
        QList<ChatEvent> events = overloaded.feed(
            ev("message_start", "{\"message\":{\"usage\":{\"input_tokens\":1}}}") +
            ev("content_block_start", "{\"index\":0,\"content_block\":{\"type\":\"text\"}}") +
            ev("content_block_delta",
               "{\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}") +
            ev("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
                        "\"Overloaded\"}}"));
        events += overloaded.finish();
        QCOMPARE(describe(events), QStringLiteral("text:Hi|error:503:Overloaded"));

        AnthropicStreamDecoder truncated(nullptr, false);
        events = truncated.feed(
            ev("message_start", "{\"message\":{}}") +
            ev("content_block_start", "{\"index\":0,\"content_block\":{\"type\":\"text\"}}"));
        events += truncated.finish();
        QVERIFY(
            describe(events).startsWith(QStringLiteral("error:502:the provider's stream ended")));

        AnthropicStreamDecoder maxTokens(nullptr, false);
        events = maxTokens.feed(
            ev("message_delta",
               "{\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":5}}") +
            ev("message_stop", "{}"));
        QCOMPARE(describe(events), QStringLiteral("usage:-1/5|finish:1"));
    }

    void decodeWholeMessage()
    {
        AnthropicStreamDecoder d(nullptr, false);
        d.setJsonBody(true);
        QList<ChatEvent> events = d.feed(
            "{\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"},{\"type\":"
            "\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{\"a\":1}}],"
            "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":4,\"output_tokens\":6}}");
        events += d.finish();
        QCOMPARE(describe(events),
                 QStringLiteral("text:Hi|call:t1:f:{\"a\":1}|usage:4/6|finish:2"));
    }

    void stopReasons()
    {
        QCOMPARE(AnthropicWire::stopReason(QStringLiteral("end_turn")), FinishReason::Stop);
        QCOMPARE(AnthropicWire::stopReason(QStringLiteral("stop_sequence")), FinishReason::Stop);
        QCOMPARE(AnthropicWire::stopReason(QStringLiteral("max_tokens")), FinishReason::Length);
        QCOMPARE(AnthropicWire::stopReason(QStringLiteral("tool_use")), FinishReason::ToolCalls);
        QCOMPARE(AnthropicWire::stopReason(QStringLiteral("refusal")), FinishReason::ContentFilter);
    }
};

QTEST_GUILESS_MAIN(TstAnthropic)
#include "tst_anthropic.moc"
