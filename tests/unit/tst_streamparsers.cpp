// The incremental SSE and NDJSON parsers: any split of the bytes gives the same events.

#include "net/ndjsonparser.h"
#include "net/sseparser.h"

#include <QTest>

using namespace gw;

namespace {

QStringList describe(const QList<SseEvent> &events)
{
    QStringList out;
    for (const SseEvent &e : events)
        out << QString::fromUtf8(e.event + '|' + e.data + '|' + e.id);
    return out;
}

QStringList parseWhole(const QByteArray &s)
{
    SseParser p;
    QList<SseEvent> events = p.feed(s);
    events += p.finish();
    return describe(events);
}

} // namespace

class TstStreamParsers : public QObject
{
    Q_OBJECT

private slots:
    void sse_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QStringList>("events");
        QTest::newRow("openai") << QByteArray("data: {\"a\":1}\n\ndata: [DONE]\n\n")
                                << QStringList{"|{\"a\":1}|", "|[DONE]|"};
        QTest::newRow("named events, ping, id")
            << QByteArray("event: message_start\ndata: {}\n\nevent: ping\ndata: "
                          "{\"type\":\"ping\"}\nid: 7\n\n")
            << QStringList{"message_start|{}|", "ping|{\"type\":\"ping\"}|7"};
        QTest::newRow("crlf, no final blank line")
            << QByteArray("data: one\r\n\r\ndata: two") << QStringList{"|one|", "|two|"};
        QTest::newRow("cr only") << QByteArray("data: x\r\rdata: y\r\r")
                                 << QStringList{"|x|", "|y|"};
        QTest::newRow("multi-line data")
            << QByteArray("data: a\ndata: b\ndata\n\n") << QStringList{"|a\nb\n|"};
        QTest::newRow("comments and unknown fields")
            << QByteArray(": keep-alive\nretry: 5\nfoo: bar\ndata: z\n\n") << QStringList{"|z|"};
        QTest::newRow("no space after colon")
            << QByteArray("data:tight\n\n") << QStringList{"|tight|"};
        QTest::newRow("only one space stripped")
            << QByteArray("data:  two\n\n") << QStringList{"| two|"};
        QTest::newRow("event without data is dropped")
            << QByteArray("event: x\n\ndata: y\n\n") << QStringList{"|y|"};
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF"
                                           "data: b\n\n")
                             << QStringList{"|b|"};
        QTest::newRow("utf-8") << QByteArray("data: h\xC3\xA9llo \xF0\x9F\x98\x80\n\n")
                               << QStringList{QStringLiteral("|h\u00e9llo \U0001F600|")};
    }
    void sse()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QStringList, events);
        QCOMPARE(parseWhole(stream), events);
        // Every way of cutting the stream in two, and byte by byte, gives the same events.
        for (qsizetype cut = 1; cut < stream.size(); ++cut) {
            SseParser p;
            QList<SseEvent> got = p.feed(stream.left(cut));
            got += p.feed(stream.mid(cut));
            got += p.finish();
            QCOMPARE(describe(got), events);
        }
        SseParser p;
        QList<SseEvent> got;
        for (char c : stream)
            got += p.feed(QByteArray(1, c));
        got += p.finish();
        QCOMPARE(describe(got), events);
    }

    void sseLimit()
    {
        SseParser p(100);
        QVERIFY(p.feed("data: " + QByteArray(50, 'x') + '\n').isEmpty());
        QVERIFY(!p.hasError());
        p.feed("data: " + QByteArray(80, 'y') + '\n');
        QVERIFY(p.hasError());
        QVERIFY(p.feed("data: more\n\n").isEmpty()); // nothing after an error
        SseParser q(100);
        q.feed(QByteArray(200, 'z')); // one endless line
        QVERIFY(q.hasError());
    }

    void ndjson()
    {
        const QByteArray s = "{\"a\":1}\n\n{\"b\":2}\r\n   \n{\"c\":3}";
        const QList<QByteArray> expected{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"};
        for (qsizetype cut = 0; cut <= s.size(); ++cut) {
            NdjsonParser p;
            QList<QByteArray> got = p.feed(s.left(cut));
            got += p.feed(s.mid(cut));
            got += p.finish();
            QCOMPARE(got, expected);
        }
        NdjsonParser limited(10);
        limited.feed(QByteArray(20, 'x'));
        QVERIFY(limited.hasError());
    }
};

QTEST_GUILESS_MAIN(TstStreamParsers)
#include "tst_streamparsers.moc"
