// Telling the client application from its User-Agent: the real headers of the clients people use
// (their sources are cited in docs/clients.md), ids that stay stable, and junk that names nothing.

#include "log/clientapp.h"
#include "log/requestlog.h"
#include "log/requestlogfile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;

Q_DECLARE_METATYPE(gw::ClientApp)

class TstClientApp : public QObject
{
    Q_OBJECT

private slots:
    void realUserAgents_data()
    {
        QTest::addColumn<QByteArray>("ua");
        QTest::addColumn<ClientApp>("app");
        QTest::newRow("ollama cli")
            << QByteArray("ollama/0.12.3 (amd64 linux) Go/go1.24.1") << ClientApp::OllamaCli;
        QTest::newRow("ollama-js")
            << QByteArray("ollama-js/0.5.18 (x64 linux Node.js/v20.19.2)") << ClientApp::OllamaJs;
        QTest::newRow("ollama-python")
            << QByteArray("ollama-python/0.5.1 (x86_64 linux) Python/3.11.2")
            << ClientApp::OllamaPython;
        QTest::newRow("copilot") << QByteArray("GitHubCopilotChat/0.31.0") << ClientApp::Copilot;
        QTest::newRow("claude code")
            << QByteArray("claude-cli/2.0.14 (external, cli)") << ClientApp::ClaudeCode;
        QTest::newRow("codex") << QByteArray("codex_cli_rs/0.46.0 (Debian 12.0.0; x86_64) dumb")
                               << ClientApp::Codex;
        QTest::newRow("codex exec")
            << QByteArray("codex_exec/0.46.0 (Debian 12; x86_64)") << ClientApp::Codex;
        QTest::newRow("zed") << QByteArray("Zed/0.205.4 (linux; x86_64)") << ClientApp::Zed;
        QTest::newRow("continue") << QByteArray("Continue/1.2.3") << ClientApp::Continue;
        QTest::newRow("jetbrains")
            << QByteArray("JetBrains AI Assistant/252.1 IntelliJ IDEA") << ClientApp::JetBrains;
        QTest::newRow("open webui") << QByteArray("open-webui/0.6.30") << ClientApp::OpenWebUi;
        QTest::newRow("langchain") << QByteArray("langchainjs/0.3 (node)") << ClientApp::LangChain;
        QTest::newRow("openai js") << QByteArray("OpenAI/JS 5.23.0") << ClientApp::OpenAiSdk;
        QTest::newRow("azure openai js")
            << QByteArray("AzureOpenAI/JS 5.23.0") << ClientApp::OpenAiSdk;
        QTest::newRow("openai python")
            << QByteArray("OpenAI/Python 1.109.1") << ClientApp::OpenAiSdk;
        QTest::newRow("anthropic js")
            << QByteArray("Anthropic/JS 0.65.0") << ClientApp::AnthropicSdk;
        QTest::newRow("anthropic python")
            << QByteArray("Anthropic/Python 0.69.0") << ClientApp::AnthropicSdk;
        QTest::newRow("curl") << QByteArray("curl/7.88.1") << ClientApp::Curl;
        QTest::newRow("case and spaces")
            << QByteArray("  ZED/1.0 (macos; aarch64)  ") << ClientApp::Zed;
        QTest::newRow("empty") << QByteArray() << ClientApp::Unknown;
        QTest::newRow("browser")
            << QByteArray("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/141.0")
            << ClientApp::Unknown;
        QTest::newRow("python-requests")
            << QByteArray("python-requests/2.32.3") << ClientApp::Unknown;
        QTest::newRow("ollama in the middle")
            << QByteArray("my-tool (uses ollama/0.1)") << ClientApp::Unknown;
    }
    void realUserAgents()
    {
        QFETCH(QByteArray, ua);
        QFETCH(ClientApp, app);
        QCOMPARE(clientAppFromUserAgent(ua), app);
    }

    void idsAreStableAndReadBack()
    {
        // Written to log files: these strings must never change.
        QCOMPARE(clientAppId(ClientApp::OllamaCli), QLatin1StringView("ollama-cli"));
        QCOMPARE(clientAppId(ClientApp::ClaudeCode), QLatin1StringView("claude-code"));
        QCOMPARE(clientAppId(ClientApp::OpenWebUi), QLatin1StringView("open-webui"));
        QCOMPARE(clientAppId(ClientApp::Unknown), QLatin1StringView(""));
        QSet<QString> seen;
        for (ClientApp app : kAllClientApps) {
            const QString id = clientAppId(app);
            QVERIFY2(!id.isEmpty(), "every app has an id");
            QVERIFY2(!seen.contains(id), qPrintable(id));
            seen.insert(id);
            QCOMPARE(clientAppFromId(id), app);
        }
        QCOMPARE(clientAppFromId(u"nonsense"), ClientApp::Unknown);
        QCOMPARE(clientAppFromId(u""), ClientApp::Unknown);
    }

    void aHugeHeaderIsReadOnlyAtItsStart()
    {
        const QByteArray ua = QByteArray(100000, 'x') + "Zed/1.0";
        QCOMPARE(clientAppFromUserAgent(ua), ClientApp::Unknown);
        QCOMPARE(clientAppFromUserAgent("Zed/1.0 " + QByteArray(100000, 'x')), ClientApp::Zed);
    }

    void theLogLineAndTheFileNameTheApp()
    {
        RequestRecord r;
        r.started = QDateTime::currentDateTime();
        r.client = QStringLiteral("127.0.0.1");
        r.method = QStringLiteral("POST");
        r.path = QStringLiteral("/api/chat");
        r.app = ClientApp::Continue;
        r.status = 200;
        QVERIFY2(RequestLog::line(r).contains(QStringLiteral(" app=continue ")),
                 qPrintable(RequestLog::line(r)));
        const QJsonObject o = QJsonDocument::fromJson(RequestLogFile::toJsonLine(r)).object();
        QCOMPARE(o.value(QStringLiteral("app")).toString(), QStringLiteral("continue"));
        r.app = ClientApp::Unknown;
        QVERIFY(!RequestLog::line(r).contains(QStringLiteral("app=")));
        QVERIFY(!QJsonDocument::fromJson(RequestLogFile::toJsonLine(r))
                     .object()
                     .contains(QStringLiteral("app")));
    }
};

QTEST_GUILESS_MAIN(TstClientApp)
#include "tst_clientapp.moc"
