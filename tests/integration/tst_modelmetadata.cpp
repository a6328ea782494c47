// What today's clients read about models and tool calls, over real sockets (raw HTTP; the
// e2e suite drives the same through ollama-js and the openai package): /api/tags and /api/show
// with context and output limits and remote_model / remote_host (the Ollama VS Code extension),
// num_ctx ignored for remote models, /api/ps context_length, Ollama's model recommendations,
// the OpenAI routes without /v1 (Copilot 0.37), several tool calls in one upstream chunk as one
// call per NDJSON line (Zed), and tool call ids both ways in the Ollama dialect.

#include "checkedlist.h"
#include "fakeserver.h"
#include "gatewayfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using gwtest::FakeServer;
using gwtest::Received;
using gwtest::Reply;

namespace {

QJsonObject obj(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

gwtest::CheckedList<QJsonObject> lines(const QByteArray &ndjson)
{
    QList<QJsonObject> out;
    for (const QByteArray &l : ndjson.split('\n'))
        if (!l.isEmpty())
            out.append(obj(l));
    return out;
}

QJsonObject entry(const QJsonArray &models, const QString &name)
{
    for (const QJsonValue &m : models)
        if (m.toObject().value(QStringLiteral("name")).toString() == name)
            return m.toObject();
    return {};
}

// OpenAI's stream with two tool calls in one chunk (as parallel calls often come).
Reply twoCallsInOneChunk()
{
    const auto call = [](int index, const char *id, const char *city) {
        return QJsonObject{
            {QStringLiteral("index"), index},
            {QStringLiteral("id"), QString::fromLatin1(id)},
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"),
             QJsonObject{{QStringLiteral("name"), QStringLiteral("get_weather")},
                         {QStringLiteral("arguments"),
                          QStringLiteral("{\"city\":\"%1\"}").arg(QLatin1StringView(city))}}}};
    };
    const auto chunk = [](const QJsonObject &delta, const QJsonValue &finish) {
        return FakeServer::sseData(
            QJsonObject{{QStringLiteral("id"), QStringLiteral("chatcmpl-1")},
                        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                        {QStringLiteral("model"), QStringLiteral("gpt-4o")},
                        {QStringLiteral("choices"),
                         QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                                {QStringLiteral("delta"), delta},
                                                {QStringLiteral("finish_reason"), finish}}}}});
    };
    return Reply::sse(
        {chunk({{QStringLiteral("role"), QStringLiteral("assistant")},
                {QStringLiteral("tool_calls"),
                 QJsonArray{call(0, "call_tokyo", "Tokyo"), call(1, "call_paris", "Paris")}}},
               QJsonValue::Null),
         chunk({}, QStringLiteral("tool_calls")), "data: [DONE]\n\n"});
}

} // namespace

class TstModelMetadata : public QObject
{
    Q_OBJECT

    FakeServer m_openai;
    gwtest::GatewayFixture m_gw;

    QJsonArray tags()
    {
        return obj(m_gw.get("/api/tags")->body).value(QStringLiteral("models")).toArray();
    }

private slots:
    void initTestCase()
    {
        m_openai.on("POST", "/v1/chat/completions", [](const Received &r) {
            if (!r.json().value(QStringLiteral("tools")).toArray().isEmpty() &&
                r.json().value(QStringLiteral("messages")).toArray().size() == 1)
                return twoCallsInOneChunk();
            return Reply::sse(
                {FakeServer::sseData(QJsonObject{
                     {QStringLiteral("choices"),
                      QJsonArray{QJsonObject{
                          {QStringLiteral("index"), 0},
                          {QStringLiteral("delta"),
                           QJsonObject{{QStringLiteral("content"), QStringLiteral("done")}}},
                          {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}}}),
                 "data: [DONE]\n\n"});
        });
        const QByteArray config =
            "{\"providers\":["
            "{\"name\":\"oai\",\"type\":\"openai\",\"base_url\":\"" +
            m_openai.url(QStringLiteral("/v1")).toUtf8() +
            "\",\"options\":{\"max_retries\":0}},"
            "{\"name\":\"claude\",\"type\":\"anthropic\"}],"
            "\"models\":["
            "{\"name\":\"gpt-4o\",\"provider\":\"oai\",\"model\":\"gpt-4o\"},"
            "{\"name\":\"claude-sonnet-4-5\",\"provider\":\"claude\",\"model\":"
            "\"claude-sonnet-4-5-20250929\"},"
            "{\"name\":\"embedder\",\"provider\":\"oai\",\"model\":\"text-embedding-3-small\"}]}";
        QVERIFY2(m_gw.setUp(config), qPrintable(m_gw.error()));
    }

    // The Ollama VS Code extension takes a model with a remote_host for a remote one (no /api/ps
    // polling, no small-window warning) and reads its limits from /api/tags.
    void tagsSayWhereAndHowMuch()
    {
        const QJsonArray models = tags();
        const QJsonObject gpt = entry(models, QStringLiteral("gpt-4o:latest"));
        QCOMPARE(gpt.value(QStringLiteral("remote_model")).toString(), QStringLiteral("gpt-4o"));
        QCOMPARE(gpt.value(QStringLiteral("remote_host")).toString(),
                 m_openai.url().chopped(m_openai.url().endsWith(u'/') ? 1 : 0));
        QCOMPARE(gpt.value(QStringLiteral("max_output_tokens")).toInt(), 16384);
        QCOMPARE(gpt.value(QStringLiteral("details"))
                     .toObject()
                     .value(QStringLiteral("context_length"))
                     .toInt(),
                 128000);

        // No base_url: the type's own service.
        const QJsonObject claude = entry(models, QStringLiteral("claude-sonnet-4-5:latest"));
        QCOMPARE(claude.value(QStringLiteral("remote_host")).toString(),
                 QStringLiteral("https://api.anthropic.com"));
        QCOMPARE(claude.value(QStringLiteral("remote_model")).toString(),
                 QStringLiteral("claude-sonnet-4-5-20250929"));
        QCOMPARE(claude.value(QStringLiteral("max_output_tokens")).toInt(), 64000);
        QCOMPARE(claude.value(QStringLiteral("details"))
                     .toObject()
                     .value(QStringLiteral("context_length"))
                     .toInt(),
                 200000);

        const QJsonObject details = entry(models, QStringLiteral("embedder:latest"))
                                        .value(QStringLiteral("details"))
                                        .toObject();
        QCOMPARE(details.value(QStringLiteral("embedding_length")).toInt(), 1536);
        QCOMPARE(details.value(QStringLiteral("context_length")).toInt(), 8191);

        // The built-in echo model runs here: no remote_host.
        const QJsonObject echo = entry(models, QStringLiteral("echo:latest"));
        QVERIFY(!echo.isEmpty());
        QVERIFY(!echo.contains(QStringLiteral("remote_host")));
        QVERIFY(!echo.contains(QStringLiteral("remote_model")));
    }

    void showHasNumCtxAndTheRemote()
    {
        const QJsonObject s =
            obj(m_gw.post("/api/show", "{\"model\":\"claude-sonnet-4-5\"}")->body);
        const QStringList parameters =
            s.value(QStringLiteral("parameters")).toString().split(u'\n');
        QVERIFY(parameters.contains(QStringLiteral("num_ctx") + QString(24, u' ') +
                                    QStringLiteral("200000")));
        QCOMPARE(s.value(QStringLiteral("remote_host")).toString(),
                 QStringLiteral("https://api.anthropic.com"));
        QCOMPARE(s.value(QStringLiteral("remote_model")).toString(),
                 QStringLiteral("claude-sonnet-4-5-20250929"));
        QCOMPARE(s.value(QStringLiteral("max_output_tokens")).toInt(), 64000);
    }

    // Ollama ignores num_ctx for its cloud models; so does the gateway for every remote one: the
    // upstream never sees it and /api/ps keeps reporting the model's whole window.
    void numCtxIsIgnoredAndPsReportsTheWindow()
    {
        m_openai.clear();
        const auto r = m_gw.post("/api/chat", "{\"model\":\"gpt-4o\",\"stream\":false,\"options\":"
                                              "{\"num_ctx\":2048},\"messages\":[{\"role\":\"user\","
                                              "\"content\":\"hi\"}]}");
        QCOMPARE(r->status, 200);
        QCOMPARE(m_openai.requestCount(), 1);
        QVERIFY(!m_openai.last().body.contains("num_ctx"));
        QVERIFY(!m_openai.last().body.contains("2048"));
        const QJsonArray ps =
            obj(m_gw.get("/api/ps")->body).value(QStringLiteral("models")).toArray();
        const QJsonObject gpt = entry(ps, QStringLiteral("gpt-4o:latest"));
        QCOMPARE(gpt.value(QStringLiteral("context_length")).toInt(), 128000);
    }

    // Ollama's shape (api.ModelRecommendationsResponse), the configured chat models in order,
    // each with both limits (Ollama drops remote entries without them).
    void recommendations()
    {
        const auto r = m_gw.get("/api/experimental/model-recommendations");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
        const QJsonArray recs = obj(r->body).value(QStringLiteral("recommendations")).toArray();
        QStringList names;
        for (const QJsonValue &v : recs) {
            const QJsonObject o = v.toObject();
            names.append(o.value(QStringLiteral("model")).toString());
            QVERIFY(o.value(QStringLiteral("context_length")).toInt() > 0);
            QVERIFY(o.value(QStringLiteral("max_output_tokens")).toInt() > 0);
            QVERIFY(!o.value(QStringLiteral("description")).toString().isEmpty());
        }
        QCOMPARE(names,
                 (QStringList{QStringLiteral("gpt-4o"), QStringLiteral("claude-sonnet-4-5")}));
    }

    // Copilot 0.37 posted to /chat/completions (ollama/ollama#14135).
    void openAiRoutesWithoutV1()
    {
        auto r = m_gw.post("/chat/completions", "{\"model\":\"echo\",\"messages\":[{\"role\":"
                                                "\"user\",\"content\":\"hello there\"}]}");
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("choices"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("hello there"));
        r = m_gw.post("/completions", "{\"model\":\"echo\",\"prompt\":\"one two\"}");
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body).value(QStringLiteral("object")).toString(),
                 QStringLiteral("text_completion"));
        r = m_gw.get("/models");
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body).value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        QCOMPARE(obj(m_gw.get("/v1/models")->body), obj(r->body));
        r = m_gw.get("/models/gpt-4o");
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body).value(QStringLiteral("id")).toString(), QStringLiteral("gpt-4o"));
        r = m_gw.post("/embeddings", "{\"model\":\"echo\",\"input\":\"a b\"}");
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body).value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        // Their errors are OpenAI's, as on /v1.
        r = m_gw.post("/chat/completions", "{\"model\":\"ghost\",\"messages\":[{\"role\":"
                                           "\"user\",\"content\":\"x\"}]}");
        QCOMPARE(r->status, 404);
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("code"))
                     .toString(),
                 QStringLiteral("model_not_found"));
        r = m_gw.request("GET", "/chat/completions");
        QCOMPARE(r->status, 405);
        QVERIFY(obj(r->body).value(QStringLiteral("error")).isObject());
    }

    // Zed reads only the first tool call of each streamed chunk: two calls that came in one
    // upstream chunk go out as two NDJSON lines; their ids come back with the results.
    void toolCallsOnePerLineAndIdsRoundTrip()
    {
        m_openai.clear();
        const QByteArray tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
                                 "\"get_weather\",\"parameters\":{\"type\":\"object\","
                                 "\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
        const auto r = m_gw.post("/api/chat", "{\"model\":\"gpt-4o\"," + tools +
                                                  ",\"messages\":[{\"role\":\"user\",\"content\":"
                                                  "\"weather in Tokyo and Paris?\"}]}");
        QCOMPARE(r->status, 200);
        QList<QJsonObject> calls;
        for (const QJsonObject &l : lines(r->body)) {
            const QJsonArray c = l.value(QStringLiteral("message"))
                                     .toObject()
                                     .value(QStringLiteral("tool_calls"))
                                     .toArray();
            QVERIFY2(c.size() <= 1, "more than one tool call on a line");
            if (!c.isEmpty())
                calls.append(c.first().toObject());
        }
        QCOMPARE(calls.size(), 2);
        QCOMPARE(calls[0].value(QStringLiteral("id")).toString(), QStringLiteral("call_tokyo"));
        QCOMPARE(calls[1].value(QStringLiteral("id")).toString(), QStringLiteral("call_paris"));
        QCOMPARE(calls[1]
                     .value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("arguments"))
                     .toObject(),
                 (QJsonObject{{QStringLiteral("city"), QStringLiteral("Paris")}}));

        // The results come back by id (Ollama 0.12.10's tool_call_id), in the other order.
        QJsonArray assistantCalls;
        for (const QJsonObject &c : calls)
            assistantCalls.append(c);
        const QJsonArray messages{
            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                        {QStringLiteral("content"), QStringLiteral("weather in Tokyo and Paris?")}},
            QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), QString()},
                        {QStringLiteral("tool_calls"), assistantCalls}},
            QJsonObject{{QStringLiteral("role"), QStringLiteral("tool")},
                        {QStringLiteral("tool_call_id"), QStringLiteral("call_paris")},
                        {QStringLiteral("content"), QStringLiteral("rain")}},
            QJsonObject{{QStringLiteral("role"), QStringLiteral("tool")},
                        {QStringLiteral("tool_call_id"), QStringLiteral("call_tokyo")},
                        {QStringLiteral("content"), QStringLiteral("sun")}}};
        m_openai.clear();
        const auto second = m_gw.post(
            "/api/chat", "{\"model\":\"gpt-4o\",\"stream\":false," + tools + ",\"messages\":" +
                             QJsonDocument(messages).toJson(QJsonDocument::Compact) + "}");
        QCOMPARE(second->status, 200);
        QCOMPARE(m_openai.requestCount(), 1);
        const QJsonArray sent = m_openai.last().json().value(QStringLiteral("messages")).toArray();
        QCOMPARE(sent.size(), 4);
        const QJsonArray sentCalls =
            sent[1].toObject().value(QStringLiteral("tool_calls")).toArray();
        QCOMPARE(sentCalls.size(), 2);
        QCOMPARE(sentCalls[0].toObject().value(QStringLiteral("id")).toString(),
                 QStringLiteral("call_tokyo"));
        QCOMPARE(sent[2].toObject().value(QStringLiteral("tool_call_id")).toString(),
                 QStringLiteral("call_paris"));
        QCOMPARE(sent[2].toObject().value(QStringLiteral("content")).toString(),
                 QStringLiteral("rain"));
        QCOMPARE(sent[3].toObject().value(QStringLiteral("tool_call_id")).toString(),
                 QStringLiteral("call_tokyo"));
    }
};

QTEST_GUILESS_MAIN(TstModelMetadata)
#include "tst_modelmetadata.moc"
