// N event-loop workers (server.threads) over real loopback sockets: each worker has its own
// SO_REUSEPORT socket, server, dialects, dispatcher and providers, and the kernel spreads
// connections over them. Which worker answered is in each record (RequestRecord::worker), so
// every test checks that both workers took part, and that what must stay one across them is
// one: /api/ps, hard budgets, the per-client limit, the config, thinking signatures, the drain.

#include "fakeserver.h"
#include "gatewayfixture.h"
#include "http/reuseportlistener.h"
#include "jsontext.h"
#include "rawhttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <memory>
#include <vector>

using namespace gw;
using namespace gwtest;

namespace {

// Fresh connections per batch: each has its own source port, which the kernel hashes to pick a
// worker's socket; with 32 of them, both workers of two get some (all on one: 2^-31).
constexpr int kConnections = 32;

QByteArray chat(const char *model, bool stream = false)
{
    return j("{'model':'") + model + j("','stream':") + (stream ? "true" : "false") +
           j(",'messages':[{'role':'user','content':'one two three'}]}");
}

QSet<int> workersOf(const QList<RequestRecord> &records)
{
    QSet<int> out;
    for (const RequestRecord &r : records)
        out.insert(r.worker);
    return out;
}

// An OpenAI chat stream whose usage costs $0.0026 at the test's price (2000 in, 300 out).
Reply openaiAnswer()
{
    return Reply::sse(
        {FakeServer::sseData(
             {{"id", "c1"},
              {"object", "chat.completion.chunk"},
              {"choices", QJsonArray{QJsonObject{
                              {"index", 0},
                              {"delta", QJsonObject{{"role", "assistant"}, {"content", "Hi"}}},
                              {"finish_reason", "stop"}}}}}),
         FakeServer::sseData({{"id", "c1"},
                              {"object", "chat.completion.chunk"},
                              {"choices", QJsonArray()},
                              {"usage", QJsonObject{{"prompt_tokens", 2000},
                                                    {"completion_tokens", 300},
                                                    {"total_tokens", 2300}}}}),
         "data: [DONE]\n\n"});
}

} // namespace

class TstWorkers : public QObject
{
    Q_OBJECT

    FakeServer m_fake;

    // A gateway with two workers and `extra` in its config (after the providers and models).
    static bool setUp(GatewayFixture &gw, const QByteArray &config)
    {
        if (!gw.setUp(config)) {
            qWarning("set-up failed: %s", qPrintable(gw.error()));
            return false;
        }
        if (gw->runningWorkers() != 2) {
            qWarning("%d workers running, not 2", gw->runningWorkers());
            return false;
        }
        return true;
    }

    QByteArray providers(const QByteArray &extra = {}, const QByteArray &models = {}) const
    {
        return j("{'server':{'threads':2,'max_requests_per_client':3},"
                 "'providers':[{'name':'echo','type':'echo'},"
                 "{'name':'oai','type':'openai','base_url':'%1'},"
                 "{'name':'gem','type':'gemini','base_url':'%1/v1beta'}],"
                 "'models':[{'name':'cheap','provider':'oai','model':'gpt-5',"
                 "'price':{'input':1.0,'output':2.0}},"
                 "{'name':'stall','provider':'oai','model':'stall'},"
                 "{'name':'flash','provider':'gem','model':'gemini-2.5-flash'}%2]")
                   .replace("%1", m_fake.url().toUtf8())
                   .replace("%2", models) +
               extra + "}";
    }

private slots:
    void initTestCase()
    {
        if (!reuseport::balances())
            QSKIP("SO_REUSEPORT does not balance connections here: one worker only");
        qputenv("OAI_API_KEY", "sk-test");
        qputenv("GEM_API_KEY", "AIza-test");
        m_fake.on("POST", "/chat/completions", [](const Received &req) {
            if (req.json().value(QStringLiteral("model")).toString() == QStringLiteral("stall")) {
                Reply r = Reply::sse({});
                r.end = Reply::End::Stall; // in flight until the client goes away
                return r;
            }
            return openaiAnswer();
        });
    }

    void init() { m_fake.clear(); }

    // Both workers answer, each record says which, and the log's ids stay unique.
    void bothWorkersAnswer()
    {
        GatewayFixture gw;
        QVERIFY(setUp(gw, providers()));
        for (int i = 0; i < kConnections; ++i)
            QCOMPARE(gw.post("/api/chat", chat("echo"))->status, 200);
        QTRY_COMPARE(gw.records().size(), kConnections);
        QCOMPARE(workersOf(gw.records()), (QSet<int>{0, 1}));
        QSet<quint64> ids;
        for (const RequestRecord &r : gw.records())
            ids.insert(r.id);
        QCOMPARE(ids.size(), kConnections);
        QCOMPARE(gw->log().records().size(), kConnections);
    }

    // A model one worker loaded is in /api/ps on every connection, whichever worker answers.
    void psIsOneView()
    {
        GatewayFixture gw;
        QVERIFY(setUp(gw, providers()));
        QCOMPARE(gw.post("/api/generate", j("{'model':'echo','keep_alive':'5m'}"))->status, 200);
        QTRY_COMPARE(gw.records().size(), 1);
        gw.clearRecords();
        for (int i = 0; i < kConnections; ++i) {
            const auto r = gw.get("/api/ps");
            QCOMPARE(r->status, 200);
            const QJsonArray models = obj(r->body).value(QStringLiteral("models")).toArray();
            QCOMPARE(models.size(), 1);
            QCOMPARE(models[0].toObject().value(QStringLiteral("name")).toString(),
                     QStringLiteral("echo:latest"));
        }
        QTRY_COMPARE(gw.records().size(), kConnections);
        QCOMPARE(workersOf(gw.records()), (QSet<int>{0, 1}));
    }

    // A hard budget used up by a request on one worker refuses on both.
    void budgetAcrossWorkers()
    {
        GatewayFixture gw;
        QVERIFY(setUp(gw, providers(j(",'usage':{'budgets':[{'provider':'oai','period':'month',"
                                      "'limit':0.001,'hard':true}]}"))));
        QCOMPARE(gw.post("/v1/chat/completions", chat("cheap"))->status, 200);
        QTRY_COMPARE(gw.records().size(), 1); // its cost has reached the budgets
        const int spentOn = gw.records().first().worker;
        gw.clearRecords();
        for (int i = 0; i < kConnections; ++i)
            QCOMPARE(gw.post("/v1/chat/completions", chat("cheap"))->status, 429);
        QCOMPARE(m_fake.requestCount(), 1); // none of them went upstream
        QTRY_COMPARE(gw.records().size(), kConnections);
        QVERIFY(workersOf(gw.records()).contains(1 - spentOn));
    }

    // server.max_requests_per_client counts a client's answers in progress on every worker.
    void perClientLimitAcrossWorkers()
    {
        GatewayFixture gw;
        QVERIFY(setUp(gw, providers()));
        std::vector<std::unique_ptr<RawHttp>> held;
        for (int i = 0; i < 3; ++i) { // the limit: three answers in progress
            held.push_back(std::make_unique<RawHttp>(gw.port()));
            held.back()->send("POST", "/api/chat", chat("stall"));
        }
        QTRY_COMPARE(m_fake.requestCount(), 3);
        for (int i = 0; i < kConnections; ++i) {
            const auto r = gw.post("/api/chat", chat("echo"));
            QCOMPARE(r->status, 429);
        }
        QTRY_COMPARE(gw.records().size(), kConnections);
        QCOMPARE(workersOf(gw.records()), (QSet<int>{0, 1}));
        // The held answers end with their clients; then the client may ask again anywhere.
        held.clear();
        gw.clearRecords();
        QTRY_VERIFY(gw.post("/api/chat", chat("echo"))->status == 200);
        for (int i = 0; i < kConnections; ++i)
            QCOMPARE(gw.post("/api/chat", chat("echo"))->status, 200);
    }

    // A provider's model list is fetched once for all workers, and every worker lists it.
    void modelListIsSharedAcrossWorkers()
    {
        GatewayFixture gw;
        QVERIFY(setUp(gw, j("{'server':{'threads':2},'providers':[{'name':'oai','type':'openai',"
                            "'base_url':'") +
                              m_fake.url().toUtf8() + j("','options':{'list_models':true}}]}")));
        m_fake.on("GET", "/models", [](const Received &) {
            return Reply::json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"listed-one\","
                                    "\"object\":\"model\"}]}");
        });
        for (int i = 0; i < kConnections; ++i) {
            const auto r = gw.get("/api/tags");
            QCOMPARE(r->status, 200);
            QVERIFY2(r->body.contains("oai/listed-one"), r->body.constData());
        }
        QCOMPARE(m_fake.requestCount(), 1);
        QTRY_COMPARE(gw.records().size(), kConnections);
        QCOMPARE(workersOf(gw.records()), (QSet<int>{0, 1}));
    }

    // configure() reaches every worker before it returns.
    void configReachesEveryWorker()
    {
        GatewayFixture gw;
        QVERIFY(setUp(gw, providers()));
        QCOMPARE(gw.post("/api/chat", chat("renamed"))->status, 404);
        QVERIFY2(
            gw.configure(providers({}, j(",{'name':'renamed','provider':'echo','model':'echo'}"))),
            qPrintable(gw.error()));
        gw.clearRecords();
        for (int i = 0; i < kConnections; ++i)
            QCOMPARE(gw.post("/api/chat", chat("renamed"))->status, 200);
        QTRY_COMPARE(gw.records().size(), kConnections);
        QCOMPARE(workersOf(gw.records()), (QSet<int>{0, 1}));
    }

    // Gemini's thought signature from a turn on one worker is restored on the next turn
    // whichever worker that lands on.
    void thinkingSignatureAcrossWorkers()
    {
        GatewayFixture gw;
        QVERIFY(setUp(gw, providers()));
        m_fake.on("POST", "/v1beta/models/*", [](const Received &) {
            return Reply::sse(
                {"data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{"
                 "\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Rome\"}},"
                 "\"thoughtSignature\":\"GSIG\"}]},\"finishReason\":\"STOP\"}]}\r\n\r\n"});
        });
        const auto r = gw.post(
            "/api/chat", j("{'model':'flash','stream':false,'think':true,'tools':[{'type':"
                           "'function','function':{'name':'get_weather'}}],'messages':[{'role':"
                           "'user','content':'Rome?'}]}"));
        QCOMPARE(r->status, 200);
        const QString id = obj(r->body)
                               .value(QStringLiteral("message"))
                               .toObject()
                               .value(QStringLiteral("tool_calls"))
                               .toArray()
                               .first()
                               .toObject()
                               .value(QStringLiteral("id"))
                               .toString();
        QVERIFY(!id.isEmpty());
        const QByteArray turn2 =
            j("{'model':'flash','stream':false,'messages':[{'role':'user','content':'Rome?'},"
              "{'role':'assistant','content':'','tool_calls':[{'id':'") +
            id.toUtf8() +
            j("','function':{'name':'get_weather','arguments':{'city':'Rome'}}}]},"
              "{'role':'tool','content':'25C','tool_name':'get_weather'}]}");
        QTRY_COMPARE(gw.records().size(), 1);
        gw.clearRecords();
        for (int i = 0; i < kConnections; ++i) {
            QCOMPARE(gw.post("/api/chat", turn2)->status, 200);
            QCOMPARE(m_fake.last()
                         .json()
                         .value(QStringLiteral("contents"))
                         .toArray()[1]
                         .toObject()
                         .value(QStringLiteral("parts"))
                         .toArray()[0]
                         .toObject()
                         .value(QStringLiteral("thoughtSignature"))
                         .toString(),
                     QStringLiteral("GSIG"));
        }
        QTRY_COMPARE(gw.records().size(), kConnections);
        QCOMPARE(workersOf(gw.records()), (QSet<int>{0, 1}));
    }

    // stopGracefully lets the answers in flight on every worker end whole, then stops every
    // worker and its thread.
    void gracefulStopAcrossWorkers()
    {
        GatewayFixture gw;
        QVERIFY(setUp(gw, j("{'server':{'threads':2},'providers':[{'name':'slow','type':'echo',"
                            "'options':{'delay_ms':150}}]}")));
        std::vector<std::unique_ptr<RawHttp>> streams;
        for (int i = 0; i < 16; ++i) {
            streams.push_back(std::make_unique<RawHttp>(gw.port()));
            streams.back()->send("POST", "/api/chat", chat("slow/echo", true));
        }
        for (auto &s : streams) // every answer has begun
            QCOMPARE(s->readHead()->status, 200);
        bool stopped = false;
        gw->stopGracefully(20000, [&stopped] { stopped = true; });
        for (auto &s : streams) { // each answer ends whole: its last line says done
            QByteArray body;
            for (;;) {
                const std::optional<QByteArray> chunk = s->readChunk(20000);
                QVERIFY(chunk.has_value());
                if (chunk->isEmpty())
                    break;
                body.append(*chunk);
            }
            const QList<QByteArray> lines = body.trimmed().split('\n');
            QVERIFY2(obj(lines.last()).value(QStringLiteral("done")).toBool(), body.constData());
            QVERIFY(!body.contains("shutting down"));
        }
        QTRY_VERIFY(stopped);
        QVERIFY(!gw->isRunning());
        QCOMPARE(gw->runningWorkers(), 0);
        QTRY_COMPARE(gw.records().size(), 16);
        QCOMPARE(workersOf(gw.records()), (QSet<int>{0, 1}));
        // The port is free again: nothing of the workers holds it.
        QVERIFY2(gw.start(), qPrintable(gw.error()));
        QCOMPARE(gw->runningWorkers(), 2);
    }

    // The address in use is refused in words, also where SO_REUSEPORT would let a second
    // llm-gateway of the same user join the first one's sockets.
    void addressInUse()
    {
        GatewayFixture first;
        QVERIFY(setUp(first, providers()));
        for (const int threads : {2, 1}) {
            Gateway second;
            second.setThreads(threads);
            ListenAddress a;
            a.host = QHostAddress(QHostAddress::LocalHost);
            a.port = first.port();
            QString error;
            QVERIFY(!second.start(a, &error));
            QVERIFY2(error.contains(QStringLiteral("already in use")), qPrintable(error));
        }
        for (int i = 0; i < kConnections; ++i)
            QCOMPARE(first.get("/api/version")->status, 200);
    }
};

QTEST_GUILESS_MAIN(TstWorkers)
#include "tst_workers.moc"
