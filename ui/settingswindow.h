#pragma once

#include <QWidget>

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace gw {

class GatewayHost;
class ModelsPage;
class ProvidersPage;
class ServerPage;
class ConnectPage;
class WelcomePage;

// The settings window: Providers, Models and Server pages over the running gateway. Every
// change goes through GatewayHost (validated, saved atomically, applied live); errors are shown
// in the window, including those of a config file edited by hand while the app runs.
class SettingsWindow : public QWidget
{
    Q_OBJECT
public:
    enum class Page { Providers, Models, Server, Connect, Welcome };

    explicit SettingsWindow(GatewayHost &host, QWidget *parent = nullptr);
    void showPage(Page page);

    ProvidersPage *providersPage() const { return m_providers; }
    ModelsPage *modelsPage() const { return m_models; }
    ServerPage *serverPage() const { return m_server; }
    ConnectPage *connectPage() const { return m_connect; }
    WelcomePage *welcomePage() const { return m_welcome; }
    bool welcomeShown() const;
    QWidget *currentPage() const;
    // On a first run (nothing configured, the welcome not dismissed before) the window opens
    // on the welcome; otherwise nothing happens. Decided once the config has been applied.
    void offerWelcome();

private:
    void showBanner(const QString &text);

    GatewayHost &m_host;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_banner = nullptr;
    ProvidersPage *m_providers = nullptr;
    ModelsPage *m_models = nullptr;
    ServerPage *m_server = nullptr;
    ConnectPage *m_connect = nullptr;
    WelcomePage *m_welcome = nullptr;
    QStackedWidget *m_stack = nullptr; // the tabs, or the welcome
};

} // namespace gw
