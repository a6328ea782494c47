// Providers end to end: the gateway in-process, each provider pointed at a scripted fake
// upstream speaking that provider's wire format over real loopback HTTP. Every test checks
// both sides: what the gateway sent upstream, and what the client got back.

#include "chat/chatjob.h"
#include "checkedlist.h"
#include "fakeserver.h"
#include "gatewayfixture.h"
#include "rawhttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gw;
using gwtest::FakeServer;
using gwtest::Received;
using gwtest::Reply;

namespace {

QJsonObject obj(const QByteArray &b)
{
    return QJsonDocument::fromJson(b).object();
}

gwtest::CheckedList<QJsonObject> lines(const QByteArray &ndjson)
{
    QList<QJsonObject> out;
    for (const QByteArray &l : ndjson.split('\n'))
        if (!l.isEmpty())
            out.append(obj(l));
    return out;
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

QByteArray usage(int p, int c)
{
    return FakeServer::sseData(
        {{QStringLiteral("choices"), QJsonArray()},
         {QStringLiteral("usage"), QJsonObject{{QStringLiteral("prompt_tokens"), p},
                                               {QStringLiteral("completion_tokens"), c}}}});
}

// A realistic OpenAI stream: text, a tool call in fragments, finish, usage, [DONE].
QList<QByteArray> toolStream()
{
    return {
        chunk({{QStringLiteral("role"), QStringLiteral("assistant")},
               {QStringLiteral("content"), QString()}}),
        chunk({{QStringLiteral("content"), QStringLiteral("Checking")}}),
        chunk({{QStringLiteral("tool_calls"),
                QJsonArray{QJsonObject{
                    {QStringLiteral("index"), 0},
                    {QStringLiteral("id"), QStringLiteral("call_9")},
                    {QStringLiteral("type"), QStringLiteral("function")},
                    {QStringLiteral("function"),
                     QJsonObject{{QStringLiteral("name"), QStringLiteral("get_weather")},
                                 {QStringLiteral("arguments"), QString()}}}}}}}),
        chunk({{QStringLiteral("tool_calls"),
                QJsonArray{QJsonObject{
                    {QStringLiteral("index"), 0},
                    {QStringLiteral("function"),
                     QJsonObject{{QStringLiteral("arguments"), QStringLiteral("{\"city\":")}}}}}}}),
        chunk({{QStringLiteral("tool_calls"),
                QJsonArray{QJsonObject{
                    {QStringLiteral("index"), 0},
                    {QStringLiteral("function"),
                     QJsonObject{{QStringLiteral("arguments"), QStringLiteral("\"Tokyo\"}")}}}}}}}),
        chunk(QJsonObject(), QStringLiteral("tool_calls")),
        usage(21, 9),
        "data: [DONE]\n\n"};
}

QList<QByteArray> textStream(const QStringList &words, int p = 5)
{
    QList<QByteArray> out{chunk({{QStringLiteral("role"), QStringLiteral("assistant")},
                                 {QStringLiteral("content"), QString()}})};
    for (const QString &w : words)
        out.append(chunk({{QStringLiteral("content"), w}}));
    out << chunk(QJsonObject(), QStringLiteral("stop")) << usage(p, int(words.size()))
        << "data: [DONE]\n\n";
    return out;
}

} // namespace

class TstProviders : public QObject
{
    Q_OBJECT

    FakeServer *m_fake = nullptr;
    gwtest::GatewayFixture m_gw;
    quint16 m_port = 0;

    // (Re)configures the gateway with the given providers/models JSON ("FAKE" standing for the
    // fake upstream's URL) and keys, then restarts it. False (and a warning why) on failure.
    bool setUp(const QByteArray &config, const QList<QPair<QString, QString>> &keys = {})
    {
        QByteArray json = config;
        json.replace("FAKE", m_fake->url().toUtf8());
        for (const auto &[name, key] : keys)
            m_gw->secrets().setKeychainKey(name, key);
        if (!m_gw.setUp(json)) {
            qWarning("set-up failed: %s", qPrintable(m_gw.error()));
            return false;
        }
        m_port = m_gw.port();
        m_fake->clear();
        return true;
    }
    Response post(const QByteArray &path, const QByteArray &body) { return m_gw.post(path, body); }
    Response postJson(const QByteArray &path, const QJsonObject &body)
    {
        return post(path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    static QJsonObject userChat(const QString &model, const QString &text, bool stream = true)
    {
        return {{QStringLiteral("model"), model},
                {QStringLiteral("stream"), stream},
                {QStringLiteral("messages"),
                 QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), text}}}}};
    }

    const QByteArray openAiConfig =
        "{\"providers\":[{\"name\":\"oai\",\"type\":\"openai\",\"base_url\":\"FAKE/"
        "v1\",\"options\":{\"requires_key\":true,\"retry_base_ms\":50,"
        "\"timeouts\":{\"idle_ms\":400,\"first_byte_ms\":3000,\"connect_ms\":2000},\"list_models\":"
        "true}}],"
        "\"models\":[{\"name\":\"gpt\",\"provider\":\"oai\",\"model\":\"gpt-4o\"},"
        "{\"name\":\"emb\",\"provider\":\"oai\",\"model\":\"text-embedding-3-small\"}]}";

private slots:
    void initTestCase() { m_fake = new FakeServer(this); }

    void init()
    {
        QVERIFY(setUp(openAiConfig,
                      {{QStringLiteral("oai"), QStringLiteral("sk-test-0123456789abcdef")}}));
    }

    void openAiStreamWithToolsThroughOllama()
    {
        m_fake->on("POST", "/v1/chat/completions",
                   [](const Received &) { return Reply::sse(toolStream(), 5); });
        QJsonObject req = userChat(QStringLiteral("gpt"), QStringLiteral("weather in Tokyo?"));
        req.insert(
            QStringLiteral("tools"),
            QJsonArray{QJsonObject{
                {QStringLiteral("type"), QStringLiteral("function")},
                {QStringLiteral("function"),
                 QJsonObject{{QStringLiteral("name"), QStringLiteral("get_weather")},
                             {QStringLiteral("parameters"),
                              QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}}}}}});
        req.insert(QStringLiteral("options"), QJsonObject{{QStringLiteral("temperature"), 0.3},
                                                          {QStringLiteral("num_predict"), 64},
                                                          {QStringLiteral("top_k"), 9}});
        const auto r = postJson("/api/chat", req);
        QCOMPARE(r->status, 200);
        const auto ls = lines(r->body);
        QCOMPARE(ls.first()
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("Checking"));
        const QJsonObject call = ls[1]
                                     .value(QStringLiteral("message"))
                                     .toObject()
                                     .value(QStringLiteral("tool_calls"))
                                     .toArray()
                                     .first()
                                     .toObject();
        QCOMPARE(call.value(QStringLiteral("id")).toString(), QStringLiteral("call_9"));
        QCOMPARE(call.value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("arguments"))
                     .toObject()
                     .value(QStringLiteral("city"))
                     .toString(),
                 QStringLiteral("Tokyo"));
        QCOMPARE(ls.last().value(QStringLiteral("prompt_eval_count")).toInt(), 21);
        QCOMPARE(ls.last().value(QStringLiteral("eval_count")).toInt(), 9);
        QCOMPARE(ls.last().value(QStringLiteral("done_reason")).toString(), QStringLiteral("stop"));

        // What went upstream, field by field.
        const Received up = m_fake->last();
        QCOMPARE(up.header("authorization"), QByteArray("Bearer sk-test-0123456789abcdef"));
        QVERIFY(up.header("via").contains("llm-gateway"));
        const QJsonObject b = up.json();
        QCOMPARE(b.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-4o"));
        QCOMPARE(b.value(QStringLiteral("stream")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("stream_options"))
                     .toObject()
                     .value(QStringLiteral("include_usage"))
                     .toBool(),
                 true);
        QCOMPARE(b.value(QStringLiteral("temperature")).toDouble(), 0.3);
        QCOMPARE(b.value(QStringLiteral("max_tokens")).toInt(), 64);
        QVERIFY(!b.contains(QStringLiteral("top_k")));
        QCOMPARE(b.value(QStringLiteral("tools"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("get_weather"));
    }

    void toolLoopRoundTripsIds()
    {
        m_fake->on("POST", "/v1/chat/completions", [](const Received &) {
            return Reply::sse(textStream({QStringLiteral("Sunny")}));
        });
        // The second turn of a tool loop as an Ollama client sends it: the result names the tool.
        const QByteArray body =
            "{\"model\":\"gpt\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":"
            "\"weather?\"},"
            "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":"
            "\"get_weather\",\"arguments\":{\"city\":\"Tokyo\"}}}]},"
            "{\"role\":\"tool\",\"content\":\"18C\",\"tool_name\":\"get_weather\"}]}";
        const auto r = post("/api/chat", body);
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("Sunny"));
        const QJsonArray m = m_fake->last().json().value(QStringLiteral("messages")).toArray();
        const QString id = m[1].toObject()
                               .value(QStringLiteral("tool_calls"))
                               .toArray()
                               .first()
                               .toObject()
                               .value(QStringLiteral("id"))
                               .toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(m[2].toObject().value(QStringLiteral("tool_call_id")).toString(), id);
        QCOMPARE(m[1].toObject()
                     .value(QStringLiteral("tool_calls"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("arguments"))
                     .toString(),
                 QStringLiteral("{\"city\":\"Tokyo\"}"));
    }

    void openAiSurfaceAndImagesAndSchema()
    {
        m_fake->on("POST", "/v1/chat/completions",
                   [](const Received &) { return Reply::sse(toolStream()); });
        const QByteArray body = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":[{"
                                "\"type\":\"text\",\"text\":\"what is it\"},"
                                "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/"
                                "png;base64,iVBORw0KGgo=\"}}]}],"
                                "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_"
                                "weather\",\"parameters\":{\"type\":\"object\"}}}],"
                                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{"
                                "\"name\":\"x\",\"schema\":{\"type\":\"object\"}}}}";
        const auto r = post("/v1/chat/completions", body);
        QCOMPARE(r->status, 200);
        const QJsonObject choice =
            obj(r->body).value(QStringLiteral("choices")).toArray().first().toObject();
        QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(),
                 QStringLiteral("tool_calls"));
        const QJsonObject fn = choice.value(QStringLiteral("message"))
                                   .toObject()
                                   .value(QStringLiteral("tool_calls"))
                                   .toArray()
                                   .first()
                                   .toObject()
                                   .value(QStringLiteral("function"))
                                   .toObject();
        QCOMPARE(fn.value(QStringLiteral("arguments")).toString(),
                 QStringLiteral("{\"city\":\"Tokyo\"}")); // a string again on this surface
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("usage"))
                     .toObject()
                     .value(QStringLiteral("prompt_tokens"))
                     .toInt(),
                 21);

        const QJsonObject b = m_fake->last().json();
        const QJsonArray parts = b.value(QStringLiteral("messages"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("content"))
                                     .toArray();
        QCOMPARE(parts[1]
                     .toObject()
                     .value(QStringLiteral("image_url"))
                     .toObject()
                     .value(QStringLiteral("url"))
                     .toString(),
                 QStringLiteral("data:image/png;base64,iVBORw0KGgo="));
        QCOMPARE(b.value(QStringLiteral("response_format"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("json_schema"));
    }

    void ollamaImagesGetAMimeType()
    {
        m_fake->on("POST", "/v1/chat/completions", [](const Received &) {
            return Reply::sse(textStream({QStringLiteral("a cat")}));
        });
        const QByteArray body =
            "{\"model\":\"gpt\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":"
            "\"what?\",\"images\":[\"/9j/4AAQSkZJRgABAQ==\"]}],\"format\":\"json\"}";
        QCOMPARE(post("/api/chat", body)->status, 200);
        const QJsonObject b = m_fake->last().json();
        const QJsonArray msgs = b.value(QStringLiteral("messages")).toArray();
        QVERIFY(msgs.first()
                    .toObject()
                    .value(QStringLiteral("content"))
                    .toString()
                    .contains(QStringLiteral("JSON"))); // json_object needs the word
        QCOMPARE(msgs.last()
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toArray()[1]
                     .toObject()
                     .value(QStringLiteral("image_url"))
                     .toObject()
                     .value(QStringLiteral("url"))
                     .toString(),
                 QStringLiteral("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ=="));
        QCOMPARE(b.value(QStringLiteral("response_format"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("json_object"));
    }

    // What an OpenAI upstream's error becomes for both dialects: status, words, attempts, and
    // on /v1 the upstream's own error.code (insufficient_quota, context_length_exceeded and
    // rate_limit_exceeded used to be lost).
    void upstreamErrors_data()
    {
        QTest::addColumn<int>("upstream");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("words");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<QString>("code"); // error.code on /v1, empty: null
        QTest::addColumn<QString>("type"); // error.type on /v1
        QTest::newRow("401") << 401
                             << QByteArray("{\"error\":{\"message\":\"Incorrect API key provided: "
                                           "sk-test-0123456789abcdef\",\"type\":\"invalid_request_"
                                           "error\",\"code\":\"invalid_api_key\"}}")
                             << 401 << "the provider rejected the API key for 'oai'" << 1
                             << "invalid_api_key"
                             << "authentication_error";
        QTest::newRow("404") << 404
                             << QByteArray("{\"error\":{\"message\":\"The model `gpt-4o` does not "
                                           "exist\",\"code\":\"model_not_found\"}}")
                             << 404 << "model 'gpt-4o' not found at provider 'oai'" << 1
                             << "model_not_found"
                             << "invalid_request_error";
        QTest::newRow("404 without a code")
            << 404 << QByteArray("{\"error\":{\"message\":\"no such model\"}}") << 404
            << "model 'gpt-4o' not found at provider 'oai'" << 1 << "model_not_found"
            << "invalid_request_error";
        QTest::newRow("400") << 400 << QByteArray("{\"error\":{\"message\":\"bad field\"}}") << 400
                             << "rejected the request (HTTP 400): bad field" << 1 << ""
                             << "invalid_request_error";
        QTest::newRow("context")
            << 400
            << QByteArray("{\"error\":{\"message\":\"This model's maximum context length is "
                          "128000 tokens.\",\"type\":\"invalid_request_error\",\"param\":"
                          "\"messages\",\"code\":\"context_length_exceeded\"}}")
            << 400 << "maximum context length" << 1 << "context_length_exceeded"
            << "invalid_request_error";
        QTest::newRow("quota")
            << 429
            << QByteArray(
                   "{\"error\":{\"message\":\"You exceeded your "
                   "quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}")
            << 429 << "out of quota" << 1 << "insufficient_quota"
            << "insufficient_quota";
        QTest::newRow("rate limit")
            << 429
            << QByteArray("{\"error\":{\"message\":\"Rate limit reached\",\"type\":"
                          "\"requests\",\"code\":\"rate_limit_exceeded\"}}")
            << 429 << "rate limiting requests (after 3 attempts)" << 3 << "rate_limit_exceeded"
            << "rate_limit_error";
        QTest::newRow("500 retried")
            << 500 << QByteArray("{\"error\":{\"message\":\"boom\"}}") << 502
            << "failed (HTTP 500) (after 3 attempts): boom" << 3 << ""
            << "api_error";
        QTest::newRow("html 502") << 502 << QByteArray("<html>Bad Gateway</html>") << 502
                                  << "<html>Bad Gateway</html>" << 3 << ""
                                  << "api_error";
    }
    void upstreamErrors()
    {
        QFETCH(int, upstream);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, words);
        QFETCH(int, attempts);
        QFETCH(QString, code);
        QFETCH(QString, type);
        m_fake->on("POST", "/v1/chat/completions",
                   [=](const Received &) { return Reply::json(upstream, body); });
        for (const QByteArray &path :
             {QByteArray("/api/chat"), QByteArray("/v1/chat/completions")}) {
            m_fake->clear();
            const auto r = postJson(path, userChat(QStringLiteral("gpt"), QStringLiteral("hi")));
            QVERIFY(r);
            QCOMPARE(r->status, status);
            const QJsonValue err = obj(r->body).value(QStringLiteral("error"));
            const QString message = err.isObject()
                                        ? err.toObject().value(QStringLiteral("message")).toString()
                                        : err.toString();
            QVERIFY2(message.contains(words), qPrintable(message));
            QVERIFY2(!message.contains(QStringLiteral("0123456789abcdef")),
                     qPrintable(message)); // the key never leaks
            QCOMPARE(m_fake->requestCount(), attempts);
            if (err.isObject()) {
                QCOMPARE(err.toObject().value(QStringLiteral("code")),
                         code.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(code));
                QCOMPARE(err.toObject().value(QStringLiteral("type")).toString(), type);
            }
        }
    }

    void retryAfterIsHonouredThenSucceeds()
    {
        m_fake->on("POST", "/v1/chat/completions",
                   [](const Received &) { return Reply::sse(textStream({QStringLiteral("ok")})); });
        m_fake->enqueue(
            Reply::json(429,
                        "{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}}")
                .header("Retry-After", "1"));
        QElapsedTimer t;
        t.start();
        const auto r =
            postJson("/api/chat", userChat(QStringLiteral("gpt"), QStringLiteral("hi"), false));
        QCOMPARE(r->status, 200);
        QCOMPARE(m_fake->requestCount(), 2);
        QVERIFY(t.elapsed() >= 900); // it waited as told, not its own 50 ms backoff
    }

    void longRetryAfterIsPassedOn()
    {
        m_fake->on("POST", "/v1/chat/completions", [](const Received &) {
            return Reply::json(429, "{\"error\":{\"message\":\"slow down\"}}")
                .header("Retry-After", "120");
        });
        const auto r = postJson("/api/chat", userChat(QStringLiteral("gpt"), QStringLiteral("hi")));
        QCOMPARE(r->status, 429);
        QCOMPARE(r->header("retry-after"), QByteArray("120"));
        QVERIFY(obj(r->body)
                    .value(QStringLiteral("error"))
                    .toString()
                    .contains(QStringLiteral("retry after 120 s")));
        QCOMPARE(m_fake->requestCount(), 1);
    }

    void missingKeyFailsBeforeAnyNetworkCall()
    {
        QVERIFY(setUp("{\"providers\":[{\"name\":\"nokey\",\"type\":\"openai\",\"base_url\":\"FAKE/"
                      "v1\",\"options\":{\"requires_key\":true}}],"
                      "\"models\":[{\"name\":\"m\",\"provider\":\"nokey\",\"model\":\"x\"}]}"));
        const auto r = postJson("/api/chat", userChat(QStringLiteral("m"), QStringLiteral("hi")));
        QCOMPARE(r->status, 401);
        QCOMPARE(obj(r->body).value(QStringLiteral("error")).toString(),
                 QStringLiteral("no API key for provider 'nokey': add it in Settings → Providers "
                                "or set NOKEY_API_KEY"));
        QCOMPARE(m_fake->requestCount(), 0);
    }

    void midStreamFaultsEndWithAnErrorLine_data()
    {
        QTest::addColumn<int>("end");
        QTest::addColumn<QString>("words");
        QTest::newRow("stall") << int(Reply::End::Stall) << "stalled";
        QTest::newRow("reset") << int(Reply::End::Reset) << "closed";
        QTest::newRow("truncated")
            << int(Reply::End::Normal) << "ended before the answer was complete";
        QTest::newRow("malformed") << -1 << "malformed";
    }
    void midStreamFaultsEndWithAnErrorLine()
    {
        QFETCH(int, end);
        QFETCH(QString, words);
        m_fake->on("POST", "/v1/chat/completions", [end](const Received &) {
            Reply r = Reply::sse({chunk({{QStringLiteral("content"), QStringLiteral("partial")}})});
            if (end == -1)
                r.pieces.append("data: {\"choices\": [oops\n\n");
            else
                r.end = Reply::End(end);
            return r;
        });
        const auto r = postJson("/api/chat", userChat(QStringLiteral("gpt"), QStringLiteral("hi")));
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        const auto ls = lines(r->body);
        QCOMPARE(ls.first()
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("partial"));
        const QString error = ls.last().value(QStringLiteral("error")).toString();
        QVERIFY2(error.contains(words), qPrintable(error));
        QCOMPARE(m_fake->requestCount(), 1); // never retried once output began
        // The same fault on the OpenAI surface: an error frame, and no [DONE].
        const auto v1 = postJson("/v1/chat/completions", [] {
            QJsonObject o = userChat(QStringLiteral("gpt"), QStringLiteral("hi"));
            return o;
        }());
        QVERIFY(v1->body.contains("\"error\""));
        QVERIFY(!v1->body.contains("[DONE]"));
    }

    void unreachableProviderIsExplained()
    {
        QVERIFY(
            setUp("{\"providers\":[{\"name\":\"down\",\"type\":\"openai\",\"base_url\":\"http://"
                  "127.0.0.1:9/v1\",\"options\":{\"retry_base_ms\":20}}],"
                  "\"models\":[{\"name\":\"m\",\"provider\":\"down\",\"model\":\"x\"}]}"));
        const auto r = postJson("/api/chat", userChat(QStringLiteral("m"), QStringLiteral("hi")));
        QCOMPARE(r->status, 502);
        QVERIFY2(obj(r->body)
                     .value(QStringLiteral("error"))
                     .toString()
                     .contains(QStringLiteral("cannot reach provider 'down'")),
                 r->body.constData());
    }

    void clientDisconnectAbortsUpstream()
    {
        QStringList many;
        for (int i = 0; i < 50; ++i)
            many << QStringLiteral(" w");
        m_fake->on("POST", "/v1/chat/completions",
                   [many](const Received &) { return Reply::sse(textStream(many), 100); });
        const int before = m_fake->abortedByClient();
        {
            RawHttp c(m_port);
            c.send("POST", "/api/chat",
                   QJsonDocument(userChat(QStringLiteral("gpt"), QStringLiteral("hi")))
                       .toJson(QJsonDocument::Compact));
            QVERIFY(c.readHead());
            QVERIFY(c.readChunk());
            c.close();
        }
        // The upstream sees its connection closed long before its 5 s answer would end.
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->abortedByClient(), before + 1, 3000);
        QVERIFY(m_gw.waitIdle());
    }

    void fiftyConcurrentStreamsAreInFlightTogether()
    {
        m_fake->on("POST", "/v1/chat/completions", [](const Received &) {
            return Reply::sse(
                textStream({QStringLiteral("a"), QStringLiteral(" b"), QStringLiteral(" c")}), 300);
        });
        QList<RawHttp *> clients;
        for (int i = 0; i < 50; ++i) {
            auto *c = new RawHttp(m_port);
            c->send("POST", "/api/chat",
                    QJsonDocument(userChat(QStringLiteral("gpt"), QStringLiteral("hi")))
                        .toJson(QJsonDocument::Compact));
            clients.append(c);
        }
        int ok = 0;
        for (RawHttp *c : clients) {
            const auto r = c->read(20000);
            QString text;
            for (const QJsonObject &l : lines(r ? r->body : QByteArray()))
                text += l.value(QStringLiteral("message"))
                            .toObject()
                            .value(QStringLiteral("content"))
                            .toString();
            ok += text == u"a b c";
        }
        qDeleteAll(clients);
        QCOMPARE(ok, 50);
        // Not queued behind Qt's 6 connections per host: all 50 were open upstream at once.
        QCOMPARE(m_fake->peakInFlight(), 50);
    }

    void embeddingsAndDiscovery()
    {
        m_fake->on("POST", "/v1/embeddings", [](const Received &req) {
            QJsonArray data;
            const QJsonArray inputs = req.json().value(QStringLiteral("input")).toArray();
            for (int i = 0; i < inputs.size(); ++i)
                data.append(
                    QJsonObject{{QStringLiteral("object"), QStringLiteral("embedding")},
                                {QStringLiteral("index"), i},
                                {QStringLiteral("embedding"), QJsonArray{3.0 * (i + 1), 4.0}}});
            return Reply::json(
                200, QJsonDocument(QJsonObject{{QStringLiteral("data"), data},
                                               {QStringLiteral("usage"),
                                                QJsonObject{{QStringLiteral("prompt_tokens"), 6}}}})
                         .toJson());
        });
        m_fake->on("GET", "/v1/models", [](const Received &) {
            return Reply::json(
                200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4.1\"},{\"id\":\"o3\"}]}");
        });
        auto r = post("/api/embed", "{\"model\":\"emb\",\"input\":[\"a\",\"b\"],\"dimensions\":2}");
        QCOMPARE(r->status, 200);
        const QJsonArray e = obj(r->body).value(QStringLiteral("embeddings")).toArray();
        QCOMPARE(e[0].toArray()[0].toDouble(), 0.6); // normalised
        QCOMPARE(e[0].toArray()[1].toDouble(), 0.8);
        QCOMPARE(obj(r->body).value(QStringLiteral("prompt_eval_count")).toInt(), 6);
        const QJsonObject up = m_fake->last().json();
        QCOMPARE(up.value(QStringLiteral("dimensions")).toInt(), 2);
        QCOMPARE(up.value(QStringLiteral("model")).toString(),
                 QStringLiteral("text-embedding-3-small"));
        r = post("/api/embeddings", "{\"model\":\"emb\",\"prompt\":\"a\"}");
        QCOMPARE(obj(r->body).value(QStringLiteral("embedding")).toArray()[0].toDouble(),
                 3.0); // the legacy endpoint: raw

        RawHttp c(m_port);
        const auto tags = c.request("GET", "/api/tags");
        QStringList names;
        for (const QJsonValue &m : obj(tags->body).value(QStringLiteral("models")).toArray())
            names << m.toObject().value(QStringLiteral("name")).toString();
        QVERIFY2(names.contains(QStringLiteral("oai/gpt-4.1:latest")) &&
                     names.contains(QStringLiteral("oai/o3:latest")),
                 qPrintable(names.join(u',')));
        QCOMPARE(m_fake->last().header("authorization"),
                 QByteArray("Bearer sk-test-0123456789abcdef"));
    }

    void anthropicEndToEnd()
    {
        QVERIFY(setUp(
            "{\"providers\":[{\"name\":\"claude\",\"type\":\"anthropic\",\"base_url\":\"FAKE\"}],"
            "\"models\":[{\"name\":\"sonnet\",\"provider\":\"claude\",\"model\":\"claude-sonnet-"
            "4-5\"}]}",
            {{QStringLiteral("claude"), QStringLiteral("sk-ant-test-abcdefghij")}}));
        const auto ev = [](const char *name, const char *json) {
            return QByteArray("event: ") + name + "\ndata: " + json + "\n\n";
        };
        m_fake->on("POST", "/v1/messages", [ev](const Received &req) {
            if (req.json().value(QStringLiteral("messages")).toArray().size() > 1) // second turn
                return Reply::sse(
                    {ev("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{"
                                         "\"input_tokens\":30,\"output_tokens\":1}}}"),
                     ev("content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":"
                        "\"text\",\"text\":\"\"}}"),
                     ev("content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_"
                        "delta\",\"text\":\"Sunny.\"}}"),
                     ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                     ev("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                                         "\"end_turn\"},\"usage\":{\"output_tokens\":3}}"),
                     ev("message_stop", "{\"type\":\"message_stop\"}")});
            return Reply::sse(
                {ev("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_"
                                     "tokens\":12,\"output_tokens\":1}}}"),
                 ev("content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":"
                    "\"thinking\",\"thinking\":\"\"}}"),
                 ev("content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_"
                    "delta\",\"thinking\":\"Look it up.\"}}"),
                 ev("content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_"
                    "delta\",\"signature\":\"SIGNED\"}}"),
                 ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                 ev("ping", "{\"type\":\"ping\"}"),
                 ev("content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":"
                    "\"tool_use\",\"id\":\"toolu_X\",\"name\":\"get_weather\",\"input\":{}}}"),
                 ev("content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_"
                    "json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}"),
                 ev("content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_"
                    "json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}"),
                 ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                 ev("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                                     "\"tool_use\"},\"usage\":{\"output_tokens\":20}}"),
                 ev("message_stop", "{\"type\":\"message_stop\"}")},
                5);
        });
        const QByteArray turn1 = "{\"model\":\"sonnet\",\"stream\":false,\"think\":true,\"tools\":["
                                 "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}],"
                                 "\"messages\":[{\"role\":\"system\",\"content\":\"terse\"},{"
                                 "\"role\":\"user\",\"content\":\"weather in Paris?\"}]}";
        auto r = post("/api/chat", turn1);
        QCOMPARE(r->status, 200);
        const QJsonObject msg = obj(r->body).value(QStringLiteral("message")).toObject();
        QCOMPARE(msg.value(QStringLiteral("thinking")).toString(), QStringLiteral("Look it up."));
        const QJsonObject call =
            msg.value(QStringLiteral("tool_calls")).toArray().first().toObject();
        QCOMPARE(call.value(QStringLiteral("id")).toString(), QStringLiteral("toolu_X"));
        QCOMPARE(call.value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("arguments"))
                     .toObject()
                     .value(QStringLiteral("city"))
                     .toString(),
                 QStringLiteral("Paris"));
        QCOMPARE(obj(r->body).value(QStringLiteral("prompt_eval_count")).toInt(), 12);

        Received up = m_fake->last();
        QCOMPARE(up.header("x-api-key"), QByteArray("sk-ant-test-abcdefghij"));
        QCOMPARE(up.header("anthropic-version"), QByteArray("2023-06-01"));
        QJsonObject b = up.json();
        QCOMPARE(b.value(QStringLiteral("system")).toString(), QStringLiteral("terse"));
        QVERIFY(b.value(QStringLiteral("max_tokens")).toInt() >
                b.value(QStringLiteral("thinking"))
                    .toObject()
                    .value(QStringLiteral("budget_tokens"))
                    .toInt());

        // Turn two: the client sends no signature; the gateway restores the signed thinking.
        const QByteArray turn2 =
            "{\"model\":\"sonnet\",\"stream\":false,\"think\":true,\"tools\":[{\"type\":"
            "\"function\",\"function\":{\"name\":\"get_weather\"}}],"
            "\"messages\":[{\"role\":\"user\",\"content\":\"weather in Paris?\"},"
            "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"toolu_X\","
            "\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}}]},"
            "{\"role\":\"tool\",\"content\":\"18C\",\"tool_name\":\"get_weather\"}]}";
        r = post("/api/chat", turn2);
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("Sunny."));
        b = m_fake->last().json();
        const QJsonArray assistant = b.value(QStringLiteral("messages"))
                                         .toArray()[1]
                                         .toObject()
                                         .value(QStringLiteral("content"))
                                         .toArray();
        QCOMPARE(assistant[0].toObject().value(QStringLiteral("signature")).toString(),
                 QStringLiteral("SIGNED"));
        QCOMPARE(b.value(QStringLiteral("messages"))
                     .toArray()[2]
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toArray()[0]
                     .toObject()
                     .value(QStringLiteral("tool_use_id"))
                     .toString(),
                 QStringLiteral("toolu_X"));

        // Overloaded (529) is retried, then reported as 503.
        m_fake->on("POST", "/v1/messages", [](const Received &) {
            return Reply::json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                                    "\"message\":\"Overloaded\"}}");
        });
        m_fake->clear();
        r = postJson("/v1/chat/completions",
                     userChat(QStringLiteral("sonnet"), QStringLiteral("hi"), false));
        QCOMPARE(r->status, 503);
        QCOMPARE(m_fake->requestCount(), 3);
    }

    void geminiEndToEnd()
    {
        QVERIFY(setUp(
            "{\"providers\":[{\"name\":\"gem\",\"type\":\"gemini\",\"base_url\":\"FAKE/v1beta\"}],"
            "\"models\":[{\"name\":\"flash\",\"provider\":\"gem\",\"model\":\"gemini-2.5-flash\"}]"
            "}",
            {{QStringLiteral("gem"), QStringLiteral("AIzaTestKey0123456789abcdefghijk")}}));
        m_fake->on(
            "POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent", [](const Received &) {
                return Reply::sse(
                    {"data: "
                     "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
                     "\"Thinking...\",\"thought\":true}]}}]}\r\n\r\n",
                     "data: "
                     "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{"
                     "\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Rome\"}},"
                     "\"thoughtSignature\":\"GSIG\"}]},\"finishReason\":\"STOP\"}],"
                     "\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":4,"
                     "\"thoughtsTokenCount\":6}}"});
            });
        const QByteArray body = "{\"model\":\"flash\",\"stream\":false,\"think\":true,\"tools\":[{"
                                "\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}],"
                                "\"messages\":[{\"role\":\"user\",\"content\":\"Rome?\"}]}";
        auto r = post("/api/chat", body);
        QCOMPARE(r->status, 200);
        const QJsonObject msg = obj(r->body).value(QStringLiteral("message")).toObject();
        QCOMPARE(msg.value(QStringLiteral("thinking")).toString(), QStringLiteral("Thinking..."));
        const QJsonObject call =
            msg.value(QStringLiteral("tool_calls")).toArray().first().toObject();
        QCOMPARE(call.value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("arguments"))
                     .toObject()
                     .value(QStringLiteral("city"))
                     .toString(),
                 QStringLiteral("Rome"));
        QCOMPARE(obj(r->body).value(QStringLiteral("eval_count")).toInt(), 10);
        const Received up = m_fake->last();
        QCOMPARE(up.target,
                 QByteArray("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
        QCOMPARE(up.header("x-goog-api-key"), QByteArray("AIzaTestKey0123456789abcdefghijk"));
        QVERIFY(up.json()
                    .value(QStringLiteral("generationConfig"))
                    .toObject()
                    .value(QStringLiteral("thinkingConfig"))
                    .toObject()
                    .value(QStringLiteral("includeThoughts"))
                    .toBool());

        // Next turn: the signature comes back on the call, keyed by the id the client got.
        const QString id = call.value(QStringLiteral("id")).toString();
        const QByteArray turn2 =
            "{\"model\":\"flash\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":"
            "\"Rome?\"},{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"" +
            id.toUtf8() +
            "\",\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Rome\"}}}]},{"
            "\"role\":\"tool\",\"content\":\"25C\",\"tool_name\":\"get_weather\"}]}";
        post("/api/chat", turn2);
        const QJsonArray contents =
            m_fake->last().json().value(QStringLiteral("contents")).toArray();
        QCOMPARE(contents[1]
                     .toObject()
                     .value(QStringLiteral("parts"))
                     .toArray()[0]
                     .toObject()
                     .value(QStringLiteral("thoughtSignature"))
                     .toString(),
                 QStringLiteral("GSIG"));

        // A bad key is a 400 API_KEY_INVALID at Google: the client hears it in words, as 401.
        m_fake->on("POST", "/v1beta/models/*", [](const Received &) {
            return Reply::json(400,
                               "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please "
                               "pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\","
                               "\"details\":[{\"@type\":\"type.googleapis.com/"
                               "google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]}}");
        });
        r = postJson("/v1/chat/completions",
                     userChat(QStringLiteral("flash"), QStringLiteral("hi"), false));
        QCOMPARE(r->status, 401);
        QVERIFY(obj(r->body)
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("rejected the API key for 'gem'")));
    }

    void geminiAndHuggingFaceEmbeddings()
    {
        QVERIFY(setUp(
            "{\"providers\":[{\"name\":\"gem\",\"type\":\"gemini\",\"base_url\":\"FAKE/"
            "v1beta\"},{\"name\":\"hf\",\"type\":\"huggingface\",\"base_url\":\"FAKE/v1\"}],"
            "\"models\":[{\"name\":\"gemb\",\"provider\":\"gem\",\"model\":\"gemini-embedding-"
            "001\"},"
            "{\"name\":\"bge\",\"provider\":\"hf\",\"model\":\"BAAI/bge-small-en-v1.5\"}]}",
            {{QStringLiteral("gem"), QStringLiteral("AIzaTestKey0123456789abcdefghijk")},
             {QStringLiteral("hf"), QStringLiteral("hf_testtoken1234567")}}));
        m_fake->on(
            "POST", "/v1beta/models/gemini-embedding-001:batchEmbedContents",
            [](const Received &req) {
                QJsonArray out;
                for (int i = 0; i < req.json().value(QStringLiteral("requests")).toArray().size();
                     ++i)
                    out.append(QJsonObject{{QStringLiteral("values"), QJsonArray{0.0, 2.0 + i}}});
                return Reply::json(
                    200, QJsonDocument(QJsonObject{{QStringLiteral("embeddings"), out}}).toJson());
            });
        m_fake->on("POST",
                   "/hf-inference/models/BAAI/bge-small-en-v1.5/pipeline/feature-extraction",
                   [](const Received &) {
                       return Reply::json(200, "[[[1,0],[3,0]],[[0,4],[0,6]]]");
                   }); // per token
        auto r =
            post("/api/embed", "{\"model\":\"gemb\",\"input\":[\"a\",\"b\"],\"dimensions\":2}");
        QCOMPARE(r->status, 200);
        QCOMPARE(
            obj(r->body).value(QStringLiteral("embeddings")).toArray()[1].toArray()[1].toDouble(),
            1.0); // normalised
        const QJsonObject greq =
            m_fake->last().json().value(QStringLiteral("requests")).toArray()[0].toObject();
        QCOMPARE(greq.value(QStringLiteral("model")).toString(),
                 QStringLiteral("models/gemini-embedding-001"));
        QCOMPARE(greq.value(QStringLiteral("outputDimensionality")).toInt(), 2);
        r = post("/v1/embeddings",
                 "{\"model\":\"bge\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"float\"}");
        QCOMPARE(r->status, 200);
        const QJsonArray data = obj(r->body).value(QStringLiteral("data")).toArray();
        QCOMPARE(data[0].toObject().value(QStringLiteral("embedding")).toArray()[0].toDouble(),
                 1.0); // mean of 1 and 3, normalised
        QCOMPARE(data[1].toObject().value(QStringLiteral("embedding")).toArray()[1].toDouble(),
                 1.0);
        QCOMPARE(m_fake->last().header("authorization"), QByteArray("Bearer hf_testtoken1234567"));
        // Anthropic has no embeddings: said plainly.
        QVERIFY(setUp(
            "{\"providers\":[{\"name\":\"claude\",\"type\":\"anthropic\",\"base_url\":\"FAKE\"}],"
            "\"models\":[{\"name\":\"c\",\"provider\":\"claude\",\"model\":\"claude-3-5-haiku-"
            "latest\"}]}"));
        r = post("/api/embed", "{\"model\":\"c\",\"input\":\"x\"}");
        QCOMPARE(r->status, 400);
        QVERIFY(obj(r->body)
                    .value(QStringLiteral("error"))
                    .toString()
                    .contains(QStringLiteral("does not offer embeddings")));
    }

    void huggingFaceRouterKeepsProviderSuffix()
    {
        QVERIFY(
            setUp("{\"providers\":[{\"name\":\"hf\",\"type\":\"huggingface\",\"base_url\":\"FAKE/"
                  "v1\"}],\"models\":[]}",
                  {{QStringLiteral("hf"), QStringLiteral("hf_testtoken1234567")}}));
        m_fake->on("POST", "/v1/chat/completions",
                   [](const Received &) { return Reply::sse(textStream({QStringLiteral("hi")})); });
        const auto r = postJson(
            "/api/chat", userChat(QStringLiteral("hf/meta-llama/Llama-3.1-8B-Instruct:novita"),
                                  QStringLiteral("x"), false));
        QCOMPARE(r->status, 200);
        QCOMPARE(m_fake->last().json().value(QStringLiteral("model")).toString(),
                 QStringLiteral("meta-llama/Llama-3.1-8B-Instruct:novita"));
        QCOMPARE(m_fake->last().header("authorization"), QByteArray("Bearer hf_testtoken1234567"));
    }

    void azureDeployments()
    {
        QVERIFY(setUp(
            "{\"providers\":[{\"name\":\"az\",\"type\":\"azure-openai\",\"base_url\":\"FAKE\","
            "\"options\":{\"api_version\":\"2025-01-01\"}}],"
            "\"models\":[{\"name\":\"azgpt\",\"provider\":\"az\",\"model\":\"my-deployment\"}]}",
            {{QStringLiteral("az"), QStringLiteral("azure-key-0123456789")}}));
        m_fake->on(
            "POST", "/openai/deployments/my-deployment/chat/completions",
            [](const Received &) { return Reply::sse(textStream({QStringLiteral("hello")})); });
        const auto r =
            postJson("/api/chat", userChat(QStringLiteral("azgpt"), QStringLiteral("x"), false));
        QCOMPARE(r->status, 200);
        const Received up = m_fake->last();
        QCOMPARE(up.target,
                 QByteArray(
                     "/openai/deployments/my-deployment/chat/completions?api-version=2025-01-01"));
        QCOMPARE(up.header("api-key"), QByteArray("azure-key-0123456789"));
        QVERIFY(up.header("authorization").isEmpty());
    }

    void tgiGenerateStream()
    {
        QVERIFY(
            setUp("{\"providers\":[{\"name\":\"tgi\",\"type\":\"tgi\",\"base_url\":\"FAKE\"}],"
                  "\"models\":[{\"name\":\"zephyr\",\"provider\":\"tgi\",\"model\":\"HuggingFaceH4/"
                  "zephyr-7b-beta\"}]}"));
        m_fake->on("POST", "/generate_stream", [](const Received &) {
            return Reply::sse(
                {"data: {\"token\":{\"text\":\"Hi\",\"special\":false}}\n\n",
                 "data: {\"token\":{\"text\":\" there\",\"special\":false}}\n\n",
                 "data: {\"token\":{\"text\":\"</s>\",\"special\":true},\"generated_text\":\"Hi "
                 "there\",\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":3,"
                 "\"input_length\":20}}\n\n"},
                5);
        });
        const auto r = postJson("/api/chat",
                                userChat(QStringLiteral("zephyr"), QStringLiteral("hello"), false));
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("Hi there"));
        QCOMPARE(obj(r->body).value(QStringLiteral("prompt_eval_count")).toInt(), 20);
        const QJsonObject b = m_fake->last().json();
        QCOMPARE(b.value(QStringLiteral("inputs")).toString(),
                 QStringLiteral("<|user|>\nhello</s>\n<|assistant|>\n"));
        QCOMPARE(b.value(QStringLiteral("parameters"))
                     .toObject()
                     .value(QStringLiteral("max_new_tokens"))
                     .toInt(),
                 1024);
    }

    void ollamaPassThrough()
    {
        QVERIFY(
            setUp("{\"providers\":[{\"name\":\"home\",\"type\":\"ollama\",\"base_url\":\"FAKE\","
                  "\"options\":{\"list_models\":true}}],"
                  "\"models\":[{\"name\":\"local-qwen\",\"provider\":\"home\",\"model\":\"qwen3:"
                  "8b\"}]}"));
        m_fake->on("POST", "/api/chat", [](const Received &) {
            return Reply::ndjson({"{\"model\":\"qwen3:8b\",\"message\":{\"role\":\"assistant\","
                                  "\"content\":\"\",\"thinking\":\"hm\"},\"done\":false}",
                                  "{\"model\":\"qwen3:8b\",\"message\":{\"role\":\"assistant\","
                                  "\"content\":\"Yes\"},\"done\":false}",
                                  "{\"model\":\"qwen3:8b\",\"message\":{\"role\":\"assistant\","
                                  "\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
                                  "\"prompt_eval_count\":4,\"eval_count\":2}"},
                                 5);
        });
        m_fake->on("GET", "/api/tags", [](const Received &) {
            return Reply::json(
                200, "{\"models\":[{\"name\":\"qwen3:8b\"},{\"name\":\"llama3.2:latest\"}]}");
        });
        QJsonObject req = userChat(QStringLiteral("local-qwen"), QStringLiteral("ok?"), false);
        req.insert(QStringLiteral("think"), true);
        req.insert(QStringLiteral("options"), QJsonObject{{QStringLiteral("num_predict"), 9}});
        const auto r = postJson("/api/chat", req);
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("thinking"))
                     .toString(),
                 QStringLiteral("hm"));
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("Yes"));
        const QJsonObject b = m_fake->last().json();
        QCOMPARE(b.value(QStringLiteral("model")).toString(), QStringLiteral("qwen3:8b"));
        QCOMPARE(b.value(QStringLiteral("think")).toBool(), true);
        QCOMPARE(b.value(QStringLiteral("options"))
                     .toObject()
                     .value(QStringLiteral("num_predict"))
                     .toInt(),
                 9);
        RawHttp c(m_port);
        QVERIFY(c.request("GET", "/api/tags")->body.contains("home/llama3.2:latest"));
    }

    // An Ollama upstream that says "too many requests, come back in 120 s" to an embedding
    // request: the client gets the 429 and the Retry-After, in both dialects. The Ollama
    // provider's own embed job (before HttpEmbedJob) built its failure without the header, so
    // the client got a 429 with no Retry-After.
    void ollamaEmbeddingsKeepRetryAfter()
    {
        QVERIFY(setUp("{\"providers\":[{\"name\":\"home\",\"type\":\"ollama\",\"base_url\":"
                      "\"FAKE\",\"options\":{\"max_retries\":0}}],"
                      "\"models\":[{\"name\":\"nomic\",\"provider\":\"home\",\"model\":"
                      "\"nomic-embed-text\"}]}"));
        m_fake->on("POST", "/api/embed", [](const Received &) {
            return Reply::json(429, "{\"error\":\"server busy, please try again later\"}")
                .header("Retry-After", "120");
        });
        auto r = post("/api/embed", "{\"model\":\"nomic\",\"input\":[\"a\",\"b\"]}");
        QCOMPARE(r->status, 429);
        QCOMPARE(r->header("retry-after"), QByteArray("120"));
        QCOMPARE(m_fake->last().path, QByteArray("/api/embed"));
        QCOMPARE(m_fake->last().json().value(QStringLiteral("model")).toString(),
                 QStringLiteral("nomic-embed-text"));

        r = post("/v1/embeddings", "{\"model\":\"nomic\",\"input\":\"a\"}");
        QCOMPARE(r->status, 429);
        QCOMPARE(r->header("retry-after"), QByteArray("120"));
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("rate_limit_error"));
    }

    void presetWithOnlyAKey()
    {
        // An entry named after a preset needs no type (here pointed at the fake, since the
        // preset's own URL is the real service).
        QVERIFY(setUp(
            "{\"providers\":[{\"name\":\"groq\",\"base_url\":\"FAKE/openai/v1\"}],\"models\":[]}",
            {{QStringLiteral("groq"), QStringLiteral("gsk_test0123456789")}}));
        m_fake->on("POST", "/openai/v1/chat/completions", [](const Received &) {
            return Reply::sse(textStream({QStringLiteral("fast")}));
        });
        const auto r =
            postJson("/api/chat", userChat(QStringLiteral("groq/llama-3.3-70b-versatile"),
                                           QStringLiteral("x"), false));
        QCOMPARE(r->status, 200);
        QCOMPARE(m_fake->last().json().value(QStringLiteral("model")).toString(),
                 QStringLiteral("llama-3.3-70b-versatile"));
        // Without any entry, the key alone makes the preset available (at its real address).
        QVERIFY(setUp("{\"providers\":[],\"models\":[]}",
                      {{QStringLiteral("mistral"), QStringLiteral("mistral-key-123456")}}));
        QVERIFY(m_gw->backend().findModel(QStringLiteral("mistral/mistral-large-latest")));
        QVERIFY(!m_gw->backend().findModel(QStringLiteral("together/x")));
    }

    void firstByteTimeout()
    {
        QVERIFY(setUp(
            "{\"providers\":[{\"name\":\"slow\",\"type\":\"openai\",\"base_url\":\"FAKE/"
            "v1\",\"options\":{\"requires_key\":false,\"timeouts\":{\"first_byte_ms\":300}}}],"
            "\"models\":[{\"name\":\"m\",\"provider\":\"slow\",\"model\":\"x\"}]}"));
        m_fake->on("POST", "/v1/chat/completions", [](const Received &) {
            Reply r = Reply::sse(textStream({QStringLiteral("late")}));
            r.firstDelayMs = 3000;
            return r;
        });
        const auto r = postJson("/api/chat", userChat(QStringLiteral("m"), QStringLiteral("x")));
        QCOMPARE(r->status, 504);
        QVERIFY2(obj(r->body)
                     .value(QStringLiteral("error"))
                     .toString()
                     .contains(QStringLiteral("no response within 0.3 s")),
                 r->body.constData());
        QCOMPARE(m_fake->requestCount(), 1); // a slow answer is not retried
    }

    void fallbackChainOnEarlyFailure()
    {
        QVERIFY(setUp(
            "{\"providers\":[{\"name\":\"main\",\"type\":\"openai\",\"base_url\":\"FAKE/"
            "v1\",\"options\":{\"requires_key\":false,\"max_retries\":0}},"
            "{\"name\":\"backup\",\"type\":\"echo\",\"options\":{\"delay_ms\":1}}],"
            "\"models\":[{\"name\":\"best\",\"provider\":\"main\",\"model\":\"gpt-4o\","
            "\"fallbacks\":[\"second\"]},"
            "{\"name\":\"second\",\"provider\":\"main\",\"model\":\"gpt-4o-mini\",\"fallbacks\":["
            "\"safe\"]},"
            "{\"name\":\"safe\",\"provider\":\"backup\",\"model\":\"echo\"}]}"));
        m_fake->on("POST", "/v1/chat/completions", [](const Received &req) {
            if (req.json().value(QStringLiteral("model")).toString() == u"gpt-4o")
                return Reply::json(503, "{\"error\":{\"message\":\"overloaded\"}}");
            return Reply::json(404, "{\"error\":{\"message\":\"no such model\"}}");
        });
        // Both upstream models fail before any output: the echo model at the end answers.
        auto r = postJson("/api/chat",
                          userChat(QStringLiteral("best"), QStringLiteral("still answered")));
        QCOMPARE(r->status, 200);
        QString text;
        for (const QJsonObject &l : lines(r->body))
            text += l.value(QStringLiteral("message"))
                        .toObject()
                        .value(QStringLiteral("content"))
                        .toString();
        QCOMPARE(text, QStringLiteral("still answered"));
        QCOMPARE(m_fake->requestCount(), 2);
        // The client's own mistake is not retried elsewhere, and a last failure says what each
        // tried.
        m_fake->clear();
        r = postJson("/api/chat",
                     userChat(QStringLiteral("second"), QStringLiteral("/fail 503 echo down too")));
        QCOMPARE(r->status, 503);
        const QString error = obj(r->body).value(QStringLiteral("error")).toString();
        QVERIFY2(error.contains(QStringLiteral("echo down too")) &&
                     error.contains(QStringLiteral("second: ")),
                 qPrintable(error));

        // A cycle in the chain ends instead of looping.
        QVERIFY(setUp(
            "{\"providers\":[{\"name\":\"main\",\"type\":\"openai\",\"base_url\":\"FAKE/"
            "v1\",\"options\":{\"requires_key\":false,\"max_retries\":0}}],"
            "\"models\":[{\"name\":\"a\",\"provider\":\"main\",\"model\":\"gpt-4o\",\"fallbacks\":["
            "\"b\"]},"
            "{\"name\":\"b\",\"provider\":\"main\",\"model\":\"gpt-4o\",\"fallbacks\":[\"a\"]}]}"));
        r = postJson("/api/chat", userChat(QStringLiteral("a"), QStringLiteral("x")));
        QCOMPARE(r->status, 503);
        QCOMPARE(m_fake->requestCount(), 2);
    }

    void proxyFromTheEnvironment()
    {
        // The fake plays an HTTP proxy: requests for other hosts arrive with absolute URLs.
        qputenv("http_proxy", m_fake->url().toUtf8());
        QVERIFY(
            setUp("{\"providers\":[{\"name\":\"far\",\"type\":\"openai\",\"base_url\":\"http://"
                  "upstream.example/v1\",\"options\":{\"requires_key\":false,\"max_retries\":0}}],"
                  "\"models\":[{\"name\":\"m\",\"provider\":\"far\",\"model\":\"x\"}]}"));
        m_fake->on("POST", "http://upstream.example/v1/chat/completions", [](const Received &) {
            return Reply::sse(textStream({QStringLiteral("via proxy")}));
        });
        const auto r =
            postJson("/api/chat", userChat(QStringLiteral("m"), QStringLiteral("x"), false));
        qunsetenv("http_proxy");
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("via proxy"));
        QCOMPARE(m_fake->last().target, QByteArray("http://upstream.example/v1/chat/completions"));
    }
};

QTEST_GUILESS_MAIN(TstProviders)
#include "tst_providers.moc"
