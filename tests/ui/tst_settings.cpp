// The settings window over a real Gateway on its GatewayHost thread, with real loopback HTTP to
// fake upstreams: edits in the window change what real requests do.

#include "fakeserver.h"
#include "hostfixture.h"
#include "language.h"
#include "mappingtablemodel.h"
#include "modelspage.h"
#include "providerdialog.h"
#include "providerspage.h"
#include "rawhttp.h"
#include "serverpage.h"
#include "settingswindow.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace gw;
using namespace gwtest;

namespace {

QByteArray sseText(const QString &text)
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

void answerWith(FakeServer &fake, const QString &text)
{
    fake.on("POST", "/v1/chat/completions", [text](const Received &) {
        return Reply::sse({sseText(text), "data: [DONE]\n\n"});
    });
}

QByteArray chat(quint16 port, const QByteArray &model)
{
    RawHttp c(port);
    const auto r = c.request("POST", "/api/chat",
                             "{\"model\":\"" + model +
                                 "\",\"stream\":false,\"messages\":[{\"role\":\"user\","
                                 "\"content\":\"hi\"}]}");
    return r ? r->body : QByteArray("no answer");
}

// Clicks the push button named `name` under `parent`; false (and a warning) when there is none.
bool click(QWidget *parent, const QString &name)
{
    auto *button = parent->findChild<QPushButton *>(name);
    if (!button) {
        qWarning("no button %s", qPrintable(name));
        return false;
    }
    QTest::mouseClick(button, Qt::LeftButton);
    return true;
}

// The text of a table cell; empty while the cell has no item.
QString cellText(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

} // namespace

class TstSettings : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    FakeServer m_a, m_b;
    gwtest::HostFixture m_gw;
    GatewayHost *const m_host = &m_gw.host();
    std::unique_ptr<SettingsWindow> m_window;
    quint16 m_port = 0;

    QString configPath() const { return m_gw.configPath(); }

    // Screenshots for looking at the window: LLMGW_SCREENSHOT_DIR=/some/dir.
    void shoot(QWidget *w, const QString &name)
    {
        const QString dir = qEnvironmentVariable("LLMGW_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            w->grab().save(QStringLiteral("%1/%2.png").arg(dir, name));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        answerWith(m_a, QStringLiteral("from-A"));
        answerWith(m_b, QStringLiteral("from-B"));
        Config c;
        c.providers.append(
            {QStringLiteral("pa"), QStringLiteral("openai"), m_a.url(QStringLiteral("/v1")), {}});
        c.providers.append(
            {QStringLiteral("pb"), QStringLiteral("openai"), m_b.url(QStringLiteral("/v1")), {}});
        c.models.append(
            {QStringLiteral("m"), QStringLiteral("pa"), QStringLiteral("model-a"), 0, {}, {}});
        c.models.append({QStringLiteral("coder"),
                         QStringLiteral("pb"),
                         QStringLiteral("model-b"),
                         128000,
                         {QStringLiteral("tools")},
                         {}});

        // A keychain service of the test's own: never the user's real keys.
        m_host->useKeychain(
            QStringLiteral("llm-gateway-test-%1").arg(QCoreApplication::applicationPid()));
        QSignalSpy changed(m_host, &GatewayHost::configChanged);
        QVERIFY2(m_gw.configure(c.toJson()), qPrintable(m_gw.error()));
        QVERIFY(changed.wait(5000));
        QVERIFY2(m_gw.start(), qPrintable(m_gw.error()));
        m_port = m_gw.port();
        m_window = std::make_unique<SettingsWindow>(*m_host);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase()
    {
        m_window.reset(); // before the host it shows
    }

    void providersTableShowsConfig()
    {
        m_window->showPage(SettingsWindow::Page::Providers);
        auto *table = m_window->findChild<QTableWidget *>(QStringLiteral("providersTable"));
        QVERIFY(table);
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(cellText(table, 0, 0), QStringLiteral("pa"));
        QCOMPARE(cellText(table, 0, 2), m_a.url(QStringLiteral("/v1")));
        // A loopback OpenAI-compatible server needs no key, and the table says so.
        QTRY_COMPARE(cellText(table, 0, 3), QStringLiteral("none (not needed on a local server)"));
        shoot(m_window.get(), QStringLiteral("settings-providers"));
    }

    // A fresh install: no providers, no mappings; each page says what to do.
    void emptyStatesSayWhatToDo()
    {
        GatewayHost host;
        SettingsWindow w(host);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *empty = w.findChild<QLabel *>(QStringLiteral("providersEmpty"));
        auto *providers = w.findChild<QTableWidget *>(QStringLiteral("providersTable"));
        QVERIFY(empty && providers);
        QVERIFY(empty->isVisible());
        QVERIFY(empty->text().startsWith(QStringLiteral("No providers yet")));
        QVERIFY(!providers->isVisible());
        shoot(&w, QStringLiteral("settings-providers-empty"));
        w.showPage(SettingsWindow::Page::Models);
        auto *mappingMessage = w.findChild<QLabel *>(QStringLiteral("mappingMessage"));
        QVERIFY(mappingMessage);
        QVERIFY(mappingMessage->text().startsWith(QStringLiteral("No mappings yet")));
        shoot(&w, QStringLiteral("settings-models-empty"));
    }

    void editingMappingChangesRouting()
    {
        QVERIFY(chat(m_port, "m").contains("from-A"));
        m_window->showPage(SettingsWindow::Page::Models);
        ModelsPage *page = m_window->modelsPage();
        QTableView *table = page->table();
        const QModelIndex cell = page->model()->index(0, MappingTableModel::Provider);
        // Through the table's own editor: a list of the configured providers.
        table->setCurrentIndex(cell);
        table->edit(cell);
        auto *combo = table->viewport()->findChild<QComboBox *>();
        QVERIFY(combo);
        QVERIFY(combo->findText(QStringLiteral("pb")) >= 0);
        combo->setCurrentIndex(combo->findText(QStringLiteral("pb")));
        QTest::keyClick(combo, Qt::Key_Return);
        QTRY_COMPARE(cell.data().toString(), QStringLiteral("pb"));
        shoot(m_window.get(), QStringLiteral("settings-models"));

        auto *apply = page->findChild<QPushButton *>(QStringLiteral("applyMappingsButton"));
        QVERIFY(apply);
        QVERIFY(apply->isEnabled());
        QSignalSpy changed(m_host, &GatewayHost::configChanged);
        QTest::mouseClick(apply, Qt::LeftButton);
        QVERIFY(changed.wait(5000));
        QCOMPARE(m_host->config().models.at(0).provider, QStringLiteral("pb"));
        QVERIFY(!apply->isEnabled());

        const int before = m_b.requestCount();
        QVERIFY(chat(m_port, "m").contains("from-B"));
        QCOMPARE(m_b.requestCount(), before + 1);
        QCOMPARE(m_b.last().json().value(QStringLiteral("model")).toString(),
                 QStringLiteral("model-a"));
        // Saved to the file, which the app would load next time.
        QFile f(configPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto saved = Config::fromJson(f.readAll(), {}, {}, nullptr);
        QVERIFY(saved);
        QVERIFY(!saved->models.isEmpty());
        QCOMPARE(saved->models.at(0).provider, QStringLiteral("pb"));
    }

    // Copilot picks prompts and edit tools by the model id's prefix: a new row named after its
    // upstream model keeps the vendor's id.
    void newRowsProposeTheVendorsId()
    {
        using M = MappingTableModel;
        QCOMPARE(M::proposedName(QStringLiteral("claude-sonnet-4-5")),
                 QStringLiteral("claude-sonnet-4-5"));
        QCOMPARE(M::proposedName(QStringLiteral("anthropic/claude-sonnet-4.5")),
                 QStringLiteral("claude-sonnet-4.5"));
        QCOMPARE(M::proposedName(QStringLiteral("models/gemini-2.5-pro")),
                 QStringLiteral("gemini-2.5-pro"));
        QCOMPARE(M::proposedName(QStringLiteral("meta-llama/Llama-3.1-8B-Instruct:novita")),
                 QStringLiteral("Llama-3.1-8B-Instruct"));
        QCOMPARE(M::proposedName(QStringLiteral("qwen2.5-coder:7b")),
                 QStringLiteral("qwen2.5-coder:7b"));

        MappingTableModel *model = m_window->modelsPage()->model();
        const int row = model->addRow();
        model->setData(model->index(row, M::Upstream), QStringLiteral("openai/gpt-5"),
                       Qt::EditRole);
        QCOMPARE(model->index(row, M::Name).data().toString(), QStringLiteral("gpt-5"));
        // A name the user gave is kept.
        model->setData(model->index(row, M::Name), QStringLiteral("mine"), Qt::EditRole);
        model->setData(model->index(row, M::Upstream), QStringLiteral("gpt-4o"), Qt::EditRole);
        QCOMPARE(model->index(row, M::Name).data().toString(), QStringLiteral("mine"));
        model->removeRow(row);
    }

    void invalidInputShowsValidation()
    {
        ModelsPage *page = m_window->modelsPage();
        auto *message = page->findChild<QLabel *>(QStringLiteral("mappingMessage"));
        auto *apply = page->findChild<QPushButton *>(QStringLiteral("applyMappingsButton"));
        QVERIFY(message && apply);
        MappingTableModel *model = page->model();
        const int row = model->addRow();
        model->setData(model->index(row, MappingTableModel::Name), QStringLiteral("M:latest"),
                       Qt::EditRole);
        model->setData(model->index(row, MappingTableModel::Upstream), QStringLiteral("x"),
                       Qt::EditRole);
        QVERIFY2(message->text().contains(QStringLiteral("used twice")),
                 qPrintable(message->text()));
        QVERIFY(!apply->isEnabled());
        QVERIFY(model->index(row, MappingTableModel::Name).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model->index(row, MappingTableModel::Upstream).data(Qt::BackgroundRole).isValid());

        model->setData(model->index(row, MappingTableModel::Name), QStringLiteral("other"),
                       Qt::EditRole);
        model->setData(model->index(row, MappingTableModel::Provider), QStringLiteral("nope"),
                       Qt::EditRole);
        QVERIFY2(message->text().contains(QStringLiteral("unknown provider 'nope'")),
                 qPrintable(message->text()));
        QVERIFY(model->index(row, MappingTableModel::Provider).data(Qt::BackgroundRole).isValid());
        QVERIFY(!apply->isEnabled());
        shoot(m_window.get(), QStringLiteral("settings-models-invalid"));

        auto *revert = page->findChild<QPushButton *>(QStringLiteral("revertMappingsButton"));
        QVERIFY(revert);
        QTest::mouseClick(revert, Qt::LeftButton);
        QCOMPARE(model->rowCount(), 2);
        QVERIFY(model->firstError().isEmpty());
    }

    void importExportRoundTrip()
    {
        ModelsPage *page = m_window->modelsPage();
        const QString file = m_dir.filePath(QStringLiteral("mappings.json"));
        QString error;
        QVERIFY2(page->exportTo(file, &error), qPrintable(error));
        const QList<ModelMapping> before = page->model()->mappings();
        page->model()->removeRow(0);
        QVERIFY2(page->importFrom(file, &error), qPrintable(error));
        QCOMPARE(page->model()->mappings(), before);

        QVERIFY(writeFile(file, "{\"models\":[{\"name\":\"a\",\"provider\":\"ghost\","
                                "\"model\":\"b\"}]}"));
        QVERIFY(!page->importFrom(file, &error));
        QVERIFY2(error.contains(QStringLiteral("unknown provider 'ghost'")), qPrintable(error));
        QCOMPARE(page->model()->mappings(), before); // the table is left as it was
        // A wrong type in the file names its line and field.
        QVERIFY(writeFile(file, "[{\"name\":\"a\",\"provider\":\"echo\",\"model\":\"b\",\n"
                                "\"context_length\":\"big\"}]"));
        QVERIFY(!page->importFrom(file, &error));
        QVERIFY2(error.contains(QStringLiteral("models[0].context_length must be a positive whole "
                                               "number, not a string")),
                 qPrintable(error));
        QCOMPARE(page->model()->mappings(), before);
        page->revert();
    }

    void tryItStreamsAnAnswer()
    {
        ModelsPage *page = m_window->modelsPage();
        auto *combo = page->findChild<QComboBox *>(QStringLiteral("tryModelCombo"));
        auto *prompt = page->findChild<QLineEdit *>(QStringLiteral("tryPromptEdit"));
        auto *output = page->findChild<QPlainTextEdit *>(QStringLiteral("tryOutput"));
        QVERIFY(combo && prompt && output);
        combo->setCurrentIndex(combo->findText(QStringLiteral("echo")));
        prompt->setText(QStringLiteral("three little words"));
        QSignalSpy pieces(m_host, &GatewayHost::tryOutput);
        QSignalSpy finished(m_host, &GatewayHost::tryFinished);
        QVERIFY(click(page, QStringLiteral("trySendButton")));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.last().at(1).toString(), QString());
        QVERIFY(pieces.size() >= 3); // streamed word by word
        QCOMPARE(output->toPlainText().trimmed(), QStringLiteral("three little words"));

        // An applied mapping to an upstream.
        combo->setCurrentIndex(combo->findText(QStringLiteral("coder")));
        QVERIFY(click(page, QStringLiteral("trySendButton")));
        QVERIFY(finished.wait(5000));
        QCOMPARE(output->toPlainText(), QStringLiteral("from-B"));
        shoot(m_window.get(), QStringLiteral("settings-models-try"));
    }

    void nonLoopbackListenShowsWarning()
    {
        m_window->showPage(SettingsWindow::Page::Server);
        ServerPage *page = m_window->serverPage();
        auto *host = page->findChild<QLineEdit *>(QStringLiteral("listenHostEdit"));
        auto *apply = page->findChild<QPushButton *>(QStringLiteral("applyServerButton"));
        auto *error = page->findChild<QLabel *>(QStringLiteral("serverError"));
        auto *token = page->findChild<QLineEdit *>(QStringLiteral("tokenEdit"));
        QVERIFY(host && apply && error && token);
        QCOMPARE(host->text(), QStringLiteral("127.0.0.1"));
        QVERIFY(!page->warningShown());
        shoot(m_window.get(), QStringLiteral("settings-server"));

        host->setText(QStringLiteral("0.0.0.0"));
        QVERIFY(page->warningShown());
        QVERIFY(token->isVisibleTo(page));
        QVERIFY(!apply->isEnabled()); // no token yet
        QVERIFY(error->text().contains(QStringLiteral("access token")));
        shoot(m_window.get(), QStringLiteral("settings-server-warning"));

        host->setText(QStringLiteral("not an address!"));
        QVERIFY(!apply->isEnabled());
        host->setText(QStringLiteral("127.0.0.1"));
        QVERIFY(!page->warningShown());
        QVERIFY(apply->isEnabled());
    }

    void applyRestartsListener()
    {
        ServerPage *page = m_window->serverPage();
        // A free port: bind, note it, release.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 newPort = probe.serverPort();
        probe.close();
        auto *port = page->findChild<QSpinBox *>(QStringLiteral("listenPortSpin"));
        QVERIFY(port);
        port->setValue(newPort);
        QSignalSpy state(m_host, &GatewayHost::stateChanged);
        QVERIFY(click(page, QStringLiteral("applyServerButton")));
        QVERIFY(state.wait(5000));
        QVERIFY2(state.last().at(0).toBool(), qPrintable(state.last().at(2).toString()));
        QCOMPARE(QUrl(m_host->url()).port(), int(newPort));
        QVERIFY(chat(newPort, "echo").contains("hi"));
        RawHttp old(m_port);
        QVERIFY(!old.connect(500) || !old.request("GET", "/api/version"));
        m_port = newPort;
    }

    void testConnectionReports401InWords()
    {
        FakeServer bad;
        bad.on("GET", "/v1/models", [](const Received &) {
            return Reply::json(401, "{\"error\":{\"message\":\"Incorrect API key provided\","
                                    "\"type\":\"invalid_request_error\",\"code\":"
                                    "\"invalid_api_key\"}}");
        });
        Config c = m_host->config();
        c.providers.append(
            {QStringLiteral("bad"), QStringLiteral("openai"), bad.url(QStringLiteral("/v1")), {}});
        QSignalSpy changed(m_host, &GatewayHost::configChanged);
        m_host->applyConfig(c);
        QVERIFY(changed.wait(5000));

        m_window->showPage(SettingsWindow::Page::Providers);
        auto *table = m_window->findChild<QTableWidget *>(QStringLiteral("providersTable"));
        auto *result = m_window->findChild<QLabel *>(QStringLiteral("testResult"));
        QVERIFY(table && result);
        QTRY_COMPARE(table->rowCount(), 3);
        table->selectRow(2);
        QVERIFY(click(m_window.get(), QStringLiteral("testConnectionButton")));
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(u"rejected"), 10000);
        QVERIFY2(result->text().startsWith(QStringLiteral("bad rejected the API key")),
                 qPrintable(result->text()));
        QCOMPARE(bad.last().path, QByteArray("/v1/models"));

        // And a working one counts the models.
        m_a.on("GET", "/v1/models", [](const Received &) {
            return Reply::json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"model-a\"},"
                                    "{\"id\":\"model-a2\"}]}");
        });
        table->selectRow(0);
        QVERIFY(click(m_window.get(), QStringLiteral("testConnectionButton")));
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(u"connected"), 10000);
        QCOMPARE(result->text(), QStringLiteral("pa: connected — 2 models"));
        shoot(m_window.get(), QStringLiteral("settings-providers-tested"));
    }

    // The upstream model column suggests the provider's own model ids.
    void upstreamModelSuggestions()
    {
        m_b.on("GET", "/v1/models", [](const Received &) {
            return Reply::json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"zeta-1\"},"
                                    "{\"id\":\"alpha-2\"}]}");
        });
        m_window->showPage(SettingsWindow::Page::Models);
        ModelsPage *page = m_window->modelsPage();
        QSignalSpy listed(m_host, &GatewayHost::upstreamModelsListed);
        const QModelIndex cell = page->model()->index(1, MappingTableModel::Upstream); // on pb
        page->table()->setCurrentIndex(cell);
        QVERIFY(listed.wait(5000));
        QCOMPARE(page->suggestions(QStringLiteral("pb")),
                 (QStringList{QStringLiteral("alpha-2"), QStringLiteral("zeta-1")}));
        page->table()->edit(cell);
        auto *combo = page->table()->viewport()->findChild<QComboBox *>();
        QVERIFY(combo);
        QVERIFY(combo->isEditable());
        QCOMPARE(combo->count(), 2);
        QCOMPARE(combo->currentText(), QStringLiteral("model-b"));
        QTest::keyClick(combo, Qt::Key_Escape);
    }

    void addProviderStoresKeyInKeychain()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no D-Bus session bus: run through scripts/test.sh (gnome-keyring under "
                  "dbus-run-session)");
        const QString key = QStringLiteral("sk-settings-test-99887766");
        FakeServer keyed;
        answerWith(keyed, QStringLiteral("from-keyed"));

        m_window->showPage(SettingsWindow::Page::Providers);
        ProviderDialog *dialog = m_window->providersPage()->addProvider();
        QVERIFY(dialog);
        auto *preset = dialog->findChild<QComboBox *>(QStringLiteral("presetCombo"));
        auto *nameEdit = dialog->findChild<QLineEdit *>(QStringLiteral("nameEdit"));
        auto *baseUrlEdit = dialog->findChild<QLineEdit *>(QStringLiteral("baseUrlEdit"));
        auto *keyEdit = dialog->findChild<QLineEdit *>(QStringLiteral("keyEdit"));
        QVERIFY(preset && nameEdit && baseUrlEdit && keyEdit);
        preset->setCurrentIndex(preset->findData(QStringLiteral("custom:openai")));
        nameEdit->setText(QStringLiteral("keyed"));
        baseUrlEdit->setText(keyed.url(QStringLiteral("/v1")));
        QCOMPARE(keyEdit->echoMode(), QLineEdit::Password);
        keyEdit->setText(key);
        shoot(dialog, QStringLiteral("settings-provider-dialog"));
        QSignalSpy stored(m_host, &GatewayHost::keyOperationFinished);
        QSignalSpy changed(m_host, &GatewayHost::configChanged);
        dialog->findChild<QDialogButtonBox *>(QStringLiteral("dialogButtons"))
            ->button(QDialogButtonBox::Ok)
            ->click();
        QVERIFY(stored.wait(20000));
        QVERIFY2(stored.last().at(1).toBool(), qPrintable(stored.last().at(2).toString()));
        QTRY_VERIFY(m_host->config().provider(QStringLiteral("keyed")));

        auto *table = m_window->findChild<QTableWidget *>(QStringLiteral("providersTable"));
        QVERIFY(table);
        QTRY_COMPARE(table->rowCount(), 4);
        QTRY_COMPARE(cellText(table, 3, 3), QStringLiteral("stored in keychain"));

        // Map a model to it and make a real request: the key reaches the upstream.
        Config c = m_host->config();
        c.models.append(
            {QStringLiteral("km"), QStringLiteral("keyed"), QStringLiteral("x"), 0, {}, {}});
        m_host->applyConfig(c);
        QTRY_VERIFY(m_host->config().models.size() == 3);
        QVERIFY(chat(m_port, "km").contains("from-keyed"));
        QCOMPARE(keyed.last().header("authorization"), "Bearer " + key.toUtf8());

        // Never in the file, never shown again.
        QFile f(configPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains(key.toUtf8()));
        ProviderDialog *edit = m_window->providersPage()->editProvider(3);
        QVERIFY(edit);
        auto *editKey = edit->findChild<QLineEdit *>(QStringLiteral("keyEdit"));
        QVERIFY(editKey);
        QVERIFY(editKey->text().isEmpty());
        QCOMPARE(editKey->placeholderText(), QStringLiteral("•••• stored in keychain"));
        edit->reject();

        // Delete it again (the keyring of the test session is throwaway, but stay tidy).
        m_host->deleteKey(QStringLiteral("keyed"));
        QVERIFY(stored.wait(20000));
        QVERIFY(stored.last().at(1).toBool());
        QTRY_COMPARE(cellText(table, 3, 3), QStringLiteral("none (not needed on a local server)"));
    }

    void handEditIsAppliedAndErrorsShown()
    {
        auto *banner = m_window->findChild<QLabel *>(QStringLiteral("configBanner"));
        QVERIFY(banner);
        QSignalSpy changed(m_host, &GatewayHost::configChanged);
        QSignalSpy failed(m_host, &GatewayHost::configError);
        Config c = m_host->config();
        c.models.append({QStringLiteral("handmade"),
                         QStringLiteral("echo"),
                         QStringLiteral("echo"),
                         0,
                         {},
                         {}});
        QVERIFY(writeFile(configPath(), c.toJson()));
        QVERIFY(changed.wait(5000));
        QTRY_VERIFY(m_host->config().models.last().name == u"handmade");
        QVERIFY(chat(m_port, "handmade").contains("hi"));

        // A broken edit: the old config keeps working and the window says what is wrong.
        QVERIFY(writeFile(configPath(), "{\n  \"models\": [\n    {\"name\": \"x\",,}\n  ]\n}\n"));
        QVERIFY(failed.wait(5000));
        QVERIFY(banner->isVisibleTo(m_window.get()));
        QVERIFY2(banner->text().contains(QStringLiteral("config.json:3:")),
                 qPrintable(banner->text()));
        shoot(m_window.get(), QStringLiteral("settings-config-error"));
        QVERIFY(chat(m_port, "handmade").contains("hi"));

        // A field error names the field.
        QVERIFY(writeFile(configPath(), "{\"models\": [{\"name\": \"y\", \"provider\": "
                                        "\"ghost\", \"model\": \"z\"}]}"));
        QVERIFY(failed.wait(5000));
        QVERIFY2(banner->text().contains(QStringLiteral("models[0].provider")),
                 qPrintable(banner->text()));
        // Fixed again: the banner goes.
        QVERIFY(writeFile(configPath(), c.toJson()));
        QVERIFY(changed.wait(5000));
        QVERIFY(!banner->isVisibleTo(m_window.get()));
    }

    // The verdict of a failed connection test is in the user's language: it is worded by the
    // desktop adapter (DesktopWords), whose strings lupdate scans and the catalogues translate.
    // Names each provider tested, in turn (the old wording kept the first one's name). Shoots
    // the German window (LLMGW_SCREENSHOT_DIR): docs/screenshots/de/settings-providers-test-failed.
    void failedConnectionTestInGerman()
    {
        QVERIFY(language::install(QStringLiteral("de")));
        const auto uninstall = qScopeGuard([] {
            for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
                QCoreApplication::removeTranslator(t);
                delete t;
            }
            QLocale::setDefault(QLocale::c());
        });
        Config c = m_host->config();
        for (const char *name : {"groq", "mistral"}) {
            QTcpServer probe; // a port nothing listens on
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            const quint16 port = probe.serverPort();
            probe.close();
            c.providers.append({QString::fromLatin1(name),
                                QStringLiteral("openai"),
                                QStringLiteral("http://127.0.0.1:%1/v1").arg(port),
                                {}});
        }
        QSignalSpy changed(m_host, &GatewayHost::configChanged);
        m_host->applyConfig(c);
        QVERIFY(changed.wait(5000));

        SettingsWindow window(*m_host);
        window.resize(m_window->size());
        window.showPage(SettingsWindow::Page::Providers);
        window.show();
        auto *table = window.findChild<QTableWidget *>(QStringLiteral("providersTable"));
        auto *result = window.findChild<QLabel *>(QStringLiteral("testResult"));
        auto *test = window.findChild<QPushButton *>(QStringLiteral("testConnectionButton"));
        QVERIFY(table && result && test);
        QCOMPARE(test->text(), QStringLiteral("Verbindung testen"));
        for (const QString &name : {QStringLiteral("mistral"), QStringLiteral("groq")}) {
            const auto rows = table->findItems(name, Qt::MatchExactly);
            QVERIFY(!rows.isEmpty());
            table->selectRow(rows.first()->row());
            QSignalSpy tested(m_host, &GatewayHost::connectionTested);
            QTest::mouseClick(test, Qt::LeftButton);
            QVERIFY(tested.wait(20000));
            QCOMPARE(tested.first().at(0).toString(), name);
            const QString expected = QStringLiteral("Keine Verbindung zu %1 möglich: ").arg(name);
            QVERIFY2(result->text().startsWith(expected), qPrintable(result->text()));
        }
        shoot(&window, QStringLiteral("settings-providers-test-failed"));
    }
};

QTEST_MAIN(TstSettings)
#include "tst_settings.moc"
