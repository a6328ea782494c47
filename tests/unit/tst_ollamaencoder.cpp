#include "api/ollama/ollamaencoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>
#include <QThread>
#include <QTimeZone>

using namespace gw;

class TstOllamaEncoder : public QObject
{
    Q_OBJECT

    static ModelInfo gpt()
    {
        ModelInfo m;
        m.name = QStringLiteral("gpt-4o");
        m.provider = QStringLiteral("openai");
        m.upstreamModel = QStringLiteral("gpt-4o");
        m.family = QStringLiteral("gpt");
        m.capabilities = {QStringLiteral("completion"), QStringLiteral("tools"),
                          QStringLiteral("vision")};
        m.contextLength = 128000;
        m.modifiedAt = QDateTime(QDate(2026, 8, 21), QTime(10, 0), QTimeZone(-7 * 3600));
        return m;
    }

private slots:
    void listedNames()
    {
        QCOMPARE(OllamaEncoder::listedName(QStringLiteral("gpt-4o")),
                 QStringLiteral("gpt-4o:latest"));
        QCOMPARE(OllamaEncoder::listedName(QStringLiteral("tiny:q4")), QStringLiteral("tiny:q4"));
        QCOMPARE(OllamaEncoder::listedName(QStringLiteral("hf/org/m:novita")),
                 QStringLiteral("hf/org/m:novita"));
        QCOMPARE(OllamaEncoder::listedName(QStringLiteral("host:5000/m")),
                 QStringLiteral("host:5000/m:latest"));
    }

    void timestampsCarryAnOffset()
    {
        QCOMPARE(OllamaEncoder::timestamp(gpt().modifiedAt),
                 QStringLiteral("2026-08-21T10:00:00.000-07:00"));
        const QString utc = OllamaEncoder::nowUtc();
        QVERIFY2(QRegularExpression(
                     QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"))
                     .match(utc)
                     .hasMatch(),
                 qPrintable(utc));
        // The cached fast path must read back as the time it was made, across second changes.
        for (int i = 0; i < 150; ++i) {
            const qint64 before = QDateTime::currentMSecsSinceEpoch();
            const QString now = OllamaEncoder::nowUtc();
            const qint64 after = QDateTime::currentMSecsSinceEpoch();
            const QDateTime parsed = QDateTime::fromString(now, Qt::ISODateWithMs);
            QVERIFY2(parsed.isValid() && parsed.toMSecsSinceEpoch() >= before &&
                         parsed.toMSecsSinceEpoch() <= after,
                     qPrintable(now));
            QCOMPARE(now, OllamaEncoder::timestamp(
                              QDateTime::fromMSecsSinceEpoch(parsed.toMSecsSinceEpoch(), Qt::UTC)));
            QThread::usleep(7000);
        }
        const QString local = OllamaEncoder::timestamp(QDateTime::currentDateTime());
        QVERIFY2(
            QRegularExpression(QStringLiteral("(Z|[+-]\\d\\d:\\d\\d)$")).match(local).hasMatch(),
            qPrintable(local));
    }

    // Zed's strict serde types and Copilot's key on `model` need every one of these.
    void tagsEntryHasEveryFieldClientsNeed()
    {
        const QJsonObject e = OllamaEncoder::tagsEntry(gpt());
        QCOMPARE(e.value(QStringLiteral("name")).toString(), QStringLiteral("gpt-4o:latest"));
        QCOMPARE(e.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-4o:latest"));
        QVERIFY(e.value(QStringLiteral("size")).isDouble());
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$"))
                    .match(e.value(QStringLiteral("digest")).toString())
                    .hasMatch());
        QVERIFY(e.value(QStringLiteral("modified_at")).isString());
        const QJsonObject d = e.value(QStringLiteral("details")).toObject();
        for (const char *k :
             {"parent_model", "format", "family", "parameter_size", "quantization_level"})
            QVERIFY2(d.value(QLatin1StringView(k)).isString(), k);
        QCOMPARE(d.value(QStringLiteral("families")).toArray().first().toString(),
                 QStringLiteral("gpt"));
        QCOMPARE(e.value(QStringLiteral("capabilities")).toArray().size(), 3);
        QVERIFY(!e.contains(QStringLiteral("remote_host"))); // the CLI would treat it as remote
    }

    void showHasCapabilitiesAndContextLength()
    {
        const QJsonObject s = OllamaEncoder::show(gpt(), QStringLiteral("gpt-4o"), false);
        const QJsonObject info = s.value(QStringLiteral("model_info")).toObject();
        QCOMPARE(info.value(QStringLiteral("general.architecture")).toString(),
                 QStringLiteral("gpt"));
        QCOMPARE(info.value(QStringLiteral("gpt.context_length")).toInteger(), 128000);
        QCOMPARE(info.value(QStringLiteral("general.basename")).toString(),
                 QStringLiteral("gpt-4o"));
        QVERIFY(
            s.value(QStringLiteral("capabilities")).toArray().contains(QStringLiteral("tools")));
        QVERIFY(s.value(QStringLiteral("details")).isObject());
        // Continue's parser: ^(\S+)\s+((?:".*")|\S+)$ per line, num_ctx read as the context.
        const QString params = s.value(QStringLiteral("parameters")).toString();
        const auto m =
            QRegularExpression(QStringLiteral("^(\\S+)\\s+((?:\".*\")|\\S+)$")).match(params);
        QVERIFY2(m.hasMatch(), qPrintable(params));
        QCOMPARE(m.captured(1), QStringLiteral("num_ctx"));
        QCOMPARE(m.captured(2), QStringLiteral("128000"));
        QCOMPARE(params.indexOf(QStringLiteral("128000")), 31); // Go's "%-30s %v"
        QVERIFY(
            !s.value(QStringLiteral("template")).toString().contains(QStringLiteral(".Suffix")));
        QVERIFY(s.value(QStringLiteral("modelfile"))
                    .toString()
                    .contains(QStringLiteral("FROM gpt-4o:latest")));
    }

    void showForCopilotUsesTheRequestedName()
    {
        const QJsonObject s = OllamaEncoder::show(gpt(), QStringLiteral("GPT-4o:latest"), true);
        QCOMPARE(s.value(QStringLiteral("model_info"))
                     .toObject()
                     .value(QStringLiteral("general.basename"))
                     .toString(),
                 QStringLiteral("GPT-4o:latest"));
    }

    void fimModelsAdvertiseSuffix()
    {
        ModelInfo m = gpt();
        m.capabilities.append(QStringLiteral("insert"));
        QVERIFY(OllamaEncoder::show(m, m.name, false)
                    .value(QStringLiteral("template"))
                    .toString()
                    .contains(QStringLiteral(".Suffix")));
    }

    void toolCallShape()
    {
        ToolCall c{QStringLiteral("call_ab"), QStringLiteral("f"),
                   QJsonObject{{QStringLiteral("a"), 1}}, 2};
        const QJsonObject o = OllamaEncoder::toolCall(c);
        QCOMPARE(o.value(QStringLiteral("id")).toString(), QStringLiteral("call_ab"));
        const QJsonObject fn = o.value(QStringLiteral("function")).toObject();
        QCOMPARE(fn.value(QStringLiteral("index")).toInt(), 2);
        QVERIFY(fn.value(QStringLiteral("arguments")).isObject()); // never a string natively
    }

    void errorsAndReasons()
    {
        QCOMPARE(OllamaEncoder::error(QStringLiteral("a \"b\"\n")),
                 QByteArray("{\"error\":\"a \\\"b\\\"\\n\"}"));
        QCOMPARE(QByteArray(OllamaEncoder::doneReason(FinishReason::Length)), QByteArray("length"));
        QCOMPARE(QByteArray(OllamaEncoder::doneReason(FinishReason::ToolCalls)),
                 QByteArray("stop"));
        QCOMPARE(QByteArray(OllamaEncoder::doneReason(FinishReason::ContentFilter)),
                 QByteArray("stop"));
    }
};

QTEST_GUILESS_MAIN(TstOllamaEncoder)
#include "tst_ollamaencoder.moc"
