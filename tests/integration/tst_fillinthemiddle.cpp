// Fill-in-the-middle (Continue's autocomplete) over real sockets: /api/generate and
// /v1/completions with a suffix reach Mistral's FIM endpoint (Codestral), DeepSeek's beta
// completions, an OpenAI-compatible server's /v1/completions and a real Ollama's
// /api/generate, each fake speaking the service's own wire format and checking what it got;
// models without the insert capability get Ollama's error; /api/show tells Continue which
// models fill in the middle.

#include "checkedlist.h"
#include "fakeserver.h"
#include "gatewayfixture.h"
#include "providers/openai/fimwire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;
using gwtest::FakeServer;
using gwtest::Received;
using gwtest::Reply;

namespace {

QJsonObject obj(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QStringList keys(const QJsonObject &o)
{
    QStringList k = o.keys();
    k.sort();
    return k;
}

// Mistral's FIM stream: Chat Completions chunks, usage on the last one.
Reply mistralStream()
{
    const auto chunk = [](const QJsonObject &delta, const QJsonValue &finish) {
        QJsonObject c{{QStringLiteral("id"), QStringLiteral("fim-1")},
                      {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                      {QStringLiteral("created"), 1764700000},
                      {QStringLiteral("model"), QStringLiteral("codestral-latest")},
                      {QStringLiteral("choices"),
                       QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                              {QStringLiteral("delta"), delta},
                                              {QStringLiteral("finish_reason"), finish}}}}};
        if (finish.isString())
            c.insert(QStringLiteral("usage"),
                     QJsonObject{{QStringLiteral("prompt_tokens"), 8},
                                 {QStringLiteral("total_tokens"), 11},
                                 {QStringLiteral("completion_tokens"), 3}});
        return FakeServer::sseData(c);
    };
    return Reply::sse(
        {chunk({{QStringLiteral("role"), QStringLiteral("assistant")},
                {QStringLiteral("content"), QString()}},
               QJsonValue::Null),
         chunk({{QStringLiteral("content"), QStringLiteral("    return")}}, QJsonValue::Null),
         chunk({{QStringLiteral("content"), QStringLiteral(" a + b")}}, QStringLiteral("stop")),
         "data: [DONE]\n\n"});
}

// The Completions endpoint's stream (DeepSeek, vLLM): choices[].text, usage alone at the end.
Reply completionsStream()
{
    const auto chunk = [](const QString &text, const QJsonValue &finish) {
        return FakeServer::sseData(
            QJsonObject{{QStringLiteral("id"), QStringLiteral("cmpl-1")},
                        {QStringLiteral("object"), QStringLiteral("text_completion")},
                        {QStringLiteral("created"), 1764700000},
                        {QStringLiteral("model"), QStringLiteral("deepseek-chat")},
                        {QStringLiteral("choices"),
                         QJsonArray{QJsonObject{{QStringLiteral("text"), text},
                                                {QStringLiteral("index"), 0},
                                                {QStringLiteral("logprobs"), QJsonValue::Null},
                                                {QStringLiteral("finish_reason"), finish}}}}});
    };
    return Reply::sse(
        {chunk(QStringLiteral("    return"), QJsonValue::Null),
         chunk(QStringLiteral(" a + b"), QJsonValue::Null),
         chunk(QString(), QStringLiteral("stop")),
         FakeServer::sseData(QJsonObject{
             {QStringLiteral("id"), QStringLiteral("cmpl-1")},
             {QStringLiteral("object"), QStringLiteral("text_completion")},
             {QStringLiteral("choices"), QJsonArray()},
             {QStringLiteral("usage"), QJsonObject{{QStringLiteral("prompt_tokens"), 9},
                                                   {QStringLiteral("completion_tokens"), 3},
                                                   {QStringLiteral("total_tokens"), 12}}}}),
         "data: [DONE]\n\n"});
}

} // namespace

class TstFillInTheMiddle : public QObject
{
    Q_OBJECT

    FakeServer m_mistral, m_deepseek, m_vllm, m_ollama;
    gwtest::GatewayFixture m_gw;

    static QString generated(const QByteArray &ndjson)
    {
        QString text;
        for (const QByteArray &l : ndjson.split('\n'))
            if (!l.isEmpty())
                text += obj(l).value(QStringLiteral("response")).toString();
        return text;
    }

private slots:
    void initTestCase()
    {
        m_mistral.on("POST", "/v1/fim/completions",
                     [](const Received &) { return mistralStream(); });
        m_deepseek.on("POST", "/beta/completions",
                      [](const Received &) { return completionsStream(); });
        // A server that ignores stream:true and answers one JSON body.
        m_vllm.on("POST", "/v1/completions", [](const Received &) {
            return Reply::json(
                200, "{\"id\":\"cmpl-2\",\"object\":\"text_completion\",\"model\":\"qwen\","
                     "\"choices\":[{\"index\":0,\"text\":\"    return a + b\",\"logprobs\":null,"
                     "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":5,"
                     "\"completion_tokens\":4,\"total_tokens\":9}}");
        });
        m_ollama.on("POST", "/api/generate", [](const Received &) {
            return Reply::ndjson(
                {"{\"model\":\"qwen2.5-coder:7b\",\"created_at\":\"2026-12-03T10:00:00Z\","
                 "\"response\":\"    return\",\"done\":false}",
                 "{\"model\":\"qwen2.5-coder:7b\",\"created_at\":\"2026-12-03T10:00:00Z\","
                 "\"response\":\" a + b\",\"done\":false}",
                 "{\"model\":\"qwen2.5-coder:7b\",\"created_at\":\"2026-12-03T10:00:00Z\","
                 "\"response\":\"\",\"done\":true,\"done_reason\":\"stop\","
                 "\"prompt_eval_count\":7,\"eval_count\":3}"});
        });
        const QByteArray config =
            "{\"providers\":["
            "{\"name\":\"mistral\",\"type\":\"openai\",\"base_url\":\"" +
            m_mistral.url(QStringLiteral("/v1")).toUtf8() +
            "\",\"options\":{\"requires_key\":false,\"max_retries\":0,\"fim_url\":\"" +
            m_mistral.url(QStringLiteral("/v1/fim/completions")).toUtf8() +
            "\"}},"
            "{\"name\":\"deepseek\",\"type\":\"openai\",\"base_url\":\"" +
            m_deepseek.url(QStringLiteral("/v1")).toUtf8() +
            "\",\"options\":{\"requires_key\":false,\"max_retries\":0,\"fim_url\":\"" +
            m_deepseek.url(QStringLiteral("/beta/completions")).toUtf8() +
            "\"}},"
            "{\"name\":\"vllm\",\"type\":\"openai\",\"base_url\":\"" +
            m_vllm.url(QStringLiteral("/v1")).toUtf8() +
            "\",\"options\":{\"max_retries\":0}},"
            "{\"name\":\"box\",\"type\":\"ollama\",\"base_url\":\"" +
            m_ollama.url().toUtf8() +
            "\",\"options\":{\"max_retries\":0}},"
            "{\"name\":\"hf\",\"type\":\"huggingface\",\"base_url\":\"" +
            m_vllm.url(QStringLiteral("/v1")).toUtf8() +
            "\"}],"
            "\"models\":["
            "{\"name\":\"codestral\",\"provider\":\"mistral\",\"model\":\"codestral-latest\"},"
            "{\"name\":\"ds\",\"provider\":\"deepseek\",\"model\":\"deepseek-chat\"},"
            "{\"name\":\"coder\",\"provider\":\"vllm\",\"model\":\"Qwen/Qwen2.5-Coder-7B\"},"
            "{\"name\":\"local-coder\",\"provider\":\"box\",\"model\":\"qwen2.5-coder:7b\"},"
            "{\"name\":\"gpt\",\"provider\":\"vllm\",\"model\":\"gpt-4o\"},"
            "{\"name\":\"hf-insert\",\"provider\":\"hf\",\"model\":\"some-model\","
            "\"capabilities\":[\"completion\",\"insert\"]},"
            "{\"name\":\"hf-coder\",\"provider\":\"hf\",\"model\":\"Qwen/"
            "Qwen2.5-Coder-32B-Instruct\"}]}";
        QVERIFY2(m_gw.setUp(config), qPrintable(m_gw.error()));
    }

    void wireDefaults()
    {
        using F = FimWire;
        QCOMPARE(F::url(QStringLiteral("https://api.mistral.ai/v1"), {}),
                 QUrl(QStringLiteral("https://api.mistral.ai/v1/fim/completions")));
        QCOMPARE(F::url(QStringLiteral("https://codestral.mistral.ai/v1"), {}),
                 QUrl(QStringLiteral("https://codestral.mistral.ai/v1/fim/completions")));
        QCOMPARE(F::url(QStringLiteral("https://api.deepseek.com/v1"), {}),
                 QUrl(QStringLiteral("https://api.deepseek.com/beta/completions")));
        QCOMPARE(F::url(QStringLiteral("http://127.0.0.1:8000/v1"), {}),
                 QUrl(QStringLiteral("http://127.0.0.1:8000/v1/completions")));
        QCOMPARE(F::url(QStringLiteral("https://api.deepseek.com/v1"),
                        QStringLiteral("https://proxy.example/fim")),
                 QUrl(QStringLiteral("https://proxy.example/fim")));
        QCOMPARE(F::formOf(QUrl(QStringLiteral("https://api.mistral.ai/v1/fim/completions"))),
                 F::Form::Mistral);
        QCOMPARE(F::formOf(QUrl(QStringLiteral("https://api.deepseek.com/beta/completions"))),
                 F::Form::Completions);
    }

    // Continue: /api/show (legacy "name") finds .Suffix in the template, then autocompletes
    // through /api/generate with suffix and raw.
    void showTellsContinueWhichModelsInsert()
    {
        for (const char *m : {"codestral", "ds", "coder", "local-coder"}) {
            const auto r = m_gw.post("/api/show", QByteArray("{\"name\":\"") + m + "\"}");
            QCOMPARE(r->status, 200);
            const QJsonObject s = obj(r->body);
            QVERIFY2(s.value(QStringLiteral("capabilities"))
                         .toArray()
                         .contains(QStringLiteral("insert")),
                     m);
            QVERIFY2(s.value(QStringLiteral("template")).toString().contains(u"{{ .Suffix }}"), m);
        }
        // The Hugging Face router has no Completions endpoint: the same coder model there does
        // not claim insert.
        const QJsonObject hf = obj(m_gw.post("/api/show", "{\"name\":\"hf-coder\"}")->body);
        QVERIFY(hf.value(QStringLiteral("capabilities"))
                    .toArray()
                    .contains(QStringLiteral("completion")));
        QVERIFY(
            !hf.value(QStringLiteral("capabilities")).toArray().contains(QStringLiteral("insert")));
        const QJsonObject gpt = obj(m_gw.post("/api/show", "{\"name\":\"gpt\"}")->body);
        QVERIFY(!gpt.value(QStringLiteral("capabilities"))
                     .toArray()
                     .contains(QStringLiteral("insert")));
        QVERIFY(!gpt.value(QStringLiteral("template")).toString().contains(u".Suffix"));
    }

    void generateReachesMistralFim()
    {
        m_mistral.clear();
        const QByteArray body =
            "{\"model\":\"codestral\",\"prompt\":\"def add(a, b):\\n\",\"suffix\":\"\\n\\nprint("
            "add(1, 2))\",\"raw\":true,\"options\":{\"temperature\":0.01,\"num_predict\":64,"
            "\"seed\":7,\"stop\":[\"\\n\\n\"]}%1}";
        // Streamed, as Continue asks, and whole.
        for (const QByteArray &stream : {QByteArray(), QByteArray(",\"stream\":false")}) {
            const auto r = m_gw.post("/api/generate", QByteArray(body).replace("%1", stream));
            QCOMPARE(r->status, 200);
            if (stream.isEmpty()) {
                QCOMPARE(generated(r->body), QStringLiteral("    return a + b"));
            } else {
                const QJsonObject o = obj(r->body);
                QCOMPARE(o.value(QStringLiteral("response")).toString(),
                         QStringLiteral("    return a + b"));
                QCOMPARE(o.value(QStringLiteral("eval_count")).toInt(), 3);
            }
        }
        QCOMPARE(m_mistral.requestCount(), 2);
        const Received got = m_mistral.last();
        QCOMPARE(got.path, QByteArray("/v1/fim/completions"));
        const QJsonObject sent = got.json();
        // Mistral refuses fields it does not know (422): only its own.
        QCOMPARE(keys(sent), (QStringList{"max_tokens", "model", "prompt", "random_seed", "stop",
                                          "stream", "suffix", "temperature"}));
        QCOMPARE(sent.value(QStringLiteral("model")).toString(),
                 QStringLiteral("codestral-latest"));
        QCOMPARE(sent.value(QStringLiteral("prompt")).toString(),
                 QStringLiteral("def add(a, b):\n"));
        QCOMPARE(sent.value(QStringLiteral("suffix")).toString(),
                 QStringLiteral("\n\nprint(add(1, 2))"));
        QCOMPARE(sent.value(QStringLiteral("max_tokens")).toInt(), 64);
        QCOMPARE(sent.value(QStringLiteral("random_seed")).toInt(), 7);
        QCOMPARE(sent.value(QStringLiteral("stop")).toArray(), QJsonArray{QStringLiteral("\n\n")});
        QCOMPARE(sent.value(QStringLiteral("stream")).toBool(), true);
    }

    void completionsReachDeepSeekBeta()
    {
        m_deepseek.clear();
        const QByteArray body = "{\"model\":\"ds\",\"prompt\":\"def add(a, b):\\n\",\"suffix\":"
                                "\"\\nprint(1)\",\"max_tokens\":32,\"seed\":3%1}";
        for (const QByteArray &stream : {QByteArray(",\"stream\":true"), QByteArray()}) {
            const auto r = m_gw.post("/v1/completions", QByteArray(body).replace("%1", stream));
            QCOMPARE(r->status, 200);
            if (stream.isEmpty()) {
                const QJsonObject o = obj(r->body);
                QCOMPARE(o.value(QStringLiteral("object")).toString(),
                         QStringLiteral("text_completion"));
                const QJsonObject choice =
                    o.value(QStringLiteral("choices")).toArray().at(0).toObject();
                QCOMPARE(choice.value(QStringLiteral("text")).toString(),
                         QStringLiteral("    return a + b"));
                QCOMPARE(o.value(QStringLiteral("usage"))
                             .toObject()
                             .value(QStringLiteral("prompt_tokens"))
                             .toInt(),
                         9);
            } else {
                QString text;
                for (const QByteArray &line : r->body.split('\n')) {
                    if (!line.startsWith("data: {"))
                        continue;
                    for (const QJsonValue &c :
                         obj(line.mid(6)).value(QStringLiteral("choices")).toArray())
                        text += c.toObject().value(QStringLiteral("text")).toString();
                }
                QCOMPARE(text, QStringLiteral("    return a + b"));
            }
        }
        QCOMPARE(m_deepseek.requestCount(), 2);
        const QJsonObject sent = m_deepseek.last().json();
        QCOMPARE(m_deepseek.last().path, QByteArray("/beta/completions"));
        QCOMPARE(keys(sent), (QStringList{"max_tokens", "model", "prompt", "seed", "stream",
                                          "stream_options", "suffix"}));
        QCOMPARE(sent.value(QStringLiteral("suffix")).toString(), QStringLiteral("\nprint(1)"));
        QCOMPARE(sent.value(QStringLiteral("model")).toString(), QStringLiteral("deepseek-chat"));
    }

    void compatibleServerCompletions()
    {
        m_vllm.clear();
        const auto r = m_gw.post("/api/generate",
                                 "{\"model\":\"coder\",\"prompt\":\"x = \",\"suffix\":\"\\n\","
                                 "\"raw\":true,\"stream\":false}");
        QCOMPARE(r->status, 200);
        const QJsonObject o = obj(r->body);
        QCOMPARE(o.value(QStringLiteral("response")).toString(),
                 QStringLiteral("    return a + b"));
        QCOMPARE(o.value(QStringLiteral("done_reason")).toString(), QStringLiteral("length"));
        QCOMPARE(m_vllm.requestCount(), 1);
        QCOMPARE(m_vllm.last().path, QByteArray("/v1/completions"));
        const QJsonObject sent = m_vllm.last().json();
        QCOMPARE(sent.value(QStringLiteral("prompt")).toString(), QStringLiteral("x = "));
        QCOMPARE(sent.value(QStringLiteral("suffix")).toString(), QStringLiteral("\n"));
        QVERIFY(!sent.contains(QStringLiteral("messages")));
    }

    void logprobsWithFim()
    {
        // A real Ollama's /api/generate takes them with a suffix.
        m_ollama.clear();
        auto r = m_gw.post("/api/generate", "{\"model\":\"local-coder\",\"prompt\":\"a\","
                                            "\"suffix\":\"b\",\"logprobs\":true,\"top_logprobs\":2,"
                                            "\"stream\":false}");
        QCOMPARE(r->status, 200);
        QCOMPARE(m_ollama.last().json().value(QStringLiteral("logprobs")).toBool(), true);
        QCOMPARE(m_ollama.last().json().value(QStringLiteral("top_logprobs")).toInt(), 2);
        // Mistral's FIM endpoint has none: a clear 400, nothing sent.
        m_mistral.clear();
        r = m_gw.post("/api/generate", "{\"model\":\"codestral\",\"prompt\":\"a\",\"suffix\":"
                                       "\"b\",\"logprobs\":true}");
        QCOMPARE(r->status, 400);
        QCOMPARE(obj(r->body).value(QStringLiteral("error")).toString(),
                 QStringLiteral("provider 'mistral' (Mistral's fill-in-the-middle endpoint) does "
                                "not return log probabilities (logprobs)"));
        QCOMPARE(m_mistral.requestCount(), 0);
    }

    void ollamaUpstreamGetsGenerate()
    {
        m_ollama.clear();
        const auto r = m_gw.post("/api/generate", "{\"model\":\"local-coder\",\"prompt\":\"def "
                                                  "f():\",\"suffix\":\"  pass\",\"raw\":true}");
        QCOMPARE(r->status, 200);
        QCOMPARE(generated(r->body), QStringLiteral("    return a + b"));
        QCOMPARE(m_ollama.requestCount(), 1);
        QCOMPARE(m_ollama.last().path, QByteArray("/api/generate"));
        const QJsonObject sent = m_ollama.last().json();
        QCOMPARE(sent.value(QStringLiteral("model")).toString(),
                 QStringLiteral("qwen2.5-coder:7b"));
        QCOMPARE(sent.value(QStringLiteral("prompt")).toString(), QStringLiteral("def f():"));
        QCOMPARE(sent.value(QStringLiteral("suffix")).toString(), QStringLiteral("  pass"));
        QCOMPARE(sent.value(QStringLiteral("raw")).toBool(), true);
    }

    // Ollama's GenerateHandler asks for the insert capability when a suffix is given.
    void suffixWithoutInsertIsRefused()
    {
        m_vllm.clear();
        auto r = m_gw.post("/api/generate",
                           "{\"model\":\"gpt\",\"prompt\":\"def f(\",\"suffix\":\"x\"}");
        QCOMPARE(r->status, 400);
        QCOMPARE(r->body, QByteArray("{\"error\":\"gpt:latest does not support insert\"}"));
        r = m_gw.post("/v1/completions",
                      "{\"model\":\"gpt\",\"prompt\":\"def f(\",\"suffix\":\"x\"}");
        QCOMPARE(r->status, 400);
        const QJsonObject e = obj(r->body).value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("type")).toString(),
                 QStringLiteral("invalid_request_error"));
        QVERIFY(e.value(QStringLiteral("message")).toString().contains(u"does not support insert"));
        QCOMPARE(m_vllm.requestCount(), 0);
        // An empty suffix is no suffix: a model without insert answers.
        r = m_gw.post("/api/generate",
                      "{\"model\":\"echo\",\"prompt\":\"x\",\"suffix\":\"\",\"stream\":false}");
        QCOMPARE(r->status, 200);
    }

    // A mapping may claim insert for a provider without a FIM endpoint: the suffix is refused
    // rather than silently dropped into a chat.
    void insertWithoutAnEndpointIsRefused()
    {
        m_vllm.clear();
        const auto r = m_gw.post("/api/generate", "{\"model\":\"hf-insert\",\"prompt\":\"a\","
                                                  "\"suffix\":\"b\",\"stream\":false}");
        QCOMPARE(r->status, 400);
        QCOMPARE(obj(r->body).value(QStringLiteral("error")).toString(),
                 QStringLiteral("provider 'hf' (type 'huggingface') has no fill-in-the-middle "
                                "endpoint; leave insert out of the model's capabilities"));
        QCOMPARE(m_vllm.requestCount(), 0);
    }

    void badFimUrlIsAConfigError()
    {
        gwtest::GatewayFixture g;
        QVERIFY(!g.configure("{\"providers\":[{\"name\":\"m\",\"type\":\"openai\",\"options\":{"
                             "\"fim_url\":\"ftp://x\"}}]}"));
        QVERIFY2(g.error().contains(u"fim_url must be an http or https URL"),
                 qPrintable(g.error()));
    }
};

QTEST_GUILESS_MAIN(TstFillInTheMiddle)
#include "tst_fillinthemiddle.moc"
