// SseParser: events as the SSE spec has them, its limits, and the same events however the
// network cut the stream into reads.

#include "net/sseparser.h"
#include "streamchunking.h"

#include <QTest>

using namespace gw;
using namespace gwtest;

namespace {

// "event|data|id" of each event.
QStringList fields(const QList<SseEvent> &events)
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
    return fields(events);
}

QByteArray openAiChunk(const QByteArray &delta, const QByteArray &finish = "null")
{
    return R"({"id":"chatcmpl-9x","object":"chat.completion.chunk","created":1716300000,)"
           R"("model":"gpt-4o-mini","choices":[{"index":0,"delta":)" +
           delta + R"(,"logprobs":null,"finish_reason":)" + finish + "}]}";
}

QByteArray geminiChunk(const QByteArray &text)
{
    return R"({"candidates": [{"content": {"parts": [{"text": ")" + text +
           R"("}],"role": "model"},"index": 0}],"modelVersion": "gemini-1.5-flash"})";
}

} // namespace

class TstSseParser : public QObject
{
    Q_OBJECT

private:
    void sseTranscripts();

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
            QCOMPARE(fields(got), events);
        }
        SseParser p;
        QList<SseEvent> got;
        for (char c : stream)
            got += p.feed(QByteArray(1, c));
        got += p.finish();
        QCOMPARE(fields(got), events);
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

    void sseChunkingDoesNotMatter_data() { sseTranscripts(); }
    void sseChunkingDoesNotMatter();
    void sseEventsArriveAsSoonAsComplete();
    void sseCrLfSplitAcrossReads();
    void sseLoneCrAtEndOfReadDispatches();
    void sseFinishReturnsOnlyTheUnterminatedEvent();
    void sseFinishWithoutDataReturnsNothing();
    void sseDoneMarker();
    void sseManySmallEventsStayUnderTheLimit();
    void sseLimitOnOneLongLine();
    void sseLimitOnManyDataLines();
    void sseOversizedCompleteEventIsNotReturned();
};

void TstSseParser::sseTranscripts()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");

    const QByteArray c1 = openAiChunk(R"({"role":"assistant","content":""})");
    const QByteArray c2 = openAiChunk(R"({"content":"Hel"})");
    const QByteArray c3 = openAiChunk(R"({"content":"lo!"})");
    const QByteArray c4 = openAiChunk("{}", R"("stop")");
    QTest::newRow("openai") << "data: " + c1 + "\n\ndata: " + c2 + "\n\ndata: " + c3 +
                                   "\n\ndata: " + c4 + "\n\ndata: [DONE]\n\n"
                            << QStringList{"||" + QString::fromUtf8(c1),
                                           "||" + QString::fromUtf8(c2),
                                           "||" + QString::fromUtf8(c3),
                                           "||" + QString::fromUtf8(c4), "||[DONE]"};

    QTest::newRow("anthropic")
        << QByteArray(
               "event: message_start\n"
               R"(data: {"type":"message_start","message":{"id":"msg_01","type":"message",)"
               R"("role":"assistant","content":[],"model":"claude-3-5-sonnet-20241022",)"
               R"("usage":{"input_tokens":12,"output_tokens":1}}})"
               "\n\n"
               "event: content_block_start\n"
               R"(data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"
               "\n\n"
               "event: ping\n"
               R"(data: {"type": "ping"})"
               "\n\n"
               "event: content_block_delta\n"
               R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})"
               "\n\n"
               "event: content_block_stop\n"
               R"(data: {"type":"content_block_stop","index":0})"
               "\n\n"
               "event: message_delta\n"
               R"(data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}})"
               "\n\n"
               "event: message_stop\n"
               R"(data: {"type":"message_stop"})"
               "\n\n")
        << QStringList{
               R"(message_start||{"type":"message_start","message":{"id":"msg_01","type":"message",)"
               R"("role":"assistant","content":[],"model":"claude-3-5-sonnet-20241022",)"
               R"("usage":{"input_tokens":12,"output_tokens":1}}})",
               R"(content_block_start||{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})",
               R"(ping||{"type": "ping"})",
               R"(content_block_delta||{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})",
               R"(content_block_stop||{"type":"content_block_stop","index":0})",
               R"(message_delta||{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}})",
               R"(message_stop||{"type":"message_stop"})"};

    const QByteArray g1 = geminiChunk("Once");
    const QByteArray g2 = geminiChunk(" upon");
    const QByteArray g3 = geminiChunk(" a time");
    const QStringList gemini{"||" + QString::fromUtf8(g1), "||" + QString::fromUtf8(g2),
                             "||" + QString::fromUtf8(g3)};
    QTest::newRow("gemini, CRLF, no final blank line")
        << "data: " + g1 + "\r\n\r\ndata: " + g2 + "\r\n\r\ndata: " + g3 + "\r\n"
        << gemini;
    QTest::newRow("gemini, no final line end")
        << "data: " + g1 + "\r\n\r\ndata: " + g2 + "\r\n\r\ndata: " + g3 << gemini;

    QTest::newRow("multi-line data")
        << QByteArray("data: first\ndata: second\ndata:\ndata:  indented\n\n")
        << QStringList{"||first\\nsecond\\n\\n indented"};
    QTest::newRow("data line without colon is empty data")
        << QByteArray("data\n\ndata\ndata\n\n") << QStringList{"||", "||\\n"};
    QTest::newRow("only one space stripped, none required")
        << QByteArray("data:no-space\n\ndata:   three\n\ndata: trailing \n\n")
        << QStringList{"||no-space", "||  three", "||trailing "};
    QTest::newRow("colons inside the value")
        << QByteArray("data: {\"a\": \"b:c\"}\n\n") << QStringList{R"(||{"a": "b:c"})"};

    QTest::newRow("comments")
        << QByteArray(": keep-alive\n\n:\n\ndata: x\n: between data lines\ndata: y\n:\n\n")
        << QStringList{"||x\\ny"};
    QTest::newRow("comment-only stream") << QByteArray(": a\n: b\n\n") << QStringList{};

    QTest::newRow("event, id, retry and unknown fields")
        << QByteArray("retry: 3000\nid: 7\nevent: delta\nfoo: bar\nDATA: upper\ndata : spaced\n"
                      "data: x\n\n")
        << QStringList{"delta|7|x"};
    QTest::newRow("event type resets after each event")
        << QByteArray("event: a\ndata: 1\n\ndata: 2\n\n") << QStringList{"a||1", "||2"};
    QTest::newRow("event without data is dropped and its type forgotten")
        << QByteArray("event: lonely\n\ndata: after\n\n") << QStringList{"||after"};
    QTest::newRow("field without colon") << QByteArray("event\ndata: x\n\n") << QStringList{"||x"};

    QTest::newRow("CR-only line ends") << QByteArray("event: a\rdata: 1\rdata: 2\r\rdata: 3\r\r")
                                       << QStringList{"a||1\\n2", "||3"};
    QTest::newRow("mixed line ends") << QByteArray("data: a\r\ndata: b\rdata: c\n\r\ndata: d\n\r")
                                     << QStringList{"||a\\nb\\nc", "||d"};
    QTest::newRow("CRLF between data lines is one line end")
        << QByteArray("data: a\r\ndata: b\r\n\r\n") << QStringList{"||a\\nb"};
    QTest::newRow("runs of blank lines")
        << QByteArray("\r\n\n\r\rdata: a\n\n\n\n\r\n") << QStringList{"||a"};

    QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBF"
                                       "data: x\n\n")
                         << QStringList{"||x"};
    QTest::newRow("BOM before a comment")
        << QByteArray("\xEF\xBB\xBF: hello\nevent: e\ndata: y\n\n") << QStringList{"e||y"};
    // Only the very first bytes of the stream may be a BOM; later it is part of a field name.
    QTest::newRow("BOM not at start") << QByteArray("\n\xEF\xBB\xBF"
                                                    "data: x\n\ndata: y\n\n")
                                      << QStringList{"||y"};
    QTest::newRow("BOM alone") << QByteArray("\xEF\xBB\xBF") << QStringList{};

    QTest::newRow("unterminated multi-line event")
        << QByteArray("data: a\ndata: b") << QStringList{"||a\\nb"};
    QTest::newRow("unterminated, CR last") << QByteArray("data: a\r") << QStringList{"||a"};
    QTest::newRow("empty stream") << QByteArray() << QStringList{};
    QTest::newRow("blank lines only") << QByteArray("\n\r\n\r") << QStringList{};

    QTest::newRow("UTF-8 payload")
        << QByteArray("data: {\"text\":\"gr\xC3\xBC\xC3\x9F dich \xF0\x9F\x91\x8B\"}\n\n")
        << QStringList{QStringLiteral("||{\"text\":\"gr\u00FC\u00DF dich \U0001F44B\"}")};
}

void TstSseParser::sseChunkingDoesNotMatter()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    checkEveryChunking<SseParser>(input, expected);
}

void TstSseParser::sseEventsArriveAsSoonAsComplete()
{
    SseParser p;
    QVERIFY(p.feed("event: a\ndata: 1\n").isEmpty());
    const QList<SseEvent> first = p.feed("\ndata: 2");
    QCOMPARE(describe(first), QStringList{"a||1"});
    QVERIFY(p.feed("\n").isEmpty());
    QCOMPARE(describe(p.feed("\n")), QStringList{"||2"});
    QVERIFY(p.finish().isEmpty());
    QVERIFY(!p.hasError());
}

void TstSseParser::sseCrLfSplitAcrossReads()
{
    // The LF after a CR that ended the previous read is not a blank line of its own: if it were,
    // "a" and "b" would be two events.
    SseParser p;
    QVERIFY(p.feed("data: a\r").isEmpty());
    QVERIFY(p.feed("\ndata: b\r").isEmpty());
    QVERIFY(p.feed("\n").isEmpty());
    QCOMPARE(describe(p.feed("\r")), QStringList{"||a\\nb"});
    QVERIFY(p.feed("\n").isEmpty());
    QVERIFY(p.feed("\n").isEmpty()); // a real blank line, with nothing to dispatch
    QCOMPARE(describe(p.feed("data: c\r\n\r\n")), QStringList{"||c"});
    QVERIFY(p.finish().isEmpty());
}

void TstSseParser::sseLoneCrAtEndOfReadDispatches()
{
    // A CR ends its line at once; waiting to see whether an LF follows would hold back a token.
    SseParser p;
    QCOMPARE(describe(p.feed("data: a\r\r")), QStringList{"||a"});
    QCOMPARE(describe(p.feed("data: b\r\n\r")), QStringList{"||b"});
    QVERIFY(p.feed("\n").isEmpty());
    QVERIFY(p.finish().isEmpty());
}

void TstSseParser::sseFinishReturnsOnlyTheUnterminatedEvent()
{
    SseParser p;
    const QList<SseEvent> fed = p.feed("data: {\"n\":1}\r\n\r\ndata: {\"n\":2}\r\n");
    QCOMPARE(fed.size(), 1);
    QCOMPARE(fed.first().data, QByteArray(R"({"n":1})"));
    const QList<SseEvent> last = p.finish();
    QCOMPARE(last.size(), 1);
    QCOMPARE(last.first().data, QByteArray(R"({"n":2})"));
    QVERIFY(last.first().event.isEmpty());
    QVERIFY(!last.first().isDone());
}

void TstSseParser::sseFinishWithoutDataReturnsNothing()
{
    SseParser p;
    QCOMPARE(p.feed("data: x\n\nevent: trailing\nid: 9\n: comment").size(), 1);
    QVERIFY(p.finish().isEmpty());
}

void TstSseParser::sseDoneMarker()
{
    SseParser p;
    const QList<SseEvent> events =
        p.feed("data: [DONE]\n\ndata: [DONE] \n\ndata:[DONE]\n\ndata: \"[DONE]\"\n\n");
    QCOMPARE(events.size(), 4);
    QVERIFY(events.at(0).isDone());
    QVERIFY(!events.at(1).isDone());
    QVERIFY(events.at(2).isDone());
    QVERIFY(!events.at(3).isDone());
}

void TstSseParser::sseManySmallEventsStayUnderTheLimit()
{
    // The limit is per event: a long stream of small events must never trip it.
    QByteArray stream;
    for (int i = 0; i < 2000; ++i)
        stream += "event: delta\ndata: {\"i\":" + QByteArray::number(i) + "}\n\n";

    SseParser whole(64);
    QCOMPARE(whole.feed(stream).size(), 2000);
    QVERIFY2(!whole.hasError(), qPrintable(whole.errorString()));

    SseParser bytes(64);
    int count = 0;
    for (char c : stream)
        count += bytes.feed(QByteArray(1, c)).size();
    count += bytes.finish().size();
    QCOMPARE(count, 2000);
    QVERIFY2(!bytes.hasError(), qPrintable(bytes.errorString()));
}

void TstSseParser::sseLimitOnOneLongLine()
{
    SseParser p(1024);
    QVERIFY(!p.hasError());
    QVERIFY(p.errorString().isEmpty());
    QVERIFY(p.feed("data: ok\n\n").size() == 1);

    // A line that never ends: the parser must give up instead of buffering without bound.
    const QByteArray piece(100, 'x');
    QVERIFY(p.feed("data: ").isEmpty());
    for (int i = 0; i < 20 && !p.hasError(); ++i)
        QVERIFY(p.feed(piece).isEmpty());
    QVERIFY(p.hasError());
    QVERIFY(!p.errorString().isEmpty());

    // Once failed, nothing more comes out, not even well-formed events.
    QVERIFY(p.feed("\n\ndata: later\n\n").isEmpty());
    QVERIFY(p.finish().isEmpty());
    QVERIFY(p.hasError());
}

void TstSseParser::sseLimitOnManyDataLines()
{
    // Each line is short; the event they add up to is not.
    SseParser p(1024);
    const QByteArray line = "data: " + QByteArray(50, 'y') + "\n";
    for (int i = 0; i < 100 && !p.hasError(); ++i)
        QVERIFY(p.feed(line).isEmpty());
    QVERIFY(p.hasError());
    QVERIFY(!p.errorString().isEmpty());
    QVERIFY(p.feed("\n").isEmpty());
    QVERIFY(p.finish().isEmpty());
}

void TstSseParser::sseOversizedCompleteEventIsNotReturned()
{
    // The whole oversized event arrives in one read, blank line included: it must not slip out.
    SseParser p(1024);
    const QList<SseEvent> events = p.feed("data: " + QByteArray(4000, 'z') + "\n\n");
    QVERIFY(p.hasError());
    for (const SseEvent &e : events)
        QVERIFY2(e.data.size() <= 1024, "an event over the limit was returned");
    QVERIFY(p.feed("data: later\n\n").isEmpty());
    QVERIFY(p.finish().isEmpty());
}

QTEST_GUILESS_MAIN(TstSseParser)
#include "tst_sseparser.moc"
