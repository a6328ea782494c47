// UpstreamCall::parseRetryAfter: Retry-After in seconds or as an HTTP date, retry-after-ms first.

#include "net/upstreamcall.h"

#include <QDateTime>
#include <QTest>

using namespace gw;

class TstUpstreamCall : public QObject
{
    Q_OBJECT

private slots:
    void retryAfterParsing()
    {
        QCOMPARE(UpstreamCall::parseRetryAfter("7", {}), 7);
        QCOMPARE(UpstreamCall::parseRetryAfter("1.2", {}), 2);
        QCOMPARE(UpstreamCall::parseRetryAfter("3", "1500"), 2); // -ms wins
        QCOMPARE(UpstreamCall::parseRetryAfter({}, {}), 0);
        const QByteArray date =
            QDateTime::currentDateTimeUtc().addSecs(30).toString(Qt::RFC2822Date).toLatin1();
        QVERIFY(qAbs(UpstreamCall::parseRetryAfter(date, {}) - 30) <= 1);
    }
};

QTEST_GUILESS_MAIN(TstUpstreamCall)
#include "tst_upstreamcall.moc"
