// log/requestlog: the `serve` line (e2e tests and users grep it) keeps its exact text, the ring
// keeps the newest records in order, and a record is masked once.

#include "log/adjustmenttext.h"
#include "log/requestlog.h"

#include <QTest>
#include <QTimeZone>

#include <limits>

using namespace gw;
using namespace Qt::StringLiterals;

namespace {

// The line as it was first written, with QString::arg: the reference for its exact text.
QString referenceLine(const RequestRecord &r)
{
    QString s = QStringLiteral("%1 %2 %3 %4")
                    .arg(r.started.toString(Qt::ISODateWithMs), r.client, r.method, r.path);
    if (!r.dialect.isEmpty())
        s += QStringLiteral(" dialect=") + r.dialect;
    if (r.app != ClientApp::Unknown)
        s += QStringLiteral(" app=") + clientAppId(r.app);
    if (!r.model.isEmpty())
        s += QStringLiteral(" model=") + r.model;
    if (!r.provider.isEmpty())
        s += QStringLiteral(" via=%1/%2").arg(r.provider, r.upstreamModel);
    s += QStringLiteral(" %1 %2ms").arg(r.status).arg(r.durationMs);
    if (r.firstTokenMs >= 0)
        s += QStringLiteral(" ttft=%1ms").arg(r.firstTokenMs);
    if (r.promptTokens >= 0 || r.completionTokens >= 0)
        s += QStringLiteral(" tokens=%1/%2")
                 .arg(qMax<qint64>(0, r.promptTokens))
                 .arg(qMax<qint64>(0, r.completionTokens));
    if (r.cachedTokens > 0)
        s += QStringLiteral(" cached=%1").arg(r.cachedTokens);
    if (r.cacheWriteTokens > 0)
        s += QStringLiteral(" cache_write=%1").arg(r.cacheWriteTokens);
    if (r.reasoningTokens > 0)
        s += QStringLiteral(" reasoning=%1").arg(r.reasoningTokens);
    if (r.cost >= 0)
        s += QStringLiteral(" cost=$%1").arg(QString::number(r.cost, 'f', 6));
    if (!r.error.isEmpty())
        s += QStringLiteral(" error=\"%1\"").arg(r.error);
    for (const Adjustment &a : r.adjustments)
        s += QStringLiteral(" adjusted=\"%1\"").arg(adjustmentText(a));
    return s;
}

RequestRecord full()
{
    RequestRecord r;
    r.started = QDateTime(QDate(2026, 12, 3), QTime(7, 5, 9, 42));
    r.client = u"127.0.0.1"_s;
    r.method = u"POST"_s;
    r.path = u"/api/chat"_s;
    r.dialect = u"ollama"_s;
    r.app = ClientApp::Continue;
    r.model = u"gpt-4o"_s;
    r.provider = u"openai"_s;
    r.upstreamModel = u"gpt-4o-2024-08-06"_s;
    r.status = 200;
    r.firstTokenMs = 0;
    r.durationMs = 1234567;
    r.promptTokens = 12;
    r.completionTokens = -1;
    r.cachedTokens = 3;
    r.cacheWriteTokens = 4;
    r.reasoningTokens = 5;
    r.cost = 0.0000125;
    r.error = u"upstream said \"%1 %2\" — ошибка"_s;
    Adjustment a;
    a.rule = Adjustment::Rule::OutOfRange;
    a.field = u"temperature"_s;
    a.asked = u"3"_s;
    a.sent = u"2"_s;
    r.adjustments = {a, a};
    return r;
}

} // namespace

class TstRequestLog : public QObject
{
    Q_OBJECT

private slots:
    void lineKeepsItsText_data()
    {
        QTest::addColumn<RequestRecord>("record");
        const RequestRecord f = full();
        QTest::newRow("every field") << f;
        RequestRecord bare;
        bare.started = QDateTime(QDate(2026, 1, 2), QTime(0, 0));
        bare.client = u"::1"_s;
        bare.method = u"GET"_s;
        bare.path = u"/"_s;
        QTest::newRow("bare") << bare;
        RequestRecord noTime = bare;
        noTime.started = QDateTime();
        QTest::newRow("no time") << noTime;
        RequestRecord utc = f;
        utc.started = QDateTime(QDate(2026, 12, 3), QTime(23, 59, 59, 999), Qt::UTC);
        QTest::newRow("utc") << utc;
        RequestRecord offset = f;
        offset.started = QDateTime(QDate(2026, 12, 3), QTime(1, 2, 3), QTimeZone(3600 * 8));
        QTest::newRow("offset") << offset;
        RequestRecord farFuture = bare;
        farFuture.started = QDateTime(QDate(12026, 1, 1), QTime(1, 1));
        QTest::newRow("year past 9999") << farFuture;
        RequestRecord early = bare;
        early.started = QDateTime(QDate(207, 3, 4), QTime(5, 6, 7, 8));
        QTest::newRow("year below 1000") << early;
        RequestRecord odd = f;
        odd.status = -1;
        odd.durationMs = std::numeric_limits<qint64>::min();
        odd.firstTokenMs = std::numeric_limits<qint64>::max();
        odd.promptTokens = -1;
        odd.completionTokens = 7;
        odd.cost = 0;
        odd.app = ClientApp::Unknown;
        odd.provider.clear();
        QTest::newRow("extremes") << odd;
    }

    void lineKeepsItsText()
    {
        QFETCH(RequestRecord, record);
        QCOMPARE(RequestLog::line(record), referenceLine(record));
    }

    void lineText()
    {
        QCOMPARE(RequestLog::line(full()),
                 u"2026-12-03T07:05:09.042 127.0.0.1 POST /api/chat dialect=ollama app=continue "
                 "model=gpt-4o via=openai/gpt-4o-2024-08-06 200 1234567ms ttft=0ms tokens=12/0 "
                 "cached=3 cache_write=4 reasoning=5 cost=$0.000013 "
                 "error=\"upstream said \"%1 %2\" — ошибка\""_s +
                     u" adjusted=\""_s + adjustmentText(full().adjustments[0]) + u"\""_s +
                     u" adjusted=\""_s + adjustmentText(full().adjustments[0]) + u"\""_s);
    }

    void ringKeepsTheNewestInOrder()
    {
        RequestLog log(3);
        for (quint64 id = 1; id <= 7; ++id) {
            RequestRecord r;
            r.id = id;
            log.append(r);
        }
        QCOMPARE(log.total(), 7u);
        const QList<RequestRecord> rs = log.records();
        QCOMPARE(rs.size(), 3);
        QCOMPARE(rs[0].id, 5u);
        QCOMPARE(rs[1].id, 6u);
        QCOMPARE(rs[2].id, 7u);
        log.clear();
        QVERIFY(log.records().isEmpty());
    }

    void maskedOnce()
    {
        RequestRecord r;
        r.requestBody = "{\"key\":\"sk-abcdefghijkl\"}";
        r.responseBody = "plain";
        r.error = u"Bearer abcdefghij"_s;
        const RequestRecord m = RequestLog::redacted(r);
        QVERIFY(m.redacted);
        QCOMPARE(m.requestBody, QByteArray("{\"key\":\"sk-[redacted]\"}"));
        QCOMPARE(m.responseBody, QByteArray("plain"));
        QCOMPARE(m.error, u"Bearer [redacted]"_s);
        RequestRecord again = m;
        again.requestBody = "sk-abcdefghijkl"; // already masked: left as it is
        QCOMPARE(RequestLog::redacted(again).requestBody, again.requestBody);
    }
};

QTEST_GUILESS_MAIN(TstRequestLog)
#include "tst_requestlog.moc"
