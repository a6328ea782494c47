// The Anthropic Messages dialect without sockets: AnthropicDecoder on every field and block
// type (and the errors that name the field), AnthropicEncoder's error types, stop reasons,
// usage and token estimate, and AnthropicStream driven by scripted event sequences, streamed
// and whole.

#include "api/anthropic/anthropicdecoder.h"
#include "api/anthropic/anthropicencoder.h"
#include "api/anthropic/anthropicstream.h"
#include "checkedlist.h"
#include "http/responder.h"
#include "jsontext.h"
#include "testseed.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;
using gwtest::CheckedList;
using gwtest::j;
using gwtest::obj;

namespace {

// Captures what a dialect sends instead of writing to a socket.
class FakeResponder : public Responder
{
public:
    int status = 0;
    QByteArray body;
    bool ended = false;
    bool started = false;

    void send(int s, const QByteArray &, const QByteArray &b, const Headers &) override
    {
        status = s;
        body = b;
        started = ended = true;
    }
    void beginStream(int s, const QByteArray &, const Headers &) override
    {
        status = s;
        started = true;
    }
    void write(const QByteArray &piece) override { body += piece; }
    void end() override { ended = true; }
    bool hasStarted() const override { return started; }
};

// Delivers a fixed list of events at start().
class ScriptedJob : public ChatJob
{
public:
    explicit ScriptedJob(QList<ChatEvent> events) : m_events(std::move(events)) {}
    void start() override
    {
        for (const ChatEvent &e : std::as_const(m_events))
            deliver(e);
    }

private:
    QList<ChatEvent> m_events;
};

QJsonObject at(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toObject();
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toString();
}

// An SSE body as (event name, data) pairs, checking that every frame is "event:" + "data:".
using Frame = std::pair<QByteArray, QJsonObject>;

CheckedList<Frame> sse(const QByteArray &body)
{
    QList<Frame> out;
    qsizetype pos = 0;
    while (pos < body.size()) {
        const qsizetype end = body.indexOf("\n\n", pos);
        if (end < 0)
            break;
        const QList<QByteArray> lines = body.mid(pos, end - pos).split('\n');
        pos = end + 2;
        if (lines.size() != 2 || !lines[0].startsWith("event: ") ||
            !lines[1].startsWith("data: ")) {
            out.append(Frame("<bad frame>", QJsonObject()));
            continue;
        }
        const QJsonObject data = obj(lines[1].mid(6));
        const QByteArray name = lines[0].mid(7);
        if (name != str(data, "type").toUtf8())
            out.append(Frame("<name differs from type>", data));
        else
            out.append(Frame(name, data));
    }
    return out;
}

ToolCall call(const QString &id, const QString &name, QJsonObject args)
{
    ToolCall c;
    c.id = id;
    c.name = name;
    c.arguments = std::move(args);
    return c;
}

} // namespace

class TstAnthropicDialect : public QObject
{
    Q_OBJECT

    static ChatRequest decode(const QByteArray &body)
    {
        ApiError e;
        const auto r = AnthropicDecoder::messages(body, e);
        if (!r)
            qWarning("refused: %s", qPrintable(e.message));
        return r.value_or(ChatRequest{});
    }
    static QString error(const QByteArray &body, const ApiLimits &limits = {})
    {
        ApiError e;
        const auto r = AnthropicDecoder::messages(body, e, limits);
        return r ? QString() : QString::number(e.status) + u' ' + e.message;
    }
    static FakeResponder *run(bool stream, const QList<ChatEvent> &events)
    {
        auto *r = new FakeResponder;
        auto *s = new AnthropicStream(r, QStringLiteral("m"), stream, 42, 0);
        s->run(new ScriptedJob(events));
        return r;
    }

private slots:
    void decodesAWholeConversation()
    {
        const ChatRequest r = decode(j(
            "{\n"
            "          'model': 'claude-x', 'max_tokens': 1000, 'stream': true, 'metadata': "
            "{'user_id': 'u'},\n"
            "          'system': [{'type': 'text', 'text': 'Be brief.'},\n"
            "                     {'type': 'text', 'text': 'Cached.', 'cache_control': {'type': "
            "'ephemeral', 'ttl': '1h'}}],\n"
            "          'temperature': 0.5, 'top_p': 0.9, 'top_k': 40, 'stop_sequences': ['END', "
            "''],\n"
            "          'tools': [{'name': 'get_weather', 'description': 'Weather', 'input_schema': "
            "{'type': 'object'},\n"
            "                     'cache_control': {'type': 'ephemeral'}}],\n"
            "          'tool_choice': {'type': 'any'},\n"
            "          'thinking': {'type': 'enabled', 'budget_tokens': 10000},\n"
            "          'messages': [\n"
            "            {'role': 'user', 'content': [\n"
            "              {'type': 'image', 'source': {'type': 'base64', 'media_type': "
            "'image/jpeg', 'data': 'AAAA'}},\n"
            "              {'type': 'image', 'source': {'type': 'url', 'url': "
            "'https://example.com/a.png'}},\n"
            "              {'type': 'text', 'text': 'Weather?'}]},\n"
            "            {'role': 'assistant', 'content': [\n"
            "              {'type': 'thinking', 'thinking': 'Need a tool.', 'signature': 'SIG'},\n"
            "              {'type': 'redacted_thinking', 'data': 'OPAQUE'},\n"
            "              {'type': 'text', 'text': 'Checking.'},\n"
            "              {'type': 'tool_use', 'id': 'toolu_1', 'name': 'get_weather', 'input': "
            "{'city': 'Paris'}},\n"
            "              {'type': 'tool_use', 'id': 'toolu_2', 'name': 'get_weather', 'input': "
            "{'city': 'Rome'}}]},\n"
            "            {'role': 'user', 'content': [\n"
            "              {'type': 'tool_result', 'tool_use_id': 'toolu_1', 'content': 'sunny'},\n"
            "              {'type': 'tool_result', 'tool_use_id': 'toolu_2', 'is_error': true,\n"
            "               'content': [{'type': 'text', 'text': 'timeout'},\n"
            "                           {'type': 'image', 'source': {'type': 'base64', "
            "'media_type': 'image/png', 'data': 'BBBB'}}],\n"
            "               'cache_control': {'type': 'ephemeral'}},\n"
            "              {'type': 'text', 'text': 'And tomorrow?', 'cache_control': {'type': "
            "'ephemeral'}}]}\n"
            "          ]}"));
        QCOMPARE(r.model, QStringLiteral("claude-x"));
        QVERIFY(r.stream);
        QCOMPARE(r.sampling.maxTokens, 1000);
        QCOMPARE(r.sampling.temperature, 0.5);
        QCOMPARE(r.sampling.topP, 0.9);
        QCOMPARE(r.sampling.topK, 40);
        QCOMPARE(r.sampling.stop, QStringList{QStringLiteral("END")});
        QCOMPARE(r.thinking, Thinking::High);
        QCOMPARE(r.thinkingBudget, 10000);
        QVERIFY(!r.thinkingAdaptive);
        QCOMPARE(r.toolChoice.mode, ToolChoice::Mode::Required);
        QCOMPARE(r.tools.size(), 1);
        QCOMPARE(r.tools[0].name, QStringLiteral("get_weather"));
        QVERIFY(r.tools[0].cache.set);

        QCOMPARE(r.messages.size(), 7);
        QCOMPARE(r.messages[0].role, Role::System);
        QCOMPARE(r.messages[0].content, QStringLiteral("Be brief."));
        QVERIFY(!r.messages[0].cache.set);
        QCOMPARE(r.messages[1].content, QStringLiteral("Cached."));
        QCOMPARE(r.messages[1].cache, (CacheMark{true, QStringLiteral("1h")}));

        const ChatMessage &u = r.messages[2];
        QCOMPARE(u.role, Role::User);
        QCOMPARE(u.content, QStringLiteral("Weather?"));
        QCOMPARE(u.images.size(), 2);
        QCOMPARE(u.images[0].mime, QStringLiteral("image/jpeg"));
        QCOMPARE(u.images[0].base64, QByteArray("AAAA"));
        QCOMPARE(u.images[1].url, QStringLiteral("https://example.com/a.png"));

        const ChatMessage &a = r.messages[3];
        QCOMPARE(a.role, Role::Assistant);
        QCOMPARE(a.content, QStringLiteral("Checking."));
        QCOMPARE(a.thinking, QStringLiteral("Need a tool."));
        QCOMPARE(a.thinkingBlocks.size(), 2);
        QCOMPARE(a.thinkingBlocks[0],
                 (ThinkingBlock{QStringLiteral("Need a tool."), QStringLiteral("SIG"), QString()}));
        QCOMPARE(a.thinkingBlocks[1].redacted, QStringLiteral("OPAQUE"));
        QCOMPARE(a.toolCalls.size(), 2);
        QCOMPARE(a.toolCalls[1].id, QStringLiteral("toolu_2"));
        QCOMPARE(a.toolCalls[1].index, 1);
        QCOMPARE(a.toolCalls[1].arguments.value(QStringLiteral("city")).toString(),
                 QStringLiteral("Rome"));

        // Tool results first, each its own message, then the turn's text.
        QCOMPARE(r.messages[4].role, Role::Tool);
        QCOMPARE(r.messages[4].toolCallId, QStringLiteral("toolu_1"));
        QCOMPARE(r.messages[4].toolName, QStringLiteral("get_weather"));
        QCOMPARE(r.messages[4].content, QStringLiteral("sunny"));
        QVERIFY(!r.messages[4].toolError);
        QCOMPARE(r.messages[5].content, QStringLiteral("timeout"));
        QVERIFY(r.messages[5].toolError);
        QCOMPARE(r.messages[5].images.size(), 1);
        QVERIFY(r.messages[5].cache.set);
        QCOMPARE(r.messages[6].role, Role::User);
        QCOMPARE(r.messages[6].content, QStringLiteral("And tomorrow?"));
        QVERIFY(r.messages[6].cache.set);
    }

    void stringContentAndDefaults()
    {
        const ChatRequest r = decode(
            j("{'model':'m','max_tokens':5,'system':'S','messages':[{'role':'user','content':'hi'},"
              "{'role':'assistant','content':'yo'},{'role':'system','content':'mid'}]}"));
        QVERIFY(!r.stream); // Anthropic streams only when asked
        QCOMPARE(r.messages.size(), 4);
        QCOMPARE(r.messages[0].content, QStringLiteral("S"));
        QCOMPARE(r.messages[2].content, QStringLiteral("yo"));
        QCOMPARE(r.messages[3].role, Role::System); // Claude Code's system turns
        QCOMPARE(r.toolChoice.mode, ToolChoice::Mode::Unset);
        QCOMPARE(r.thinking, Thinking::Unset);
    }

    void toolChoice_data()
    {
        QTest::addColumn<QByteArray>("choice");
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("name");
        using M = ToolChoice::Mode;
        QTest::newRow("auto") << QByteArray(j("{'type':'auto'}")) << int(M::Auto) << QString();
        QTest::newRow("any") << QByteArray(j("{'type':'any'}")) << int(M::Required) << QString();
        QTest::newRow("none") << QByteArray(j("{'type':'none'}")) << int(M::None) << QString();
        QTest::newRow("tool") << QByteArray(j("{'type':'tool','name':'f'}")) << int(M::Named)
                              << QStringLiteral("f");
    }
    void toolChoice()
    {
        QFETCH(QByteArray, choice);
        QFETCH(int, mode);
        QFETCH(QString, name);
        const ChatRequest r = decode(j("{'model':'m','max_tokens':5,'tool_choice':") + choice +
                                     j(",'messages':[{'role':'user','content':'hi'}]}"));
        QCOMPARE(r.toolChoice, (ToolChoice{ToolChoice::Mode(mode), name}));
    }

    void thinkingForms_data()
    {
        QTest::addColumn<QByteArray>("fields");
        QTest::addColumn<int>("level");
        QTest::addColumn<qint64>("budget");
        QTest::addColumn<bool>("adaptive");
        QTest::newRow("disabled") << QByteArray(j("'thinking':{'type':'disabled'}"))
                                  << int(Thinking::Off) << qint64(0) << false;
        QTest::newRow("small budget")
            << QByteArray(j("'thinking':{'type':'enabled','budget_tokens':1024}"))
            << int(Thinking::Low) << qint64(1024) << false;
        QTest::newRow("large budget")
            << QByteArray(j("'thinking':{'type':'enabled','budget_tokens':31999}"))
            << int(Thinking::Max) << qint64(31999) << false;
        QTest::newRow("adaptive") << QByteArray(
                                         j("'thinking':{'type':'adaptive','display':'omitted'}"))
                                  << int(Thinking::On) << qint64(0) << true;
        QTest::newRow("adaptive with effort")
            << QByteArray(j("'thinking':{'type':'adaptive'},'output_config':{'effort':'low'}"))
            << int(Thinking::Low) << qint64(0) << true;
        QTest::newRow("effort alone") << QByteArray(j("'output_config':{'effort':'high'}"))
                                      << int(Thinking::Unset) << qint64(0) << false;
    }
    void thinkingForms()
    {
        QFETCH(QByteArray, fields);
        QFETCH(int, level);
        QFETCH(qint64, budget);
        QFETCH(bool, adaptive);
        const ChatRequest r = decode(j("{'model':'m','max_tokens':5,") + fields +
                                     j(",'messages':[{'role':'user','content':'hi'}]}"));
        QCOMPARE(int(r.thinking), level);
        QCOMPARE(r.thinkingBudget, budget);
        QCOMPARE(r.thinkingAdaptive, adaptive);
    }

    void structuredOutput()
    {
        const ChatRequest r =
            decode(j("{'model':'m','max_tokens':5,'output_config':{'format':{'type':'json_schema','"
                     "schema':{'type':'object'}}},'messages':[{'role':'user','content':'hi'}]}"));
        QCOMPARE(r.format, OutputFormat::JsonSchema);
        QCOMPARE(r.schema.value(QStringLiteral("type")).toString(), QStringLiteral("object"));
    }

    void errorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        const QByteArray hi = j("'messages':[{'role':'user','content':'hi'}]");
        QTest::newRow("empty") << QByteArray() << "400 missing request body";
        QTest::newRow("bad JSON") << QByteArray("{\"model\":") << "400 invalid JSON";
        QTest::newRow("array") << QByteArray("[]") << "400 the request body must be a JSON object";
        QTest::newRow("no model") << QByteArray("{\"max_tokens\":5," + hi + "}")
                                  << "400 model: Field required";
        QTest::newRow("no max_tokens")
            << QByteArray("{\"model\":\"m\"," + hi + "}") << "400 max_tokens: Field required";
        QTest::newRow("max_tokens 0")
            << QByteArray("{\"model\":\"m\",\"max_tokens\":0," + hi + "}")
            << "400 max_tokens: Input should be greater than or equal to 1";
        QTest::newRow("max_tokens text")
            << QByteArray("{\"model\":\"m\",\"max_tokens\":\"5\"," + hi + "}")
            << "400 max_tokens: Input should be a valid integer, not a string";
        QTest::newRow("no messages")
            << QByteArray(j("{'model':'m','max_tokens':5}")) << "400 messages: Field required";
        QTest::newRow("bad role")
            << QByteArray(
                   j("{'model':'m','max_tokens':5,'messages':[{'role':'bot','content':'x'}]}"))
            << "400 messages.0.role: Input should be 'user', 'assistant' or 'system'";
        QTest::newRow("no content")
            << QByteArray(j("{'model':'m','max_tokens':5,'messages':[{'role':'user'}]}"))
            << "400 messages.0.content: Field required";
        QTest::newRow("unknown block")
            << QByteArray(j("{'model':'m','max_tokens':5,'messages':[{'role':'user','content':[{'"
                            "type':'video'}]}]}"))
            << "400 messages.0.content.0.type: content blocks of type 'video' are not supported";
        QTest::newRow("tool_use from user")
            << QByteArray(j("{'model':'m','max_tokens':5,'messages':[{'role':'user','content':[{'"
                            "type':'tool_use','id':'a','name':'f'}]}]}"))
            << "400 messages.0.content.0.type: content blocks of type 'tool_use'";
        QTest::newRow("image source")
            << QByteArray(j("{'model':'m','max_tokens':5,'messages':[{'role':'user','content':[{'"
                            "type':'image','source':{'type':'file'}}]}]}"))
            << "400 messages.0.content.0.source.type: Input should be 'base64' or 'url'";
        QTest::newRow("server tool")
            << QByteArray(j("{'model':'m','max_tokens':5,'tools':[{'type':'web_search_20250305','"
                            "name':'web_search'}],") +
                          hi + "}")
            << "400 tools.0.type: server tool 'web_search_20250305' is not supported";
        QTest::newRow("tool without schema")
            << QByteArray(j("{'model':'m','max_tokens':5,'tools':[{'name':'f'}],") + hi + "}")
            << "400 tools.0.input_schema: Field required";
        QTest::newRow("tool_choice type")
            << QByteArray(j("{'model':'m','max_tokens':5,'tool_choice':{'type':'some'},") + hi +
                          "}")
            << "400 tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'";
        QTest::newRow("tool_choice name")
            << QByteArray(j("{'model':'m','max_tokens':5,'tool_choice':{'type':'tool'},") + hi +
                          "}")
            << "400 tool_choice.name: Field required";
        QTest::newRow("budget small")
            << QByteArray(j("{'model':'m','max_tokens':5,'thinking':{'type':'enabled','budget_"
                            "tokens':10},") +
                          hi + "}")
            << "400 thinking.budget_tokens: Input should be greater than or equal to 1024";
        QTest::newRow("budget missing")
            << QByteArray(j("{'model':'m','max_tokens':5,'thinking':{'type':'enabled'},") + hi +
                          "}")
            << "400 thinking.budget_tokens: Field required";
        QTest::newRow("cache_control type")
            << QByteArray(j("{'model':'m','max_tokens':5,'system':[{'type':'text','text':'s','"
                            "cache_control':{'type':'forever'}}],") +
                          hi + "}")
            << "400 system.0.cache_control.type: Input should be 'ephemeral'";
        QTest::newRow("stop_sequences")
            << QByteArray(j("{'model':'m','max_tokens':5,'stop_sequences':[1],") + hi + "}")
            << "400 stop_sequences.0: Input should be a valid string";
        QTest::newRow("tool_result content")
            << QByteArray(
                   j("{'model':'m','max_tokens':5,'messages':[{'role':'user','content':[{'type':'"
                     "tool_result','tool_use_id':'a','content':[{'type':'audio'}]}]}]}"))
            << "400 messages.0.content.0.content.0.type: 'audio' is not supported in a tool_result";
        QTest::newRow("pdf")
            << QByteArray(j("{'model':'m','max_tokens':5,'messages':[{'role':'user','content':[{'"
                            "type':'document','source':{'type':'base64','data':'x'}}]}]}"))
            << "400 messages.0.content.0.source.type: only text documents";
    }
    void errorsNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        const QString e = error(body);
        QVERIFY2(e.startsWith(expected), qPrintable(e));
    }

    void messageLimit()
    {
        ApiLimits limits;
        limits.maxMessages = 2;
        const QByteArray three =
            j("{'model':'m','max_tokens':5,'messages':[{'role':'user','content':'a'},{'role':'"
              "assistant','content':'b'},{'role':'user','content':'c'}]}");
        QVERIFY(
            error(three, limits).startsWith(QStringLiteral("400 messages: too many messages: 3")));
        QVERIFY(error(three).isEmpty());
    }

    void countTokensNeedsNoMaxTokens()
    {
        ApiError e;
        QVERIFY(AnthropicDecoder::countTokens(
            j("{'model':'m','messages':[{'role':'user','content':'hi'}]}"), e));
        QVERIFY(!AnthropicDecoder::messages(
            j("{'model':'m','messages':[{'role':'user','content':'hi'}]}"), e));
    }

    void randomInputNeverCrashes()
    {
        const QByteArray seed =
            j("{'model':'m','max_tokens':5,'system':[{'type':'text','text':'s'}],'tools':[{'name':'"
              "f','input_schema':{}}],'messages':[{'role':'user','content':[{'type':'text','text':'"
              "x'},{'type':'tool_result','tool_use_id':'a','content':[{'type':'text','text':'r'}]}]"
              "},{'role':'assistant','content':[{'type':'thinking','thinking':'t','signature':'s'},"
              "{'type':'tool_use','id':'a','name':'f','input':{}}]}]}");
        const gwtest::TestSeed testSeed(1234);
        QRandomGenerator rng = testSeed.generator();
        for (int i = 0; i < 3000; ++i) {
            QByteArray b = seed;
            for (int n = 0; n < 3; ++n)
                b[rng.bounded(int(b.size()))] = "{}[]\":,01ax \\"[rng.bounded(13)];
            ApiError e;
            const auto r = AnthropicDecoder::messages(b, e);
            QVERIFY(r || (e.status == 400 && !e.message.isEmpty()));
        }
    }

    void errorTypes()
    {
        QCOMPARE(AnthropicEncoder::errorType(400), "invalid_request_error");
        QCOMPARE(AnthropicEncoder::errorType(401), "authentication_error");
        QCOMPARE(AnthropicEncoder::errorType(403), "permission_error");
        QCOMPARE(AnthropicEncoder::errorType(404), "not_found_error");
        QCOMPARE(AnthropicEncoder::errorType(405), "invalid_request_error");
        QCOMPARE(AnthropicEncoder::errorType(413), "request_too_large");
        QCOMPARE(AnthropicEncoder::errorType(429), "rate_limit_error");
        QCOMPARE(AnthropicEncoder::errorType(500), "api_error");
        QCOMPARE(AnthropicEncoder::errorType(503), "overloaded_error");
        QCOMPARE(AnthropicEncoder::errorType(529), "overloaded_error");
        QCOMPARE(AnthropicEncoder::errorType(FailureCause::KeyRejected), "authentication_error");
        QCOMPARE(AnthropicEncoder::errorType(FailureCause::ModelNotFound), "not_found_error");
        QCOMPARE(AnthropicEncoder::errorType(FailureCause::RateLimited), "rate_limit_error");
        QCOMPARE(AnthropicEncoder::errorType(FailureCause::Overloaded), "overloaded_error");
        QCOMPARE(AnthropicEncoder::errorType(FailureCause::UpstreamFault), "api_error");
        const QJsonObject e = obj(AnthropicEncoder::error(404, QStringLiteral("model: \"x\"")));
        QCOMPARE(str(e, "type"), QStringLiteral("error"));
        QCOMPARE(str(at(e, "error"), "type"), QStringLiteral("not_found_error"));
        QCOMPARE(str(at(e, "error"), "message"), QStringLiteral("model: \"x\""));
    }

    void stopReasons()
    {
        QCOMPARE(AnthropicEncoder::stopReason(FinishReason::Stop, false, {}), "end_turn");
        QCOMPARE(AnthropicEncoder::stopReason(FinishReason::Stop, false, QStringLiteral("END")),
                 "stop_sequence");
        QCOMPARE(AnthropicEncoder::stopReason(FinishReason::Stop, true, {}), "tool_use");
        QCOMPARE(AnthropicEncoder::stopReason(FinishReason::ToolCalls, true, {}), "tool_use");
        QCOMPARE(AnthropicEncoder::stopReason(FinishReason::Length, false, {}), "max_tokens");
        QCOMPARE(AnthropicEncoder::stopReason(FinishReason::ContentFilter, false, {}), "refusal");
    }

    void usageExcludesTheCache()
    {
        const QJsonObject u = obj(AnthropicEncoder::usage(1000, 50, 700, 200));
        QCOMPARE(u.value(QStringLiteral("input_tokens")).toInt(), 100);
        QCOMPARE(u.value(QStringLiteral("cache_read_input_tokens")).toInt(), 700);
        QCOMPARE(u.value(QStringLiteral("cache_creation_input_tokens")).toInt(), 200);
        QCOMPARE(u.value(QStringLiteral("output_tokens")).toInt(), 50);
        const QJsonObject unknown = obj(AnthropicEncoder::usage(-1, -1, -1, -1));
        QCOMPARE(unknown.value(QStringLiteral("input_tokens")).toInt(-1), 0);
    }

    void estimateGrowsWithThePrompt()
    {
        ChatRequest r;
        r.messages.append(ChatMessage{Role::User, QString(400, u'x')});
        const qint64 text = AnthropicEncoder::estimateTokens(r);
        QVERIFY(text >= 100 && text < 120);
        r.messages[0].images.append(ImagePart::fromBase64("AAAA"));
        QCOMPARE(AnthropicEncoder::estimateTokens(r), text + 1600);
        r.tools.append(ToolSpec{QStringLiteral("f"), QString(40, u'd'), {}});
        QVERIFY(AnthropicEncoder::estimateTokens(r) > text + 1600 + 10);
    }

    void wholeMessage()
    {
        ChatEvent stopped = ChatEvent::finished(FinishReason::Stop);
        std::unique_ptr<FakeResponder> r(
            run(false, {ChatEvent::thinkingDelta(QStringLiteral("Hmm, ")),
                        ChatEvent::thinkingDelta(QStringLiteral("weather.")),
                        ChatEvent::thinkingSigned(QStringLiteral("SIG")),
                        ChatEvent::thinkingRedacted(QStringLiteral("OPAQUE")),
                        ChatEvent::textDelta(QStringLiteral("Let me ")),
                        ChatEvent::textDelta(QStringLiteral("check.")),
                        ChatEvent::call(call(QStringLiteral("c1"), QStringLiteral("get_weather"),
                                             {{QStringLiteral("city"), QStringLiteral("Oslo")}})),
                        ChatEvent::call(call(QString(), QStringLiteral("f"), {})),
                        ChatEvent::usage(1000, 20, 600, 100), stopped}));
        QVERIFY(r->ended);
        QCOMPARE(r->status, 200);
        const QJsonObject m = obj(r->body);
        QVERIFY(str(m, "id").startsWith(QStringLiteral("msg_")));
        QCOMPARE(str(m, "type"), QStringLiteral("message"));
        QCOMPARE(str(m, "role"), QStringLiteral("assistant"));
        QCOMPARE(str(m, "model"), QStringLiteral("m"));
        QCOMPARE(str(m, "stop_reason"), QStringLiteral("tool_use")); // a plain stop with calls
        QVERIFY(m.value(QStringLiteral("stop_sequence")).isNull());
        const QJsonArray c = m.value(QStringLiteral("content")).toArray();
        QCOMPARE(c.size(), 5);
        QCOMPARE(c[0].toObject(),
                 (QJsonObject{
                     {"type", "thinking"}, {"thinking", "Hmm, weather."}, {"signature", "SIG"}}));
        QCOMPARE(c[1].toObject(), (QJsonObject{{"type", "redacted_thinking"}, {"data", "OPAQUE"}}));
        QCOMPARE(c[2].toObject(), (QJsonObject{{"type", "text"}, {"text", "Let me check."}}));
        QCOMPARE(c[3].toObject(), (QJsonObject{{"type", "tool_use"},
                                               {"id", "c1"},
                                               {"name", "get_weather"},
                                               {"input", QJsonObject{{"city", "Oslo"}}}}));
        QVERIFY(str(c[4].toObject(), "id").startsWith(QStringLiteral("toolu_")));
        const QJsonObject u = at(m, "usage");
        QCOMPARE(u.value(QStringLiteral("input_tokens")).toInt(), 300);
        QCOMPARE(u.value(QStringLiteral("cache_read_input_tokens")).toInt(), 600);
        QCOMPARE(u.value(QStringLiteral("cache_creation_input_tokens")).toInt(), 100);
        QCOMPARE(u.value(QStringLiteral("output_tokens")).toInt(), 20);
    }

    void streamedEvents()
    {
        ChatEvent stopped = ChatEvent::finished(FinishReason::Stop);
        stopped.stopSequence = QStringLiteral("END");
        std::unique_ptr<FakeResponder> r(
            run(true, {ChatEvent::thinkingDelta(QStringLiteral("Hmm")),
                       ChatEvent::thinkingSigned(QStringLiteral("SIG")),
                       ChatEvent::thinkingDelta(QStringLiteral("More")), // unsigned: a new block
                       ChatEvent::textDelta(QStringLiteral("Hi")),
                       ChatEvent::textDelta(QStringLiteral(" there")), ChatEvent::usage(50, 7),
                       stopped}));
        QVERIFY(r->ended);
        const auto events = sse(r->body);
        QStringList names;
        for (const auto &[name, data] : events)
            names << QString::fromLatin1(name);
        QCOMPARE(names.join(u' '),
                 QStringLiteral("message_start ping content_block_start content_block_delta "
                                "content_block_delta content_block_stop content_block_start "
                                "content_block_delta content_block_stop content_block_start "
                                "content_block_delta content_block_delta content_block_stop "
                                "message_delta message_stop"));
        const QJsonObject start = at(events[0].second, "message");
        QVERIFY(str(start, "id").startsWith(QStringLiteral("msg_")));
        QCOMPARE(at(start, "usage").value(QStringLiteral("input_tokens")).toInt(), 42); // estimate
        QCOMPARE(at(events[2].second, "content_block").value(QStringLiteral("type")).toString(),
                 QStringLiteral("thinking"));
        QCOMPARE(at(events[4].second, "delta"),
                 (QJsonObject{{"type", "signature_delta"}, {"signature", "SIG"}}));
        QCOMPARE(events[6].second.value(QStringLiteral("index")).toInt(), 1);
        QCOMPARE(events[9].second.value(QStringLiteral("index")).toInt(), 2);
        QCOMPARE(at(events[10].second, "delta"),
                 (QJsonObject{{"type", "text_delta"}, {"text", "Hi"}}));
        const QJsonObject delta = events[13].second;
        QCOMPARE(at(delta, "delta"),
                 (QJsonObject{{"stop_reason", "stop_sequence"}, {"stop_sequence", "END"}}));
        QCOMPARE(at(delta, "usage").value(QStringLiteral("input_tokens")).toInt(), 50);
        QCOMPARE(at(delta, "usage").value(QStringLiteral("output_tokens")).toInt(), 7);
    }

    void streamedToolCall()
    {
        std::unique_ptr<FakeResponder> r(
            run(true, {ChatEvent::call(call(QStringLiteral("toolu_9"), QStringLiteral("Write"),
                                            {{QStringLiteral("file_path"), QStringLiteral("/a")}})),
                       ChatEvent::finished(FinishReason::ToolCalls)}));
        const auto events = sse(r->body);
        QCOMPARE(events.size(), 7);
        QCOMPARE(at(events[2].second, "content_block"), (QJsonObject{{"type", "tool_use"},
                                                                     {"id", "toolu_9"},
                                                                     {"name", "Write"},
                                                                     {"input", QJsonObject()}}));
        QCOMPARE(at(events[3].second, "delta"),
                 (QJsonObject{{"type", "input_json_delta"},
                              {"partial_json", "{\"file_path\":\"/a\"}"}}));
        QCOMPARE(str(at(events[5].second, "delta"), "stop_reason"), QStringLiteral("tool_use"));
        // No usage reported: the estimate stands in for the prompt.
        QCOMPARE(at(events[5].second, "usage").value(QStringLiteral("input_tokens")).toInt(), 42);
    }

    void failures()
    {
        ChatFailure f;
        f.cause = FailureCause::RateLimited;
        f.status = 429;
        f.provider = QStringLiteral("oai");
        f.retryAfterSeconds = 3;
        // Before any output: the status and Anthropic's error body.
        std::unique_ptr<FakeResponder> early(run(true, {ChatEvent::error(f)}));
        QCOMPARE(early->status, 429);
        QCOMPARE(str(at(obj(early->body), "error"), "type"), QStringLiteral("rate_limit_error"));
        // After it: an error event ends the stream.
        f.cause = FailureCause::ConnectionLost;
        std::unique_ptr<FakeResponder> late(
            run(true, {ChatEvent::textDelta(QStringLiteral("Hi")), ChatEvent::error(f)}));
        QCOMPARE(late->status, 200);
        QVERIFY(late->ended);
        const auto events = sse(late->body);
        QCOMPARE(events.last().first, QByteArray("error"));
        QCOMPARE(str(at(events.last().second, "error"), "type"), QStringLiteral("api_error"));
        QVERIFY(!str(at(events.last().second, "error"), "message").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstAnthropicDialect)
#include "tst_anthropicdialect.moc"
