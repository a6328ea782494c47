// log/redact: key-shaped strings are masked wherever they appear (bodies, headers, URLs).

#include "log/redact.h"

#include <QTest>

using namespace gw;

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
    }
};

QTEST_GUILESS_MAIN(TstRedact)
#include "tst_redact.moc"
