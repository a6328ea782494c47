// Usage and spend over real loopback sockets: every finished request lands in a real SQLite file
// with the provider's own token counts (cached, cache-write and reasoning included; "unknown"
// when the provider says nothing) and its cost from the price table or the config's override;
// the file survives a restart; hard budgets refuse requests with a 429 in each dialect's own
// shape, soft ones only warn; `llm-gateway usage` prints the same figures.

#include "checkedlist.h"
#include "fakeserver.h"
#include "gatewayfixture.h"
#include "jsontext.h"
#include "log/requestlogfile.h"
#include "usage/usagedb.h"
#include "usage/usagewriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gw;
using namespace gwtest;

namespace {

// A streamed Anthropic answer whose usage says 100 fresh input tokens, 900 read from the cache,
// 50 written to it and 40 output tokens.
Reply anthropicAnswer()
{
    const auto ev = [](const char *name, const QJsonObject &o) {
        QJsonObject d = o;
        d.insert(QStringLiteral("type"), QLatin1StringView(name));
        return FakeServer::sseEvent(name, d);
    };
    return Reply::sse(
        {ev("message_start",
            {{"message", QJsonObject{{"id", "msg_1"},
                                     {"type", "message"},
                                     {"role", "assistant"},
                                     {"model", "claude-sonnet-4-5-20250929"},
                                     {"content", QJsonArray()},
                                     {"usage", QJsonObject{{"input_tokens", 100},
                                                           {"cache_read_input_tokens", 900},
                                                           {"cache_creation_input_tokens", 50},
                                                           {"output_tokens", 1}}}}}}),
         ev("content_block_start",
            {{"index", 0}, {"content_block", QJsonObject{{"type", "text"}, {"text", ""}}}}),
         ev("content_block_delta",
            {{"index", 0}, {"delta", QJsonObject{{"type", "text_delta"}, {"text", "Hi"}}}}),
         ev("content_block_stop", {{"index", 0}}),
         ev("message_delta", {{"delta", QJsonObject{{"stop_reason", "end_turn"}}},
                              {"usage", QJsonObject{{"output_tokens", 40}}}}),
         ev("message_stop", {})});
}

// An OpenAI chat stream with usage (cached and reasoning tokens) or without any.
Reply openaiAnswer(bool withUsage)
{
    QList<QByteArray> events{
        FakeServer::sseData(
            {{"id", "c1"},
             {"object", "chat.completion.chunk"},
             {"choices", QJsonArray{QJsonObject{{"index", 0},
                                                {"delta", QJsonObject{{"role", "assistant"},
                                                                      {"content", "Hello"}}}}}}}),
        FakeServer::sseData({{"id", "c1"},
                             {"object", "chat.completion.chunk"},
                             {"choices", QJsonArray{QJsonObject{{"index", 0},
                                                                {"delta", QJsonObject()},
                                                                {"finish_reason", "stop"}}}}})};
    if (withUsage)
        events.append(FakeServer::sseData(
            {{"id", "c1"},
             {"object", "chat.completion.chunk"},
             {"choices", QJsonArray()},
             {"usage", QJsonObject{{"prompt_tokens", 2000},
                                   {"completion_tokens", 300},
                                   {"total_tokens", 2300},
                                   {"prompt_tokens_details", QJsonObject{{"cached_tokens", 1024}}},
                                   {"completion_tokens_details",
                                    QJsonObject{{"reasoning_tokens", 200}}}}}}));
    events.append("data: [DONE]\n\n");
    return Reply::sse(events);
}

// Each dialect's request for `model`, and what its error body looks like.
struct DialectCall
{
    const char *name;
    const char *path;
    QByteArray body;
};

QList<DialectCall> dialectCalls(const QByteArray &model)
{
    const QByteArray m = "\"" + model + "\"";
    return {
        {"ollama", "/api/chat",
         "{\"model\":" + m +
             ",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
        {"openai", "/v1/chat/completions",
         "{\"model\":" + m + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
        {"responses", "/v1/responses", "{\"model\":" + m + ",\"input\":\"hi\"}"},
        {"anthropic", "/v1/messages",
         "{\"model\":" + m +
             ",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
    };
}

// The error message in each dialect's error body.
QString errorMessage(const char *dialect, const QByteArray &body)
{
    const QJsonObject o = obj(body);
    if (qstrcmp(dialect, "ollama") == 0)
        return o.value(QLatin1StringView("error")).toString();
    return o.value(QLatin1StringView("error"))
        .toObject()
        .value(QLatin1StringView("message"))
        .toString();
}

QString errorType(const char *dialect, const QByteArray &body)
{
    if (qstrcmp(dialect, "ollama") == 0)
        return {};
    return obj(body)
        .value(QLatin1StringView("error"))
        .toObject()
        .value(QLatin1StringView("type"))
        .toString();
}

} // namespace

class TestUsage : public QObject
{
    Q_OBJECT

    FakeServer m_anthropic;
    FakeServer m_openai;
    FakeServer m_gemini;
    QTemporaryDir m_dir;

    QByteArray config(const QByteArray &extra = {}) const
    {
        return j("{'providers':["
                 "{'name':'anth','type':'anthropic','base_url':'%1'},"
                 "{'name':'oai','type':'openai','base_url':'%2'},"
                 "{'name':'quiet','type':'openai','base_url':'%2/quiet'},"
                 "{'name':'gem','type':'gemini','base_url':'%3/v1beta'}],"
                 "'models':["
                 "{'name':'sonnet','provider':'anth','model':'claude-sonnet-4-5-20250929'},"
                 "{'name':'gpt','provider':'oai','model':'gpt-5'},"
                 "{'name':'cheap','provider':'oai','model':'gpt-5',"
                 " 'price':{'input':1.0,'output':2.0,'cached_input':0.5}},"
                 "{'name':'mystery','provider':'oai','model':'house-model-7'},"
                 "{'name':'silent','provider':'quiet','model':'gpt-4o'},"
                 "{'name':'flash','provider':'gem','model':'gemini-2.5-flash'}]")
                   .replace("%1", m_anthropic.url().toUtf8())
                   .replace("%2", m_openai.url().toUtf8())
                   .replace("%3", m_gemini.url().toUtf8()) +
               extra + "}";
    }
    QString dbPath(const char *name) const { return m_dir.filePath(QLatin1StringView(name)); }

    static QList<UsageRow> rowsOf(const QString &path)
    {
        UsageDb db;
        QString error;
        if (!db.open(path, &error, true))
            qWarning("%s", qPrintable(error));
        return db.rows(QDateTime::currentDateTime().addDays(-1),
                       QDateTime::currentDateTime().addDays(1));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("ANTH_API_KEY", "sk-ant-test");
        qputenv("OAI_API_KEY", "sk-test");
        qputenv("QUIET_API_KEY", "sk-test");
        qputenv("GEM_API_KEY", "AIza-test");
        // Gemini: 1,000 prompt tokens of which 600 from its implicit cache, 50 + 20 thinking out.
        m_gemini.on("POST", "/v1beta/models/*", [](const Received &) {
            return Reply::sse({FakeServer::sseData(
                {{"candidates",
                  QJsonArray{QJsonObject{
                      {"content", QJsonObject{{"role", "model"},
                                              {"parts", QJsonArray{QJsonObject{{"text", "Hi"}}}}}},
                      {"finishReason", "STOP"}}}},
                 {"usageMetadata", QJsonObject{{"promptTokenCount", 1000},
                                               {"candidatesTokenCount", 50},
                                               {"thoughtsTokenCount", 20},
                                               {"cachedContentTokenCount", 600}}}})});
        });
        m_anthropic.on("POST", "/v1/messages", [](const Received &) { return anthropicAnswer(); });
        m_openai.on("POST", "/chat/completions",
                    [](const Received &) { return openaiAnswer(true); });
        m_openai.on("POST", "/quiet/chat/completions",
                    [](const Received &) { return openaiAnswer(false); });
    }

    // Tokens from the providers' own usage fields, cost from the built-in prices, in the file.
    void tokensAndCostReachTheDatabase()
    {
        const QString path = dbPath("tokens.sqlite");
        {
            GatewayFixture gw;
            QVERIFY2(gw.configure(config()), qPrintable(gw.error()));
            QString error;
            QVERIFY2(gw->setUsageDatabase(path, &error), qPrintable(error));
            QVERIFY(gw.start());
            QCOMPARE(gw.post("/v1/messages", dialectCalls("sonnet").at(3).body)->status, 200);
            QCOMPARE(gw.post("/v1/chat/completions", dialectCalls("gpt").at(1).body)->status, 200);
            QCOMPARE(gw.post("/api/chat", dialectCalls("silent").at(0).body)->status, 200);
            QCOMPARE(gw.post("/v1/chat/completions", dialectCalls("mystery").at(1).body)->status,
                     200);
            QVERIFY(gw.waitIdle());
            gw->flushRecords(); // the workers report records in batches
            gw->usageWriter()->flush();

            // The record the log and the windows see carries the same figures.
            QCOMPARE(gw.records().size(), 4);
            QCOMPARE(gw.records()[0].cachedTokens, 900);
            QVERIFY(gw.records()[0].cost > 0);
            QCOMPARE(gw.records()[2].cost, -1.0);
            // serve's line and the log file say it too.
            QVERIFY2(RequestLog::line(gw.records()[0])
                         .contains(u" tokens=1050/40 cached=900 cache_write=50 cost=$0.001357"),
                     qPrintable(RequestLog::line(gw.records()[0])));
            QVERIFY(!RequestLog::line(gw.records()[2]).contains(u"cost="));
            const QJsonObject line =
                QJsonDocument::fromJson(RequestLogFile::toJsonLine(gw.records()[1])).object();
            QCOMPARE(line.value("cached_tokens").toInt(), 1024);
            QCOMPARE(line.value("reasoning_tokens").toInt(), 200);
            QCOMPARE(qRound64(line.value("cost_usd").toDouble() * 1e6), 4348);
        }
        const CheckedList<UsageRow> rows = rowsOf(path);
        QCOMPARE(rows.size(), 4);

        const UsageRow &a = rows[0]; // Anthropic: input excludes the cache; we store the whole
        QCOMPARE(a.dialect, QStringLiteral("anthropic"));
        QCOMPARE(a.model, QStringLiteral("sonnet"));
        QCOMPARE(a.provider, QStringLiteral("anth"));
        QCOMPARE(a.upstreamModel, QStringLiteral("claude-sonnet-4-5-20250929"));
        QCOMPARE(a.status, 200);
        QCOMPARE(a.tokens.input, 1050);
        QCOMPARE(a.tokens.cachedRead, 900);
        QCOMPARE(a.tokens.cacheWrite, 50);
        QCOMPARE(a.tokens.output, 40);
        QCOMPARE(a.tokens.reasoning, -1);
        QVERIFY(a.cost);
        // $3 / $15 / $0.30 read / $3.75 write per million
        QCOMPARE(qRound64(*a.cost * 1e8),
                 qRound64((100 * 3.0 + 900 * 0.30 + 50 * 3.75 + 40 * 15.0) / 1e6 * 1e8));
        QVERIFY(a.saved);
        QCOMPARE(qRound64(*a.saved * 1e8), qRound64(900 * (3.0 - 0.30) / 1e6 * 1e8));

        const UsageRow &o = rows[1]; // OpenAI: cached and reasoning tokens from the details
        QCOMPARE(o.dialect, QStringLiteral("openai"));
        QCOMPARE(o.tokens.input, 2000);
        QCOMPARE(o.tokens.cachedRead, 1024);
        QCOMPARE(o.tokens.cacheWrite, -1);
        QCOMPARE(o.tokens.output, 300);
        QCOMPARE(o.tokens.reasoning, 200);
        QVERIFY(o.cost);
        QCOMPARE(qRound64(*o.cost * 1e8),
                 qRound64((976 * 1.25 + 1024 * 0.125 + 300 * 10.0) / 1e6 * 1e8));

        const UsageRow &s = rows[2]; // no usage from the provider: unknown, never 0
        QCOMPARE(s.dialect, QStringLiteral("ollama"));
        QCOMPARE(s.tokens.input, -1);
        QCOMPARE(s.tokens.output, -1);
        QVERIFY(!s.cost);

        const UsageRow &m = rows[3]; // tokens known, price not: no cost, never $0
        QCOMPARE(m.tokens.input, 2000);
        QVERIFY(!m.cost);

        // Totals say "unknown" (-1) only where no request had a count.
        UsageDb db;
        QString error;
        QVERIFY2(db.open(path, &error, true), qPrintable(error));
        const QDateTime from = QDateTime::currentDateTime().addDays(-1),
                        to = QDateTime::currentDateTime().addDays(1);
        const CheckedList<UsageTotal> byModel = db.totals(from, to, UsageDb::By::Model);
        QCOMPARE(byModel.size(), 4);
        const auto total = [&](const QString &key) {
            for (const UsageTotal &t : byModel)
                if (t.key == key)
                    return t;
            return UsageTotal{};
        };
        QCOMPARE(total(QStringLiteral("silent")).input, -1);
        QVERIFY(!total(QStringLiteral("silent")).cost);
        QCOMPARE(total(QStringLiteral("silent")).unpriced, 1);
        QCOMPARE(total(QStringLiteral("sonnet")).cachedRead, 900);
        const CheckedList<UsageTotal> all = db.totals(from, to, UsageDb::By::All);
        QCOMPARE(all.size(), 1);
        QCOMPARE(all[0].requests, 4);
        QCOMPARE(all[0].unpriced, 2);
        QCOMPARE(all[0].input, 1050 + 2000 + 2000);
    }

    // Gemini's cache hits and thinking tokens, priced at gemini-2.5-flash's rates.
    void geminiCacheHits()
    {
        const QString path = dbPath("gemini.sqlite");
        {
            GatewayFixture gw;
            QVERIFY2(gw.configure(config()), qPrintable(gw.error()));
            QString error;
            QVERIFY2(gw->setUsageDatabase(path, &error), qPrintable(error));
            QVERIFY(gw.start());
            const auto r = gw.post("/v1/chat/completions", dialectCalls("flash").at(1).body);
            QCOMPARE(r->status, 200);
            QVERIFY(gw.waitIdle());
        }
        const CheckedList<UsageRow> rows = rowsOf(path);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].provider, QStringLiteral("gem"));
        QCOMPARE(rows[0].tokens.input, 1000);
        QCOMPARE(rows[0].tokens.cachedRead, 600);
        QCOMPARE(rows[0].tokens.output, 70);
        QCOMPARE(rows[0].tokens.reasoning, 20);
        QVERIFY(rows[0].cost);
        QCOMPARE(qRound64(*rows[0].cost * 1e9),
                 qRound64((400 * 0.30 + 600 * 0.03 + 70 * 2.50) / 1e6 * 1e9));
        QCOMPARE(qRound64(*rows[0].saved * 1e9), qRound64(600 * 0.27 / 1e6 * 1e9));
    }

    // The config's price replaces the table's for that mapping only.
    void priceOverride()
    {
        const QString path = dbPath("override.sqlite");
        GatewayFixture gw;
        QVERIFY2(gw.configure(config()), qPrintable(gw.error()));
        QString error;
        QVERIFY2(gw->setUsageDatabase(path, &error), qPrintable(error));
        QVERIFY(gw.start());
        QCOMPARE(gw.post("/v1/chat/completions", dialectCalls("cheap").at(1).body)->status, 200);
        QVERIFY(gw.waitIdle());
        gw->flushRecords(); // the workers report records in batches
        gw->usageWriter()->flush();
        const CheckedList<UsageRow> rows = rowsOf(path);
        QCOMPARE(rows.size(), 1);
        QVERIFY(rows[0].cost);
        QCOMPARE(qRound64(*rows[0].cost * 1e8),
                 qRound64((976 * 1.0 + 1024 * 0.5 + 300 * 2.0) / 1e6 * 1e8));
        QCOMPARE(qRound64(*rows[0].saved * 1e8), qRound64(1024 * 0.5 / 1e6 * 1e8));
    }

    // The file outlives the gateway: a new one appends to it, and its budgets start from it.
    void survivesRestart()
    {
        const QString path = dbPath("restart.sqlite");
        for (int round = 1; round <= 2; ++round) {
            GatewayFixture gw;
            QVERIFY2(gw.configure(config()), qPrintable(gw.error()));
            QString error;
            QVERIFY2(gw->setUsageDatabase(path, &error), qPrintable(error));
            QVERIFY(gw.start());
            QCOMPARE(gw.post("/v1/messages", dialectCalls("sonnet").at(3).body)->status, 200);
            QVERIFY(gw.waitIdle());
            // no flush: the gateway's end writes what is waiting
        }
        const CheckedList<UsageRow> rows = rowsOf(path);
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[1].tokens.cachedRead, 900);

        // A third gateway with a hard monthly budget below what the file holds refuses at once.
        GatewayFixture gw;
        QVERIFY2(gw.configure(config(j(",'usage':{'budgets':[{'provider':'anth','period':'month',"
                                       "'limit':0.001,'hard':true}]}"))),
                 qPrintable(gw.error()));
        QString error;
        QVERIFY2(gw->setUsageDatabase(path, &error), qPrintable(error));
        QVERIFY(gw.start());
        QCOMPARE(gw.post("/v1/messages", dialectCalls("sonnet").at(3).body)->status, 429);
    }

    // A hard budget: once used up, requests to that provider get 429 in the client's dialect
    // with the words that say which budget and where to raise it; other providers still work.
    void hardBudget_data()
    {
        QTest::addColumn<int>("dialect");
        for (int i = 0; i < 4; ++i)
            QTest::newRow(dialectCalls("x").at(i).name) << i;
    }
    void hardBudget()
    {
        QFETCH(int, dialect);
        GatewayFixture gw;
        QVERIFY2(gw.configure(config(j(",'usage':{'budgets':[{'provider':'anth','period':'month',"
                                       "'limit':0.001,'hard':true}]}"))),
                 qPrintable(gw.error()));
        QVERIFY(gw.start());
        QSignalSpy alerts(&gw.gateway(), &Gateway::budgetAlert);
        m_anthropic.clear();
        // The first request spends $0.0013575 (> $0.001): it is answered, then the budget is used
        // up.
        QCOMPARE(gw.post("/v1/messages", dialectCalls("sonnet").at(3).body)->status, 200);
        QVERIFY(gw.waitIdle());
        QCOMPARE(alerts.size(), 1);
        const auto alert = alerts.at(0).at(0).value<BudgetAlert>();
        QCOMPARE(alert.percent, 100);
        QCOMPARE(alert.budget.provider, QStringLiteral("anth"));

        const DialectCall call = dialectCalls("sonnet").at(dialect);
        const auto r = gw.post(call.path, call.body);
        QCOMPARE(r->status, 429);
        QCOMPARE(m_anthropic.requestCount(), 1); // the refused request never went upstream
        QCOMPARE(errorMessage(call.name, r->body),
                 QStringLiteral("the monthly budget for anth ($0.0010) is used up; raise it in "
                                "Settings → Usage (or usage.budgets in the config)"));
        if (qstrcmp(call.name, "openai") == 0 || qstrcmp(call.name, "responses") == 0 ||
            qstrcmp(call.name, "anthropic") == 0)
            QCOMPARE(errorType(call.name, r->body), QStringLiteral("rate_limit_error"));
        // Another provider is not covered by this budget.
        QCOMPARE(gw.post("/v1/chat/completions", dialectCalls("gpt").at(1).body)->status, 200);
        QVERIFY(gw.waitIdle());
        QCOMPARE(alerts.size(), 1); // said once per budget and period
    }

    // An overall daily budget covers every provider; a soft one only warns (80 %, then 100 %).
    void softAndOverallBudgets()
    {
        GatewayFixture gw;
        QVERIFY2(gw.configure(config(j(",'usage':{'budgets':["
                                       "{'period':'day','limit':0.01},"
                                       "{'provider':'oai','period':'month','limit':0.01,"
                                       "'hard':true}]}"))),
                 qPrintable(gw.error()));
        QVERIFY(gw.start());
        QSignalSpy alerts(&gw.gateway(), &Gateway::budgetAlert);
        // Each gpt-5 request costs $0.004348: 2 → 87 % of both budgets, 3 → over both.
        for (int i = 0; i < 2; ++i)
            QCOMPARE(gw.post("/v1/chat/completions", dialectCalls("gpt").at(1).body)->status, 200);
        QVERIFY(gw.waitIdle());
        QCOMPARE(alerts.size(), 2);
        QCOMPARE(alerts.at(0).at(0).value<BudgetAlert>().percent, 80);
        QCOMPARE(alerts.at(1).at(0).value<BudgetAlert>().percent, 80);
        QCOMPARE(gw.post("/v1/chat/completions", dialectCalls("gpt").at(1).body)->status, 200);
        QVERIFY(gw.waitIdle());
        QCOMPARE(alerts.size(), 4);
        // The soft overall budget is over, and only warns: anthropic still answers.
        QCOMPARE(gw.post("/v1/messages", dialectCalls("sonnet").at(3).body)->status, 200);
        // The hard one for oai refuses.
        QCOMPARE(gw.post("/v1/chat/completions", dialectCalls("gpt").at(1).body)->status, 429);
        QVERIFY(gw.waitIdle());
        QCOMPARE(alerts.size(), 4);
    }

    // --no-usage and a file that is not a database are reported, not fatal to the gateway.
    void unusableFile()
    {
        const QString path = dbPath("not-a-db.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        GatewayFixture gw;
        QVERIFY2(gw.configure(config()), qPrintable(gw.error()));
        QString error;
        QVERIFY(!gw->setUsageDatabase(path, &error));
        QVERIFY2(error.startsWith(path), qPrintable(error));
        QVERIFY(!gw->usageWriter());
        QVERIFY(gw.start());
        QCOMPARE(gw.post("/v1/messages", dialectCalls("sonnet").at(3).body)->status, 200);
    }

    // `llm-gateway usage` reads the file and prints the same figures, as a table or CSV.
    void usageCommand()
    {
        const QString path = dbPath("command.sqlite");
        {
            UsageDb db;
            QString error;
            QVERIFY2(db.open(path, &error), qPrintable(error));
            const QDateTime now = QDateTime::currentDateTime();
            UsageRow a{now,         "127.0.0.1",
                       "anthropic", "sonnet",
                       "anth",      "claude-sonnet-4-5",
                       200,         {1050, 40, 900, 50, -1},
                       800,         0.002,
                       0.00243};
            UsageRow b{now, "127.0.0.1",          "openai", "silent",     "quiet",     "gpt-4o",
                       200, {-1, -1, -1, -1, -1}, 300,      std::nullopt, std::nullopt};
            UsageRow old{
                now.addDays(-20),     "127.0.0.1", "openai", "gpt",       "oai", "gpt-5", 200,
                {10, 10, -1, -1, -1}, 300,         1.5,      std::nullopt};
            QVERIFY2(db.insert({a, b, a, old}, &error), qPrintable(error));
        }
        QProcess p;
        p.start(QStringLiteral(LLMGW_BIN), {QStringLiteral("usage"), QStringLiteral("--usage-db"),
                                            path, QStringLiteral("--by"), QStringLiteral("model")});
        QVERIFY(p.waitForFinished(30000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(p.exitCode() == 0, qPrintable(p.readAllStandardError()));
        const QStringList lines = out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5); // heading, column names, two models, total
        QVERIFY2(lines[1].startsWith(u"MODEL"), qPrintable(out));
        const auto cells = [](const QString &l) { return l.split(u' ', Qt::SkipEmptyParts); };
        QCOMPARE(cells(lines[2]), (QStringList{"sonnet", "2", "2,100", "80", "1,800", "unknown",
                                               "$0.0040", "$0.0049"}));
        QCOMPARE(cells(lines[3]), (QStringList{"silent", "1", "unknown", "unknown", "unknown",
                                               "unknown", "–", "–"}));
        QCOMPARE(cells(lines[4]), (QStringList{"total", "3", "2,100", "80", "1,800", "unknown",
                                               "$0.0040", "+1", "unpriced", "$0.0049"}));

        p.start(QStringLiteral(LLMGW_BIN),
                {QStringLiteral("usage"), QStringLiteral("--usage-db"), path,
                 QStringLiteral("--since"), QStringLiteral("30d"), QStringLiteral("--by"),
                 QStringLiteral("provider"), QStringLiteral("--csv")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QStringList csv =
            QString::fromUtf8(p.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(csv.size(), 4);
        QCOMPARE(csv[0], QStringLiteral("provider,requests,input_tokens,output_tokens,"
                                        "cached_tokens,cache_write_tokens,reasoning_tokens,"
                                        "cost_usd,unpriced_requests,saved_usd"));
        QCOMPARE(csv[1], QStringLiteral("oai,1,10,10,,,,1.500000,0,"));
        QCOMPARE(csv[2], QStringLiteral("anth,2,2100,80,1800,100,,0.004000,0,0.004860"));
        QCOMPARE(csv[3], QStringLiteral("quiet,1,,,,,,,1,"));

        p.start(QStringLiteral(LLMGW_BIN),
                {QStringLiteral("usage"), QStringLiteral("--usage-db"), path,
                 QStringLiteral("--since"), QStringLiteral("yesterday-ish")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--since 'yesterday-ish'"));
    }
};

QTEST_GUILESS_MAIN(TestUsage)
#include "tst_usage.moc"
