// POST /v1/responses over real loopback sockets: the echo model, and models routed to fake
// OpenAI, Anthropic and Gemini upstreams (tests/common/fakeserver) that speak each provider's
// wire: SSE framing of the named events, a function-tool round trip (what goes upstream and
// what comes back), namespaced tools, instructions and limits upstream, reasoning dropped for
// models that cannot think, and errors in OpenAI's shape before and during a stream.

#include "checkedlist.h"
#include "fakeserver.h"
#include "gatewayfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;
using gwtest::CheckedList;
using gwtest::FakeServer;
using gwtest::Received;
using gwtest::Reply;

namespace {

QJsonObject obj(const QByteArray &b)
{
    return QJsonDocument::fromJson(b).object();
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray chunk(const QJsonObject &delta, const QJsonValue &finish = QJsonValue::Null)
{
    return FakeServer::sseData(
        {{QStringLiteral("id"), QStringLiteral("c1")},
         {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
         {QStringLiteral("choices"),
          QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                 {QStringLiteral("delta"), delta},
                                 {QStringLiteral("finish_reason"), finish}}}}});
}

QByteArray toolCallChunk(const QString &id, const QString &name, const QString &args)
{
    return chunk({{QStringLiteral("tool_calls"),
                   QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                          {QStringLiteral("id"), id},
                                          {QStringLiteral("type"), QStringLiteral("function")},
                                          {QStringLiteral("function"),
                                           QJsonObject{{QStringLiteral("name"), name},
                                                       {QStringLiteral("arguments"), args}}}}}}});
}

QByteArray openAiUsage(int p, int c)
{
    return FakeServer::sseData(
        {{QStringLiteral("choices"), QJsonArray()},
         {QStringLiteral("usage"),
          QJsonObject{{QStringLiteral("prompt_tokens"), p},
                      {QStringLiteral("completion_tokens"), c},
                      {QStringLiteral("prompt_tokens_details"),
                       QJsonObject{{QStringLiteral("cached_tokens"), 4}}}}}});
}

QByteArray anthropicEvent(const char *name, const char *json)
{
    return QByteArray("event: ") + name + "\ndata: " + json + "\n\n";
}

struct Sse
{
    QByteArray name;
    QJsonObject data;
};

// The events of a Responses stream, checking the framing: "event: NAME\ndata: {json}\n\n",
// the data's type equal to the event's name and sequence numbers counting from 0.
CheckedList<Sse> events(const QByteArray &body, bool *wellFormed)
{
    QList<Sse> out;
    *wellFormed = body.endsWith("\n\n");
    QList<QByteArray> frames;
    for (qsizetype pos = 0; pos < body.size();) {
        const qsizetype end = body.indexOf("\n\n", pos);
        frames.append(body.mid(pos, end < 0 ? -1 : end - pos));
        pos = end < 0 ? body.size() : end + 2;
    }
    for (const QByteArray &frame : std::as_const(frames)) {
        if (frame.isEmpty())
            continue;
        const QList<QByteArray> lines = frame.split('\n');
        if (lines.size() != 2 || !lines[0].startsWith("event: ") ||
            !lines[1].startsWith("data: ")) {
            qWarning("bad frame: %s", frame.constData());
            *wellFormed = false;
            continue;
        }
        Sse e{lines[0].mid(7), obj(lines[1].mid(6))};
        if (e.data.value(QStringLiteral("type")).toString().toUtf8() != e.name ||
            e.data.value(QStringLiteral("sequence_number")).toInt(-1) != out.size())
            *wellFormed = false;
        out.append(e);
    }
    return out;
}

QJsonObject weatherTool()
{
    return {
        {QStringLiteral("type"), QStringLiteral("function")},
        {QStringLiteral("name"), QStringLiteral("get_weather")},
        {QStringLiteral("parameters"),
         QJsonObject{
             {QStringLiteral("type"), QStringLiteral("object")},
             {QStringLiteral("properties"),
              QJsonObject{{QStringLiteral("city"),
                           QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}}}}}};
}

} // namespace

class TstResponsesApi : public QObject
{
    Q_OBJECT

    gwtest::GatewayFixture m_gw;
    FakeServer *m_openai = nullptr;
    FakeServer *m_anthropic = nullptr;
    FakeServer *m_gemini = nullptr;

    Response post(const QJsonObject &body) { return postRaw(compact(body)); }
    Response postRaw(const QByteArray &body) { return m_gw.post("/v1/responses", body); }
    static void checkError(const Response &r, int status, const char *type,
                           const QString &messagePart)
    {
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
        const QJsonObject e = obj(r->body).value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("type")).toString(), QLatin1StringView(type));
        QVERIFY2(e.value(QStringLiteral("message")).toString().contains(messagePart),
                 qPrintable(e.value(QStringLiteral("message")).toString()));
        QVERIFY(e.contains(QStringLiteral("code")) && e.contains(QStringLiteral("param")));
    }

private slots:
    void initTestCase()
    {
        m_openai = new FakeServer(this);
        m_anthropic = new FakeServer(this);
        m_gemini = new FakeServer(this);
        QByteArray json =
            "{\"providers\":[{\"name\":\"echo\",\"type\":\"echo\",\"options\":{\"delay_ms\":2}},"
            "{\"name\":\"oai\",\"type\":\"openai\",\"base_url\":\"OAI/v1\",\"options\":{"
            "\"retry_base_ms\":20}},"
            "{\"name\":\"claude\",\"type\":\"anthropic\",\"base_url\":\"ANT\"},"
            "{\"name\":\"gem\",\"type\":\"gemini\",\"base_url\":\"GEM/v1beta\"}],"
            "\"models\":[{\"name\":\"gpt-4o\",\"provider\":\"oai\",\"model\":\"gpt-4o\"},"
            "{\"name\":\"sonnet\",\"provider\":\"claude\",\"model\":\"claude-sonnet-4-5\"},"
            "{\"name\":\"flash\",\"provider\":\"gem\",\"model\":\"gemini-2.5-flash\"}]}";
        json.replace("OAI", m_openai->url().toUtf8());
        json.replace("ANT", m_anthropic->url().toUtf8());
        json.replace("GEM", m_gemini->url().toUtf8());
        m_gw->secrets().setKeychainKey(QStringLiteral("oai"), QStringLiteral("sk-oai-test"));
        m_gw->secrets().setKeychainKey(QStringLiteral("claude"), QStringLiteral("sk-ant-test"));
        m_gw->secrets().setKeychainKey(QStringLiteral("gem"), QStringLiteral("AIza-test"));
        QVERIFY2(m_gw.setUp(json), qPrintable(m_gw.error()));
    }

    void init()
    {
        m_gw.clearRecords();
        m_openai->clear();
        m_anthropic->clear();
        m_gemini->clear();
    }

    void echoWhole()
    {
        const Response r = post({{QStringLiteral("model"), QStringLiteral("echo")},
                                 {QStringLiteral("input"), QStringLiteral("hello there")}});
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
        const QJsonObject o = obj(r->body);
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(o.value(QStringLiteral("output_text")).toString(), QStringLiteral("hello there"));
        QTRY_COMPARE(m_gw.records().size(), 1);
        QCOMPARE(m_gw.records()[0].dialect, QStringLiteral("responses"));
        QCOMPARE(m_gw.records()[0].provider, QStringLiteral("echo"));
        QCOMPARE(m_gw.records()[0].streamed, false);
        QCOMPARE(m_gw.records()[0].completionTokens, 2);
    }

    void echoStreamed()
    {
        const Response r = post({{QStringLiteral("model"), QStringLiteral("echo")},
                                 {QStringLiteral("stream"), true},
                                 {QStringLiteral("input"), QStringLiteral("a b c")}});
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("text/event-stream"));
        QVERIFY(r->chunked);
        bool ok = false;
        const CheckedList<Sse> ev = events(r->body, &ok);
        QVERIFY(ok);
        QCOMPARE(ev.first().name, QByteArray("response.created"));
        QCOMPARE(ev.last().name, QByteArray("response.completed"));
        QString text;
        for (const Sse &e : ev)
            if (e.name == "response.output_text.delta")
                text += e.data.value(QStringLiteral("delta")).toString();
        QCOMPARE(text, QStringLiteral("a b c"));
        QTRY_COMPARE(m_gw.records().size(), 1);
        QVERIFY(m_gw.records()[0].streamed);
    }

    void openAiToolRoundTrip()
    {
        m_openai->on("POST", "/v1/chat/completions", [](const Received &req) {
            const QJsonArray msgs = req.json().value(QStringLiteral("messages")).toArray();
            if (msgs.last().toObject().value(QStringLiteral("role")).toString() == u"tool")
                return Reply::sse({chunk({{QStringLiteral("content"), QStringLiteral("Sunny.")}}),
                                   chunk({}, QStringLiteral("stop")), openAiUsage(30, 2),
                                   "data: [DONE]\n\n"});
            return Reply::sse(
                {toolCallChunk(QStringLiteral("call_9"), QStringLiteral("get_weather"),
                               QStringLiteral("{\"city\":\"Tokyo\"}")),
                 chunk({}, QStringLiteral("tool_calls")), openAiUsage(20, 5), "data: [DONE]\n\n"});
        });
        QJsonObject req{{QStringLiteral("model"), QStringLiteral("gpt-4o")},
                        {QStringLiteral("instructions"), QStringLiteral("Be brief.")},
                        {QStringLiteral("max_output_tokens"), 300},
                        {QStringLiteral("tool_choice"), QStringLiteral("required")},
                        {QStringLiteral("tools"), QJsonArray{weatherTool()}},
                        {QStringLiteral("input"), QStringLiteral("Weather in Tokyo?")}};
        Response r = post(req);
        QCOMPARE(r->status, 200);
        const QJsonObject first = obj(r->body);
        const QJsonObject call = first.value(QStringLiteral("output")).toArray()[0].toObject();
        QCOMPARE(call.value(QStringLiteral("type")).toString(), QStringLiteral("function_call"));
        QCOMPARE(call.value(QStringLiteral("call_id")).toString(), QStringLiteral("call_9"));
        QCOMPARE(call.value(QStringLiteral("arguments")).toString(),
                 QStringLiteral("{\"city\":\"Tokyo\"}"));
        QCOMPARE(first[QStringLiteral("usage")][QStringLiteral("input_tokens_details")]
                      [QStringLiteral("cached_tokens")]
                          .toInt(),
                 4);
        // Upstream: the instructions as the system message, the tool, the choice, the limit.
        const QJsonObject up = m_openai->last().json();
        const QJsonArray msgs = up.value(QStringLiteral("messages")).toArray();
        QCOMPARE(msgs[0][QStringLiteral("role")].toString(), QStringLiteral("system"));
        QCOMPARE(msgs[0][QStringLiteral("content")].toString(), QStringLiteral("Be brief."));
        QCOMPARE(up[QStringLiteral("tools")][0][QStringLiteral("function")][QStringLiteral("name")]
                     .toString(),
                 QStringLiteral("get_weather"));
        QCOMPARE(up.value(QStringLiteral("tool_choice")).toString(), QStringLiteral("required"));
        QVERIFY(up.contains(QStringLiteral("max_tokens")) ||
                up.contains(QStringLiteral("max_completion_tokens")));

        // The second turn: the call and its output go back as OpenAI's tool messages.
        QJsonArray input{
            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                        {QStringLiteral("content"), QStringLiteral("Weather?")}},
            call,
            QJsonObject{{QStringLiteral("type"), QStringLiteral("function_call_output")},
                        {QStringLiteral("call_id"), QStringLiteral("call_9")},
                        {QStringLiteral("output"), QStringLiteral("18C")}}};
        req.insert(QStringLiteral("input"), input);
        req.insert(QStringLiteral("stream"), true);
        req.remove(QStringLiteral("tool_choice"));
        r = post(req);
        QCOMPARE(r->status, 200);
        bool ok = false;
        const CheckedList<Sse> ev = events(r->body, &ok);
        QVERIFY(ok);
        QCOMPARE(ev.last()
                     .data[QStringLiteral("response")][QStringLiteral("output")][0]
                          [QStringLiteral("content")][0][QStringLiteral("text")]
                     .toString(),
                 QStringLiteral("Sunny."));
        const QJsonArray sent = m_openai->last().json().value(QStringLiteral("messages")).toArray();
        const QJsonObject assistant = sent[sent.size() - 2].toObject();
        QCOMPARE(assistant[QStringLiteral("tool_calls")][0][QStringLiteral("id")].toString(),
                 QStringLiteral("call_9"));
        QCOMPARE(sent.last()[QStringLiteral("tool_call_id")].toString(), QStringLiteral("call_9"));
        QCOMPARE(sent.last()[QStringLiteral("content")].toString(), QStringLiteral("18C"));
    }

    void namespacedToolsAndDroppedReasoning()
    {
        m_openai->on("POST", "/v1/chat/completions", [](const Received &) {
            return Reply::sse({toolCallChunk(QStringLiteral("call_n"),
                                             QStringLiteral("agents__spawn"), QStringLiteral("{}")),
                               chunk({}, QStringLiteral("tool_calls")), "data: [DONE]\n\n"});
        });
        const QJsonObject ns{
            {QStringLiteral("type"), QStringLiteral("namespace")},
            {QStringLiteral("name"), QStringLiteral("agents")},
            {QStringLiteral("tools"),
             QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("function")},
                                    {QStringLiteral("name"), QStringLiteral("spawn")}}}}};
        const QJsonObject hosted{{QStringLiteral("type"), QStringLiteral("web_search")}};
        const Response r = post({{QStringLiteral("model"), QStringLiteral("gpt-4o")},
                                 {QStringLiteral("reasoning"),
                                  QJsonObject{{QStringLiteral("effort"), QStringLiteral("high")}}},
                                 {QStringLiteral("tools"), QJsonArray{ns, hosted}},
                                 {QStringLiteral("input"), QStringLiteral("spawn one")}});
        QCOMPARE(r->status, 200);
        const QJsonObject up = m_openai->last().json();
        const QJsonArray tools = up.value(QStringLiteral("tools")).toArray();
        QCOMPARE(tools.size(), 1); // web_search is not offered to the model
        QCOMPARE(tools[0][QStringLiteral("function")][QStringLiteral("name")].toString(),
                 QStringLiteral("agents__spawn"));
        // gpt-4o cannot think: the effort is left out rather than refused.
        QVERIFY(!up.contains(QStringLiteral("reasoning_effort")));
        const QJsonObject call =
            obj(r->body).value(QStringLiteral("output")).toArray()[0].toObject();
        QCOMPARE(call.value(QStringLiteral("name")).toString(), QStringLiteral("spawn"));
        QCOMPARE(call.value(QStringLiteral("namespace")).toString(), QStringLiteral("agents"));
    }

    void anthropicStreamedWithReasoning()
    {
        m_anthropic->on("POST", "/v1/messages", [](const Received &) {
            return Reply::sse(
                {anthropicEvent("message_start",
                                "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_"
                                "tokens\":12,\"output_tokens\":1}}}"),
                 anthropicEvent("content_block_start",
                                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                                "{\"type\":\"thinking\",\"thinking\":\"\"}}"),
                 anthropicEvent("content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                                "\"thinking_delta\",\"thinking\":\"Hmm.\"}}"),
                 anthropicEvent("content_block_stop",
                                "{\"type\":\"content_block_stop\",\"index\":0}"),
                 anthropicEvent("content_block_start",
                                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
                                "{\"type\":\"text\",\"text\":\"\"}}"),
                 anthropicEvent("content_block_delta",
                                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
                                "\"text_delta\",\"text\":\"Hi!\"}}"),
                 anthropicEvent("content_block_stop",
                                "{\"type\":\"content_block_stop\",\"index\":1}"),
                 anthropicEvent("message_delta",
                                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_"
                                "tokens\"},\"usage\":{\"output_tokens\":7}}"),
                 anthropicEvent("message_stop", "{\"type\":\"message_stop\"}")},
                3);
        });
        const Response r = post({{QStringLiteral("model"), QStringLiteral("sonnet")},
                                 {QStringLiteral("stream"), true},
                                 {QStringLiteral("instructions"), QStringLiteral("System words.")},
                                 {QStringLiteral("max_output_tokens"), 2000},
                                 {QStringLiteral("reasoning"),
                                  QJsonObject{{QStringLiteral("effort"), QStringLiteral("low")}}},
                                 {QStringLiteral("input"), QStringLiteral("hi")}});
        QCOMPARE(r->status, 200);
        bool ok = false;
        const CheckedList<Sse> ev = events(r->body, &ok);
        QVERIFY(ok);
        QStringList names;
        for (const Sse &e : ev)
            names << QString::fromUtf8(e.name);
        QVERIFY(names.contains(QStringLiteral("response.reasoning_summary_text.delta")));
        QCOMPARE(names.last(), QStringLiteral("response.incomplete"));
        const QJsonObject resp = ev.last().data.value(QStringLiteral("response")).toObject();
        QCOMPARE(resp[QStringLiteral("incomplete_details")][QStringLiteral("reason")].toString(),
                 QStringLiteral("max_output_tokens"));
        QCOMPARE(resp[QStringLiteral("output")][0][QStringLiteral("type")].toString(),
                 QStringLiteral("reasoning"));
        QCOMPARE(
            resp[QStringLiteral("output")][1][QStringLiteral("content")][0][QStringLiteral("text")]
                .toString(),
            QStringLiteral("Hi!"));
        const QJsonObject up = m_anthropic->last().json();
        QVERIFY(compact(up).contains("System words."));
        // The limit, raised by the provider where its thinking budget needs room.
        QVERIFY(up.value(QStringLiteral("max_tokens")).toInt() >= 2000);
        QVERIFY(up.contains(QStringLiteral("thinking")));
    }

    void geminiStructuredOutput()
    {
        m_gemini->on("POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
                     [](const Received &) {
                         return Reply::sse({"data: {\"candidates\":[{\"content\":{\"role\":"
                                            "\"model\",\"parts\":[{\"text\":\"{\\\"a\\\":1}\"}]},"
                                            "\"finishReason\":\"STOP\"}],\"usageMetadata\":{"
                                            "\"promptTokenCount\":8,\"candidatesTokenCount\":4}}"
                                            "\r\n\r\n"});
                     });
        const QJsonObject schema{{QStringLiteral("type"), QStringLiteral("object")}};
        const Response r =
            post({{QStringLiteral("model"), QStringLiteral("flash")},
                  {QStringLiteral("text"),
                   QJsonObject{{QStringLiteral("format"),
                                QJsonObject{{QStringLiteral("type"), QStringLiteral("json_schema")},
                                            {QStringLiteral("name"), QStringLiteral("x")},
                                            {QStringLiteral("schema"), schema}}}}},
                  {QStringLiteral("input"), QStringLiteral("json please")}});
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body).value(QStringLiteral("output_text")).toString(),
                 QStringLiteral("{\"a\":1}"));
        const QJsonObject gen =
            m_gemini->last().json().value(QStringLiteral("generationConfig")).toObject();
        QCOMPARE(gen.value(QStringLiteral("responseMimeType")).toString(),
                 QStringLiteral("application/json"));
    }

    void errorsInOpenAiShape()
    {
        checkError(postRaw("{\"model\":"), 400, "invalid_request_error", "invalid JSON");
        checkError(postRaw("{\"model\":\"echo\",\"input\":\"x\",\"previous_response_id\":\"r\"}"),
                   400, "invalid_request_error", "stateless");
        checkError(postRaw("{\"model\":\"ghost\",\"input\":\"x\"}"), 404, "invalid_request_error",
                   "does not exist");
        checkError(postRaw("{\"model\":\"echo\",\"input\":[{\"type\":\"function_call\"}]}"), 400,
                   "invalid_request_error", "input[0].name is required");
        // The server's own errors on this path are the Responses dialect's: OpenAI's shape.
        const Response get = m_gw.get("/v1/responses");
        checkError(get, 405, "api_error", "method not allowed");
        // Nothing is stored, so nothing can be retrieved, deleted or cancelled.
        const Response stored = m_gw.request("GET", "/v1/responses/resp_abc");
        checkError(stored, 404, "invalid_request_error", "stateless");
        QVERIFY(obj(stored->body)
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(u"resp_abc"));
        checkError(m_gw.request("DELETE", "/v1/responses/resp_abc"), 404, "invalid_request_error",
                   "stateless");
        // An upstream refusal keeps its status and type.
        m_openai->enqueue(Reply::json(
            401, "{\"error\":{\"message\":\"Incorrect API key\",\"type\":\"invalid_request_error\","
                 "\"code\":\"invalid_api_key\"}}"));
        const Response denied = postRaw("{\"model\":\"gpt-4o\",\"input\":\"x\",\"stream\":true}");
        checkError(denied, 401, "authentication_error", "");
        QCOMPARE(obj(denied->body)[QStringLiteral("error")][QStringLiteral("code")].toString(),
                 QStringLiteral("invalid_api_key"));
    }

    void failureMidStream()
    {
        Reply broken = Reply::sse({chunk({{QStringLiteral("content"), QStringLiteral("par")}})});
        broken.end = Reply::End::Reset;
        m_openai->enqueue(broken);
        const Response r = postRaw("{\"model\":\"gpt-4o\",\"input\":\"x\",\"stream\":true}");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        bool ok = false;
        const CheckedList<Sse> ev = events(r->body, &ok);
        QVERIFY(ok);
        QCOMPARE(ev.last().name, QByteArray("response.failed"));
        const QJsonObject resp = ev.last().data.value(QStringLiteral("response")).toObject();
        QCOMPARE(resp.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY(!resp[QStringLiteral("error")][QStringLiteral("message")].toString().isEmpty());
        QTRY_COMPARE(m_gw.records().size(), 1);
        QVERIFY(!m_gw.records()[0].error.isEmpty());
    }

    void cleanupTestCase() { QVERIFY(m_gw.waitIdle()); }
};

QTEST_GUILESS_MAIN(TstResponsesApi)
#include "tst_responsesapi.moc"
