// What each thinking level becomes per provider and model (the README's table "Thinking
// levels"), and the providers' rules a client should never see: fields a model refuses are left
// out or changed, and each change is noted as an Adjustment for the request log.
// (The same through real sockets and clients: tst_providers' log checks, e2e thinking.test.mjs.)

#include "log/adjustmenttext.h"
#include "providers/anthropic/anthropicwire.h"
#include "providers/gemini/geminiwire.h"
#include "providers/ollama/ollamawire.h"
#include "providers/openai/openaiwire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gw;

Q_DECLARE_METATYPE(gw::Thinking)

namespace {

ChatRequest ask(const QString &model, Thinking thinking = Thinking::Unset)
{
    ChatRequest r;
    r.model = QStringLiteral("m");
    r.upstreamModel = model;
    r.messages.append(ChatMessage{Role::User, QStringLiteral("hi")});
    r.thinking = thinking;
    return r;
}

// The part of a body that carries thinking, compact, for comparing with a table row.
QString thinkingPart(const QJsonObject &body, std::initializer_list<const char *> keys)
{
    QJsonObject out;
    for (const char *k : keys)
        if (body.contains(QLatin1StringView(k)))
            out.insert(QLatin1StringView(k), body.value(QLatin1StringView(k)));
    return QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Compact));
}

QString openAi(const QString &model, Thinking t, Adjustments *adjusted, bool deepSeek = false)
{
    OpenAiFlavor flavor;
    flavor.deepSeekThinking = deepSeek;
    return thinkingPart(OpenAiWire::chatBody(ask(model, t), flavor, adjusted),
                        {"reasoning_effort", "thinking"});
}

QString anthropic(const QString &model, Thinking t, Adjustments *adjusted)
{
    ThinkingCache cache;
    bool viaTool = false;
    const QJsonObject body =
        AnthropicWire::messagesBody(ask(model, t), AnthropicOptions{}, cache, &viaTool, adjusted);
    return thinkingPart(body, {"thinking", "output_config"});
}

QString gemini(const QString &model, Thinking t, Adjustments *adjusted)
{
    ThinkingCache cache;
    const QJsonObject gen = GeminiWire::generateBody(ask(model, t), cache, adjusted)
                                .value(QLatin1StringView("generationConfig"))
                                .toObject();
    return thinkingPart(gen, {"thinkingConfig"});
}

QString ollama(const QString &model, Thinking t)
{
    return thinkingPart(OllamaWire::chatBody(ask(model, t)), {"think"});
}

} // namespace

class TestProviderRules : public QObject
{
    Q_OBJECT
private slots:
    void thinkingLevels_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("model");
        QTest::addColumn<Thinking>("level");
        QTest::addColumn<QString>("sent");
        QTest::addColumn<QString>("adjusted"); // the log's words, empty when nothing changed

        const auto row = [](const char *name, const char *provider, const char *model, Thinking t,
                            const char *sent, const char *adjusted = "") {
            // The JSON is written with ' for " (moc 6.4 misreads raw strings holding quotes).
            QTest::newRow(name) << QString::fromLatin1(provider) << QString::fromLatin1(model) << t
                                << QString::fromLatin1(sent).replace(u'\'', u'"')
                                << QString::fromLatin1(adjusted);
        };
        using T = Thinking;
        // OpenAI: reasoning_effort as each family takes it.
        row("o4-mini off", "openai", "o4-mini", T::Off, "{'reasoning_effort':'low'}",
            "reasoning_effort none sent as low: the model has no such setting");
        row("o4-mini minimal", "openai", "o4-mini", T::Minimal, "{'reasoning_effort':'low'}",
            "reasoning_effort minimal sent as low: the model has no such setting");
        row("o4-mini on", "openai", "o4-mini", T::On, "{'reasoning_effort':'medium'}");
        row("o3 max", "openai", "o3", T::Max, "{'reasoning_effort':'high'}",
            "reasoning_effort max sent as high: the model has no such setting");
        row("gpt-5 off", "openai", "gpt-5-mini", T::Off, "{'reasoning_effort':'minimal'}",
            "reasoning_effort none sent as minimal: the model has no such setting");
        row("gpt-5 minimal", "openai", "gpt-5", T::Minimal, "{'reasoning_effort':'minimal'}");
        row("gpt-5 low", "openai", "gpt-5-nano", T::Low, "{'reasoning_effort':'low'}");
        row("gpt-5.1 off", "openai", "gpt-5.1", T::Off, "{'reasoning_effort':'none'}");
        row("gpt-5.1 minimal", "openai", "gpt-5.1", T::Minimal, "{'reasoning_effort':'low'}",
            "reasoning_effort minimal sent as low: the model has no such setting");
        row("gpt-5.1 max", "openai", "gpt-5.1", T::Max, "{'reasoning_effort':'high'}",
            "reasoning_effort max sent as high: the model has no such setting");
        row("gpt-5.1-codex-max max", "openai", "gpt-5.1-codex-max", T::Max,
            "{'reasoning_effort':'xhigh'}");
        row("gpt-5.2 max", "openai", "gpt-5.2", T::Max, "{'reasoning_effort':'xhigh'}");
        row("gpt-5.2 high", "openai", "openai/gpt-5.2", T::High, "{'reasoning_effort':'high'}");
        row("gpt-5-pro low", "openai", "gpt-5-pro", T::Low, "{'reasoning_effort':'high'}",
            "reasoning_effort low sent as high: the model has no such setting");
        row("compatible medium", "openai", "gpt-oss-20b", T::Medium,
            "{'reasoning_effort':'medium'}");
        row("compatible off", "openai", "qwen3-32b", T::Off, "{}");
        row("unset", "openai", "o3", T::Unset, "{}");
        // DeepSeek (api.deepseek.com): its own switch plus an effort.
        row("deepseek off", "deepseek", "deepseek-chat", T::Off,
            "{'thinking':{'type':'disabled'}}");
        row("deepseek on", "deepseek", "deepseek-chat", T::On, "{'thinking':{'type':'enabled'}}");
        row("deepseek minimal", "deepseek", "deepseek-chat", T::Minimal,
            "{'reasoning_effort':'low','thinking':{'type':'enabled'}}");
        row("deepseek max", "deepseek", "deepseek-reasoner", T::Max,
            "{'reasoning_effort':'max','thinking':{'type':'enabled'}}");
        // Anthropic: a budget per level; the adaptive form with an effort from 4.6 on.
        row("claude off", "anthropic", "claude-sonnet-4-5", T::Off, "{}");
        row("claude minimal", "anthropic", "claude-sonnet-4-5", T::Minimal,
            "{'thinking':{'budget_tokens':1024,'type':'enabled'}}");
        row("claude on", "anthropic", "claude-sonnet-4-5", T::On,
            "{'thinking':{'budget_tokens':4096,'type':'enabled'}}");
        row("claude high", "anthropic", "claude-opus-4-1-20250805", T::High,
            "{'thinking':{'budget_tokens':16384,'type':'enabled'}}");
        row("claude max", "anthropic", "claude-3-7-sonnet-latest", T::Max,
            "{'thinking':{'budget_tokens':32000,'type':'enabled'}}");
        row("claude 4.6 on", "anthropic", "claude-opus-4-6", T::On,
            "{'thinking':{'type':'adaptive'}}");
        row("claude 4.6 low", "anthropic", "claude-sonnet-4-6", T::Low,
            "{'output_config':{'effort':'low'},'thinking':{'type':'adaptive'}}");
        row("claude 4.6 max", "anthropic", "claude-opus-4-6", T::Max,
            "{'output_config':{'effort':'max'},'thinking':{'type':'adaptive'}}");
        // Gemini 3: thinkingLevel, the next level up where the model lacks one.
        row("gemini 3 flash off", "gemini", "gemini-3-flash-preview", T::Off,
            "{'thinkingConfig':{'thinkingLevel':'MINIMAL'}}",
            "thinkingLevel off sent as MINIMAL: the model has no such setting");
        row("gemini 3 flash minimal", "gemini", "gemini-3-flash-preview", T::Minimal,
            "{'thinkingConfig':{'includeThoughts':true,'thinkingLevel':'MINIMAL'}}");
        row("gemini 3 flash medium", "gemini", "gemini-3-flash-preview", T::Medium,
            "{'thinkingConfig':{'includeThoughts':true,'thinkingLevel':'MEDIUM'}}");
        row("gemini 3 on", "gemini", "gemini-3-pro-preview", T::On,
            "{'thinkingConfig':{'includeThoughts':true}}");
        row("gemini 3 pro minimal", "gemini", "gemini-3-pro-preview", T::Minimal,
            "{'thinkingConfig':{'includeThoughts':true,'thinkingLevel':'LOW'}}",
            "thinkingLevel MINIMAL sent as LOW: the model has no such setting");
        row("gemini 3 pro medium", "gemini", "gemini-3-pro-preview", T::Medium,
            "{'thinkingConfig':{'includeThoughts':true,'thinkingLevel':'HIGH'}}",
            "thinkingLevel MEDIUM sent as HIGH: the model has no such setting");
        row("gemini 3.1 pro medium", "gemini", "gemini-3.1-pro-preview", T::Medium,
            "{'thinkingConfig':{'includeThoughts':true,'thinkingLevel':'MEDIUM'}}");
        row("gemini 3 max", "gemini", "models/gemini-3-flash-preview", T::Max,
            "{'thinkingConfig':{'includeThoughts':true,'thinkingLevel':'HIGH'}}",
            "thinkingLevel max sent as HIGH: the model has no such setting");
        // Gemini 2.5: thinkingBudget.
        row("gemini 2.5 flash off", "gemini", "gemini-2.5-flash", T::Off,
            "{'thinkingConfig':{'thinkingBudget':0}}");
        row("gemini 2.5 pro off", "gemini", "gemini-2.5-pro", T::Off,
            "{'thinkingConfig':{'thinkingBudget':128}}",
            "thinkingBudget off sent as 128: the model has no such setting");
        row("gemini 2.5 on", "gemini", "gemini-2.5-flash", T::On,
            "{'thinkingConfig':{'includeThoughts':true,'thinkingBudget':-1}}");
        row("gemini 2.5 low", "gemini", "gemini-2.5-flash-lite", T::Low,
            "{'thinkingConfig':{'includeThoughts':true,'thinkingBudget':1024}}");
        row("gemini 2.5 medium", "gemini", "gemini-2.5-flash", T::Medium,
            "{'thinkingConfig':{'includeThoughts':true,'thinkingBudget':8192}}");
        row("gemini 2.5 pro max", "gemini", "gemini-2.5-pro", T::Max,
            "{'thinkingConfig':{'includeThoughts':true,'thinkingBudget':32768}}");
        // A real Ollama: think as it takes it.
        row("ollama off", "ollama", "qwen3", T::Off, "{'think':false}");
        row("ollama on", "ollama", "qwen3", T::On, "{'think':true}");
        row("ollama minimal", "ollama", "gpt-oss:20b", T::Minimal, "{'think':'low'}");
        row("ollama max", "ollama", "gpt-oss:20b", T::Max, "{'think':'max'}");
    }
    void thinkingLevels()
    {
        QFETCH(QString, provider);
        QFETCH(QString, model);
        QFETCH(Thinking, level);
        QFETCH(QString, sent);
        QFETCH(QString, adjusted);
        Adjustments notes;
        QString got;
        if (provider == u"openai" || provider == u"deepseek")
            got = openAi(model, level, &notes, provider == u"deepseek");
        else if (provider == u"anthropic")
            got = anthropic(model, level, &notes);
        else if (provider == u"gemini")
            got = gemini(model, level, &notes);
        else
            got = ollama(model, level);
        QCOMPARE(got, sent);
        QStringList words;
        for (const Adjustment &a : std::as_const(notes))
            words.append(adjustmentText(a));
        QCOMPARE(words.join(u'|'), adjusted);
    }

    void claudeVersions()
    {
        QCOMPARE(AnthropicWire::claudeVersion(QStringLiteral("claude-sonnet-4-5-20250929")), 45);
        QCOMPARE(AnthropicWire::claudeVersion(QStringLiteral("claude-opus-4-20250514")), 40);
        QCOMPARE(AnthropicWire::claudeVersion(QStringLiteral("claude-3-5-haiku-latest")), 35);
        QCOMPARE(AnthropicWire::claudeVersion(QStringLiteral("claude-3-haiku-20240307")), 30);
        QCOMPARE(AnthropicWire::claudeVersion(QStringLiteral("claude-3-7-sonnet-20250219")), 37);
        QCOMPARE(
            AnthropicWire::claudeVersion(QStringLiteral("anthropic.claude-opus-4-1-20250805-v1:0")),
            41);
        QCOMPARE(AnthropicWire::claudeVersion(QStringLiteral("claude-haiku-4-5")), 45);
        QCOMPARE(AnthropicWire::claudeVersion(QStringLiteral("gpt-4o")), 0);
    }

    // The case: options {temperature: 0.2, top_p: 0.9} on claude-sonnet-4-5 got a 400.
    void claudeTemperatureOrTopP()
    {
        ThinkingCache cache;
        bool viaTool = false;
        ChatRequest r = ask(QStringLiteral("claude-sonnet-4-5"));
        r.sampling.temperature = 0.2;
        r.sampling.topP = 0.9;
        Adjustments notes;
        QJsonObject b = AnthropicWire::messagesBody(r, {}, cache, &viaTool, &notes);
        QCOMPARE(b.value(QLatin1StringView("temperature")).toDouble(), 0.2);
        QVERIFY(!b.contains(QLatin1StringView("top_p")));
        QCOMPARE(notes.size(), 1);
        QCOMPARE(adjustmentText(notes.first()),
                 QStringLiteral("top_p left out: the model takes temperature or top_p, not both; "
                                "temperature wins"));

        // top_p alone goes; older models take both.
        r.sampling.temperature.reset();
        notes.clear();
        b = AnthropicWire::messagesBody(r, {}, cache, &viaTool, &notes);
        QCOMPARE(b.value(QLatin1StringView("top_p")).toDouble(), 0.9);
        QVERIFY(notes.isEmpty());
        r.sampling.temperature = 0.2;
        r.upstreamModel = QStringLiteral("claude-sonnet-4-20250514");
        b = AnthropicWire::messagesBody(r, {}, cache, &viaTool, &notes);
        QCOMPARE(b.value(QLatin1StringView("top_p")).toDouble(), 0.9);
        QCOMPARE(b.value(QLatin1StringView("temperature")).toDouble(), 0.2);
        QVERIFY(notes.isEmpty());
    }

    void claudeSamplingRules()
    {
        ThinkingCache cache;
        bool viaTool = false;
        ChatRequest r = ask(QStringLiteral("claude-3-5-haiku-latest"));
        r.sampling.temperature = 1.5; // Ollama's and OpenAI's range reach 2
        r.sampling.topK = 40;
        Adjustments notes;
        QJsonObject b = AnthropicWire::messagesBody(r, {}, cache, &viaTool, &notes);
        QCOMPARE(b.value(QLatin1StringView("temperature")).toDouble(), 1.0);
        QCOMPARE(b.value(QLatin1StringView("top_k")).toInt(), 40);
        QCOMPARE(notes.size(), 1);
        QCOMPARE(adjustmentText(notes.first()),
                 QStringLiteral("temperature 1.5 sent as 1: outside the provider's range"));

        // Thinking needs the default temperature and no top_k.
        r.thinking = Thinking::High;
        notes.clear();
        b = AnthropicWire::messagesBody(r, {}, cache, &viaTool, &notes);
        QVERIFY(!b.contains(QLatin1StringView("temperature")));
        QVERIFY(!b.contains(QLatin1StringView("top_k")));
        QCOMPARE(notes.size(), 2);
        QCOMPARE(adjustmentText(notes.last()),
                 QStringLiteral("top_k left out: the model refuses it while thinking"));

        // A forced tool while thinking: Anthropic takes only auto and none then.
        r.tools.append(ToolSpec{QStringLiteral("f"), {}, {}, {}});
        r.toolChoice = ToolChoice::named(QStringLiteral("f"));
        notes.clear();
        b = AnthropicWire::messagesBody(r, {}, cache, &viaTool, &notes);
        QVERIFY(!b.contains(QLatin1StringView("tool_choice")));
        QCOMPARE(adjustmentText(notes.first()),
                 QStringLiteral("tool_choice left out: the model refuses it while thinking"));
        r.tools.clear();
        r.toolChoice = {};

        // A provider set to send no sampling fields (the newest models refuse them).
        AnthropicOptions none;
        none.sendSampling = false;
        r.thinking = Thinking::Unset;
        notes.clear();
        b = AnthropicWire::messagesBody(r, none, cache, &viaTool, &notes);
        QVERIFY(!b.contains(QLatin1StringView("temperature")));
        QCOMPARE(notes.size(), 2);
        QCOMPARE(notes.first().rule, Adjustment::Rule::NoSampling);
    }

    void openAiReasoningRules()
    {
        ChatRequest r = ask(QStringLiteral("o4-mini"), Thinking::High);
        r.sampling.temperature = 0.2;
        r.sampling.topP = 0.9;
        r.sampling.frequencyPenalty = 0.1;
        r.sampling.stop = {QStringLiteral("END")};
        r.sampling.maxTokens = 500;
        Adjustments notes;
        // A compatible host serving an OpenAI reasoning model (Azure, OpenRouter): still
        // max_completion_tokens.
        QJsonObject b = OpenAiWire::chatBody(r, {}, &notes);
        for (const char *f : {"temperature", "top_p", "frequency_penalty", "stop", "max_tokens"})
            QVERIFY2(!b.contains(QLatin1StringView(f)), f);
        QCOMPARE(b.value(QLatin1StringView("max_completion_tokens")).toInt(), 500);
        QStringList words;
        for (const Adjustment &a : std::as_const(notes))
            words.append(adjustmentText(a));
        QCOMPARE(words, QStringList({QStringLiteral("temperature left out: reasoning models "
                                                    "refuse it"),
                                     QStringLiteral("top_p left out: reasoning models refuse it"),
                                     QStringLiteral("frequency_penalty left out: reasoning "
                                                    "models refuse it"),
                                     QStringLiteral("stop left out: reasoning models refuse it")}));

        // The provider's max_tokens_field option decides when set.
        OpenAiFlavor chosen;
        chosen.maxTokensFieldSet = true;
        QCOMPARE(OpenAiWire::chatBody(r, chosen).value(QLatin1StringView("max_tokens")).toInt(),
                 500);

        // gpt-5.1 and later take sampling again without reasoning.
        r.upstreamModel = QStringLiteral("gpt-5.1");
        r.thinking = Thinking::Off;
        notes.clear();
        b = OpenAiWire::chatBody(r, {}, &notes);
        QCOMPARE(b.value(QLatin1StringView("temperature")).toDouble(), 0.2);
        QCOMPARE(b.value(QLatin1StringView("reasoning_effort")).toString(), QStringLiteral("none"));

        // More stop sequences than the provider takes: the first ones, noted.
        r.upstreamModel = QStringLiteral("gpt-4o");
        r.sampling.stop = {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                           QStringLiteral("4"), QStringLiteral("5"), QStringLiteral("6")};
        notes.clear();
        b = OpenAiWire::chatBody(r, {}, &notes);
        QCOMPARE(b.value(QLatin1StringView("stop")).toArray().size(), 4);
        QCOMPARE(adjustmentText(notes.last()),
                 QStringLiteral("stop 6 sequences sent as the first 4: outside the provider's "
                                "range"));
        notes.clear();
        ThinkingCache cache;
        const QJsonObject g = GeminiWire::generateBody(r, cache, &notes);
        QCOMPARE(g.value(QLatin1StringView("generationConfig"))
                     .toObject()
                     .value(QLatin1StringView("stopSequences"))
                     .toArray()
                     .size(),
                 5);
        QCOMPARE(notes.size(), 1);
        r.sampling.stop = {QStringLiteral("END")};

        // Chat models are no reasoners.
        r.upstreamModel = QStringLiteral("gpt-5-chat-latest");
        r.thinking = Thinking::Unset;
        notes.clear();
        b = OpenAiWire::chatBody(r, {}, &notes);
        QCOMPARE(b.value(QLatin1StringView("temperature")).toDouble(), 0.2);
        QCOMPARE(b.value(QLatin1StringView("max_tokens")).toInt(), 500);
        QVERIFY(notes.isEmpty());
    }

    // DeepSeek's thinking mode wants a tool-calling turn's reasoning back in every later
    // request; other servers get none.
    void deepSeekReasoningRoundTrip()
    {
        ChatRequest r = ask(QStringLiteral("deepseek-chat"), Thinking::On);
        ChatMessage call{Role::Assistant, QString()};
        call.thinking = QStringLiteral("Look it up.");
        call.toolCalls.append(ToolCall{});
        call.toolCalls.last().id = QStringLiteral("call_1");
        call.toolCalls.last().name = QStringLiteral("get_weather");
        r.messages.append(call);
        ChatMessage result{Role::Tool, QStringLiteral("sunny")};
        result.toolCallId = QStringLiteral("call_1");
        r.messages.append(result);
        OpenAiFlavor deepSeek;
        deepSeek.deepSeekThinking = true;
        const auto assistant = [](const QJsonObject &body) {
            return body.value(QLatin1StringView("messages")).toArray().at(1).toObject();
        };
        QCOMPARE(assistant(OpenAiWire::chatBody(r, deepSeek))
                     .value(QLatin1StringView("reasoning_content"))
                     .toString(),
                 QStringLiteral("Look it up."));
        QVERIFY(!assistant(OpenAiWire::chatBody(r, {}))
                     .contains(QLatin1StringView("reasoning_content")));
    }
};

QTEST_GUILESS_MAIN(TestProviderRules)
#include "tst_providerrules.moc"
