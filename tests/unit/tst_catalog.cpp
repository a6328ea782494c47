#include "config/knownmodels.h"
#include "config/modelcatalog.h"

#include <QTest>

using namespace gw;

class TstCatalog : public QObject
{
    Q_OBJECT

    ModelCatalog catalog()
    {
        Config c;
        c.providers.append({QStringLiteral("openai"), QStringLiteral("openai"), {}, {}});
        c.providers.append({QStringLiteral("HF"), QStringLiteral("huggingface"), {}, {}});
        c.models.append({QStringLiteral("GPT-4o"),
                         QStringLiteral("openai"),
                         QStringLiteral("gpt-4o"),
                         0,
                         {},
                         {}});
        c.models.append({QStringLiteral("tiny:q4"),
                         QStringLiteral("openai"),
                         QStringLiteral("gpt-4o-mini"),
                         4096,
                         {QStringLiteral("completion")},
                         {}});
        return ModelCatalog(c, QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC));
    }

private slots:
    void resolvesCaseInsensitivelyWithLatestImplied_data()
    {
        QTest::addColumn<QString>("asked");
        QTest::addColumn<QString>("upstream");
        QTest::newRow("exact") << "GPT-4o"
                               << "gpt-4o";
        QTest::newRow("lower") << "gpt-4o"
                               << "gpt-4o";
        QTest::newRow(":latest") << "gpt-4o:latest"
                                 << "gpt-4o";
        QTest::newRow(":LATEST upper") << "Gpt-4O:Latest"
                                       << "gpt-4o";
        QTest::newRow("explicit tag") << "tiny:q4"
                                      << "gpt-4o-mini";
        QTest::newRow("echo built in") << "echo"
                                       << "echo";
        QTest::newRow("echo:latest") << "echo:latest"
                                     << "echo";
        QTest::newRow("provider/model") << "openai/gpt-4.1"
                                        << "gpt-4.1";
        QTest::newRow("provider/model:latest") << "openai/o3:latest"
                                               << "o3";
        QTest::newRow("provider case") << "OpenAI/gpt-4.1"
                                       << "gpt-4.1";
        QTest::newRow("hf id with provider tag") << "hf/meta-llama/Llama-3.1-8B:novita"
                                                 << "meta-llama/Llama-3.1-8B:novita";
    }
    void resolvesCaseInsensitivelyWithLatestImplied()
    {
        QFETCH(QString, asked);
        QFETCH(QString, upstream);
        const auto m = catalog().resolve(asked);
        QVERIFY(m);
        QCOMPARE(m->upstreamModel, upstream);
    }

    void unknownNames_data()
    {
        QTest::addColumn<QString>("asked");
        QTest::newRow("unknown") << "llama3";
        QTest::newRow("wrong tag") << "tiny:q8";
        QTest::newRow("tag not implied when explicit") << "tiny";
        QTest::newRow("unknown provider") << "nobody/gpt-4o";
        QTest::newRow("empty model") << "openai/";
        QTest::newRow("empty") << "";
    }
    void unknownNames()
    {
        QFETCH(QString, asked);
        QVERIFY(!catalog().resolve(asked));
    }

    void infoFromTableAndOverrides()
    {
        const auto gpt = catalog().resolve(QStringLiteral("gpt-4o"));
        QCOMPARE(gpt->provider, QStringLiteral("openai"));
        QCOMPARE(gpt->providerType, QStringLiteral("openai"));
        QCOMPARE(gpt->family, QStringLiteral("gpt-4o")); // Copilot's family names
        QCOMPARE(gpt->contextLength, 128000);
        QVERIFY(gpt->has(QStringLiteral("vision")));
        QCOMPARE(gpt->name, QStringLiteral("GPT-4o"));
        QCOMPARE(gpt->modifiedAt.toSecsSinceEpoch(), 1700000000);
        const auto tiny = catalog().resolve(QStringLiteral("tiny:q4"));
        QCOMPARE(tiny->contextLength, 4096);
        QCOMPARE(tiny->capabilities, QStringList{QStringLiteral("completion")});
        const auto direct = catalog().resolve(QStringLiteral("openai/gpt-4o"));
        QCOMPARE(direct->name, QStringLiteral("openai/gpt-4o"));
    }

    void listsMappingsThenEcho()
    {
        const auto models = catalog().models();
        QCOMPARE(models.size(), 3);
        QCOMPARE(models[0].name, QStringLiteral("GPT-4o"));
        QCOMPARE(models[2].name, QStringLiteral("echo"));
    }

    void discoveredModelsAreListedAndReplaced()
    {
        ModelCatalog c = catalog();
        c.setDiscovered(QStringLiteral("openai"), {QStringLiteral("gpt-5"), QStringLiteral("o3")});
        QCOMPARE(c.models().size(), 5);
        QVERIFY(c.resolve(QStringLiteral("openai/gpt-5:latest")));
        c.setDiscovered(QStringLiteral("openai"), {QStringLiteral("o4-mini")});
        QCOMPARE(c.models().size(), 4);
        QCOMPARE(c.models().last().name, QStringLiteral("openai/o4-mini"));
        c.setDiscovered(QStringLiteral("nobody"), {QStringLiteral("x")});
        QCOMPARE(c.models().size(), 4);
    }

    void knownModels_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("family");
        QTest::addColumn<qint64>("context");
        QTest::addColumn<QString>("capability");
        QTest::newRow("longest prefix wins") << "gpt-4o-mini"
                                             << "gpt" << qint64(128000) << "vision";
        QTest::newRow("claude 3.5 no thinking") << "claude-3-5-haiku-latest"
                                                << "claude" << qint64(200000) << "tools";
        QTest::newRow("gemini") << "models/gemini-2.5-flash"
                                << "gemini" << qint64(1048576) << "thinking";
        QTest::newRow("hf id") << "meta-llama/Llama-3.1-8B-Instruct:novita"
                               << "llama" << qint64(131072) << "tools";
        QTest::newRow("embedding") << "text-embedding-3-small"
                                   << "bert" << qint64(8191) << "embedding";
        QTest::newRow("unknown") << "acme-ultra-2"
                                 << "acme" << qint64(32768) << "completion";
    }
    void knownModels()
    {
        QFETCH(QString, id);
        QFETCH(QString, family);
        QFETCH(qint64, context);
        QFETCH(QString, capability);
        const KnownModel k = KnownModels::lookup(id);
        QCOMPARE(k.family, family);
        QCOMPARE(k.contextLength, context);
        QVERIFY2(k.capabilities.contains(capability), qPrintable(k.capabilities.join(u',')));
    }

    void clientFamilies_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("family");
        QTest::newRow("claude dated") << "claude-sonnet-4-5-20250929"
                                      << "claude-sonnet-4-5";
        QTest::newRow("openrouter") << "anthropic/claude-opus-4.5"
                                    << "claude-opus-4.5";
        QTest::newRow("gpt-5 codex") << "gpt-5.1-codex"
                                     << "gpt-5.1-codex";
        QTest::newRow("gpt dated") << "gpt-4o-2024-08-06"
                                   << "gpt-4o";
        QTest::newRow("o-series") << "o3-mini"
                                  << "o3-mini";
        QTest::newRow("gemini") << "models/gemini-2.5-pro"
                                << "gemini-2.5-pro";
        QTest::newRow("gemini pinned") << "gemini-1.5-pro-001"
                                       << "gemini-1.5-pro";
        QTest::newRow("claude latest") << "claude-3-5-haiku-latest"
                                       << "claude-3-5-haiku";
        QTest::newRow("open weights keep the architecture") << "meta-llama/Llama-3.1-8B-Instruct"
                                                            << "llama";
        QTest::newRow("gpt-oss is Ollama's gptoss") << "gpt-oss:120b"
                                                    << "gptoss";
    }
    void clientFamilies()
    {
        QFETCH(QString, id);
        QFETCH(QString, family);
        QCOMPARE(KnownModels::clientFamily(id, KnownModels::lookup(id).family), family);
    }

    void thinkingOnlyWhereKnown()
    {
        QVERIFY(!KnownModels::lookup(QStringLiteral("claude-3-5-sonnet"))
                     .capabilities.contains(QStringLiteral("thinking")));
        QVERIFY(KnownModels::lookup(QStringLiteral("claude-sonnet-4-5"))
                    .capabilities.contains(QStringLiteral("thinking")));
        QCOMPARE(KnownModels::lookup(QStringLiteral("text-embedding-3-large")).embeddingLength,
                 3072);
    }
};

QTEST_GUILESS_MAIN(TstCatalog)
#include "tst_catalog.moc"
