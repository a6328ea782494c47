#pragma once

// Feeding an incremental stream parser (SseParser, NdjsonParser) its input cut into reads in
// every way a network could: whole, byte by byte, at every point, at every pair of points, and
// in seeded random pieces. The result must not depend on the cuts.

#include "net/ndjsonparser.h"
#include "net/sseparser.h"
#include "testseed.h"

#include <QRandomGenerator>
#include <QStringList>
#include <QTest>

namespace gwtest {

using gw::SseEvent;

// "type|id|data" with line ends made visible, so a failed comparison shows what went wrong.
inline QString describe(const SseEvent &e)
{
    QString data = QString::fromUtf8(e.data);
    data.replace(u'\r', QStringLiteral("\\r"));
    data.replace(u'\n', QStringLiteral("\\n"));
    return QString::fromUtf8(e.event) + u'|' + QString::fromUtf8(e.id) + u'|' + data;
}

inline QStringList describe(const QList<SseEvent> &events)
{
    QStringList out;
    for (const SseEvent &e : events)
        out << describe(e);
    return out;
}

inline QStringList describe(const QList<QByteArray> &lines)
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

inline QList<QByteArray> bytewise(const QByteArray &input)
{
    QList<QByteArray> pieces;
    for (char c : input)
        pieces << QByteArray(1, c);
    return pieces;
}

inline QList<QByteArray> randomPieces(const QByteArray &input, QRandomGenerator &rng)
{
    QList<QByteArray> pieces;
    for (qsizetype at = 0; at < input.size();) {
        const qsizetype len = rng.bounded(1, 9);
        pieces << input.mid(at, len);
        at += len;
    }
    return pieces;
}

inline QString failure(const QString &how, const QStringList &got, const QStringList &expected)
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

} // namespace gwtest
