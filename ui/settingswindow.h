#pragma once

#include <QWidget>

class QLabel;
class QTabWidget;

namespace gw {

class GatewayHost;
class ModelsPage;
class ProvidersPage;
class ServerPage;

// The settings window: Providers, Models and Server pages over the running gateway. Every
// change goes through GatewayHost (validated, saved atomically, applied live); errors are shown
// in the window, including those of a config file edited by hand while the app runs.
class SettingsWindow : public QWidget
{
    Q_OBJECT
public:
    enum class Page { Providers, Models, Server };

    explicit SettingsWindow(GatewayHost &host, QWidget *parent = nullptr);
    void showPage(Page page);

    ProvidersPage *providersPage() const { return m_providers; }
    ModelsPage *modelsPage() const { return m_models; }
    ServerPage *serverPage() const { return m_server; }

private:
    void showBanner(const QString &text);

    GatewayHost &m_host;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_banner = nullptr;
    ProvidersPage *m_providers = nullptr;
    ModelsPage *m_models = nullptr;
    ServerPage *m_server = nullptr;
};

} // namespace gw
