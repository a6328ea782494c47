#include "settingswindow.h"

#include "gatewayhost.h"
#include "modelspage.h"
#include "providerspage.h"
#include "serverpage.h"

#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

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
    layout->addWidget(m_tabs);

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

void SettingsWindow::showPage(Page page)
{
    switch (page) {
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
