// The first five minutes, as a new user lives them: a fresh HOME (no config, no settings), the
// settings window opens on the welcome, a preset is picked whose base URL is pointed at a fake
// OpenAI upstream, the key found in the environment is offered and used, the connection is
// tested at once and said in words, the listed models are mapped under the vendor's ids in one
// click, the "Connect your tools" page follows, and a client (by its User-Agent) gets a
// streamed answer and is shown as seen.

#include "clientguide.h"
#include "connectpage.h"
#include "fakeserver.h"
#include "gatewayhost.h"
#include "language.h"
#include "log/requestlogfile.h"
#include "providerspage.h"
#include "rawhttp.h"
#include "serverpage.h"
#include "settingswindow.h"
#include "traycontroller.h"
#include "welcomepage.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace gw;
using namespace gwtest;

namespace {

QByteArray chunk(const QString &text)
{
    return FakeServer::sseData(
        {{QStringLiteral("id"), QStringLiteral("c1")},
         {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
         {QStringLiteral("choices"),
          QJsonArray{
              QJsonObject{{QStringLiteral("index"), 0},
                          {QStringLiteral("delta"), QJsonObject{{QStringLiteral("content"), text}}},
                          {QStringLiteral("finish_reason"), QJsonValue::Null}}}}});
}

bool click(QWidget *parent, const char *name)
{
    auto *b = parent->findChild<QPushButton *>(QString::fromLatin1(name));
    if (!b || !b->isEnabled()) {
        qWarning("no enabled button %s", name);
        return false;
    }
    QTest::mouseClick(b, Qt::LeftButton);
    return true;
}

} // namespace

class TstFirstRun : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    FakeServer m_openai;

    QString configPath() const { return m_dir.filePath(QStringLiteral("config.json")); }

    // Screenshots for looking at the pages: LLMGW_SCREENSHOT_DIR=/some/dir (and
    // LLMGW_SCREENSHOT_LANG=de or zh_CN for the translations).
    static void shoot(QWidget *w, const QString &name)
    {
        const QString dir = qEnvironmentVariable("LLMGW_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QCoreApplication::processEvents();
        w->grab().save(QStringLiteral("%1/%2.png").arg(dir, name));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_openai.on("GET", "/v1/models", [](const Received &) {
            return Reply::json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4.1\"},"
                                    "{\"id\":\"gpt-4.1-mini\"},{\"id\":\"o3\"}]}");
        });
        m_openai.on("POST", "/v1/chat/completions", [](const Received &) {
            return Reply::sse({chunk(QStringLiteral("Hello ")), chunk(QStringLiteral("from ")),
                               chunk(QStringLiteral("the fake")), "data: [DONE]\n\n"});
        });
    }

    void freshHomeWalksToAStreamedAnswer()
    {
        QVERIFY(!QFile::exists(configPath()));
        GatewayHost host;
        host.setConfigPath(configPath());
        SettingsWindow window(host);
        window.offerWelcome();
        QTRY_VERIFY(window.welcomeShown());
        WelcomePage *welcome = window.welcomePage();
        QCOMPARE(welcome->step(), WelcomePage::Step::Choose);

        // Every preset the issue names, and the servers of one's own.
        auto *choices = welcome->findChild<QListWidget *>(QStringLiteral("choiceList"));
        QVERIFY(choices);
        QStringList labels;
        int openai = -1;
        for (int i = 0; i < choices->count(); ++i) {
            labels << choices->item(i)->data(Qt::UserRole + 1).toString();
            if (choices->item(i)->data(Qt::UserRole).toString() == u"openai")
                openai = i;
        }
        for (const char *name : {"OpenAI", "Anthropic", "Google Gemini", "OpenRouter", "Groq",
                                 "DeepSeek", "Mistral", "Hugging Face"})
            QVERIFY2(labels.contains(QString::fromLatin1(name)), name);
        for (const char *name : {"Ollama on this computer", "Ollama on another machine",
                                 "Another OpenAI-compatible server (its URL)"})
            QVERIFY2(labels.contains(QCoreApplication::translate("gw::WelcomePage", name)), name);
        QVERIFY(openai >= 0);
        // The key in the environment is offered.
        QTRY_VERIFY2(choices->item(openai)->text().contains(u"OPENAI_API_KEY"),
                     qPrintable(choices->item(openai)->text()));

        choices->setCurrentRow(openai);
        shoot(&window, QStringLiteral("welcome-choose"));
        QVERIFY(click(welcome, "welcomeNext"));
        QCOMPARE(welcome->step(), WelcomePage::Step::Connect);
        auto *note = welcome->findChild<QLabel *>(QStringLiteral("welcomeKeyNote"));
        QVERIFY2(note->text().contains(u"OPENAI_API_KEY"), qPrintable(note->text()));
        auto *verdict = welcome->findChild<QLabel *>(QStringLiteral("welcomeVerdict"));
        // Tested at once, against the preset's real address (unreachable here: no network).
        QVERIFY(!verdict->text().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            welcome->findChild<QPushButton *>(QStringLiteral("welcomeConnect"))->isEnabled(),
            20000);
        QVERIFY(!welcome->findChild<QPushButton *>(QStringLiteral("welcomeNext"))->isEnabled());

        // The preset pointed at the fake upstream.
        auto *url = welcome->findChild<QLineEdit *>(QStringLiteral("welcomeBaseUrl"));
        QCOMPARE(url->text(), QStringLiteral("https://api.openai.com/v1"));
        url->setText(m_openai.url(QStringLiteral("/v1")));
        QVERIFY(click(welcome, "welcomeConnect"));
        QTRY_VERIFY2(welcome->findChild<QPushButton *>(QStringLiteral("welcomeNext"))->isEnabled(),
                     qPrintable(verdict->text()));
        QVERIFY2(verdict->text().contains(u"openai"), qPrintable(verdict->text()));
        QCOMPARE(m_openai.last().header("authorization"), QByteArray("Bearer sk-firstrun-env"));
        shoot(&window, QStringLiteral("welcome-connect"));

        QVERIFY(click(welcome, "welcomeNext"));
        QCOMPARE(welcome->step(), WelcomePage::Step::Models);
        auto *models = welcome->findChild<QListWidget *>(QStringLiteral("welcomeModels"));
        QCOMPARE(models->count(), 3);
        QCOMPARE(models->item(0)->text(), QStringLiteral("gpt-4.1"));
        models->item(0)->setCheckState(Qt::Checked);
        auto *next = welcome->findChild<QPushButton *>(QStringLiteral("welcomeNext"));
        QVERIFY2(next->text().contains(u'1'), qPrintable(next->text()));
        shoot(&window, QStringLiteral("welcome-models"));
        QVERIFY(click(welcome, "welcomeNext"));
        // The last step is the Connect page.
        QVERIFY(!window.welcomeShown());
        QCOMPARE(window.currentPage(), static_cast<QWidget *>(window.connectPage()));
        QTRY_VERIFY(!host.config().models.isEmpty());

        // Saved: the provider with its address, the mapping under the vendor's id, no key.
        QFile f(configPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray saved = f.readAll();
        const QJsonObject root = QJsonDocument::fromJson(saved).object();
        const QJsonObject provider = root.value(u"providers").toArray().at(0).toObject();
        QCOMPARE(provider.value(u"name").toString(), QStringLiteral("openai"));
        QCOMPARE(provider.value(u"base_url").toString(), m_openai.url(QStringLiteral("/v1")));
        const QJsonObject mapping = root.value(u"models").toArray().at(0).toObject();
        QCOMPARE(mapping.value(u"name").toString(), QStringLiteral("gpt-4.1"));
        QCOMPARE(mapping.value(u"model").toString(), QStringLiteral("gpt-4.1"));
        QVERIFY(!saved.contains("sk-firstrun-env"));

        // A client on this machine gets a streamed answer from the mapped model.
        QSignalSpy state(&host, &GatewayHost::stateChanged);
        ListenAddress any;
        any.port = 0;
        host.start(any);
        QVERIFY(state.wait(10000));
        QVERIFY2(state.last().at(0).toBool(), qPrintable(state.last().at(2).toString()));
        const quint16 port = quint16(QUrl(host.url()).port());
        ConnectPage *connectPage = window.connectPage();
        QCOMPARE(connectPage->seenText(QStringLiteral("continue")),
                 ClientGuides::tr("not seen yet"));
        QVERIFY2(connectPage->snippet(QStringLiteral("continue")).contains(host.url()),
                 qPrintable(connectPage->snippet(QStringLiteral("continue"))));
        QVERIFY(connectPage->snippet(QStringLiteral("continue")).contains(u"model: gpt-4.1"));

        m_openai.clear();
        RawHttp c(port);
        const auto r = c.request("POST", "/api/chat",
                                 "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\","
                                 "\"content\":\"hi\"}]}",
                                 {"User-Agent: Continue/1.2.3"});
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QString text;
        int lines = 0;
        for (const QByteArray &line : r->body.split('\n')) {
            if (line.isEmpty())
                continue;
            ++lines;
            text += QJsonDocument::fromJson(line)
                        .object()
                        .value(u"message")
                        .toObject()
                        .value(u"content")
                        .toString();
        }
        QCOMPARE(text, QStringLiteral("Hello from the fake"));
        QVERIFY2(lines >= 4, "streamed: a line per piece and the final one");
        QCOMPARE(m_openai.last().path, QByteArray("/v1/chat/completions"));
        QCOMPARE(m_openai.last().header("authorization"), QByteArray("Bearer sk-firstrun-env"));
        QCOMPARE(m_openai.last().json().value(u"model").toString(), QStringLiteral("gpt-4.1"));

        // The Connect page has seen Continue, and only Continue.
        QTRY_VERIFY(connectPage->lastSeen(ClientApp::Continue).isValid());
        QCOMPARE(connectPage->seenText(QStringLiteral("continue")),
                 ClientGuides::tr("last request just now"));
        QCOMPARE(connectPage->seenText(QStringLiteral("zed")), ClientGuides::tr("not seen yet"));
        shoot(&window, QStringLiteral("settings-connect"));

        // Never offered again once a provider exists.
        QSignalSpy reloaded(&host, &GatewayHost::configChanged);
        SettingsWindow again(host);
        QSettings().remove(QStringLiteral("app/welcomeDismissed")); // the provider alone decides
        again.offerWelcome();
        host.setConfigPath(configPath());
        QVERIFY(reloaded.wait(10000));
        QVERIFY(!again.welcomeShown());
    }

    // A key pasted into the field is tested at once, with that key, against the preset's
    // address (here pointed at the fake).
    void aPastedKeyIsTestedAtOnce()
    {
        GatewayHost host;
        host.setConfigPath(m_dir.filePath(QStringLiteral("pasted.json")));
        SettingsWindow window(host);
        window.showPage(SettingsWindow::Page::Welcome);
        WelcomePage *welcome = window.welcomePage();
        auto *choices = welcome->findChild<QListWidget *>(QStringLiteral("choiceList"));
        for (int i = 0; i < choices->count(); ++i)
            if (choices->item(i)->data(Qt::UserRole).toString() == u"groq")
                choices->setCurrentRow(i);
        QVERIFY(click(welcome, "welcomeNext"));
        QCOMPARE(welcome->step(), WelcomePage::Step::Connect);
        auto *verdict = welcome->findChild<QLabel *>(QStringLiteral("welcomeVerdict"));
        QVERIFY2(verdict->text().isEmpty(), "no key, no test yet");
        welcome->findChild<QLineEdit *>(QStringLiteral("welcomeBaseUrl"))
            ->setText(m_openai.url(QStringLiteral("/v1")));
        m_openai.clear();
        QApplication::clipboard()->setText(QStringLiteral("gsk-pasted-key-123456"));
        auto *key = welcome->findChild<QLineEdit *>(QStringLiteral("welcomeKey"));
        key->setFocus();
        key->paste();
        QTRY_VERIFY2(welcome->findChild<QPushButton *>(QStringLiteral("welcomeNext"))->isEnabled(),
                     qPrintable(verdict->text()));
        QCOMPARE(m_openai.requestCount(), 1);
        QCOMPARE(m_openai.last().header("authorization"),
                 QByteArray("Bearer gsk-pasted-key-123456"));
        QVERIFY2(verdict->text().contains(u"groq"), qPrintable(verdict->text()));
    }

    void skippedAtTheFirstStepAndNotOfferedAgain()
    {
        QSettings().remove(QStringLiteral("app/welcomeDismissed"));
        const QString path = m_dir.filePath(QStringLiteral("other.json"));
        GatewayHost host;
        host.setConfigPath(path);
        SettingsWindow window(host);
        window.offerWelcome();
        QTRY_VERIFY(window.welcomeShown());
        QVERIFY(click(window.welcomePage(), "welcomeSkip"));
        QVERIFY(!window.welcomeShown());
        QCOMPARE(window.currentPage(), static_cast<QWidget *>(window.providersPage()));
        QVERIFY(!QFile::exists(path)); // nothing was written

        QSignalSpy changed(&host, &GatewayHost::configChanged);
        SettingsWindow again(host);
        again.offerWelcome();
        host.setConfigPath(path);
        QVERIFY(changed.wait(10000));
        QVERIFY(!again.welcomeShown());
    }

    // The Server page names the address the gateway really listens on and why; a change made
    // there restarts the listener without losing --listen.
    void theServerPageTellsTheTruth()
    {
        const QString path = m_dir.filePath(QStringLiteral("server.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"listen\":\"127.0.0.1:9\"}");
        f.close();
        QTcpServer probe; // a free port for --listen
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const QString flag = QStringLiteral("127.0.0.1:%1").arg(port);

        GatewayHost host;
        host.setListenOverrides(flag, QString());
        QSignalSpy changed(&host, &GatewayHost::configChanged);
        host.setConfigPath(path);
        QVERIFY(changed.wait(10000));
        SettingsWindow window(host);
        ServerPage *page = window.serverPage();
        QSignalSpy state(&host, &GatewayHost::stateChanged);
        host.start(*ListenAddress::parse(flag, nullptr));
        QVERIFY(state.wait(10000));
        QVERIFY2(state.last().at(0).toBool(), qPrintable(state.last().at(2).toString()));
        QVERIFY2(page->listenSourceText().contains(QStringLiteral("http://") + flag),
                 qPrintable(page->listenSourceText()));
        QVERIFY2(page->listenSourceText().contains(u"--listen"),
                 qPrintable(page->listenSourceText()));
        // The config's address is what the page edits; the flag still wins after an apply that
        // restarts the listener (server settings changed).
        QCOMPARE(page->findChild<QSpinBox *>(QStringLiteral("listenPortSpin"))->value(), 9);
        page->findChild<QPlainTextEdit *>(QStringLiteral("originsEdit"))
            ->setPlainText(QStringLiteral("https://chat.example.com"));
        state.clear();
        page->apply();
        QVERIFY(state.wait(10000));
        QCOMPARE(QUrl(host.url()).port(), int(port));
        QCOMPARE(RawHttp(port).request("GET", "/api/version")->status, 200);
        window.showPage(SettingsWindow::Page::Server);
        shoot(&window, QStringLiteral("settings-server-source"));

        // A language change says when it applies and offers the restart.
        auto *restart = page->findChild<QPushButton *>(QStringLiteral("restartButton"));
        QVERIFY(!restart->isVisibleTo(page));
        auto *language = page->findChild<QComboBox *>(QStringLiteral("languageCombo"));
        language->setCurrentIndex(language->findData(QStringLiteral("de")));
        QVERIFY(restart->isVisibleTo(page));
        QSignalSpy asked(page, &ServerPage::restartRequested);
        QTest::mouseClick(restart, Qt::LeftButton);
        QCOMPARE(asked.count(), 1);
        QSettings().remove(QStringLiteral("ui/language"));

        // Beyond loopback: the token, and whether programs on this computer need it too.
        auto *check = page->findChild<QCheckBox *>(QStringLiteral("tokenLocalCheck"));
        QVERIFY(!check->isVisibleTo(page));
        page->findChild<QLineEdit *>(QStringLiteral("listenHostEdit"))
            ->setText(QStringLiteral("0.0.0.0"));
        QVERIFY(check->isVisibleTo(page));
        page->findChild<QLineEdit *>(QStringLiteral("tokenEdit"))->setText(QStringLiteral("tok"));
        check->setChecked(true);
        changed.clear();
        page->apply();
        QVERIFY(changed.wait(10000));
        QVERIFY(host.config().server.tokenForLocalClients);
        QCOMPARE(host.config().server.token, QStringLiteral("tok"));
        QCOMPARE(QUrl(host.url()).port(), int(port)); // --listen still wins
    }

    // After a restart the Connect page still knows who was seen, from the JSONL request log.
    void theConnectPageRemembersFromTheLogFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("requests.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QDateTime now = QDateTime::currentDateTime();
        RequestRecord zed;
        zed.started = now.addSecs(-2 * 3600 - 60);
        zed.app = ClientApp::Zed;
        RequestRecord older = zed;
        older.started = now.addDays(-3);
        RequestRecord anonymous;
        anonymous.started = now;
        f.write("{\"half a line\": \"app\"\n"); // a torn line is skipped
        for (const RequestRecord &r : {older, zed, anonymous})
            f.write(RequestLogFile::toJsonLine(r) + '\n');
        f.close();

        GatewayHost host;
        ConnectPage page(host);
        page.loadHistory(path);
        QCOMPARE(page.lastSeen(ClientApp::Zed).toSecsSinceEpoch(), zed.started.toSecsSinceEpoch());
        QCOMPARE(page.seenText(QStringLiteral("zed")),
                 ClientGuides::tr("last request %n hour(s) ago", nullptr, 2));
        QCOMPARE(page.seenText(QStringLiteral("continue")), ClientGuides::tr("not seen yet"));
        page.loadHistory(m_dir.filePath(QStringLiteral("missing.jsonl"))); // no file: nothing
        QVERIFY(page.lastSeen(ClientApp::Zed).isValid());
    }

    // The lines carry the token only where clients need it: a listener beyond loopback.
    void theConnectPageCarriesTheTokenBeyondLoopback()
    {
        const QString path = m_dir.filePath(QStringLiteral("token.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"listen\":\"0.0.0.0:18555\",\"server\":{\"token\":\"gw-tok-42\"}}");
        f.close();
        GatewayHost host;
        ConnectPage page(host);
        QSignalSpy changed(&host, &GatewayHost::configChanged);
        host.setConfigPath(path);
        QVERIFY(changed.wait(10000));
        QCOMPARE(page.snippet(QStringLiteral("claude-code")),
                 QStringLiteral("export ANTHROPIC_BASE_URL=http://127.0.0.1:18555\n"
                                "export ANTHROPIC_AUTH_TOKEN=gw-tok-42"));
        QVERIFY(page.snippet(QStringLiteral("openai-sdk")).contains(u"OPENAI_API_KEY=gw-tok-42"));

        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\"listen\":\"127.0.0.1:18555\",\"server\":{\"token\":\"gw-tok-42\"}}");
        f.close();
        host.setConfigPath(path);
        QVERIFY(changed.wait(10000));
        QVERIFY2(
            page.snippet(QStringLiteral("claude-code")).endsWith(u"ANTHROPIC_AUTH_TOKEN=unused"),
            qPrintable(page.snippet(QStringLiteral("claude-code"))));
        QVERIFY(!page.snippet(QStringLiteral("continue")).contains(u"gw-tok-42"));
    }

    void theTrayOpensTheConnectPage()
    {
        GatewayHost host;
        TrayController tray(host, ListenAddress{});
        QSignalSpy asked(&tray, &TrayController::connectRequested);
        QVERIFY(tray.connectAction());
        tray.connectAction()->trigger();
        QCOMPARE(asked.count(), 1);
    }
};

int main(int argc, char **argv)
{
    // A fresh user: own HOME and settings; a key in the environment; nothing beyond loopback
    // (a proxy that refuses, so the preset's real address fails at once).
    QTemporaryDir home;
    qputenv("HOME", home.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/.config")).toUtf8());
    qputenv("OPENAI_API_KEY", "sk-firstrun-env");
    qputenv("HTTPS_PROXY", "http://127.0.0.1:9");
    qputenv("HTTP_PROXY", "http://127.0.0.1:9");
    qputenv("NO_PROXY", "127.0.0.1,localhost");
    qunsetenv("OLLAMA_HOST");
    qunsetenv("LLM_GATEWAY_TOKEN");
    QApplication app(argc, argv);
    if (const QString lang = qEnvironmentVariable("LLMGW_SCREENSHOT_LANG"); !lang.isEmpty())
        gw::language::install(lang);
    QCoreApplication::setOrganizationName(QStringLiteral("llm-gateway-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_firstrun"));
    TstFirstRun t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_firstrun.moc"
