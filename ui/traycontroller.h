#pragma once

#include "config/listenaddress.h"

#include <QAction>
#include <QMenu>
#include <QObject>
#include <QPointer>
#include <QSystemTrayIcon>

class QWidget;

namespace gw {

class GatewayHost;

// The tray icon and its menu: the gateway's state at a glance and its on/off switch. Where no
// system tray exists, a small status window stands in for it.
class TrayController : public QObject
{
    Q_OBJECT
public:
    TrayController(GatewayHost &host, const ListenAddress &address, QObject *parent = nullptr);
    ~TrayController() override;

    void show();
    QMenu *menu() { return &m_menu; }
    QAction *toggleAction() { return m_toggle; }

private:
    void onStateChanged(bool running, const QString &url, const QString &error);
    void updateTooltip();

    GatewayHost &m_host;
    ListenAddress m_address;
    QSystemTrayIcon m_tray;
    QMenu m_menu;
    QAction *m_status = nullptr;
    QAction *m_toggle = nullptr;
    QAction *m_copy = nullptr;
    QPointer<QWidget> m_window;
    quint64 m_requests = 0;
    QString m_url;
    QString m_error;
};

} // namespace gw
