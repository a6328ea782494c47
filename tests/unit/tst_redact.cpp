// log/redact: key-shaped strings are masked wherever they appear (bodies, headers, URLs).

#include "log/redact.h"
#include "redactoracle.h"

#include <QRandomGenerator>
#include <QTest>

using namespace gw;
using namespace Qt::StringLiterals;

class TstRedact : public QObject
{
    Q_OBJECT

private slots:
    void redaction_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("leak");
        QTest::newRow("openai key") << "key sk-proj-AbCdEf123456789xyz here"
                                    << "AbCdEf123456789";
        QTest::newRow("anthropic key") << "sk-ant-api03-abcdefghijklmnop"
                                       << "abcdefghijklmnop";
        QTest::newRow("bearer") << "Authorization: Bearer abc.def-ghi_123456"
                                << "abc.def-ghi_123456";
        QTest::newRow("x-api-key") << "x-api-key: zzzzzzzzzz"
                                   << "zzzzzzzzzz";
        QTest::newRow("goog header json") << "{\"x-goog-api-key\":\"AIzaSyA1234567890abcdefghijk\"}"
                                          << "1234567890abcdefghijk";
        QTest::newRow("query") << "https://x/v1?alt=sse&key=AIzaSecret123"
                               << "Secret123";
        QTest::newRow("hf") << "hf_abcdefghijklmnopqrstu"
                            << "abcdefghijklmnop";
        QTest::newRow("proxy url")
            << "the proxy http://alice:pr0xy-s3cret@proxy.example:3128 failed"
            << "pr0xy-s3cret";
        QTest::newRow("proxy url in json") << "{\"proxy\":\"socks5://bob:p%40ss@10.0.0.1:1080\"}"
                                           << "p%40ss";
    }

    void redaction()
    {
        QFETCH(QString, in);
        QFETCH(QString, leak);
        const QString out = redact(in);
        QVERIFY2(!out.contains(leak), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("[redacted]")), qPrintable(out));
        QCOMPARE(out, oracle::redact(in));
        QCOMPARE(redact(in.toUtf8()), oracle::redact(in).toUtf8());
    }

    // The scanner gives exactly what the regular expressions gave, cut for cut.
    void sameAsRegularExpressions_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        const auto row = [](const char *name, const QString &in, const QString &out) {
            QTest::newRow(name) << in << out;
        };
        row("nothing", u"hello world, a plain answer"_s, u"hello world, a plain answer"_s);
        row("empty", QString(), QString());
        row("key at the end", u"token sk-abcdefgh"_s, u"token sk-[redacted]"_s);
        row("key at the start", u"sk-abcdefgh is it"_s, u"sk-[redacted] is it"_s);
        row("key one short", u"sk-abcdefg"_s, u"sk-abcdefg"_s);
        row("key inside a word", u"ask-abcdefghijk"_s, u"ask-abcdefghijk"_s);
        row("ant prefix too short falls back to sk-", u"sk-ant-abcd"_s, u"sk-[redacted]"_s);
        row("ant prefix kept", u"sk-ant-abcdefgh"_s, u"sk-ant-[redacted]"_s);
        row("proj prefix kept", u"(sk-proj-abc*def-gh)"_s, u"(sk-proj-[redacted])"_s);
        row("authorization bearer", u"authorization: Bearer abc"_s,
            u"authorization: Bearer [redacted]"_s);
        row("authorization bearer then quote", u"{\"Authorization\": \"Bearer\"}"_s,
            u"{\"Authorization\": \"[redacted]\"}"_s);
        row("authorization at the end", u"Authorization=basic"_s, u"Authorization=[redacted]"_s);
        row("authorization with nothing after", u"authorization: "_s, u"authorization: "_s);
        row("authorization glued", u"AUTHORIZATION:BearerX"_s, u"AUTHORIZATION:Bearer[redacted]"_s);
        row("bearer alone", u"bearer    abc/def=="_s, u"bearer    [redacted]"_s);
        row("bearer too short", u"Bearer abcde"_s, u"Bearer abcde"_s);
        row("overlapping: header then bearer then key",
            u"Authorization: Bearer sk-abcdefghijkl x-api-key: \"sk-zzzzzzzzzzzz\""_s,
            u"Authorization: Bearer [redacted] x-api-key: \"[redacted]\""_s);
        row("overlapping: key in a url password", u"http://u:sk-abcdefghij@host"_s,
            u"http://u:[redacted]@host"_s);
        row("overlapping: query key that is a google key", u"?key=AIza12345678901234567890&x=1"_s,
            u"?key=[redacted]&x=1"_s);
        row("x-goog-api-key", u"X-Goog-Api-Key=abc"_s, u"X-Goog-Api-Key=[redacted]"_s);
        row("api-key quoted empty", u"api-key: \"\""_s, u"api-key: \"\""_s);
        row("query access_token", u"/x?a=1&ACCESS_TOKEN=t0k&b"_s,
            u"/x?a=1&ACCESS_TOKEN=[redacted]&b"_s);
        row("query value empty", u"/x?key=&b"_s, u"/x?key=&b"_s);
        row("url without password", u"http://user@host"_s, u"http://user@host"_s);
        row("url password without host", u"ftp://a:b"_s, u"ftp://a:b"_s);
        row("scheme after a digit", u"1http://a:b@c"_s, u"1http://a:b@c"_s);
        row("scheme after a dash", u"-http://a:b@c"_s, u"-http://a:[redacted]@c"_s);
        row("non-ascii around a key", u"ключ:sk-abcdefghij—дальше"_s,
            u"ключ:sk-[redacted]—дальше"_s);
        row("non-ascii ends a key", u"sk-abcdefgh€ij"_s, u"sk-[redacted]€ij"_s);
        row("non-ascii before a key is a boundary", u"éhf_abcdefgh"_s, u"éhf_[redacted]"_s);
        row("emoji around", u"😀gsk_abcdefgh😀"_s, u"😀gsk_[redacted]😀"_s);
        // PCRE2 in UTF mode folds these two to k and s when caseless
        row("kelvin sign in x-api-key", u"x-api-\u212Aey: v"_s, u"x-api-\u212Aey: [redacted]"_s);
        row("long s in basic", u"authorization: ba\u017Fic v"_s,
            u"authorization: ba\u017Fic [redacted]"_s);
        row("kelvin sign in a bearer token", u"bearer \u212A\u212A\u212A\u017F\u017Fa"_s,
            u"bearer [redacted]"_s);
        row("dotless i is not i", u"author\u0131zation: x"_s, u"author\u0131zation: x"_s);
        row("no-break space is not a space", u"bearer\u00A0abcdefgh"_s, u"bearer\u00A0abcdefgh"_s);
        row("vertical tab is a space", u"bearer\vabcdefgh"_s, u"bearer\v[redacted]"_s);
    }

    void sameAsRegularExpressions()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(oracle::redact(in), out); // the table itself is right
        QCOMPARE(redact(in), out);
        QCOMPARE(redact(in.toUtf8()), out.toUtf8());
    }

    // Text made of the pieces the expressions look for, glued at random: the scanner and the
    // expressions must agree on every one (a fixed seed, so a failure repeats).
    void sameOnGeneratedText()
    {
        static const char16_t *const pieces[] = {u"authorization",
                                                 u"AuThOrIzAtIoN",
                                                 u"bearer",
                                                 u"Bearer",
                                                 u"basic",
                                                 u"ba\u017Fic",
                                                 u"x-api-key",
                                                 u"x-goog-api-\u212Aey",
                                                 u"api-key",
                                                 u"?",
                                                 u"&",
                                                 u"key",
                                                 u"api_key",
                                                 u"apikey",
                                                 u"access_token",
                                                 u"acce\u017F\u017F_token",
                                                 u"=",
                                                 u":",
                                                 u"\"",
                                                 u" ",
                                                 u"\t",
                                                 u"\n",
                                                 u",",
                                                 u"}",
                                                 u"sk-",
                                                 u"ant-",
                                                 u"proj-",
                                                 u"hf_",
                                                 u"AIza",
                                                 u"gsk_",
                                                 u"http",
                                                 u"://",
                                                 u"@",
                                                 u"/",
                                                 u"abcdefgh",
                                                 u"0123456789",
                                                 u"*",
                                                 u"-",
                                                 u"_",
                                                 u".",
                                                 u"é",
                                                 u"😀",
                                                 u"\u212A",
                                                 u"\u017F",
                                                 u"\u0131",
                                                 u"\u00A0",
                                                 u"\u0085",
                                                 u"x",
                                                 u"K",
                                                 u"~+",
                                                 u"[redacted]"};
        QRandomGenerator rng(15);
        for (int i = 0; i < 20000; ++i) {
            QString in;
            const int n = rng.bounded(1, 14);
            for (int j = 0; j < n; ++j)
                in += QString::fromUtf16(pieces[rng.bounded(int(std::size(pieces)))]);
            const QString want = oracle::redact(in);
            if (redact(in) != want)
                QFAIL(
                    qPrintable(u"in: "_s + in + u"\nwant: "_s + want + u"\ngot: "_s + redact(in)));
            QCOMPARE(redact(in.toUtf8()), want.toUtf8());
        }
    }

    // Bytes that are not UTF-8 come back as the UTF-16 round trip made them, as before.
    void invalidUtf8()
    {
        for (const QByteArray &in :
             {QByteArray("a\xff b"), QByteArray("sk-abcdefgh\xc3"),
              QByteArray("\xef\xbb\xbfsk-abcdefgh"), QByteArray("\xed\xa0\x80 x"),
              QByteArray("\xc0\xaf"), QByteArray("nul\0inside sk-abcdefgh", 22)})
            QCOMPARE(redact(in), oracle::redact(in));
    }

    // Where the expressions gave up (PCRE2 refuses UTF-16 with a lone surrogate, so a key next to
    // one was left in the clear), the scanner masks it all the same.
    void loneSurrogate()
    {
        const QString in = QString(QChar(0xD800)) + u" Bearer abcdefgh sk-abcdefghij"_s;
        QCOMPARE(oracle::redact(in), in);
        QCOMPARE(redact(in), QString(QChar(0xD800)) + u" Bearer [redacted] sk-[redacted]"_s);
    }

    // A body with nothing key-like comes back as the same bytes, without a copy.
    void untouchedBodyIsShared()
    {
        const QByteArray body = QByteArrayLiteral("{\"model\":\"m\",\"messages\":[]}").repeated(4);
        const QByteArray out = redact(body);
        QCOMPARE(out, body);
        QVERIFY(out.isSharedWith(body));
    }
};

QTEST_GUILESS_MAIN(TstRedact)
#include "tst_redact.moc"
