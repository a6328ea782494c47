#include "settingswindow.h"

#include "connectpage.h"
#include "gatewayhost.h"
#include "modelspage.h"
#include "providerspage.h"
#include "serverpage.h"
#include "welcomepage.h"

#include <QLabel>
#include <QSettings>
#include <QStackedWidget>
#include <QTabWidget>

#include <QVBoxLayout>
#include <memory>

namespace gw {

SettingsWindow::SettingsWindow(GatewayHost &host, QWidget *parent) : QWidget(parent), m_host(host)
{
    setWindowTitle(tr("llm-gateway Settings"));
    setObjectName(QStringLiteral("settingsWindow"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);

    // Config errors (a hand edit that does not parse, a save that failed): the old config keeps
    // working, and this says why the new one did not apply.
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("configBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; "
                                           "border: 1px solid #f5c2c0; border-radius: 4px; "
                                           "padding: 8px; }"));
    m_banner->hide();
    layout->addWidget(m_banner);

    m_tabs = new QTabWidget(this);
    m_providers = new ProvidersPage(host, m_tabs);
    m_models = new ModelsPage(host, m_tabs);
    m_server = new ServerPage(host, m_tabs);
    m_tabs->addTab(m_providers, tr("Providers"));
    m_tabs->addTab(m_models, tr("Models"));
    m_tabs->addTab(m_server, tr("Server"));
    m_connect = new ConnectPage(host, m_tabs);
    m_tabs->addTab(m_connect, tr("Connect Your Tools"));
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_tabs);
    m_welcome = new WelcomePage(host, m_stack);
    m_stack->addWidget(m_welcome);
    layout->addWidget(m_stack);
    // Skipped: not offered again on later launches (the tabs do everything it does). Finished:
    // the last step is the Connect page.
    connect(m_welcome, &WelcomePage::skipped, this, [this] {
        QSettings().setValue(QStringLiteral("app/welcomeDismissed"), true);
        m_stack->setCurrentWidget(m_tabs);
        m_tabs->setCurrentWidget(m_providers);
    });
    connect(m_welcome, &WelcomePage::finished, this, [this] {
        QSettings().setValue(QStringLiteral("app/welcomeDismissed"), true);
        m_stack->setCurrentWidget(m_tabs);
        m_tabs->setCurrentWidget(m_connect);
    });

    connect(&host, &GatewayHost::configError, this, [this](const QString &error) {
        showBanner(tr("The configuration was not applied: %1").arg(error));
    });
    connect(&host, &GatewayHost::configChanged, this, [this] { m_banner->hide(); });
    resize(860, 560);
    host.refreshKeyStatus();
}

void SettingsWindow::showBanner(const QString &text)
{
    m_banner->setText(text);
    m_banner->show();
}

bool SettingsWindow::welcomeShown() const
{
    return m_stack->currentWidget() == m_welcome;
}

QWidget *SettingsWindow::currentPage() const
{
    return welcomeShown() ? static_cast<QWidget *>(m_welcome) : m_tabs->currentWidget();
}

void SettingsWindow::offerWelcome()
{
    // The config is applied on the gateway thread; its answer (configChanged, also for a missing
    // file) tells what is configured. Call before the event loop delivers it.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(&m_host, &GatewayHost::configChanged, this, [this, connection] {
        disconnect(*connection);
        if (WelcomePage::isFirstRun(m_host.config()) &&
            !QSettings().value(QStringLiteral("app/welcomeDismissed"), false).toBool())
            showPage(Page::Welcome);
    });
}

void SettingsWindow::showPage(Page page)
{
    if (page != Page::Welcome)
        m_stack->setCurrentWidget(m_tabs);
    switch (page) {
    case Page::Welcome:
        m_welcome->restart();
        m_stack->setCurrentWidget(m_welcome);
        break;
    case Page::Connect:
        m_tabs->setCurrentWidget(m_connect);
        break;
    case Page::Providers:
        m_tabs->setCurrentWidget(m_providers);
        break;
    case Page::Models:
        m_tabs->setCurrentWidget(m_models);
        break;
    case Page::Server:
        m_tabs->setCurrentWidget(m_server);
        break;
    }
    show();
    raise();
    activateWindow();
}

} // namespace gw
