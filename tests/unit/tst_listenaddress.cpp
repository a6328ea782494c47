// ListenAddress and Gateway::chooseListenAddress: where the gateway listens (--listen,
// OLLAMA_HOST as Ollama reads it, the config), and the URL clients are told.

#include "checked.h"
#include "config/listenaddress.h"
#include "gateway.h"

#include <QTest>

using namespace gw;

class TstListenAddress : public QObject
{
    Q_OBJECT

private slots:
    void listenParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected"); // empty: error
        QTest::newRow("host:port") << "127.0.0.1:8080"
                                   << "127.0.0.1:8080";
        QTest::newRow("host only") << "127.0.0.1"
                                   << "127.0.0.1:11434";
        QTest::newRow("port only = all") << ":9000"
                                         << "0.0.0.0:9000";
        QTest::newRow("v6") << "[::1]:9000"
                            << "[::1]:9000";
        QTest::newRow("localhost") << "localhost:5"
                                   << "127.0.0.1:5";
        QTest::newRow("scheme") << "http://127.0.0.1:7/"
                                << "127.0.0.1:7";
        QTest::newRow("bad port") << "127.0.0.1:99999"
                                  << "";
        QTest::newRow("hostname") << "example.com:1"
                                  << "";
    }

    void listenParse()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QString error;
        const auto a = ListenAddress::parse(text, &error);
        if (expected.isEmpty()) {
            QVERIFY(!a);
            QVERIFY(!error.isEmpty());
        } else {
            QVERIFY2(a, qPrintable(error));
            QCOMPARE(a->toString(), expected);
        }
    }

    // The cases of Ollama's envconfig tests that make sense for a server.
    void ollamaHost_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << ""
                               << "127.0.0.1:11434";
        QTest::newRow("only address") << "1.2.3.4"
                                      << "1.2.3.4:11434";
        QTest::newRow("only port") << ":1234"
                                   << "0.0.0.0:1234";
        QTest::newRow("address and port") << "1.2.3.4:1234"
                                          << "1.2.3.4:1234";
        QTest::newRow("http scheme") << "http://1.2.3.4"
                                     << "1.2.3.4:80";
        QTest::newRow("https scheme") << "https://1.2.3.4"
                                      << "1.2.3.4:443";
        QTest::newRow("quoted") << "\"1.2.3.4:1234\""
                                << "1.2.3.4:1234";
        QTest::newRow("single quoted") << "'1.2.3.4'"
                                       << "1.2.3.4:11434";
        QTest::newRow("bare v6") << "::1"
                                 << "[::1]:11434";
        QTest::newRow("v6 with port") << "[::1]:1234"
                                      << "[::1]:1234";
        QTest::newRow("path prefix") << "http://1.2.3.4:8000/ollama"
                                     << "1.2.3.4:8000";
        QTest::newRow("bad port falls back") << "1.2.3.4:99999"
                                             << "1.2.3.4:11434";
        QTest::newRow("0.0.0.0") << "0.0.0.0"
                                 << "0.0.0.0:11434";
    }

    void ollamaHost()
    {
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QString error;
        const auto a = value.isEmpty() ? Gateway::chooseListenAddress({}, value, {}, &error)
                                       : ListenAddress::fromOllamaHost(value, &error);
        QVERIFY2(a, qPrintable(error));
        QCOMPARE(a->toString(), expected);
    }

    void listenPrecedence()
    {
        QString error;
        // The port chosen, or 0 (and the error) when none was.
        const auto port = [&error](const QString &flag, const QString &ollamaHost,
                                   const QString &configured) {
            const auto a = Gateway::chooseListenAddress(flag, ollamaHost, configured, &error);
            if (!a)
                qWarning("no address: %s", qPrintable(error));
            return a ? int(a->port) : 0;
        };
        QCOMPARE(port(QStringLiteral("127.0.0.1:1"), QStringLiteral("127.0.0.1:2"),
                      QStringLiteral("127.0.0.1:3")),
                 1);
        QCOMPARE(port({}, QStringLiteral("127.0.0.1:2"), QStringLiteral("127.0.0.1:3")), 2);
        QCOMPARE(port({}, {}, QStringLiteral("127.0.0.1:3")), 3);
        QCOMPARE(port({}, {}, {}), 11434);
        QVERIFY(!Gateway::chooseListenAddress(QStringLiteral("nope:1"), {}, {}, &error));
        QVERIFY2(error.startsWith(QStringLiteral("--listen nope:1: ")), qPrintable(error));
    }

    void urlIsConnectable()
    {
        QString error;
        const auto any4 = ListenAddress::parse(QStringLiteral("0.0.0.0:5"), &error);
        QVERIFY2(any4, qPrintable(error));
        QCOMPARE(any4->url(), QStringLiteral("http://127.0.0.1:5"));
        const auto any6 = ListenAddress::parse(QStringLiteral("[::]:5"), &error);
        QVERIFY2(any6, qPrintable(error));
        QCOMPARE(any6->url(), QStringLiteral("http://[::1]:5"));
    }
};

QTEST_GUILESS_MAIN(TstListenAddress)
#include "tst_listenaddress.moc"
