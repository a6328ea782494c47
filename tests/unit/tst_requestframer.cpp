// RequestFramer: where requests on one connection begin and end, fed in every split a network
// can produce, and what it refuses (the input Qt 6.4's parser would misread).

#include "http/requestframer.h"

#include <QTest>

using namespace gw;

namespace {

struct Seen
{
    QList<QByteArray> heads; // method + ' ' + target per head
    QList<qint64> ends;      // stream offsets where messages ended
    QList<bool> http10;
    QList<bool> expectContinue;
    int errorStatus = 0;
    QString errorMessage;
};

// Feeds `stream` cut at each index in `cuts` (ascending) and returns what the framer saw.
Seen run(const QByteArray &stream, const QList<qsizetype> &cuts = {}, qint64 maxBody = 1 << 20)
{
    Seen s;
    RequestFramer f(64 * 1024, maxBody);
    f.onHead = [&](const RequestFramer::Head &h) {
        s.heads.append(h.method + ' ' + h.target);
        s.expectContinue.append(h.expectContinue);
    };
    f.onMessage = [&](const RequestFramer::Head &h, qint64 end) {
        s.ends.append(end);
        s.http10.append(h.http10);
    };
    f.onError = [&](const RequestFramer::Error &e) {
        s.errorStatus = e.status;
        s.errorMessage = e.message;
    };
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        f.feed(QByteArrayView(stream).sliced(from, cut - from));
        from = cut;
    }
    f.feed(QByteArrayView(stream).sliced(from));
    return s;
}

const QByteArray kChunked =
    "POST /api/chat HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n";
const QByteArray kNext = "GET /api/version HTTP/1.1\r\nHost: x\r\n\r\n";

} // namespace

class TstRequestFramer : public QObject
{
    Q_OBJECT

private slots:
    void chunkedBodyEndsWhereItEnds()
    {
        const Seen s = run(kChunked + kNext);
        QCOMPARE(s.errorStatus, 0);
        QCOMPARE(s.heads, (QList<QByteArray>{"POST /api/chat", "GET /api/version"}));
        QCOMPARE(s.ends, (QList<qint64>{kChunked.size(), kChunked.size() + kNext.size()}));
    }

    void chunkedBodySplitAnywhere()
    {
        // One cut at every index, then two cuts at every pair of indexes in the body's tail
        // (where the terminator lives): the same boundaries every time.
        const QByteArray stream = kChunked + kNext;
        const QList<qint64> expected{kChunked.size(), stream.size()};
        for (qsizetype i = 1; i < stream.size(); ++i) {
            const Seen s = run(stream, {i});
            // The one split Qt cannot read: the final CR alone, then LF and the next request.
            if (i == kChunked.size() - 1) {
                QCOMPARE(s.errorStatus, 400);
                continue;
            }
            QVERIFY2(s.errorStatus == 0 && s.ends == expected, qPrintable(QString::number(i)));
        }
        for (qsizetype i = kChunked.size() - 12; i < kChunked.size(); ++i)
            for (qsizetype j = i + 1; j <= kChunked.size(); ++j) {
                const Seen s = run(stream, {i, j});
                const bool crAlone = j == kChunked.size() - 1; // then LF + next request
                QVERIFY2(crAlone ? s.errorStatus == 400 : s.ends == expected,
                         qPrintable(QStringLiteral("%1 %2").arg(i).arg(j)));
            }
    }

    void byteByByte()
    {
        const QByteArray stream = kChunked + kNext;
        QList<qsizetype> cuts;
        for (qsizetype i = 1; i < stream.size(); ++i)
            cuts.append(i);
        // Byte by byte the final LF arrives alone, so nothing follows it in its read: fine.
        const Seen s = run(stream, cuts);
        QCOMPARE(s.errorStatus, 0);
        QCOMPARE(s.ends, (QList<qint64>{kChunked.size(), stream.size()}));
    }

    void trailersAreRefused()
    {
        const QByteArray withTrailer = "POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: "
                                       "chunked\r\n\r\n2\r\nhi\r\n0\r\nX-Checksum: 1\r\n\r\n";
        for (qsizetype i = 1; i < withTrailer.size(); ++i) {
            const Seen s = run(withTrailer, {i});
            QCOMPARE(s.errorStatus, 400);
            QVERIFY(s.errorMessage.contains(QStringLiteral("trailer")));
            QVERIFY(s.ends.isEmpty());
        }
    }

    void badChunkFramingIsRefused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("not hex") << QByteArray("zz\r\nhello\r\n0\r\n\r\n");
        QTest::newRow("LF only") << QByteArray("5\nhello\n0\n\n");
        QTest::newRow("no CRLF after data") << QByteArray("5\r\nhelloXY0\r\n\r\n");
        QTest::newRow("empty size") << QByteArray("\r\n5\r\nhello\r\n0\r\n\r\n");
    }
    void badChunkFramingIsRefused()
    {
        QFETCH(QByteArray, body);
        const Seen s = run("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        QCOMPARE(s.errorStatus, 400);
        QVERIFY(s.ends.isEmpty());
    }

    void chunkedBodyOverTheLimit()
    {
        const Seen s = run("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "400\r\n",
                           {}, 1000);
        QCOMPARE(s.errorStatus, 413);
    }

    void contentLengthAndPipelining()
    {
        const QByteArray a = "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
        const QByteArray b = "\r\nGET /b HTTP/1.0\r\n\r\n"; // a stray CRLF between, as Qt allows
        const QByteArray c = "POST /c HTTP/1.1\nContent-Length: 2\nExpect: 100-continue\n\nok";
        const QByteArray stream = a + b + c;
        for (qsizetype i = 1; i < stream.size(); ++i) {
            const Seen s = run(stream, {i});
            QCOMPARE(s.heads, (QList<QByteArray>{"POST /a", "GET /b", "POST /c"}));
            QCOMPARE(s.ends, (QList<qint64>{a.size(), a.size() + b.size(), stream.size()}));
            QCOMPARE(s.http10, (QList<bool>{false, true, false}));
            QCOMPARE(s.expectContinue, (QList<bool>{false, false, true}));
        }
    }

    void malformedInputIsRefused_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<int>("status");
        QTest::newRow("request line") << QByteArray("GARBAGE\r\n\r\n") << 400;
        QTest::newRow("protocol") << QByteArray("GET / HTTX/1.1\r\n\r\n") << 400;
        QTest::newRow("content-length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\n") << 400;
        QTest::newRow("field name") << QByteArray("GET / HTTP/1.1\r\nBad Name: 1\r\n\r\n") << 400;
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nnocolon\r\n\r\n") << 400;
        QByteArray many = "GET / HTTP/1.1\r\n";
        for (int i = 0; i <= RequestFramer::kQtMaxFields; ++i)
            many += "X-" + QByteArray::number(i) + ": 1\r\n";
        QTest::newRow("101 fields") << many + "\r\n" << 431;
        QTest::newRow("a field over 8 KiB")
            << "GET / HTTP/1.1\r\nX-Big: " + QByteArray(9000, 'a') + "\r\n\r\n"
            << 431;
        QTest::newRow("head over the limit")
            << "GET / HTTP/1.1\r\n" + QByteArray(70000, 'a') << 431;
        QTest::newRow("body over the limit")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n") << 413;
    }
    void malformedInputIsRefused()
    {
        QFETCH(QByteArray, stream);
        QFETCH(int, status);
        QCOMPARE(run(stream).errorStatus, status);
    }

    void foldedHeadersAndLimitsAtTheEdge()
    {
        QByteArray head = "GET / HTTP/1.1\r\nX-Folded: a\r\n b\r\n";
        for (int i = 1; i < RequestFramer::kQtMaxFields; ++i)
            head += "X-" + QByteArray::number(i) + ": 1\r\n";
        const Seen s = run(head + "\r\n");
        QCOMPARE(s.errorStatus, 0);
        QCOMPARE(s.ends.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TstRequestFramer)
#include "tst_requestframer.moc"
