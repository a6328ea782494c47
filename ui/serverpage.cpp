#include "serverpage.h"

#include "autostart.h"
#include "config/listenaddress.h"
#include "gatewayhost.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace gw {

ServerPage::ServerPage(GatewayHost &host, QWidget *parent) : QWidget(parent), m_host(host)
{
    setObjectName(QStringLiteral("serverPage"));
    auto *layout = new QVBoxLayout(this);

    auto *listenBox = new QGroupBox(tr("Listen"), this);
    auto *form = new QFormLayout(listenBox);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    auto *addressRow = new QHBoxLayout;
    m_host_ = new QLineEdit(listenBox);
    m_host_->setObjectName(QStringLiteral("listenHostEdit"));
    m_host_->setPlaceholderText(QStringLiteral("127.0.0.1"));
    m_port = new QSpinBox(listenBox);
    m_port->setObjectName(QStringLiteral("listenPortSpin"));
    m_port->setRange(1, 65535);
    m_port->setGroupSeparatorShown(false);
    addressRow->addWidget(m_host_, 1);
    addressRow->addWidget(new QLabel(tr("Port:"), listenBox));
    addressRow->addWidget(m_port);
    form->addRow(tr("Address:"), addressRow);
    // Where it really listens, and why: --listen and OLLAMA_HOST win over this page.
    m_source = new QLabel(listenBox);
    m_source->setObjectName(QStringLiteral("listenSource"));
    m_source->setWordWrap(true);
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_source);

    m_warning = new QLabel(
        tr("⚠ Beyond this computer: anyone on the network who can reach this address could use "
           "your API keys. Clients on other machines must send the access token below "
           "(Authorization: Bearer …); programs on this computer need none unless you ask for "
           "it."),
        listenBox);
    m_warning->setObjectName(QStringLiteral("listenWarning"));
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("QLabel { background: #fff4e5; color: #663c00; "
                                            "border: 1px solid #ffd699; border-radius: 4px; "
                                            "padding: 6px; }"));
    form->addRow(m_warning);
    m_token = new QLineEdit(listenBox);
    m_token->setObjectName(QStringLiteral("tokenEdit"));
    m_token->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_token->setPlaceholderText(tr("required beyond loopback (or set LLM_GATEWAY_TOKEN)"));
    m_tokenLabel = new QLabel(tr("Access token:"), listenBox);
    form->addRow(m_tokenLabel, m_token);
    m_tokenLocal =
        new QCheckBox(tr("Require the token from programs on this computer too"), listenBox);
    m_tokenLocal->setObjectName(QStringLiteral("tokenLocalCheck"));
    m_tokenLocal->setToolTip(tr("Off: IDE plugins on this computer (which often cannot send a "
                                "token) connect without it, as when listening on this computer "
                                "only."));
    form->addRow(m_tokenLocal);
    layout->addWidget(listenBox);

    auto *accessBox = new QGroupBox(tr("Browser access"), this);
    auto *accessLayout = new QVBoxLayout(accessBox);
    auto *originsNote =
        new QLabel(tr("Web pages allowed to call the gateway, one origin per line (e.g. "
                      "https://chat.example.com). Local pages and apps are always allowed."),
                   accessBox);
    originsNote->setWordWrap(true);
    accessLayout->addWidget(originsNote);
    m_origins = new QPlainTextEdit(accessBox);
    m_origins->setObjectName(QStringLiteral("originsEdit"));
    m_origins->setMaximumHeight(70);
    accessLayout->addWidget(m_origins);
    layout->addWidget(accessBox);

    auto *appBox = new QGroupBox(tr("Application"), this);
    auto *appForm = new QFormLayout(appBox);
    m_startAtLogin = new QCheckBox(tr("Start llm-gateway when I log in"), appBox);
    m_startAtLogin->setObjectName(QStringLiteral("startAtLoginCheck"));
    m_startOnLaunch = new QCheckBox(tr("Start the gateway when the app starts"), appBox);
    m_startOnLaunch->setObjectName(QStringLiteral("startOnLaunchCheck"));
    m_language = new QComboBox(appBox);
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_language->addItem(tr("System default"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    appForm->addRow(m_startAtLogin);
    appForm->addRow(m_startOnLaunch);
    appForm->addRow(tr("Language:"), m_language);
    auto *languageRow = new QHBoxLayout;
    m_languageNote = new QLabel(tr("The new language applies when llm-gateway restarts."), appBox);
    m_languageNote->setObjectName(QStringLiteral("languageNote"));
    m_languageNote->setWordWrap(true);
    m_restart = new QPushButton(tr("Restart Now"), appBox);
    m_restart->setObjectName(QStringLiteral("restartButton"));
    languageRow->addWidget(m_languageNote, 1);
    languageRow->addWidget(m_restart);
    appForm->addRow(languageRow);
    m_languageNote->hide();
    m_restart->hide();
    connect(m_restart, &QPushButton::clicked, this, &ServerPage::restartRequested);
    layout->addWidget(appBox);

    QSettings settings;
    m_startOnLaunch->setChecked(
        settings.value(QStringLiteral("app/startGatewayOnLaunch"), true).toBool());
    m_language->setCurrentIndex(
        qMax(0, m_language->findData(settings.value(QStringLiteral("ui/language")).toString())));
    // App preferences take effect at once; they are not gateway config.
    m_startAtLogin->setChecked(autostart::isEnabled());
    m_startAtLogin->setToolTip(autostart::entryPath());
    connect(m_startAtLogin, &QCheckBox::toggled, this, [this](bool on) {
        QString error;
        if (!autostart::setEnabled(on, &error))
            m_error->setText(tr("Could not change “Start at login”: %1").arg(error));
        const QSignalBlocker block(m_startAtLogin);
        m_startAtLogin->setChecked(autostart::isEnabled());
    });
    connect(m_startOnLaunch, &QCheckBox::toggled, this,
            [](bool on) { QSettings().setValue(QStringLiteral("app/startGatewayOnLaunch"), on); });
    connect(m_language, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue(QStringLiteral("ui/language"), m_language->currentData().toString());
        // The windows are built in the language chosen at start-up: say so, and offer the
        // restart rather than showing half the app in each language.
        m_languageNote->show();
        m_restart->show();
    });

    layout->addStretch(1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("serverStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("serverError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    layout->addWidget(m_error);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    m_revert = new QPushButton(tr("Revert"), this);
    m_apply = new QPushButton(tr("Apply"), this);
    m_apply->setObjectName(QStringLiteral("applyServerButton"));
    m_apply->setToolTip(tr("Saves and restarts the listener; the app keeps running"));
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);

    connect(m_host_, &QLineEdit::textChanged, this, &ServerPage::updateState);
    connect(m_port, &QSpinBox::valueChanged, this, &ServerPage::updateState);
    connect(m_token, &QLineEdit::textChanged, this, &ServerPage::updateState);
    connect(m_tokenLocal, &QCheckBox::toggled, this, &ServerPage::updateState);
    connect(m_origins, &QPlainTextEdit::textChanged, this, &ServerPage::updateState);
    connect(m_apply, &QPushButton::clicked, this, &ServerPage::apply);
    connect(m_revert, &QPushButton::clicked, this, &ServerPage::revert);
    connect(&host, &GatewayHost::configChanged, this, [this](const Config &c) { load(c); });
    connect(&host, &GatewayHost::configError, this,
            [this](const QString &e) { m_error->setText(e); });
    connect(&host, &GatewayHost::stateChanged, this,
            [this](bool running, const QString &url, const QString &error) {
                if (running)
                    m_status->setText(tr("Running at %1").arg(url));
                else if (!error.isEmpty())
                    m_status->setText(tr("Not running: %1").arg(error));
                else
                    m_status->setText(tr("Stopped"));
                updateSource();
            });
    load(host.config());
    if (host.isRunning())
        m_status->setText(tr("Running at %1").arg(host.url()));
    updateSource();
}

void ServerPage::load(const Config &c)
{
    m_loading = true;
    m_config = c;
    QString error;
    const auto a = ListenAddress::parse(
        c.listen.isEmpty() ? QStringLiteral("127.0.0.1:11434") : c.listen, &error);
    const ListenAddress address = a.value_or(ListenAddress{});
    m_host_->setText(address.host.toString());
    m_port->setValue(address.port);
    m_token->setText(c.server.token);
    m_tokenLocal->setChecked(c.server.tokenForLocalClients);
    m_origins->setPlainText(c.server.allowedOrigins.join(u'\n'));
    m_error->clear();
    m_loading = false;
    updateState();
    updateSource();
}

QString ServerPage::listenSourceText() const
{
    return m_source->text();
}

void ServerPage::updateSource()
{
    const QString url = m_host.isRunning() ? m_host.url() : QString();
    const QString where =
        url.isEmpty() ? tr("The gateway is not running.") : tr("Listening on %1").arg(url);
    switch (m_host.listenSource(m_config)) {
    case Gateway::ListenSource::Flag:
        m_source->setText(tr("%1 — set by --listen %2 on the command line, which wins over the "
                             "address here until the app is started without it.")
                              .arg(where, m_host.listenOverride()));
        break;
    case Gateway::ListenSource::OllamaHost:
        m_source->setText(tr("%1 — set by the environment variable OLLAMA_HOST=%2, which wins "
                             "over the address here.")
                              .arg(where, m_host.listenOverride()));
        break;
    case Gateway::ListenSource::Config:
        m_source->setText(tr("%1 — the address set here.").arg(where));
        break;
    case Gateway::ListenSource::Default:
        m_source->setText(tr("%1 — the default address (Ollama's).").arg(where));
        break;
    }
    m_source->setStyleSheet(m_host.listenSource(m_config) == Gateway::ListenSource::Flag ||
                                    m_host.listenSource(m_config) ==
                                        Gateway::ListenSource::OllamaHost
                                ? QStringLiteral("color: #663c00;")
                                : QString());
}

QString ServerPage::listenText() const
{
    QString host = m_host_->text().trimmed();
    if (host.isEmpty())
        host = QStringLiteral("127.0.0.1");
    if (host.contains(u':') && !host.startsWith(u'['))
        host = QStringLiteral("[%1]").arg(host);
    return QStringLiteral("%1:%2").arg(host).arg(m_port->value());
}

bool ServerPage::warningShown() const
{
    return m_warning->isVisibleTo(const_cast<ServerPage *>(this));
}

void ServerPage::updateState()
{
    QString error;
    const auto a = ListenAddress::parse(listenText(), &error);
    // A name (not an address) may resolve anywhere: warn unless it is clearly local.
    const bool loopback = a && (a->isLoopback() || m_host_->text().trimmed() == u"localhost");
    const bool beyond = !a || !loopback;
    m_warning->setVisible(a && beyond);
    m_token->setVisible(a && beyond);
    m_tokenLabel->setVisible(a && beyond);
    m_tokenLocal->setVisible(a && beyond);
    QString problem;
    if (!a)
        problem = tr("Address: %1").arg(error);
    else if (beyond && m_token->text().trimmed().isEmpty() &&
             qEnvironmentVariableIsEmpty("LLM_GATEWAY_TOKEN") && m_config.server.requireToken)
        problem = tr("Set an access token to listen beyond this computer.");
    if (!m_loading)
        m_error->setText(problem);
    m_apply->setEnabled(problem.isEmpty());
}

void ServerPage::apply()
{
    updateState();
    if (!m_apply->isEnabled())
        return;
    Config c = m_host.config();
    const QString listen = listenText();
    c.listen = listen == u"127.0.0.1:11434" && m_config.listen.isEmpty() ? QString() : listen;
    c.server.allowedOrigins.clear();
    for (const QString &line : m_origins->toPlainText().split(u'\n', Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty())
            c.server.allowedOrigins.append(line.trimmed());
    c.server.token = m_token->text().trimmed();
    c.server.tokenForLocalClients = m_tokenLocal->isChecked();
    m_host.applyConfig(c);
}

void ServerPage::revert()
{
    load(m_host.config());
}

void ServerPage::showEvent(QShowEvent *event)
{
    const QSignalBlocker block(m_startAtLogin);
    m_startAtLogin->setChecked(autostart::isEnabled());
    QWidget::showEvent(event);
}

} // namespace gw
