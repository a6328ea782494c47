// The Anthropic Messages API (/v1/messages) over real loopback sockets, routed to fake OpenAI,
// Anthropic and Gemini upstreams that speak their real wire formats: answers streamed and
// whole, a tool round trip, thinking dropped for a model that cannot think, signatures,
// cache_control and stop sequences carried to and from an Anthropic upstream, and errors in
// Anthropic's shape (the dialect's own and the server's).

#include "checkedlist.h"
#include "fakeserver.h"
#include "gatewayfixture.h"
#include "jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;
using namespace gwtest;

namespace {

QJsonObject at(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toObject();
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toString();
}

QJsonArray arr(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toArray();
}

using Frame = std::pair<QByteArray, QJsonObject>;

// Named SSE events: "event: NAME\ndata: {...}\n\n", the name equal to the data's type.
CheckedList<Frame> events(const QByteArray &body)
{
    QList<Frame> out;
    qsizetype pos = 0;
    while (pos < body.size()) {
        const qsizetype end = body.indexOf("\n\n", pos);
        if (end < 0) {
            out.append(Frame("<unterminated>", QJsonObject()));
            break;
        }
        const QList<QByteArray> lines = body.mid(pos, end - pos).split('\n');
        pos = end + 2;
        const bool ok =
            lines.size() == 2 && lines[0].startsWith("event: ") && lines[1].startsWith("data: ");
        const QJsonObject data = ok ? obj(lines[1].mid(6)) : QJsonObject();
        out.append(ok && str(data, "type").toUtf8() == lines[0].mid(7)
                       ? Frame(lines[0].mid(7), data)
                       : Frame("<bad frame>", data));
    }
    return out;
}

QString names(const QList<Frame> &frames)
{
    QStringList n;
    for (const Frame &f : frames)
        n << QString::fromLatin1(f.first);
    return n.join(u' ');
}

QByteArray openAiChunk(const QJsonObject &delta, const char *finish = nullptr)
{
    QJsonObject choice{{"index", 0}, {"delta", delta}};
    choice.insert(QStringLiteral("finish_reason"),
                  finish ? QJsonValue(QLatin1StringView(finish)) : QJsonValue());
    return FakeServer::sseData(QJsonObject{
        {"id", "c"}, {"object", "chat.completion.chunk"}, {"choices", QJsonArray{choice}}});
}

QByteArray anthropicEvent(const QByteArray &name, QJsonObject data)
{
    data.insert(QStringLiteral("type"), QString::fromLatin1(name));
    return FakeServer::sseEvent(name, data);
}

} // namespace

class TstAnthropicApi : public QObject
{
    Q_OBJECT

    FakeServer *m_openai = nullptr;
    FakeServer *m_anthropic = nullptr;
    FakeServer *m_gemini = nullptr;
    GatewayFixture m_gw;

    Response post(const QByteArray &path, const QByteArray &body,
                  const QList<QByteArray> &headers = {})
    {
        return m_gw.post(path, body, headers);
    }
    static QByteArray hello(const char *model, bool stream, const char *extra = "")
    {
        return "{\"model\":\"" + QByteArray(model) +
               "\",\"max_tokens\":100,\"stream\":" + (stream ? "true" : "false") + extra +
               ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    }
    void answerText(FakeServer *openai, const QString &text)
    {
        openai->on("POST", "/v1/chat/completions", [text](const Received &) {
            return Reply::sse(
                {openAiChunk({{"role", "assistant"}, {"content", ""}}),
                 openAiChunk({{"content", text}}), openAiChunk({}, "stop"),
                 FakeServer::sseData(
                     {{"choices", QJsonArray()},
                      {"usage", QJsonObject{{"prompt_tokens", 11}, {"completion_tokens", 3}}}}),
                 "data: [DONE]\n\n"});
        });
    }

private slots:
    void initTestCase()
    {
        m_openai = new FakeServer(this);
        m_anthropic = new FakeServer(this);
        m_gemini = new FakeServer(this);
        qputenv("CLAUDE_API_KEY", "sk-ant-test-0000000000");
        qputenv("GEM_API_KEY", "AIzaTestKey000000000000000");
        const QByteArray json =
            "{\"providers\":["
            "{\"name\":\"oai\",\"type\":\"openai\",\"base_url\":\"" +
            m_openai->url(QStringLiteral("/v1")).toUtf8() +
            "\",\"options\":{\"max_retries\":0,\"requires_key\":false}},"
            "{\"name\":\"claude\",\"type\":\"anthropic\",\"base_url\":\"" +
            m_anthropic->url().toUtf8() +
            "\",\"options\":{\"max_retries\":0}},"
            "{\"name\":\"gem\",\"type\":\"gemini\",\"base_url\":\"" +
            m_gemini->url(QStringLiteral("/v1beta")).toUtf8() +
            "\",\"options\":{\"max_retries\":0}}],"
            "\"models\":[{\"name\":\"gpt-4o\",\"provider\":\"oai\",\"model\":\"gpt-4o\"},"
            "{\"name\":\"sonnet\",\"provider\":\"claude\",\"model\":\"claude-sonnet-4-5\"},"
            "{\"name\":\"flash\",\"provider\":\"gem\",\"model\":\"gemini-2.5-flash\"}]}";
        QVERIFY2(m_gw.setUp(json), qPrintable(m_gw.error()));
    }

    void wholeAnswerFromOpenAi()
    {
        answerText(m_openai, QStringLiteral("Hi there"));
        const auto r = post("/v1/messages", hello("gpt-4o", false));
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QVERIFY(r->header("content-type").startsWith("application/json"));
        const QJsonObject m = obj(r->body);
        QVERIFY(str(m, "id").startsWith(QStringLiteral("msg_")));
        QCOMPARE(str(m, "type"), QStringLiteral("message"));
        QCOMPARE(str(m, "model"), QStringLiteral("gpt-4o"));
        QCOMPARE(arr(m, "content").size(), 1);
        QCOMPARE(arr(m, "content")[0].toObject(),
                 (QJsonObject{{"type", "text"}, {"text", "Hi there"}}));
        QCOMPARE(str(m, "stop_reason"), QStringLiteral("end_turn"));
        QCOMPARE(at(m, "usage").value(QStringLiteral("input_tokens")).toInt(), 11);
        QCOMPARE(at(m, "usage").value(QStringLiteral("output_tokens")).toInt(), 3);
        QTRY_VERIFY(!m_gw.records().isEmpty());
        QCOMPARE(m_gw.records().last().dialect, QStringLiteral("anthropic"));
        QCOMPARE(m_gw.records().last().provider, QStringLiteral("oai"));
    }

    void streamFromOpenAiWithClaudeCodesQuery()
    {
        answerText(m_openai, QStringLiteral("Hi there"));
        const auto r = post("/v1/messages?beta=true", hello("gpt-4o", true));
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("text/event-stream"));
        QVERIFY(r->chunked);
        const CheckedList<Frame> e = events(r->body);
        QCOMPARE(names(e), QStringLiteral("message_start ping content_block_start "
                                          "content_block_delta content_block_stop message_delta "
                                          "message_stop"));
        QCOMPARE(at(e[3].second, "delta"),
                 (QJsonObject{{"type", "text_delta"}, {"text", "Hi there"}}));
        QCOMPARE(str(at(e[5].second, "delta"), "stop_reason"), QStringLiteral("end_turn"));
    }

    void thinkingIsDroppedForGpt4o()
    {
        answerText(m_openai, QStringLiteral("ok"));
        m_openai->clear();
        const auto r = post(
            "/v1/messages",
            hello("gpt-4o", false, ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4096}"));
        QCOMPARE(r->status, 200);
        const QJsonObject up = m_openai->last().json();
        QVERIFY(!up.contains(QStringLiteral("reasoning_effort")));
        QVERIFY(!up.contains(QStringLiteral("reasoning")));
        QCOMPARE(up.value(QStringLiteral("max_tokens")).toInt(), 100);
    }

    void toolRoundTripThroughOpenAi()
    {
        m_openai->on("POST", "/v1/chat/completions", [](const Received &) {
            return Reply::sse(
                {openAiChunk({{"tool_calls",
                               QJsonArray{QJsonObject{
                                   {"index", 0},
                                   {"id", "call_1"},
                                   {"type", "function"},
                                   {"function", QJsonObject{{"name", "get_weather"},
                                                            {"arguments", "{\"city\":"}}}}}}}),
                 openAiChunk(
                     {{"tool_calls",
                       QJsonArray{QJsonObject{
                           {"index", 0}, {"function", QJsonObject{{"arguments", "\"Oslo\"}"}}}}}}}),
                 openAiChunk({}, "tool_calls"), "data: [DONE]\n\n"});
        });
        const QByteArray tools =
            j(",'tools':[{'name':'get_weather','input_schema':{'type':'object'}}],"
              "'tool_choice':{'type':'tool','name':'get_weather'}");
        auto r = post("/v1/messages", hello("gpt-4o", true, tools.constData()));
        const CheckedList<Frame> e = events(r->body);
        QCOMPARE(names(e), QStringLiteral("message_start ping content_block_start "
                                          "content_block_delta content_block_stop message_delta "
                                          "message_stop"));
        QCOMPARE(at(e[2].second, "content_block"), (QJsonObject{{"type", "tool_use"},
                                                                {"id", "call_1"},
                                                                {"name", "get_weather"},
                                                                {"input", QJsonObject()}}));
        QCOMPARE(at(e[3].second, "delta"), (QJsonObject{{"type", "input_json_delta"},
                                                        {"partial_json", "{\"city\":\"Oslo\"}"}}));
        QCOMPARE(str(at(e[5].second, "delta"), "stop_reason"), QStringLiteral("tool_use"));
        const QJsonObject first = m_openai->last().json();
        QCOMPARE(first.value(QStringLiteral("tool_choice")),
                 QJsonValue(QJsonObject{{"type", "function"},
                                        {"function", QJsonObject{{"name", "get_weather"}}}}));

        // The result goes back as a tool message with the call's id.
        answerText(m_openai, QStringLiteral("Sunny in Oslo."));
        r = post("/v1/messages",
                 j("{'model':'gpt-4o','max_tokens':100,'tools':[{'name':'get_weather',"
                   "'input_schema':{'type':'object'}}],'messages':["
                   "{'role':'user','content':'Weather in Oslo?'},"
                   "{'role':'assistant','content':[{'type':'tool_use','id':'call_1',"
                   "'name':'get_weather','input':{'city':'Oslo'}}]},"
                   "{'role':'user','content':[{'type':'tool_result','tool_use_id':'call_1',"
                   "'content':[{'type':'text','text':'sunny'}]}]}]}"));
        QCOMPARE(r->status, 200);
        QCOMPARE(str(arr(obj(r->body), "content")[0].toObject(), "text"),
                 QStringLiteral("Sunny in Oslo."));
        const QJsonArray sent = m_openai->last().json().value(QStringLiteral("messages")).toArray();
        QCOMPARE(sent.size(), 3);
        const QJsonObject call = sent[1].toObject();
        QCOMPARE(str(arr(call, "tool_calls")[0].toObject(), "id"), QStringLiteral("call_1"));
        QCOMPARE(sent[2].toObject(),
                 (QJsonObject{{"role", "tool"}, {"tool_call_id", "call_1"}, {"content", "sunny"}}));
    }

    void toolImagesReachOpenAiAfterTheResults()
    {
        // Claude Code's Read tool answers with image blocks; OpenAI's tool messages hold text.
        answerText(m_openai, QStringLiteral("A cat."));
        const auto r =
            post("/v1/messages",
                 j("{'model':'gpt-4o','max_tokens':100,'tools':[{'name':'Read','input_schema':{}}],"
                   "'messages':[{'role':'user','content':'Look at cat.png'},"
                   "{'role':'assistant','content':[{'type':'tool_use','id':'c1','name':'Read',"
                   "'input':{}},{'type':'tool_use','id':'c2','name':'Read','input':{}}]},"
                   "{'role':'user','content':[{'type':'tool_result','tool_use_id':'c1','content':"
                   "[{'type':'image','source':{'type':'base64','media_type':'image/png',"
                   "'data':'iVBORw0KGgo='}}]},{'type':'tool_result','tool_use_id':'c2',"
                   "'content':'second'}]}]}"));
        QCOMPARE(r->status, 200);
        const QJsonArray sent = m_openai->last().json().value(QStringLiteral("messages")).toArray();
        QCOMPARE(sent.size(), 5);
        QCOMPARE(str(sent[2].toObject(), "role"), QStringLiteral("tool"));
        QCOMPARE(str(sent[3].toObject(), "role"), QStringLiteral("tool"));
        const QJsonObject images = sent[4].toObject();
        QCOMPARE(str(images, "role"), QStringLiteral("user"));
        const QJsonArray parts = arr(images, "content");
        QCOMPARE(str(parts.last().toObject(), "type"), QStringLiteral("image_url"));
        QCOMPARE(str(at(parts.last().toObject(), "image_url"), "url"),
                 QStringLiteral("data:image/png;base64,iVBORw0KGgo="));
    }

    void anthropicUpstreamKeepsWhatTheClientSent()
    {
        // The upstream thinks (signed), answers, and stops on a stop sequence.
        m_anthropic->on("POST", "/v1/messages", [](const Received &) {
            return Reply::sse(
                {anthropicEvent(
                     "message_start",
                     {{"message", QJsonObject{{"id", "msg_up"},
                                              {"usage", QJsonObject{{"input_tokens", 5},
                                                                    {"cache_read_input_tokens", 90},
                                                                    {"output_tokens", 1}}}}}}),
                 anthropicEvent(
                     "content_block_start",
                     {{"index", 0},
                      {"content_block", QJsonObject{{"type", "thinking"}, {"thinking", ""}}}}),
                 anthropicEvent(
                     "content_block_delta",
                     {{"index", 0},
                      {"delta", QJsonObject{{"type", "thinking_delta"}, {"thinking", "Hm."}}}}),
                 anthropicEvent("content_block_delta",
                                {{"index", 0},
                                 {"delta", QJsonObject{{"type", "signature_delta"},
                                                       {"signature", "SIG-UP"}}}}),
                 anthropicEvent("content_block_stop", {{"index", 0}}),
                 anthropicEvent("content_block_start",
                                {{"index", 1},
                                 {"content_block",
                                  QJsonObject{{"type", "redacted_thinking"}, {"data", "RED"}}}}),
                 anthropicEvent("content_block_stop", {{"index", 1}}),
                 anthropicEvent("content_block_start",
                                {{"index", 2},
                                 {"content_block", QJsonObject{{"type", "text"}, {"text", ""}}}}),
                 anthropicEvent("content_block_delta",
                                {{"index", 2},
                                 {"delta", QJsonObject{{"type", "text_delta"}, {"text", "Done"}}}}),
                 anthropicEvent("content_block_stop", {{"index", 2}}),
                 anthropicEvent("message_delta",
                                {{"delta", QJsonObject{{"stop_reason", "stop_sequence"},
                                                       {"stop_sequence", "END"}}},
                                 {"usage", QJsonObject{{"output_tokens", 4}}}}),
                 anthropicEvent("message_stop", {})});
        });
        const QByteArray body =
            j("{'model':'sonnet','max_tokens':8000,'stop_sequences':['END'],"
              "'thinking':{'type':'enabled','budget_tokens':2000},"
              "'system':[{'type':'text','text':'Sys','cache_control':{'type':'ephemeral'}}],"
              "'tools':[{'name':'f','input_schema':{'type':'object'},"
              "'cache_control':{'type':'ephemeral','ttl':'1h'}}],"
              "'messages':[{'role':'user','content':'go'},"
              "{'role':'assistant','content':[{'type':'thinking','thinking':'Plan.','signature':'"
              "S1'},"
              "{'type':'redacted_thinking','data':'R1'},"
              "{'type':'tool_use','id':'toolu_A','name':'f','input':{'x':1}}]},"
              "{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_A',"
              "'is_error':true,'content':'boom','cache_control':{'type':'ephemeral'}}]}]}");
        const auto r = post("/v1/messages", body);
        QCOMPARE(r->status, 200);

        // Upstream: the client's blocks as they were.
        const QJsonObject up = m_anthropic->last().json();
        QCOMPARE(up.value(QStringLiteral("thinking")).toObject(),
                 (QJsonObject{{"type", "enabled"}, {"budget_tokens", 2000}}));
        QCOMPARE(up.value(QStringLiteral("max_tokens")).toInt(), 8000);
        QCOMPARE(up.value(QStringLiteral("stop_sequences")).toArray(), QJsonArray{"END"});
        QCOMPARE(arr(up, "system"),
                 (QJsonArray{QJsonObject{{"type", "text"},
                                         {"text", "Sys"},
                                         {"cache_control", QJsonObject{{"type", "ephemeral"}}}}}));
        QCOMPARE(arr(up, "tools")[0].toObject().value(QStringLiteral("cache_control")).toObject(),
                 (QJsonObject{{"type", "ephemeral"}, {"ttl", "1h"}}));
        const QJsonArray msgs = arr(up, "messages");
        QCOMPARE(msgs.size(), 3);
        const QJsonArray assistant = arr(msgs[1].toObject(), "content");
        QCOMPARE(assistant.size(), 3);
        QCOMPARE(assistant[0].toObject(),
                 (QJsonObject{{"type", "thinking"}, {"thinking", "Plan."}, {"signature", "S1"}}));
        QCOMPARE(assistant[1].toObject(),
                 (QJsonObject{{"type", "redacted_thinking"}, {"data", "R1"}}));
        QCOMPARE(str(assistant[2].toObject(), "id"), QStringLiteral("toolu_A"));
        QCOMPARE(arr(msgs[2].toObject(), "content")[0].toObject(),
                 (QJsonObject{{"type", "tool_result"},
                              {"tool_use_id", "toolu_A"},
                              {"content", "boom"},
                              {"is_error", true},
                              {"cache_control", QJsonObject{{"type", "ephemeral"}}}}));

        // Client: the signed and redacted blocks, the stop sequence, the cache in usage.
        const QJsonObject m = obj(r->body);
        const QJsonArray content = arr(m, "content");
        QCOMPARE(content.size(), 3);
        QCOMPARE(content[0].toObject(),
                 (QJsonObject{{"type", "thinking"}, {"thinking", "Hm."}, {"signature", "SIG-UP"}}));
        QCOMPARE(content[1].toObject(),
                 (QJsonObject{{"type", "redacted_thinking"}, {"data", "RED"}}));
        QCOMPARE(content[2].toObject(), (QJsonObject{{"type", "text"}, {"text", "Done"}}));
        QCOMPARE(str(m, "stop_reason"), QStringLiteral("stop_sequence"));
        QCOMPARE(str(m, "stop_sequence"), QStringLiteral("END"));
        QCOMPARE(at(m, "usage").value(QStringLiteral("input_tokens")).toInt(), 5);
        QCOMPARE(at(m, "usage").value(QStringLiteral("cache_read_input_tokens")).toInt(), 90);

        // Streamed: the signature as a signature_delta.
        const auto s = post("/v1/messages", hello("sonnet", true));
        const CheckedList<Frame> e = events(s->body);
        QVERIFY(std::any_of(e.begin(), e.end(), [](const Frame &f) {
            return at(f.second, "delta") ==
                   QJsonObject{{"type", "signature_delta"}, {"signature", "SIG-UP"}};
        }));
    }

    void streamFromGemini()
    {
        m_gemini->on("POST", "/v1beta/models/*", [](const Received &) {
            return Reply::sse({FakeServer::sseData(
                {{"candidates", QJsonArray{QJsonObject{
                                    {"content", QJsonObject{{"role", "model"},
                                                            {"parts", QJsonArray{QJsonObject{
                                                                          {"text", "Ciao"}}}}}},
                                    {"finishReason", "MAX_TOKENS"}}}},
                 {"usageMetadata",
                  QJsonObject{{"promptTokenCount", 4}, {"candidatesTokenCount", 1}}}})});
        });
        const auto r = post("/v1/messages", hello("flash", true));
        QCOMPARE(r->status, 200);
        const CheckedList<Frame> e = events(r->body);
        QCOMPARE(at(e[3].second, "delta"), (QJsonObject{{"type", "text_delta"}, {"text", "Ciao"}}));
        QCOMPARE(str(at(e[5].second, "delta"), "stop_reason"), QStringLiteral("max_tokens"));
    }

    void upstreamFailures()
    {
        // Before any output: the status and Anthropic's error type.
        m_openai->enqueue(
            Reply::json(429, j("{'error':{'message':'slow down','type':'rate_limit'}}"))
                .header("Retry-After", "7"));
        auto r = post("/v1/messages", hello("gpt-4o", true));
        QCOMPARE(r->status, 429);
        QCOMPARE(r->header("retry-after"), QByteArray("7"));
        QCOMPARE(str(obj(r->body), "type"), QStringLiteral("error"));
        QCOMPARE(str(at(obj(r->body), "error"), "type"), QStringLiteral("rate_limit_error"));
        QVERIFY(str(at(obj(r->body), "error"), "message").contains(QStringLiteral("slow down")));

        // After it: an error event ends the stream.
        Reply broken = Reply::sse({openAiChunk({{"content", "partial"}})});
        broken.end = Reply::End::Reset;
        m_openai->enqueue(broken);
        r = post("/v1/messages", hello("gpt-4o", true));
        QCOMPARE(r->status, 200);
        const CheckedList<Frame> e = events(r->body);
        QCOMPARE(e.last().first, QByteArray("error"));
        QCOMPARE(str(at(e.last().second, "error"), "type"), QStringLiteral("api_error"));
        QVERIFY(!r->body.contains("message_stop"));
    }

    void requestErrorsInAnthropicShape_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("words");
        QTest::newRow("unknown model") << QByteArray("POST") << QByteArray("/v1/messages")
                                       << hello("nope", false) << 404 << "not_found_error"
                                       << "model: 'nope'";
        QTest::newRow("count_tokens unknown model")
            << QByteArray("POST") << QByteArray("/v1/messages/count_tokens")
            << j("{'model':'nope','messages':[]}") << 404 << "not_found_error"
            << "nope";
        QTest::newRow("no max_tokens")
            << QByteArray("POST") << QByteArray("/v1/messages?beta=true")
            << j("{'model':'gpt-4o','messages':[{'role':'user','content':'x'}]}") << 400
            << "invalid_request_error"
            << "max_tokens: Field required";
        QTest::newRow("bad JSON") << QByteArray("POST") << QByteArray("/v1/messages")
                                  << QByteArray("{\"model\":") << 400 << "invalid_request_error"
                                  << "invalid JSON";
        QTest::newRow("wrong method (the server's own error)")
            << QByteArray("GET") << QByteArray("/v1/messages") << QByteArray() << 405
            << "invalid_request_error"
            << "method";
    }
    void requestErrorsInAnthropicShape()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, type);
        QFETCH(QString, words);
        const Response r = m_gw.request(method, path, body);
        QCOMPARE(r->status, status);
        const QJsonObject o = obj(r->body);
        QCOMPARE(str(o, "type"), QStringLiteral("error"));
        QCOMPARE(str(at(o, "error"), "type"), type);
        QVERIFY2(str(at(o, "error"), "message").contains(words), r->body.constData());
    }

    void otherV1PathsStayOpenAi()
    {
        const Response r = post("/v1/chat/completions", "{");
        QCOMPARE(r->status, 400);
        QVERIFY(at(obj(r->body), "error").contains(QStringLiteral("param"))); // OpenAI's shape
    }

    void countTokens()
    {
        const auto small =
            post("/v1/messages/count_tokens",
                 j("{'model':'gpt-4o','messages':[{'role':'user','content':'hi'}]}"));
        QCOMPARE(small->status, 200);
        const int n = obj(small->body).value(QStringLiteral("input_tokens")).toInt();
        QVERIFY(n > 0);
        const auto big = post("/v1/messages/count_tokens",
                              "{\"model\":\"gpt-4o\",\"system\":\"" + QByteArray(4000, 'x') +
                                  "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        QVERIFY(obj(big->body).value(QStringLiteral("input_tokens")).toInt() >= n + 1000);
    }

    void accessTokenAsXApiKey()
    {
        GatewayFixture guarded;
        qputenv("LLM_GATEWAY_TOKEN", "gw-token-123");
        // Loopback clients need the token only when the config asks for it everywhere.
        const bool started = guarded.setUp("{\"server\":{\"token_for_local_clients\":true}}");
        qunsetenv("LLM_GATEWAY_TOKEN");
        QVERIFY2(started, qPrintable(guarded.error()));
        const QByteArray body = hello("echo", false);
        Response r = guarded.post("/v1/messages", body);
        QCOMPARE(r->status, 401);
        QCOMPARE(str(at(obj(r->body), "error"), "type"), QStringLiteral("authentication_error"));
        QCOMPARE(guarded.post("/v1/messages", body, {"x-api-key: gw-token-12"})->status, 401);
        r = guarded.post("/v1/messages", body,
                         {"x-api-key: gw-token-123", "anthropic-version: 2023-06-01"});
        QCOMPARE(r->status, 200);
        QCOMPARE(guarded.post("/v1/messages", body, {"Authorization: Bearer gw-token-123"})->status,
                 200);
    }
};

QTEST_GUILESS_MAIN(TstAnthropicApi)
#include "tst_anthropicapi.moc"
