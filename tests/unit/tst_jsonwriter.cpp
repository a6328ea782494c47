// JsonWriter: the streaming JSON writer the encoders use, byte for byte as QJsonDocument writes.

#include "json/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;

class TstJsonWriter : public QObject
{
    Q_OBJECT

private slots:
    // The hand-written string escaper must agree with Qt's JSON for every kind of character.
    void jsonWriterMatchesQt()
    {
        QString all;
        for (char16_t c = 0; c < 0x250; ++c)
            all.append(QChar(c));
        all += QStringLiteral("\U0001F600 \u2028 end");
        const QByteArray ours = json::quoted(all);
        const QJsonDocument parsed = QJsonDocument::fromJson("[" + ours + "]");
        QVERIFY(!parsed.isNull());
        QCOMPARE(parsed.array().first().toString(), all);
        QByteArray v;
        json::appendValue(v, QJsonValue(1.5));
        QCOMPARE(v, QByteArray("1.5"));
        v.clear();
        json::appendValue(v, QJsonValue(true));
        QCOMPARE(v, QByteArray("true"));
    }
};

QTEST_GUILESS_MAIN(TstJsonWriter)
#include "tst_jsonwriter.moc"
