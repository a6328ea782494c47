// The incremental SSE and NDJSON parsers: the result must not depend on how the network happened
// to cut the stream into reads.

#include "net/ndjsonparser.h"
#include "net/sseparser.h"
#include "testseed.h"

#include <QRandomGenerator>
#include <QTest>

using namespace gw;

namespace {

// "type|id|data" with line ends made visible, so a failed comparison shows what went wrong.
QString describe(const SseEvent &e)
{
    QString data = QString::fromUtf8(e.data);
    data.replace(u'\r', QStringLiteral("\\r"));
    data.replace(u'\n', QStringLiteral("\\n"));
    return QString::fromUtf8(e.event) + u'|' + QString::fromUtf8(e.id) + u'|' + data;
}

QStringList describe(const QList<SseEvent> &events)
{
    QStringList out;
    for (const SseEvent &e : events)
        out << describe(e);
    return out;
}

QStringList describe(const QList<QByteArray> &lines)
{
    QStringList out;
    for (const QByteArray &l : lines) {
        QString s = QString::fromUtf8(l);
        s.replace(u'\r', QStringLiteral("\\r"));
        out << s;
    }
    return out;
}

// Feeds the pieces in order, then finishes the stream.
template <typename Parser> QStringList run(const QList<QByteArray> &pieces)
{
    Parser p;
    QStringList out;
    for (const QByteArray &piece : pieces)
        out += describe(p.feed(piece));
    out += describe(p.finish());
    return out;
}

QList<QByteArray> bytewise(const QByteArray &input)
{
    QList<QByteArray> pieces;
    for (char c : input)
        pieces << QByteArray(1, c);
    return pieces;
}

QList<QByteArray> randomPieces(const QByteArray &input, QRandomGenerator &rng)
{
    QList<QByteArray> pieces;
    for (qsizetype at = 0; at < input.size();) {
        const qsizetype len = rng.bounded(1, 9);
        pieces << input.mid(at, len);
        at += len;
    }
    return pieces;
}

QString failure(const QString &how, const QStringList &got, const QStringList &expected)
{
    return how + QStringLiteral("\n   got: ") + got.join(QStringLiteral(" ; ")) +
           QStringLiteral("\n  want: ") + expected.join(QStringLiteral(" ; "));
}

template <typename Parser>
void checkEveryChunking(const QByteArray &input, const QStringList &expected)
{
    QCOMPARE(run<Parser>({input}), expected);
    QCOMPARE(run<Parser>(bytewise(input)), expected);

    for (qsizetype k = 0; k <= input.size(); ++k) {
        const QStringList got = run<Parser>({input.left(k), input.mid(k)});
        QVERIFY2(got == expected,
                 qPrintable(failure(QStringLiteral("split at %1").arg(k), got, expected)));
    }

    // Three reads: every pair of cut points, only where that stays cheap.
    if (input.size() <= 160) {
        for (qsizetype i = 0; i <= input.size(); ++i) {
            for (qsizetype j = i; j <= input.size(); ++j) {
                const QStringList got =
                    run<Parser>({input.left(i), input.mid(i, j - i), input.mid(j)});
                QVERIFY2(got == expected,
                         qPrintable(failure(QStringLiteral("split at %1 and %2").arg(i).arg(j), got,
                                            expected)));
            }
        }
    }

    // A fixed seed: a failure must be reproducible (printed on failure, LLMGW_TEST_SEED to vary).
    const gwtest::TestSeed seed(20240521);
    QRandomGenerator rng = seed.generator();
    for (int round = 0; round < 200; ++round) {
        const QStringList got = run<Parser>(randomPieces(input, rng));
        QVERIFY2(got == expected,
                 qPrintable(
                     failure(QStringLiteral("random reads, round %1").arg(round), got, expected)));
    }
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

QByteArray ollamaLine(const QByteArray &content, bool done)
{
    return R"({"model":"llama3.2","created_at":"2024-05-21T10:00:00Z","message":{"role":"assistant","content":")" +
           content + R"("},"done":)" + (done ? "true" : "false") + "}";
}

// A data line far longer than any network read, arriving in small reads.

} // namespace

class TstStreamChunking : public QObject
{
    Q_OBJECT

private:
    void sseTranscripts();
    void ndjsonTranscripts();

private slots:
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

    void ndjsonChunkingDoesNotMatter_data() { ndjsonTranscripts(); }
    void ndjsonChunkingDoesNotMatter();
    void ndjsonLinesArriveAsSoonAsComplete();
    void ndjsonManySmallLinesStayUnderTheLimit();
    void ndjsonLimitOnUnterminatedLine();
    void ndjsonLimitOnCompleteLine();
};

void TstStreamChunking::sseTranscripts()
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

void TstStreamChunking::sseChunkingDoesNotMatter()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    checkEveryChunking<SseParser>(input, expected);
}

void TstStreamChunking::sseEventsArriveAsSoonAsComplete()
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

void TstStreamChunking::sseCrLfSplitAcrossReads()
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

void TstStreamChunking::sseLoneCrAtEndOfReadDispatches()
{
    // A CR ends its line at once; waiting to see whether an LF follows would hold back a token.
    SseParser p;
    QCOMPARE(describe(p.feed("data: a\r\r")), QStringList{"||a"});
    QCOMPARE(describe(p.feed("data: b\r\n\r")), QStringList{"||b"});
    QVERIFY(p.feed("\n").isEmpty());
    QVERIFY(p.finish().isEmpty());
}

void TstStreamChunking::sseFinishReturnsOnlyTheUnterminatedEvent()
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

void TstStreamChunking::sseFinishWithoutDataReturnsNothing()
{
    SseParser p;
    QCOMPARE(p.feed("data: x\n\nevent: trailing\nid: 9\n: comment").size(), 1);
    QVERIFY(p.finish().isEmpty());
}

void TstStreamChunking::sseDoneMarker()
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

void TstStreamChunking::sseManySmallEventsStayUnderTheLimit()
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

void TstStreamChunking::sseLimitOnOneLongLine()
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

void TstStreamChunking::sseLimitOnManyDataLines()
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

void TstStreamChunking::sseOversizedCompleteEventIsNotReturned()
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

void TstStreamChunking::ndjsonTranscripts()
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

void TstStreamChunking::ndjsonChunkingDoesNotMatter()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    checkEveryChunking<NdjsonParser>(input, expected);
}

void TstStreamChunking::ndjsonLinesArriveAsSoonAsComplete()
{
    NdjsonParser p;
    QVERIFY(p.feed("{\"a\":").isEmpty());
    QVERIFY(p.feed("1}\r").isEmpty());
    QCOMPARE(p.feed("\n{\"b\":2}\n{"), (QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"}));
    QCOMPARE(p.finish(), QList<QByteArray>{"{"});
    QVERIFY(!p.hasError());
}

void TstStreamChunking::ndjsonManySmallLinesStayUnderTheLimit()
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

void TstStreamChunking::ndjsonLimitOnUnterminatedLine()
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

void TstStreamChunking::ndjsonLimitOnCompleteLine()
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

QTEST_GUILESS_MAIN(TstStreamChunking)
#include "tst_streamchunking.moc"
