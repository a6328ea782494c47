// Thinking levels, log probabilities and the providers' rules over real sockets: a client's
// request through the gateway to a fake upstream speaking the provider's wire format, checking
// what the upstream received, what the client got back and what the request log says.
// (Every level on every model: tst_providerrules; the real client libraries:
// tests/e2e/thinking.test.mjs.)

#include "checkedlist.h"
#include "fakeserver.h"
#include "gatewayfixture.h"
#include "jsontext.h"
#include "log/requestlog.h"
#include "rawhttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gw;
using gwtest::FakeServer;
using gwtest::j;
using gwtest::obj;
using gwtest::Received;
using gwtest::Reply;

namespace {

const QJsonObject upstream(const FakeServer *fake)
{
    return fake->last().json();
}

gwtest::CheckedList<QJsonObject> lines(const QByteArray &ndjson)
{
    QList<QJsonObject> out;
    for (const QByteArray &l : ndjson.split('\n'))
        if (!l.isEmpty())
            out.append(obj(l));
    return out;
}

// The data objects of an SSE body.
gwtest::CheckedList<QJsonObject> events(const QByteArray &sse)
{
    QList<QJsonObject> out;
    for (const QByteArray &l : sse.split('\n'))
        if (l.startsWith("data: {"))
            out.append(obj(l.mid(6)));
    return out;
}

QByteArray anthropicAnswer()
{
    const auto ev = [](const char *name, const char *json) {
        return QByteArray("event: ") + name + "\ndata: " + j(json) + "\n\n";
    };
    return ev("message_start",
              "{'type':'message_start','message':{'usage':{'input_tokens':5,'output_tokens':1}}}") +
           ev("content_block_start", "{'type':'content_block_start','index':0,'content_block':{'"
                                     "type':'text','text':''}}") +
           ev("content_block_delta", "{'type':'content_block_delta','index':0,'delta':{'type':"
                                     "'text_delta','text':'Fine.'}}") +
           ev("content_block_stop", "{'type':'content_block_stop','index':0}") +
           ev("message_delta", "{'type':'message_delta','delta':{'stop_reason':'end_turn'},"
                               "'usage':{'output_tokens':2}}") +
           ev("message_stop", "{'type':'message_stop'}");
}

// An OpenAI-compatible stream: reasoning, then two words with their log probabilities.
QList<QByteArray> openAiAnswer()
{
    return {
        "data: " +
            j("{'choices':[{'index':0,'delta':{'role':'assistant','reasoning_content':'Hm.'}}]}") +
            "\n\n",
        "data: " +
            j("{'choices':[{'index':0,'delta':{'content':'Hi'},'logprobs':{'content':[{'token':"
              "'Hi','logprob':-0.25,'bytes':[72,105],'top_logprobs':[{'token':'Hi','logprob':-0."
              "25,'bytes':[72,105]},{'token':'Hey','logprob':-1.5,'bytes':[72,101,121]}]}]}}]}") +
            "\n\n",
        "data: " +
            j("{'choices':[{'index':0,'delta':{'content':' there'},'logprobs':{'content':[{"
              "'token':' there','logprob':-0.5,'bytes':[32,116,104,101,114,101],'top_logprobs':"
              "[{'token':' there','logprob':-0.5,'bytes':[32,116,104,101,114,101]}]}]}}]}") +
            "\n\n",
        "data: " +
            j("{'choices':[{'index':0,'delta':{},'finish_reason':'stop'}],'usage':{"
              "'prompt_tokens':4,'completion_tokens':2}}") +
            "\n\n",
        "data: [DONE]\n\n"};
}

} // namespace

class TestThinking : public QObject
{
    Q_OBJECT

    FakeServer *m_fake = nullptr;
    gwtest::GatewayFixture m_gw;

    bool setUp()
    {
        QByteArray json =
            j("{'providers':["
              "{'name':'claude','type':'anthropic','base_url':'FAKE'},"
              "{'name':'oai','type':'openai','base_url':'FAKE/v1','options':{'requires_key':true}},"
              "{'name':'gem','type':'gemini','base_url':'FAKE/v1beta'},"
              "{'name':'mis','type':'openai','base_url':'FAKE/v1','options':{'requires_key':false,"
              "'fim_url':'FAKE/v1/fim/completions'}}],"
              "'models':["
              "{'name':'sonnet','provider':'claude','model':'claude-sonnet-4-5'},"
              "{'name':'o4','provider':'oai','model':'o4-mini'},"
              "{'name':'qwen','provider':'oai','model':'qwen3-32b','capabilities':['completion',"
              "'tools','thinking']},"
              "{'name':'flash3','provider':'gem','model':'gemini-3-flash-preview'},"
              "{'name':'coder','provider':'oai','model':'qwen2.5-coder','capabilities':["
              "'completion','insert']},"
              "{'name':'codestral','provider':'mis','model':'codestral-latest','capabilities':["
              "'completion','insert']}]}");
        json.replace("FAKE", m_fake->url().toUtf8());
        m_gw->secrets().setKeychainKey(QStringLiteral("claude"), QStringLiteral("sk-ant-0000000"));
        m_gw->secrets().setKeychainKey(QStringLiteral("oai"), QStringLiteral("sk-000000000000"));
        m_gw->secrets().setKeychainKey(QStringLiteral("gem"), QStringLiteral("AIza000000000000"));
        if (!m_gw.setUp(json)) {
            qWarning("set-up failed: %s", qPrintable(m_gw.error()));
            return false;
        }
        return true;
    }

private slots:
    void initTestCase()
    {
        m_fake = new FakeServer(this);
        QVERIFY(setUp());
        m_fake->on("POST", "/v1/messages",
                   [](const Received &) { return Reply::sse({anthropicAnswer()}); });
        m_fake->on("POST", "/v1/chat/completions",
                   [](const Received &) { return Reply::sse(openAiAnswer()); });
        // The legacy Completions endpoint (fill-in-the-middle on vLLM, llama.cpp, DeepSeek).
        m_fake->on("POST", "/v1/completions", [](const Received &) {
            return Reply::sse(
                {"data: " +
                     j("{'choices':[{'index':0,'text':'x = 1','logprobs':{'tokens':['x',' = 1'],"
                       "'token_logprobs':[-0.2,-0.7],'top_logprobs':[{'x':-0.2,'y':-1.9},{' = 1':"
                       "-0.7,' = 2':-0.9}],'text_offset':[0,1]},'finish_reason':'stop'}]}") +
                     "\n\n",
                 "data: [DONE]\n\n"});
        });
        m_fake->on("POST", "/v1beta/models/*", [](const Received &) {
            return Reply::sse(
                {"data: " +
                 j("{'candidates':[{'content':{'role':'model','parts':[{'text':'Yes'}]},"
                   "'finishReason':'STOP','logprobsResult':{'topCandidates':[{'candidates':[{"
                   "'token':'Yes','logProbability':-0.1},{'token':'No','logProbability':-2.4}"
                   "]}],'chosenCandidates':[{'token':'Yes','logProbability':-0.1}]}}],"
                   "'usageMetadata':{'promptTokenCount':3,'candidatesTokenCount':1}}") +
                 "\r\n\r\n"});
        });
    }
    void init()
    {
        m_fake->clear();
        m_gw.clearRecords();
    }

    // The case, as a new user tried it: options {temperature: 0.2, top_p: 0.9} on a model
    // mapped to claude-sonnet-4-5 got Anthropic's 400. Now top_p stays home and the log says so.
    void claudeGetsTemperatureOnly()
    {
        const auto r = m_gw.post("/api/chat", j("{'model':'sonnet','stream':false,'options':{"
                                                "'temperature':0.2,'top_p':0.9},'messages':[{"
                                                "'role':'user','content':'hi'}]}"));
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body)["message"]["content"].toString(), QStringLiteral("Fine."));
        const QJsonObject up = m_fake->last().json();
        QCOMPARE(up["temperature"].toDouble(), 0.2);
        QVERIFY(!up.contains(QLatin1StringView("top_p")));
        QVERIFY(m_gw.waitIdle());
        QCOMPARE(m_gw.records().size(), 1);
        const RequestRecord rec = m_gw.records().first();
        QCOMPARE(rec.adjustments.size(), 1);
        QVERIFY2(RequestLog::line(rec).contains(
                     QStringLiteral("adjusted=\"top_p left out: the model takes temperature or "
                                    "top_p, not both; temperature wins\"")),
                 qPrintable(RequestLog::line(rec)));
    }

    // A reasoning model on /v1: sampling and stop left out, max_tokens renamed, "none" becomes
    // the lowest effort o-series take.
    void openAiReasoningModel()
    {
        const auto r = m_gw.post("/v1/chat/completions",
                                 j("{'model':'o4','temperature':0.3,'stop':['END'],'max_tokens':"
                                   "50,'reasoning_effort':'none','messages':[{'role':'user',"
                                   "'content':'hi'}]}"));
        QCOMPARE(r->status, 200);
        const QJsonObject up = m_fake->last().json();
        QVERIFY(!up.contains(QLatin1StringView("temperature")));
        QVERIFY(!up.contains(QLatin1StringView("stop")));
        QCOMPARE(up["max_completion_tokens"].toInt(), 50);
        QCOMPARE(up["reasoning_effort"].toString(), QStringLiteral("low"));
        QVERIFY(m_gw.waitIdle());
        QCOMPARE(m_gw.records().first().adjustments.size(), 3);
    }

    // Thinking levels from both Ollama endpoints reach the provider's own control.
    void thinkLevels()
    {
        auto r = m_gw.post("/api/generate", j("{'model':'flash3','prompt':'hi','stream':false,"
                                              "'think':'medium'}"));
        QCOMPARE(r->status, 200);
        QCOMPARE(upstream(m_fake)["generationConfig"]["thinkingConfig"]["thinkingLevel"].toString(),
                 QStringLiteral("MEDIUM"));
        r = m_gw.post("/api/chat", j("{'model':'flash3','stream':false,'think':false,'messages':"
                                     "[{'role':'user','content':'hi'}]}"));
        QCOMPARE(r->status, 200);
        QCOMPARE(upstream(m_fake)["generationConfig"]["thinkingConfig"]["thinkingLevel"].toString(),
                 QStringLiteral("MINIMAL"));
        r = m_gw.post("/api/chat", j("{'model':'sonnet','stream':false,'think':'high','messages':"
                                     "[{'role':'user','content':'hi'}]}"));
        QCOMPARE(r->status, 200);
        QCOMPARE(upstream(m_fake)["thinking"]["budget_tokens"].toInt(), 16384);
    }

    // /v1's thinking text under each name clients read, streamed and not.
    void v1ThinkingFields()
    {
        auto r = m_gw.post("/v1/chat/completions",
                           j("{'model':'qwen','stream':true,'messages':[{'role':'user','content':"
                             "'hi'}]}"));
        QCOMPARE(r->status, 200);
        QJsonObject delta;
        for (const QJsonObject &e : events(r->body)) {
            const QJsonObject d = e["choices"][0]["delta"].toObject();
            if (d.contains(QLatin1StringView("reasoning_text")))
                delta = d;
        }
        for (const char *k : {"reasoning_content", "reasoning", "reasoning_text"})
            QCOMPARE(delta[QLatin1StringView(k)].toString(), QStringLiteral("Hm."));
        r = m_gw.post("/v1/chat/completions", j("{'model':'qwen','messages':[{'role':'user',"
                                                "'content':'hi'}]}"));
        const QJsonObject msg = obj(r->body)["choices"][0]["message"].toObject();
        for (const char *k : {"reasoning_content", "reasoning", "reasoning_text"})
            QCOMPARE(msg[QLatin1StringView(k)].toString(), QStringLiteral("Hm."));
    }

    // Ollama's logprobs (0.12.11 shape) from an OpenAI-compatible upstream, streamed and not.
    void ollamaLogprobs()
    {
        auto r = m_gw.post("/api/chat", j("{'model':'qwen','logprobs':true,'top_logprobs':2,"
                                          "'messages':[{'role':'user','content':'hi'}]}"));
        QCOMPARE(r->status, 200);
        const QJsonObject up = m_fake->last().json();
        QCOMPARE(up["logprobs"].toBool(), true);
        QCOMPARE(up["top_logprobs"].toInt(), 2);
        QList<QJsonObject> withLogprobs;
        for (const QJsonObject &l : lines(r->body))
            if (l.contains(QLatin1StringView("logprobs")))
                withLogprobs.append(l);
        QCOMPARE(withLogprobs.size(), 2);
        const QJsonObject first = std::as_const(withLogprobs)[0]["logprobs"][0].toObject();
        QCOMPARE(std::as_const(withLogprobs)[0]["message"]["content"].toString(),
                 QStringLiteral("Hi"));
        QCOMPARE(first["token"].toString(), QStringLiteral("Hi"));
        QCOMPARE(first["logprob"].toDouble(), -0.25);
        QCOMPARE(first["bytes"].toArray(), QJsonArray({72, 105}));
        QCOMPARE(first["top_logprobs"].toArray().size(), 2);
        QCOMPARE(first["top_logprobs"][1]["token"].toString(), QStringLiteral("Hey"));

        r = m_gw.post("/api/generate", j("{'model':'flash3','prompt':'ok?','stream':false,"
                                         "'logprobs':true,'top_logprobs':2}"));
        QCOMPARE(r->status, 200);
        QCOMPARE(upstream(m_fake)["generationConfig"]["responseLogprobs"].toBool(), true);
        QCOMPARE(upstream(m_fake)["generationConfig"]["logprobs"].toInt(), 2);
        const QJsonArray lp = obj(r->body)["logprobs"].toArray();
        QCOMPARE(lp.size(), 1);
        QCOMPARE(lp[0]["token"].toString(), QStringLiteral("Yes"));
        QCOMPARE(lp[0]["top_logprobs"][1]["logprob"].toDouble(), -2.4);
    }

    void v1Logprobs()
    {
        auto r = m_gw.post("/v1/chat/completions",
                           j("{'model':'qwen','stream':true,'logprobs':true,'top_logprobs':1,"
                             "'messages':[{'role':'user','content':'hi'}]}"));
        QCOMPARE(r->status, 200);
        QStringList tokens;
        for (const QJsonObject &e : events(r->body))
            for (const QJsonValue &t : e["choices"][0]["logprobs"]["content"].toArray())
                tokens.append(t["token"].toString());
        QCOMPARE(tokens, QStringList({QStringLiteral("Hi"), QStringLiteral(" there")}));
        r = m_gw.post("/v1/chat/completions",
                      j("{'model':'flash3','logprobs':true,'messages':[{'role':'user','content':"
                        "'ok?'}]}"));
        QCOMPARE(r->status, 200);
        const QJsonObject lp = obj(r->body)["choices"][0]["logprobs"].toObject();
        QCOMPARE(lp["content"][0]["token"].toString(), QStringLiteral("Yes"));
        QCOMPARE(lp["content"][0]["bytes"].toArray(), QJsonArray({89, 101, 115}));
        QVERIFY(lp.contains(QLatin1StringView("refusal")));
    }

    // The Responses API: include "message.output_text.logprobs" and top_logprobs, streamed (on
    // each output_text delta and the done events) and not (on the output_text part).
    void responsesLogprobs()
    {
        auto r =
            m_gw.post("/v1/responses", j("{'model':'qwen','input':'hi','top_logprobs':2,'include':["
                                         "'message.output_text.logprobs']}"));
        QCOMPARE(r->status, 200);
        QCOMPARE(upstream(m_fake)["top_logprobs"].toInt(), 2);
        QJsonArray lp;
        for (const QJsonValue &item : obj(r->body)["output"].toArray())
            if (item["type"].toString() == u"message")
                lp = item["content"][0]["logprobs"].toArray();
        QCOMPARE(lp.size(), 2);
        QCOMPARE(std::as_const(lp)[1]["token"].toString(), QStringLiteral(" there"));
        QCOMPARE(std::as_const(lp)[0]["top_logprobs"][1]["token"].toString(),
                 QStringLiteral("Hey"));

        r = m_gw.post("/v1/responses", j("{'model':'qwen','input':'hi','stream':true,'include':["
                                         "'message.output_text.logprobs']}"));
        QCOMPARE(r->status, 200);
        QStringList tokens;
        int done = 0;
        for (const QJsonObject &e : events(r->body)) {
            if (e["type"].toString() == u"response.output_text.delta")
                for (const QJsonValue &t : e["logprobs"].toArray())
                    tokens.append(t["token"].toString());
            if (e["type"].toString() == u"response.output_text.done")
                done = int(e["logprobs"].toArray().size());
        }
        QCOMPARE(tokens, QStringList({QStringLiteral("Hi"), QStringLiteral(" there")}));
        QCOMPARE(done, 2);
        r = m_gw.post("/v1/responses", j("{'model':'qwen','input':'hi','top_logprobs':21}"));
        QCOMPARE(r->status, 400);
    }

    // The legacy completions' logprobs: a number of top tokens, answered in the old shape.
    void completionsLogprobs()
    {
        auto r = m_gw.post("/v1/completions", j("{'model':'qwen','prompt':'Say','logprobs':2}"));
        QCOMPARE(r->status, 200);
        QCOMPARE(upstream(m_fake)["top_logprobs"].toInt(), 2);
        const QJsonObject lp = obj(r->body)["choices"][0]["logprobs"].toObject();
        QCOMPARE(lp["tokens"].toArray(),
                 QJsonArray({QStringLiteral("Hi"), QStringLiteral(" there")}));
        QCOMPARE(lp["token_logprobs"].toArray(), QJsonArray({-0.25, -0.5}));
        QCOMPARE(lp["top_logprobs"][0]["Hey"].toDouble(), -1.5);
        QCOMPARE(lp["text_offset"].toArray(), QJsonArray({0, 2}));
        r = m_gw.post("/v1/completions",
                      j("{'model':'qwen','prompt':'Say','logprobs':0,'stream':true}"));
        QCOMPARE(r->status, 200);
        QList<int> offsets;
        for (const QJsonObject &e : events(r->body))
            for (const QJsonValue &o : e["choices"][0]["logprobs"]["text_offset"].toArray())
                offsets.append(o.toInt());
        QCOMPARE(offsets, QList<int>({0, 2}));
        r = m_gw.post("/v1/completions", j("{'model':'qwen','prompt':'Say','logprobs':6}"));
        QCOMPARE(r->status, 400);
    }

    // Fill-in-the-middle with logprobs: the Completions form takes the legacy number and
    // answers in the legacy shape; Mistral's FIM endpoint has none, so a 400.
    void fillInTheMiddleLogprobs()
    {
        auto r = m_gw.post("/api/generate", j("{'model':'coder','prompt':'def f():','suffix':"
                                              "'return x','stream':false,'logprobs':true,"
                                              "'top_logprobs':2}"));
        QCOMPARE(r->status, 200);
        QCOMPARE(m_fake->last().path, QByteArray("/v1/completions"));
        QCOMPARE(upstream(m_fake)["logprobs"].toInt(), 2);
        const QJsonArray lp = obj(r->body)["logprobs"].toArray();
        QCOMPARE(lp.size(), 2);
        QCOMPARE(std::as_const(lp)[1]["token"].toString(), QStringLiteral(" = 1"));
        QCOMPARE(std::as_const(lp)[1]["top_logprobs"][1]["token"].toString(),
                 QStringLiteral(" = 2"));
        m_fake->clear();
        r = m_gw.post("/api/generate", j("{'model':'codestral','prompt':'def f():','suffix':"
                                         "'return x','stream':false,'logprobs':true}"));
        QCOMPARE(r->status, 400);
        QVERIFY(obj(r->body)["error"].toString().contains(
            QStringLiteral("fill-in-the-middle endpoint) does not return log probabilities")));
        QCOMPARE(m_fake->requestCount(), 0);
    }

    // A provider without log probabilities: a clear 400 in the client's dialect, nothing sent.
    void logprobsRefused()
    {
        auto r = m_gw.post("/api/chat", j("{'model':'sonnet','logprobs':true,'messages':[{'role':"
                                          "'user','content':'hi'}]}"));
        QCOMPARE(r->status, 400);
        QCOMPARE(obj(r->body)["error"].toString(),
                 QStringLiteral("provider 'claude' (type 'anthropic') does not return log "
                                "probabilities (logprobs)"));
        r = m_gw.post("/v1/chat/completions", j("{'model':'sonnet','logprobs':true,'messages':[{"
                                                "'role':'user','content':'hi'}]}"));
        QCOMPARE(r->status, 400);
        QVERIFY(obj(r->body)["error"]["message"].toString().contains(
            QStringLiteral("does not return log probabilities")));
        QCOMPARE(m_fake->requestCount(), 0);

        // Ollama's own range check, and OpenAI's.
        r = m_gw.post("/api/chat", j("{'model':'qwen','logprobs':true,'top_logprobs':21,"
                                     "'messages':[{'role':'user','content':'hi'}]}"));
        QCOMPARE(r->status, 400);
        QCOMPARE(obj(r->body)["error"].toString(),
                 QStringLiteral("top_logprobs must be between 0 and 20"));
        r = m_gw.post("/v1/chat/completions", j("{'model':'qwen','top_logprobs':3,'messages':[{"
                                                "'role':'user','content':'hi'}]}"));
        QCOMPARE(r->status, 400);
        QVERIFY(obj(r->body)["error"]["message"].toString().contains(
            QStringLiteral("'logprobs' must be true")));
        QCOMPARE(m_fake->requestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestThinking)
#include "tst_thinking.moc"
