// randomId: the ids clients key answers, messages and tool calls on.
#include "api/randomid.h"

#include <QSet>
#include <QTest>

using namespace gw;

class TstRandomId : public QObject
{
    Q_OBJECT

private slots:
    void shape()
    {
        const QByteArray id = randomId("chatcmpl", '-');
        QVERIFY(id.startsWith("chatcmpl-"));
        QCOMPARE(id.size(), qsizetype(9 + 24));
        for (const char c : id.mid(9))
            QVERIFY2((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'),
                     id.constData());

        QVERIFY(randomId("msg").startsWith("msg_"));
    }

    // Every letter and digit turns up, at every position, and ids do not repeat.
    void spread()
    {
        QSet<QByteArray> ids;
        QSet<char> first, last;
        for (int i = 0; i < 4000; ++i) {
            const QByteArray id = randomId("x");
            ids.insert(id);
            first.insert(id.at(2));
            last.insert(id.back());
        }
        QCOMPARE(ids.size(), 4000);
        QCOMPARE(first.size(), 62);
        QCOMPARE(last.size(), 62);
    }
};

QTEST_APPLESS_MAIN(TstRandomId)
#include "tst_randomid.moc"
