// RequestFramer: the requests on one connection, fed in every split a network can produce, and
// what it refuses.

#include "http/requestframer.h"

#include <QTest>
#include <QUrl>
#include <QUrlQuery>

using namespace gw;

namespace {

struct Seen
{
    QList<QByteArray> heads; // method + ' ' + target per head
    QList<qint64> ends;      // stream offsets where messages ended
    QList<bool> http10;
    QList<HttpRequest> requests;
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
    f.onMessage = [&](RequestFramer::Message &m) {
        s.ends.append(m.end);
        s.http10.append(m.http10);
        s.requests.append(m.request);
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
        // (where the terminator lives): the same requests every time. (Qt's parser, which this
        // server used before, lost a byte when the final CR came alone and the LF came with the
        // next request; that split was refused then.)
        const QByteArray stream = kChunked + kNext;
        const QList<qint64> expected{kChunked.size(), stream.size()};
        const QByteArray body = "hello"
                                "abcdefghijklmnopqrstuvwxyz";
        for (qsizetype i = 1; i < stream.size(); ++i) {
            const Seen s = run(stream, {i});
            QVERIFY2(s.errorStatus == 0 && s.ends == expected, qPrintable(QString::number(i)));
            QCOMPARE(s.requests.first().body, body);
        }
        for (qsizetype i = kChunked.size() - 12; i < kChunked.size(); ++i)
            for (qsizetype j = i + 1; j <= kChunked.size(); ++j) {
                const Seen s = run(stream, {i, j});
                QVERIFY2(s.errorStatus == 0 && s.ends == expected,
                         qPrintable(QStringLiteral("%1 %2").arg(i).arg(j)));
                QCOMPARE(s.requests.first().body, body);
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
        for (int i = 0; i <= RequestFramer::kMaxFields; ++i)
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
        for (int i = 1; i < RequestFramer::kMaxFields; ++i)
            head += "X-" + QByteArray::number(i) + ": 1\r\n";
        const Seen s = run(head + "\r\n");
        QCOMPARE(s.errorStatus, 0);
        QCOMPARE(s.ends.size(), 1);
    }

    // What the server used to get from Qt's parser, it now gets from the framer.
    void headersKeepTheirValuesWithNamesLowerCased()
    {
        const Seen s = run("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1:11434\r\n"
                           "AUTHORIZATION:Bearer Ab+/=\r\nX-Mixed-Case:  two  words \t\r\n"
                           "Accept: a\r\nAccept: b\r\nX-Empty:\r\nContent-Length: 2\r\n\r\nhi");
        QCOMPARE(s.errorStatus, 0);
        QCOMPARE(s.requests.size(), 1);
        const HttpRequest &r = s.requests.first();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.path, QStringLiteral("/api/chat"));
        QCOMPARE(r.body, QByteArray("hi"));
        const QList<QPair<QByteArray, QByteArray>> expected{{"host", "127.0.0.1:11434"},
                                                            {"authorization", "Bearer Ab+/="},
                                                            {"x-mixed-case", "two  words"},
                                                            {"accept", "a"},
                                                            {"accept", "b"},
                                                            {"x-empty", ""},
                                                            {"content-length", "2"}};
        QCOMPARE(r.headers, expected);
        // A repeated field keeps every value, in order; header() gives the first.
        QCOMPARE(r.header("accept"), QByteArray("a"));
        QCOMPARE(r.header("authorization"), QByteArray("Bearer Ab+/="));
    }

    void foldedLinesAreJoined()
    {
        const Seen s = run("GET / HTTP/1.1\r\nX-Folded: a\r\n  b\r\n\tc\r\nX-After: 1\r\n\r\n");
        QCOMPARE(s.errorStatus, 0);
        QCOMPARE(s.requests.first().header("x-folded"), QByteArray("a b c"));
        QCOMPARE(s.requests.first().header("x-after"), QByteArray("1"));
    }

    // The path is percent-decoded as Qt's QUrl::path() did for the server before (the table
    // checks both), the query parsed, a fragment dropped.
    void pathIsPercentDecodedAsQtDid_data()
    {
        QTest::addColumn<QByteArray>("target");
        for (const char *t : {"/api/chat",
                              "/v1/models/echo%2Ftiny-1",
                              "/v1/models/a%2fb",
                              "/a%20b",
                              "/a%25b",
                              "/a%zzb",
                              "/a%2",
                              "/a%",
                              "/%C3%A9t%C3%A9",
                              "/a+b",
                              "/a%3Fb",
                              "/a%23b",
                              "/%5B%5D",
                              "/%3A%40",
                              "/\xc3\xa9",
                              "/%E9x",
                              "/\xe9",
                              "/a?x=%20y&z",
                              "/a?",
                              "/a#f",
                              "/a?q=1#f",
                              "/a/../b",
                              "/..%2Fetc",
                              "/v1/models/org%2Fname%3Av1?a=1&a=2&b=%26",
                              "http://127.0.0.1:11434/api/tags?x=1",
                              "HTTPS://h/v1/models",
                              "*"})
            QTest::newRow(t) << QByteArray(t);
    }
    void pathIsPercentDecodedAsQtDid()
    {
        QFETCH(QByteArray, target);
        const Seen s = run("GET " + target + " HTTP/1.1\r\n\r\n");
        QCOMPARE(s.errorStatus, 0);
        QCOMPARE(s.requests.size(), 1);
        const QUrl qt = QUrl::fromEncoded(target);
        QCOMPARE(s.requests.first().path, qt.path());
        QCOMPARE(s.requests.first().query.toString(QUrl::FullyEncoded),
                 QUrlQuery(qt).toString(QUrl::FullyEncoded));
        QCOMPARE(s.heads.first(), "GET " + target);
    }

    void queryIsParsed()
    {
        const Seen s = run("GET /v1/models?limit=10&after=a%20b&flag&x=%26 HTTP/1.1\r\n\r\n");
        const QUrlQuery &q = s.requests.first().query;
        QCOMPARE(s.requests.first().path, QStringLiteral("/v1/models"));
        QCOMPARE(q.queryItemValue(QStringLiteral("limit")), QStringLiteral("10"));
        QCOMPARE(q.queryItemValue(QStringLiteral("after")), QStringLiteral("a b"));
        QVERIFY(q.hasQueryItem(QStringLiteral("flag")));
        QCOMPARE(q.queryItemValue(QStringLiteral("x"), QUrl::FullyDecoded), QStringLiteral("&"));
        QVERIFY(run("GET /v1/models HTTP/1.1\r\n\r\n").requests.first().query.isEmpty());
    }

    // Every request of a pipelined stream, whole (method, path, headers, body), whether it came
    // in one read, byte by byte or in reads of every other size.
    void requestsAreWholeHoweverTheBytesArrive()
    {
        const QByteArray json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                                "\"h\u00e9llo\"}]}";
        const QByteArray stream =
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: " +
            QByteArray::number(json.size()) + "\r\n\r\n" + json + kChunked + kNext;
        for (qsizetype step = 1; step <= stream.size(); ++step) {
            QList<qsizetype> cuts;
            for (qsizetype i = step; i < stream.size(); i += step)
                cuts.append(i);
            const Seen s = run(stream, cuts);
            QCOMPARE(s.errorStatus, 0);
            QCOMPARE(s.requests.size(), 3);
            QCOMPARE(s.requests[0].method, QByteArray("POST"));
            QCOMPARE(s.requests[0].path, QStringLiteral("/v1/chat/completions"));
            QCOMPARE(s.requests[0].header("content-type"), QByteArray("application/json"));
            QCOMPARE(s.requests[0].body, json);
            QCOMPARE(s.requests[1].path, QStringLiteral("/api/chat"));
            QCOMPARE(s.requests[1].body, QByteArray("helloabcdefghijklmnopqrstuvwxyz"));
            QCOMPARE(s.requests[2].method, QByteArray("GET"));
            QCOMPARE(s.requests[2].path, QStringLiteral("/api/version"));
            QVERIFY(s.requests[2].body.isEmpty());
            QCOMPARE(s.requests[2].headers.size(), 1);
        }
    }

    void aLargeBodyOverManyReads()
    {
        QByteArray body;
        for (int i = 0; body.size() < 300000; ++i)
            body += QByteArray::number(i) + ',';
        const QByteArray stream =
            "POST /api/chat HTTP/1.1\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n\r\n" + body + kNext;
        QList<qsizetype> cuts;
        for (qsizetype i = 1000; i < stream.size(); i += 1000 + cuts.size() % 7)
            cuts.append(i);
        const Seen s = run(stream, cuts);
        QCOMPARE(s.errorStatus, 0);
        QCOMPARE(s.requests.size(), 2);
        QCOMPARE(s.requests[0].body, body);
        QCOMPARE(s.ends, (QList<qint64>{stream.size() - kNext.size(), stream.size()}));
    }

    void contentLengthMustBeOneNumber_data()
    {
        QTest::addColumn<QByteArray>("fields");
        QTest::addColumn<int>("status");
        QTest::newRow("sign") << QByteArray("Content-Length: +2\r\n") << 400;
        QTest::newRow("negative") << QByteArray("Content-Length: -1\r\n") << 400;
        QTest::newRow("empty") << QByteArray("Content-Length:\r\n") << 400;
        QTest::newRow("hex") << QByteArray("Content-Length: 0x2\r\n") << 400;
        QTest::newRow("list") << QByteArray("Content-Length: 2, 2\r\n") << 400;
        QTest::newRow("two that differ")
            << QByteArray("Content-Length: 2\r\nContent-Length: 3\r\n") << 400;
        QTest::newRow("two the same")
            << QByteArray("Content-Length: 2\r\ncontent-length: 2\r\n") << 0;
        QTest::newRow("huge") << QByteArray("Content-Length: 99999999999999999999\r\n") << 400;
    }
    void contentLengthMustBeOneNumber()
    {
        QFETCH(QByteArray, fields);
        QFETCH(int, status);
        const Seen s = run("POST / HTTP/1.1\r\n" + fields + "\r\nhi");
        QCOMPARE(s.errorStatus, status);
        QCOMPARE(s.requests.size(), status == 0 ? 1 : 0);
    }

    void requestLineMustBeWellFormed_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("status");
        QTest::newRow("fine") << QByteArray("GET / HTTP/1.1") << 0;
        QTest::newRow("extra spaces") << QByteArray("GET   /   HTTP/1.1  ") << 0;
        QTest::newRow("1.0") << QByteArray("GET / HTTP/1.0") << 0;
        QTest::newRow("no version") << QByteArray("GET /") << 400;
        QTest::newRow("no target") << QByteArray("GET HTTP/1.1") << 400;
        QTest::newRow("bad version") << QByteArray("GET / HTTP/1x1") << 400;
        QTest::newRow("letters") << QByteArray("GET / HTTP/a.b") << 400;
        QTest::newRow("junk after") << QByteArray("GET / HTTP/1.1 junk") << 400;
        QTest::newRow("method not a token") << QByteArray("G(T / HTTP/1.1") << 400;
        QTest::newRow("leading space is skipped") << QByteArray(" GET / HTTP/1.1") << 0;
    }
    void requestLineMustBeWellFormed()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, status);
        QCOMPARE(run(line + "\r\n\r\n").errorStatus, status);
    }

    void nothingIsTakenAfterAnError()
    {
        RequestFramer f(1024, 1024);
        int errors = 0;
        int messages = 0;
        f.onError = [&](const RequestFramer::Error &) { ++errors; };
        f.onMessage = [&](RequestFramer::Message &) { ++messages; };
        f.feed(QByteArray("BAD\r\n"));
        f.feed(QByteArray("GET / HTTP/1.1\r\n\r\n"));
        QCOMPARE(errors, 1);
        QCOMPARE(messages, 0);
        QVERIFY(f.failed());
    }
};

QTEST_GUILESS_MAIN(TstRequestFramer)
#include "tst_requestframer.moc"
