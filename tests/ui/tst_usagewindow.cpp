// The Usage window and the tray's spend over a real GatewayHost and a real usage database:
// ranges (today, 7 and 30 days, custom) change the totals, the tables and the chart; the CSV
// export holds the range's requests; budgets show what they used and save into the config; a
// priced request reaches the database, the tray tooltip and, over a hard budget, the tray's
// problems. Screenshots in English, German and Chinese with LLMGW_SCREENSHOT_DIR.

#include "checkedlist.h"
#include "costchart.h"
#include "fakeserver.h"
#include "hostfixture.h"
#include "language.h"
#include "mappingtablemodel.h"
#include "traycontroller.h"
#include "usage/usagedb.h"
#include "usagewindow.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTranslator>

using namespace gw;
using namespace gwtest;

namespace {

UsageRow row(const QDateTime &at, const char *model, const char *provider, qint64 in, qint64 out,
             qint64 cached, std::optional<double> cost, std::optional<double> saved)
{
    UsageRow r;
    r.time = at;
    r.client = QStringLiteral("127.0.0.1");
    r.dialect = QStringLiteral("openai");
    r.model = QLatin1StringView(model);
    r.provider = QLatin1StringView(provider);
    r.upstreamModel = r.model;
    r.status = 200;
    r.tokens = {in, out, cached, -1, -1};
    r.durationMs = 900;
    r.cost = cost;
    r.saved = saved;
    return r;
}

QStringList column(const QTableWidget *t, int c)
{
    QStringList out;
    for (int r = 0; r < t->rowCount(); ++r)
        out.append(t->item(r, c) ? t->item(r, c)->text() : QString());
    return out;
}

Reply priced()
{
    return Reply::sse(
        {FakeServer::sseData(
             {{"id", "c"},
              {"object", "chat.completion.chunk"},
              {"choices", QJsonArray{QJsonObject{{"index", 0},
                                                 {"delta", QJsonObject{{"content", "Hi"}}},
                                                 {"finish_reason", "stop"}}}}}),
         FakeServer::sseData({{"id", "c"},
                              {"object", "chat.completion.chunk"},
                              {"choices", QJsonArray()},
                              {"usage", QJsonObject{{"prompt_tokens", 100000},
                                                    {"completion_tokens", 10000},
                                                    {"prompt_tokens_details",
                                                     QJsonObject{{"cached_tokens", 50000}}}}}}),
         "data: [DONE]\n\n"});
}

} // namespace

class TestUsageWindow : public QObject
{
    Q_OBJECT

    HostFixture m_gw;
    FakeServer m_upstream;
    QString m_db;
    QDateTime m_today; // noon, so that "today" holds whatever the clock says in the test

    void shoot(QWidget *w, const QString &name)
    {
        const QString dir = qEnvironmentVariable("LLMGW_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            w->grab().save(QStringLiteral("%1/%2.png").arg(dir, name));
    }

private slots:
    void initTestCase()
    {
        qputenv("OPENAI_API_KEY", "sk-test");
        m_upstream.on("POST", "/v1/chat/completions", [](const Received &) { return priced(); });
        m_today = QDateTime(QDate::currentDate(), QTime(12, 0));
        m_db = m_gw.filePath(QStringLiteral("usage.sqlite"));
        {
            UsageDb db;
            QString error;
            QVERIFY2(db.open(m_db, &error), qPrintable(error));
            const QDateTime t = m_today.addSecs(-3600);
            QList<UsageRow> rows{
                row(t, "claude-sonnet", "anthropic", 120000, 8000, 90000, 0.1047, 0.243),
                row(t, "gpt-5", "openai", 40000, 3000, 20000, 0.0555, 0.0225),
                row(t, "llama-local", "ollama", 5000, 800, -1, 0.0, std::nullopt),
                row(t, "house-model", "groq", -1, -1, -1, std::nullopt, std::nullopt)};
            for (int d = 1; d < 20; ++d) {
                rows.append(row(m_today.addDays(-d), "claude-sonnet", "anthropic",
                                60000 * d % 7 + 20000, 4000, 30000, 0.05 + 0.01 * (d % 5), 0.08));
                if (d % 2)
                    rows.append(row(m_today.addDays(-d), "gpt-5", "openai", 30000, 2000, 10000,
                                    0.03 + 0.005 * (d % 3), 0.01));
                if (d % 3 == 0)
                    rows.append(row(m_today.addDays(-d), "gemini-flash", "gemini", 80000, 5000, 0,
                                    0.0365, 0.0));
            }
            rows.append(row(m_today.addDays(-45), "gpt-5", "openai", 10, 10, -1, 9.0, 0.0));
            QVERIFY2(db.insert(rows, &error), qPrintable(error));
        }
        QSignalSpy changed(&m_gw.host(), &GatewayHost::configChanged);
        QVERIFY(m_gw.configure(R"({"providers":[{"name":"openai","type":"openai","base_url":")" +
                               m_upstream.url(QStringLiteral("/v1")).toUtf8() + R"("}],
                "models":[{"name":"gpt-5","provider":"openai","model":"gpt-5"}],
                "usage":{"budgets":[{"provider":"openai","period":"day","limit":0.2,"hard":true},
                                    {"period":"day","limit":5}]}})"));
        QVERIFY(changed.wait(5000));
        m_gw->setUsageDatabase(m_db);
    }

    // The range decides what is counted: today holds four requests of four providers, the
    // last 30 days more, the custom range exactly its days.
    void ranges()
    {
        UsageWindow w(m_gw.host());
        w.show();
        QCOMPARE(w.range(), UsageWindow::Range::Week);
        w.setRange(UsageWindow::Range::Today);
        QCOMPARE(column(w.providerTable(), 0),
                 (QStringList{"anthropic", "openai", "ollama", "groq"}));
        QCOMPARE(column(w.providerTable(), 1), (QStringList{"1", "1", "1", "1"}));
        QCOMPARE(column(w.providerTable(), 2),
                 (QStringList{"120,000", "40,000", "5,000", "unknown"}));
        QCOMPARE(column(w.providerTable(), 5), (QStringList{"$0.1047", "$0.0555", "$0.00", "–"}));
        QCOMPARE(column(w.providerTable(), 6), (QStringList{"$0.2430", "$0.0225", "–", "–"}));
        QCOMPARE(w.summaryLabel()->text(),
                 // (the English plural forms come from llm-gateway_en.ts, not installed here)
                 QStringLiteral("$0.1602 spent · 4 request(s) · $0.2655 saved by caching · 1 "
                                "without a known price"));
        QCOMPARE(w.chart()->days(), 1);
        QCOMPARE(qRound(w.chart()->dayTotal(QDate::currentDate()) * 10000), 1602);

        // Through the range box, as a user would.
        w.rangeBox()->setCurrentIndex(int(UsageWindow::Range::Month));
        QCOMPARE(w.range(), UsageWindow::Range::Month);
        QCOMPARE(w.chart()->days(), 30);
        QCOMPARE(w.chart()->providers().first(), QStringLiteral("anthropic"));
        QVERIFY(w.chart()->dayTotal(QDate::currentDate().addDays(-3)) > 0);
        QCOMPARE(column(w.modelTable(), 0).first(), QStringLiteral("claude-sonnet"));
        QCOMPARE(column(w.modelTable(), 1).first(), QStringLiteral("20"));
        QVERIFY(!column(w.modelTable(), 0).contains(QStringLiteral("no-such")));
        shoot(&w, QStringLiteral("usage-window"));

        w.setCustomRange(QDate::currentDate().addDays(-3), QDate::currentDate().addDays(-2));
        QCOMPARE(w.range(), UsageWindow::Range::Custom);
        QCOMPARE(w.rangeBox()->currentIndex(), int(UsageWindow::Range::Custom));
        QCOMPARE(w.chart()->days(), 2);
        // day -2: anthropic; day -3: anthropic, gemini ($0.0365), openai ($0.03); by cost
        QCOMPARE(column(w.providerTable(), 0), (QStringList{"anthropic", "gemini", "openai"}));
        QCOMPARE(column(w.providerTable(), 1), (QStringList{"2", "1", "1"}));
        // The 45-day-old request is in no range shown here.
        w.setRange(UsageWindow::Range::Month);
        QVERIFY(!w.summaryLabel()->text().startsWith(u"$9"));
    }

    // The CSV holds the range's requests, one a line, unknown values empty.
    void exportCsv()
    {
        UsageWindow w(m_gw.host());
        w.setRange(UsageWindow::Range::Today);
        const QString path = m_gw.filePath(QStringLiteral("export.csv"));
        QString error;
        QVERIFY2(w.exportCsv(path, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.size(), 6); // header, four requests, the final newline
        QCOMPARE(lines[0], QByteArray("time,client,dialect,model,provider,upstream_model,status,"
                                      "input_tokens,output_tokens,cached_tokens,"
                                      "cache_write_tokens,reasoning_tokens,duration_ms,cost_usd,"
                                      "saved_usd"));
        QVERIFY(lines[1].contains(",claude-sonnet,anthropic,claude-sonnet,200,120000,8000,90000,,,"
                                  "900,0.104700,0.243000"));
        QVERIFY(lines[4].endsWith(",house-model,groq,house-model,200,,,,,,900,,"));
        w.setRange(UsageWindow::Range::Month);
        QVERIFY(w.exportCsv(path, &error));
        f.close(); // the export replaced the file
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), 1 + 4 + 19 + 10 + 6);
    }

    // The config's budgets with what they used this period; edits are saved into the config.
    void budgets()
    {
        UsageWindow w(m_gw.host());
        w.show();
        QCOMPARE(w.budgetTable()->rowCount(), 2);
        QCOMPARE(w.editedBudgets(), m_gw->config().usage.budgets);
        // What the daily budget for all providers used today: $0.1602 of $5.
        QCOMPARE(w.budgetTable()->item(1, 4)->text(), QStringLiteral("$0.1602 (3 %)"));
        w.addBudgetRow(Budget{QStringLiteral("openai"), Budget::Period::Month, 2.5, false});
        QSignalSpy changed(&m_gw.host(), &GatewayHost::configChanged);
        w.saveBudgets();
        QVERIFY(changed.wait(5000));
        QCOMPARE(m_gw->config().usage.budgets.size(), 3);
        QCOMPARE(m_gw->config().usage.budgets[2],
                 (Budget{QStringLiteral("openai"), Budget::Period::Month, 2.5, false}));
        QFile f(m_gw.configPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("\"limit\": 2.5"));
        QCOMPARE(w.budgetTable()->rowCount(), 3); // filled again from the applied config
    }

    // A priced request: into the database (the window shows it), the tray tooltip's spend for
    // today, and over the hard daily budget for openai ($0.20; $0.0555 spent today, and this
    // request costs $0.16875 at gpt-5's $1.25 / $0.125 / $10 per million) a notification and a
    // problem entry in the tray menu.
    void trayAndLiveRequests()
    {
        TrayController tray(m_gw.host(), ListenAddress{});
        QVERIFY2(m_gw.start(), qPrintable(m_gw.error()));
        QCOMPARE(tray.iconName(), QStringLiteral("tray-running"));
        tray.reloadSpentToday();
        QVERIFY2(tray.toolTip().contains(u"Spent today: $0.1602"), qPrintable(tray.toolTip()));
        QSignalSpy notified(&tray, &TrayController::notified);
        QSignalSpy records(&m_gw.host(), &GatewayHost::requestFinished);
        QCOMPARE(m_gw.post("/v1/chat/completions",
                           R"({"model":"gpt-5","messages":[{"role":"user","content":"hi"}]})")
                     ->status,
                 200);
        QVERIFY(records.count() || records.wait(5000));
        QVERIFY(notified.count() || notified.wait(5000));
        QCOMPARE(notified.last().at(0).toString(),
                 QStringLiteral("Budget used up: requests are refused"));
        QVERIFY2(notified.last().at(1).toString().startsWith(u"The daily budget for openai: $0.22"),
                 qPrintable(notified.last().at(1).toString()));
        QVERIFY2(tray.toolTip().contains(u"Spent today: $0.32"), qPrintable(tray.toolTip()));
        QCOMPARE(tray.problemActions().size(), 1);
        QCOMPARE(tray.problemActions().first()->text(),
                 QStringLiteral("openai: budget used up — requests are refused"));
        QCOMPARE(tray.iconName(), QStringLiteral("tray-error"));
        // The next one is refused, in the client's dialect.
        const auto refused =
            m_gw.post("/v1/chat/completions",
                      R"({"model":"gpt-5","messages":[{"role":"user","content":"hi"}]})");
        QCOMPARE(refused->status, 429);

        UsageWindow w(m_gw.host());
        w.setRange(UsageWindow::Range::Today);
        m_gw->stop(); // the writer writes what it holds when the usage database is replaced
        m_gw->setUsageDatabase(m_db);
        QTRY_COMPARE_WITH_TIMEOUT((w.refresh(), column(w.providerTable(), 0).first()),
                                  QStringLiteral("openai"), 5000);
        QCOMPARE(column(w.providerTable(), 1).first(), QStringLiteral("3"));
    }

    // The Models page's price column: the config's override, typed as dollars per million.
    void priceColumnOnTheModelsPage()
    {
        MappingTableModel mappings;
        QAbstractItemModel &model = mappings; // the view's calls, with their default roles
        mappings.setProviders({QStringLiteral("openai")});
        mappings.setMappings({ModelMapping{QStringLiteral("m"),
                                           QStringLiteral("openai"),
                                           QStringLiteral("house-model"),
                                           0,
                                           {},
                                           {},
                                           {}}});
        const QModelIndex price = model.index(0, MappingTableModel::Price);
        QCOMPARE(model.headerData(MappingTableModel::Price, Qt::Horizontal).toString(),
                 QStringLiteral("Price ($/M tokens)"));
        QCOMPARE(model.data(price).toString(), QString());
        QVERIFY(model.setData(price, QStringLiteral("3 / 15 / $0.3 / 3.75")));
        ModelPrice want;
        want.input = 3;
        want.output = 15;
        want.cachedInput = 0.3;
        want.cacheWrite = 3.75;
        QCOMPARE(mappings.mappings().first().price, want);
        QCOMPARE(model.data(price).toString(), QStringLiteral("3 / 15 / 0.3 / 3.75"));
        // Not a price: refused, the cell keeps what it had.
        QVERIFY(!model.setData(price, QStringLiteral("cheap")));
        QVERIFY(!model.setData(price, QStringLiteral("3")));
        QVERIFY(!model.setData(price, QStringLiteral("3 / -1")));
        QCOMPARE(mappings.mappings().first().price, want);
        QVERIFY(model.setData(price, QStringLiteral("1 / 2")));
        QCOMPARE(mappings.mappings().first().price.output, std::optional<double>(2));
        QVERIFY(!mappings.mappings().first().price.cachedInput);
        QVERIFY(model.setData(price, QString()));
        QVERIFY(mappings.mappings().first().price.isEmpty());
    }

    // The window in German and Chinese, for looking at (LLMGW_SCREENSHOT_DIR).
    void translated_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("de") << "de";
        QTest::newRow("zh_CN") << "zh_CN";
    }
    void translated()
    {
        QFETCH(QString, language);
        QVERIFY(language::install(language));
        const auto uninstall = qScopeGuard([] {
            for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
                QCoreApplication::removeTranslator(t);
                delete t;
            }
            QLocale::setDefault(QLocale::c());
        });
        UsageWindow w(m_gw.host());
        w.show();
        w.setRange(UsageWindow::Range::Month);
        QVERIFY(w.windowTitle() != QStringLiteral("Usage — llm-gateway"));
        QVERIFY(w.rangeBox()->currentText() != QStringLiteral("Last 30 days"));
        shoot(&w, QStringLiteral("usage-window-") + language);
    }
};

QTEST_MAIN(TestUsageWindow)
#include "tst_usagewindow.moc"
