// The built-in price table, the config's price overrides and budgets, and what a request costs.

#include "config/config.h"
#include "usage/budgettracker.h"
#include "usage/pricetable.h"

#include <QTest>

using namespace gw;

class TestPriceTable : public QObject
{
    Q_OBJECT

private slots:
    void builtIn_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("input"); // -1: no price
        QTest::addColumn<double>("output");
        QTest::addColumn<double>("cached");
        QTest::newRow("dated anthropic id") << "anthropic"
                                            << "claude-sonnet-4-5-20250929" << 3.0 << 15.0 << 0.30;
        QTest::newRow("opus 4.5 is not opus 4") << "anthropic"
                                                << "claude-opus-4-5" << 5.0 << 25.0 << 0.50;
        QTest::newRow("opus 4") << "anthropic"
                                << "claude-opus-4-20250514" << 15.0 << 75.0 << 1.50;
        QTest::newRow("gpt-4o-mini is not gpt-4o") << "openai"
                                                   << "gpt-4o-mini" << 0.15 << 0.60 << 0.075;
        QTest::newRow("dated gpt-4o") << "openai"
                                      << "gpt-4o-2024-08-06" << 2.50 << 10.0 << 1.25;
        QTest::newRow("azure bills as openai") << "azure"
                                               << "gpt-4.1" << 2.0 << 8.0 << 0.5;
        QTest::newRow("case and spaces") << "openai"
                                         << " GPT-5 " << 1.25 << 10.0 << 0.125;
        QTest::newRow("gemini resource name") << "gemini"
                                              << "models/gemini-2.5-flash" << 0.30 << 2.50 << 0.03;
        QTest::newRow("flash-lite is not flash") << "gemini"
                                                 << "gemini-2.5-flash-lite" << 0.10 << 0.40 << 0.01;
        QTest::newRow("a prefix stops at a boundary") << "openai"
                                                      << "o3x" << -1.0 << -1.0 << -1.0;
        QTest::newRow("unknown model") << "openai"
                                       << "house-model-7" << -1.0 << -1.0 << -1.0;
        QTest::newRow("openai ids on another type") << "huggingface"
                                                    << "gpt-4o" << -1.0 << -1.0 << -1.0;
        QTest::newRow("claude on the openai type") << "openai"
                                                   << "claude-sonnet-4-5" << -1.0 << -1.0 << -1.0;
        QTest::newRow("echo is free") << "echo"
                                      << "echo" << 0.0 << 0.0 << 0.0;
        QTest::newRow("a local ollama is free") << "ollama"
                                                << "llama3.2" << 0.0 << 0.0 << 0.0;
    }
    void builtIn()
    {
        QFETCH(QString, type);
        QFETCH(QString, model);
        QFETCH(double, input);
        QFETCH(double, output);
        QFETCH(double, cached);
        const auto p = PriceTable::builtIn(type, model);
        QCOMPARE(p.has_value(), input >= 0);
        if (!p)
            return;
        QCOMPARE(p->input, input);
        QCOMPARE(p->output, output);
        QCOMPARE(p->cachedInput, cached);
    }

    void overrides()
    {
        const Price table{3.0, 15.0, 0.30, 3.75};
        // Fields given replace the table's; the rest stay.
        ModelPrice o;
        o.output = 12.0;
        QCOMPARE(PriceTable::resolve(table, o), (Price{3.0, 12.0, 0.30, 3.75}));
        QCOMPARE(PriceTable::resolve(table, ModelPrice{}), table);
        // Without a table price, an override needs input and output; cache rates default to input.
        o = ModelPrice{};
        o.input = 1.0;
        QVERIFY(!PriceTable::resolve(std::nullopt, o));
        o.output = 2.0;
        QCOMPARE(PriceTable::resolve(std::nullopt, o), (Price{1.0, 2.0, 1.0, 1.0}));
        o.cachedInput = 0.1;
        QCOMPARE(PriceTable::resolve(std::nullopt, o), (Price{1.0, 2.0, 0.1, 1.0}));
    }

    void forRequestUsesTheMapping()
    {
        QString error;
        const auto c = Config::fromJson(
            R"({"providers":[{"name":"o","type":"openai"}],
                "models":[{"name":"Cheap","provider":"o","model":"gpt-4o",
                           "price":{"input":1,"output":2}},
                          {"name":"plain","provider":"o","model":"gpt-4o"}]})",
            {}, {}, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(PriceTable::forRequest(*c, "openai", "cheap:latest", "gpt-4o"),
                 (Price{1.0, 2.0, 1.25, 2.5}));
        QCOMPARE(PriceTable::forRequest(*c, "openai", "plain", "gpt-4o"),
                 PriceTable::builtIn("openai", "gpt-4o"));
        // o/gpt-4o routes straight to the provider: the table's price.
        QCOMPARE(PriceTable::forRequest(*c, "openai", "o/gpt-4o", "gpt-4o"),
                 PriceTable::builtIn("openai", "gpt-4o"));
    }

    void cost()
    {
        const Price p{2.0, 10.0, 0.5, 2.5};
        // 1,000,000 input of which 400,000 cached and 100,000 written; 200,000 output.
        Cost c = PriceTable::cost(p, {1000000, 200000, 400000, 100000, 50000});
        QVERIFY(c.cost);
        QCOMPARE(*c.cost, 500000 * 2.0 / 1e6 + 400000 * 0.5 / 1e6 + 100000 * 2.5 / 1e6 + 2.0);
        QCOMPARE(*c.saved, 400000 * 1.5 / 1e6);
        // Unknown counts: no cost, never 0; no cache count: nothing known saved.
        QVERIFY(!PriceTable::cost(p, {-1, 10, -1, -1, -1}).cost);
        QVERIFY(!PriceTable::cost(p, {10, -1, -1, -1, -1}).cost);
        c = PriceTable::cost(p, {10, 10, -1, -1, -1});
        QVERIFY(c.cost);
        QVERIFY(!c.saved);
        // No price: no cost.
        QVERIFY(!PriceTable::cost(std::nullopt, {10, 10, 0, 0, 0}).cost);
        // Free is a known price of 0.
        QCOMPARE(PriceTable::cost(Price{}, {10, 10, 0, 0, 0}).cost, std::optional<double>(0.0));
    }

    void configReadsPricesAndBudgets()
    {
        QString error;
        const auto c = Config::fromJson(
            R"({"providers":[{"name":"o","type":"openai"}],
                "models":[{"name":"m","provider":"o","model":"gpt-4o",
                           "price":{"input":3,"output":15,"cached_input":0.3,"cache_write":3.75}}],
                "usage":{"retention_days":30,
                         "budgets":[{"provider":"o","period":"day","limit":5,"hard":true},
                                    {"limit":100}]}})",
            {}, {}, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->models[0].price.input, std::optional<double>(3));
        QCOMPARE(c->models[0].price.cacheWrite, std::optional<double>(3.75));
        QCOMPARE(c->usage.retentionDays, 30);
        QCOMPARE(c->usage.budgets.size(), 2);
        QCOMPARE(c->usage.budgets[0], (Budget{"o", Budget::Period::Day, 5, true}));
        QCOMPARE(c->usage.budgets[1], (Budget{"", Budget::Period::Month, 100, false}));
        // It goes back out as it came in.
        const auto again = Config::fromJson(c->toJson(), {}, {}, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->models, c->models);
        QCOMPARE(again->usage, c->usage);
        QVERIFY(!Config::fromJson("{}", {}, {}, &error)->toJson().contains("usage"));
    }

    void configErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        const QByteArray head = R"({"providers":[{"name":"o","type":"openai"}],)";
        QTest::newRow("price type")
            << head + R"("models":[{"name":"m","provider":"o","model":"x",
"price":{"input":"3"}}]})"
            << "c.json:2: models[0].price.input must be a number, not a string";
        QTest::newRow("negative price")
            << head + R"("models":[{"name":"m","provider":"o","model":"x",
"price":{"output":-1}}]})"
            << "c.json:2: models[0].price.output must not be negative";
        QTest::newRow("budget period") << head + "\n" + R"("usage":{"budgets":[
{"limit":1,"period":"week"}]}})"
                                       << "c.json:3: usage.budgets[0].period must be \"day\" or "
                                          "\"month\", not 'week'";
        QTest::newRow("budget without limit") << head + "\n" + R"("usage":{"budgets":[
{"period":"day"}]}})"
                                              << "c.json:3: usage.budgets[0].limit is required";
        QTest::newRow("budget provider") << head + "\n" + R"("usage":{"budgets":[
{"provider":"opnai","limit":1}]}})"
                                         << "c.json:3: usage.budgets[0].provider: unknown "
                                            "provider 'opnai'";
        QTest::newRow("two monthly budgets")
            << head + "\n" + R"("usage":{"budgets":[{"limit":1},
{"limit":2}]}})"
            << "c.json:3: usage.budgets[1]: a second monthly budget for all providers";
        QTest::newRow("retention") << head + R"("usage":{"retention_days":0}})"
                                   << "c.json:1: usage.retention_days must be a positive whole "
                                      "number, not 0";
    }
    void configErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString got;
        QVERIFY(!Config::fromJson(json, QStringLiteral("c.json"), {}, &got));
        QCOMPARE(got, error);
    }

    // The budgets over the spend: alerts once per budget, period and level; hard ones refuse.
    void budgetTracker()
    {
        BudgetTracker t;
        t.setBudgets({Budget{"openai", Budget::Period::Day, 1.0, true},
                      Budget{"", Budget::Period::Month, 10.0, false}});
        const QDate day(2026, 3, 14);
        QVERIFY(t.add("OpenAI", 0.5, day).isEmpty());
        QVERIFY(!t.check("openai", day));
        auto alerts = t.add("openai", 0.35, day); // 85 % of the daily one
        QCOMPARE(alerts.size(), 1);
        QCOMPARE(alerts[0].percent, 80);
        QVERIFY(t.add("openai", 0.01, day).isEmpty()); // said once
        alerts = t.add("openai", 0.2, day);            // over
        QCOMPARE(alerts.size(), 1);
        QCOMPARE(alerts[0].percent, 100);
        const auto f = t.check("openai", day);
        QVERIFY(f);
        QCOMPARE(f->cause, FailureCause::BudgetExhausted);
        QCOMPARE(f->status, 429);
        QVERIFY(f->budget && f->budget->daily && f->budget->limit == 1.0);
        QVERIFY(!t.check("anthropic", day)); // not covered by the hard one
        // The next day starts afresh; the month goes on.
        QVERIFY(!t.check("openai", day.addDays(1)));
        QCOMPARE(t.spent(t.budgets()[1], day.addDays(1)), 1.06);
        // Seeded from the database: earlier days of the month count for the monthly budget.
        BudgetTracker s;
        s.setBudgets({Budget{"", Budget::Period::Month, 10.0, true}});
        s.seed({{"anthropic", {{QDate(2026, 3, 1), 9.0}, {QDate(2026, 2, 28), 50.0}}}});
        QVERIFY(!s.check("gemini", day));
        QCOMPARE(s.add("gemini", 1.0, day).size(), 1);
        QVERIFY(s.check("gemini", day));
        QVERIFY(!s.check("gemini", QDate(2026, 4, 1)));
    }
};

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
