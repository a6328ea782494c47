#pragma once

#include "config/listenaddress.h"
#include "log/requestrecord.h"
#include "ratelimiter.h"
#include "usage/budgettracker.h"

#include <QAction>
#include <QElapsedTimer>
#include <QMap>
#include <QMenu>
#include <QObject>
#include <QPointer>
#include <QSystemTrayIcon>

#include <functional>

class QLabel;
class QWidget;

namespace gw {

class GatewayHost;

// The tray icon and its menu: the gateway's state at a glance (running / stopped / error, with
// the reason), its on/off switch, the way to the settings and the request log, and
// notifications for what the user must act on. Where no system tray exists, a small status
// window offers the same actions.
class TrayController : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Starting, Running, Error };

    TrayController(GatewayHost &host, const ListenAddress &address, QObject *parent = nullptr);
    ~TrayController() override;

    static bool trayAvailable();
    // Shows the tray icon; false when there is no system tray (the caller then shows a window).
    bool show();
    void setAddress(const ListenAddress &address) { m_address = address; }
    // A problem found before the gateway could run (an invalid config, a bad OLLAMA_HOST).
    void reportStartupError(const QString &error);

    // The fallback window (no system tray), made on first use.
    QWidget *statusWindow();
    void showStatusWindow();
    // Pops the tray menu up at the icon (or the pointer): for screenshots and `--show tray-menu`.
    void popupMenu();

    State state() const { return m_state; }
    QString toolTip() const { return m_tray.toolTip(); }
    QString iconName() const { return m_iconName; }
    QMenu *menu() { return &m_menu; }
    QAction *statusAction() { return m_status; }
    QAction *toggleAction() { return m_toggle; }
    QAction *copyAction() { return m_copy; }
    QAction *copyClaudeAction() { return m_copyClaude; }
    QAction *settingsAction() { return m_settings; }
    QAction *logAction() { return m_log; }
    QAction *connectAction() { return m_connectTools; }
    QAction *usageAction() { return m_usage; }
    // --- usage (issue 16) ---
    // Today's spend for the tooltip: starts from the usage database, then adds each request's
    // cost. Unset until a request with a known price.
    std::optional<double> spentToday() const { return m_spentToday; }
    void reloadSpentToday();
    QAction *autostartAction() { return m_autostart; }
    QAction *quitAction() { return m_quit; }
    QList<QAction *> problemActions() const { return m_problemActions; }

    void setClock(std::function<qint64()> nowMs) { m_now = std::move(nowMs); }

signals:
    void settingsRequested();
    void logRequested();
    void connectRequested(); // the "Connect your tools" page
    void usageRequested();
    // Each notification that was let through (also when there is no tray to show it).
    void notified(const QString &title, const QString &message);

private:
    void onStateChanged(bool running, const QString &url, const QString &error);
    void onRecord(const gw::RequestRecord &record);
    void onBudgetAlert(const gw::BudgetAlert &alert);
    void notify(const QString &key, const QString &title, const QString &message);
    void refresh();
    void refreshProblems();

    GatewayHost &m_host;
    ListenAddress m_address;
    QSystemTrayIcon m_tray;
    QMenu m_menu;
    QAction *m_status = nullptr;
    QAction *m_problemsSeparator = nullptr;
    QList<QAction *> m_problemActions;
    QAction *m_toggle = nullptr;
    QAction *m_copy = nullptr;
    QAction *m_copyClaude = nullptr;
    QAction *m_settings = nullptr;
    QAction *m_log = nullptr;
    QAction *m_connectTools = nullptr;
    QAction *m_usage = nullptr;
    QAction *m_autostart = nullptr;
    QAction *m_quit = nullptr;
    QPointer<QWidget> m_window;
    QPointer<QLabel> m_windowIcon;
    QPointer<QLabel> m_windowStatus;
    QPointer<QLabel> m_windowMessage;
    State m_state = State::Stopped;
    QString m_iconName;
    quint64 m_requests = 0;
    QString m_url;
    QString m_error;                      // why the gateway is not running
    QMap<QString, QString> m_keyProblems; // provider → what it said about its key
    // Hard budgets used up: provider ("" for all) → the notification's words.
    QMap<QString, QString> m_budgetProblems;
    QDateTime m_budgetAlertAt; // requests started after it and answered mean the budget has room
    std::optional<double> m_spentToday;
    QDate m_spentDay;
    RateLimiter m_limiter{10 * 60 * 1000};
    QElapsedTimer m_clock;
    std::function<qint64()> m_now;
};

} // namespace gw
