// NdjsonParser: one JSON document per line, its limits, and the same lines however the network
// cut the stream into reads.

#include "net/ndjsonparser.h"
#include "streamchunking.h"

#include <QTest>

using namespace gw;
using namespace gwtest;

namespace {

QByteArray ollamaLine(const QByteArray &content, bool done)
{
    return R"({"model":"llama3.2","created_at":"2024-05-21T10:00:00Z","message":{"role":"assistant","content":")" +
           content + R"("},"done":)" + (done ? "true" : "false") + "}";
}

} // namespace

class TstNdjsonParser : public QObject
{
    Q_OBJECT

private:
    void ndjsonTranscripts();

private slots:
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

    void ndjsonChunkingDoesNotMatter_data() { ndjsonTranscripts(); }
    void ndjsonChunkingDoesNotMatter();
    void ndjsonLinesArriveAsSoonAsComplete();
    void ndjsonManySmallLinesStayUnderTheLimit();
    void ndjsonLimitOnUnterminatedLine();
    void ndjsonLimitOnCompleteLine();
};

void TstNdjsonParser::ndjsonTranscripts()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");

    const QByteArray o1 = ollamaLine("Hel", false);
    const QByteArray o2 = ollamaLine("lo", false);
    const QByteArray o3 =
        R"({"model":"llama3.2","created_at":"2024-05-21T10:00:01Z","message":{"role":"assistant","content":""},)"
        R"("done_reason":"stop","done":true,"total_duration":1200,"prompt_eval_count":9,"eval_count":2})";
    const QStringList ollama{QString::fromUtf8(o1), QString::fromUtf8(o2), QString::fromUtf8(o3)};
    QTest::newRow("ollama") << o1 + "\n" + o2 + "\n" + o3 + "\n" << ollama;
    QTest::newRow("CRLF") << o1 + "\r\n" + o2 + "\r\n" + o3 + "\r\n" << ollama;
    QTest::newRow("unterminated last line") << o1 + "\n" + o2 + "\n" + o3 << ollama;
    QTest::newRow("unterminated last line, CR last")
        << o1 + "\r\n" + o2 + "\r\n" + o3 + "\r" << ollama;
    QTest::newRow("blank and whitespace-only lines")
        << "\n\r\n" + o1 + "\n\n  \n\t\r\n" + o2 + "\n \r\n" + o3 + "\n\n   " << ollama;

    QTest::newRow("surrounding spaces kept")
        << QByteArray("  {\"a\":1}  \n") << QStringList{R"(  {"a":1}  )"};
    QTest::newRow("lone CR is not a line end")
        << QByteArray("{\"a\":1}\r{\"b\":2}\n") << QStringList{"{\"a\":1}\\r{\"b\":2}"};
    QTest::newRow("short lines") << QByteArray("1\n2\n\n3") << QStringList{"1", "2", "3"};
    QTest::newRow("empty stream") << QByteArray() << QStringList{};
    QTest::newRow("blank lines only") << QByteArray("\n\r\n \n\t") << QStringList{};
}

void TstNdjsonParser::ndjsonChunkingDoesNotMatter()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    checkEveryChunking<NdjsonParser>(input, expected);
}

void TstNdjsonParser::ndjsonLinesArriveAsSoonAsComplete()
{
    NdjsonParser p;
    QVERIFY(p.feed("{\"a\":").isEmpty());
    QVERIFY(p.feed("1}\r").isEmpty());
    QCOMPARE(p.feed("\n{\"b\":2}\n{"), (QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"}));
    QCOMPARE(p.finish(), QList<QByteArray>{"{"});
    QVERIFY(!p.hasError());
}

void TstNdjsonParser::ndjsonManySmallLinesStayUnderTheLimit()
{
    QByteArray stream;
    for (int i = 0; i < 2000; ++i)
        stream += "{\"i\":" + QByteArray::number(i) + "}\n";

    NdjsonParser whole(32);
    QCOMPARE(whole.feed(stream).size(), 2000);
    QVERIFY2(!whole.hasError(), qPrintable(whole.errorString()));

    NdjsonParser bytes(32);
    int count = 0;
    for (char c : stream)
        count += bytes.feed(QByteArray(1, c)).size();
    count += bytes.finish().size();
    QCOMPARE(count, 2000);
    QVERIFY2(!bytes.hasError(), qPrintable(bytes.errorString()));
}

void TstNdjsonParser::ndjsonLimitOnUnterminatedLine()
{
    NdjsonParser p(1024);
    QCOMPARE(p.feed("{}\n"), QList<QByteArray>{"{}"});
    const QByteArray piece(100, 'x');
    for (int i = 0; i < 20 && !p.hasError(); ++i)
        QVERIFY(p.feed(piece).isEmpty());
    QVERIFY(p.hasError());
    QVERIFY(!p.errorString().isEmpty());
    QVERIFY(p.feed("\n{\"later\":true}\n").isEmpty());
    QVERIFY(p.finish().isEmpty());
}

void TstNdjsonParser::ndjsonLimitOnCompleteLine()
{
    // The oversized line arrives whole, line end included.
    NdjsonParser p(1024);
    const QList<QByteArray> lines = p.feed(QByteArray(4000, 'x') + "\n");
    QVERIFY(p.hasError());
    for (const QByteArray &l : lines)
        QVERIFY2(l.size() <= 1024, "a line over the limit was returned");
    QVERIFY(p.feed("{}\n").isEmpty());
    QVERIFY(p.finish().isEmpty());
}

QTEST_GUILESS_MAIN(TstNdjsonParser)
#include "tst_ndjsonparser.moc"
