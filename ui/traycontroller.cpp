#include "traycontroller.h"

#include "autostart.h"
#include "desktopwords.h"
#include "gatewayhost.h"
#include "usage/usagedb.h"

#include <QApplication>
#include <QClipboard>
#include <QCursor>
#include <QHBoxLayout>
#include <QLabel>
#include <QScreen>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWidget>

namespace gw {

namespace {

// Menu entries stay readable: long upstream messages are cut, the tooltip has them whole.
QString elided(const QString &text, int max = 90)
{
    return text.size() <= max ? text : text.left(max - 1) + QChar(0x2026);
}

} // namespace

TrayController::TrayController(GatewayHost &host, const ListenAddress &address, QObject *parent)
    : QObject(parent), m_host(host), m_address(address)
{
    m_clock.start();
    m_now = [this] { return m_clock.elapsed(); };

    m_status = m_menu.addAction(tr("Gateway stopped"));
    m_status->setEnabled(false);
    m_problemsSeparator = m_menu.addSeparator();
    m_problemsSeparator->setVisible(false);
    m_toggle = m_menu.addAction(tr("Gateway on"));
    m_toggle->setCheckable(true);
    connect(m_toggle, &QAction::triggered, this, [this](bool on) {
        // The check mark shows the real state; it changes when the gateway says it has.
        m_toggle->setChecked(m_host.isRunning());
        m_toggle->setEnabled(false);
        if (on) {
            m_state = State::Starting;
            m_error.clear();
            m_host.start(m_address);
        } else {
            m_host.stop();
        }
        refresh();
    });
    m_copy = m_menu.addAction(tr("Copy OLLAMA_HOST"));
    connect(m_copy, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(QStringLiteral("OLLAMA_HOST=") + m_url); });
    // Claude Code reads these two variables (docs/clients.md); the token is not checked on
    // loopback unless the gateway has one.
    m_copyClaude = m_menu.addAction(tr("Copy Claude Code environment"));
    connect(m_copyClaude, &QAction::triggered, this, [this] {
        QApplication::clipboard()->setText(QStringLiteral("ANTHROPIC_BASE_URL=") + m_url +
                                           QStringLiteral("\nANTHROPIC_AUTH_TOKEN=unused\n"));
    });
    m_menu.addSeparator();
    m_settings = m_menu.addAction(tr("Open Settings…"));
    connect(m_settings, &QAction::triggered, this, &TrayController::settingsRequested);
    m_connectTools = m_menu.addAction(tr("Connect Your Tools…"));
    connect(m_connectTools, &QAction::triggered, this, &TrayController::connectRequested);
    m_log = m_menu.addAction(tr("Request Log…"));
    connect(m_log, &QAction::triggered, this, &TrayController::logRequested);
    m_usage = m_menu.addAction(tr("Usage and Spend…"));
    connect(m_usage, &QAction::triggered, this, &TrayController::usageRequested);
    m_autostart = m_menu.addAction(tr("Start at Login"));
    m_autostart->setCheckable(true);
    m_autostart->setChecked(autostart::isEnabled());
    connect(m_autostart, &QAction::triggered, this, [this](bool on) {
        QString error;
        if (!autostart::setEnabled(on, &error))
            notify(QStringLiteral("autostart"), tr("Could not change “Start at Login”"), error);
        m_autostart->setChecked(autostart::isEnabled());
    });
    m_menu.addSeparator();
    m_quit = m_menu.addAction(tr("Quit"));
    connect(m_quit, &QAction::triggered, qApp, &QCoreApplication::quit);
    // Someone may have changed the autostart entry elsewhere (the settings, the desktop).
    connect(&m_menu, &QMenu::aboutToShow, this,
            [this] { m_autostart->setChecked(autostart::isEnabled()); });

    m_tray.setContextMenu(&m_menu);
    connect(&m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason r) {
                if (r == QSystemTrayIcon::Trigger)
                    emit settingsRequested();
            });
    connect(&m_host, &GatewayHost::stateChanged, this, &TrayController::onStateChanged);
    connect(&m_host, &GatewayHost::requestFinished, this, &TrayController::onRecord);
    connect(&m_host, &GatewayHost::budgetAlert, this, &TrayController::onBudgetAlert);
    m_url = m_address.url();
    refresh();
}

TrayController::~TrayController()
{
    delete m_window;
}

bool TrayController::trayAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

bool TrayController::show()
{
    if (!trayAvailable())
        return false;
    m_tray.show();
    return true;
}

void TrayController::reportStartupError(const QString &error)
{
    m_state = State::Error;
    m_error = error;
    notify(QStringLiteral("start"), tr("llm-gateway could not start"), error);
    refresh();
}

void TrayController::onStateChanged(bool running, const QString &url, const QString &error)
{
    m_url = url.isEmpty() ? m_address.url() : url;
    m_error = error;
    m_toggle->setEnabled(true);
    m_toggle->setChecked(running);
    if (running) {
        m_state = State::Running;
        m_limiter.reset(QStringLiteral("start"));
    } else if (!error.isEmpty()) {
        m_state = State::Error;
        notify(QStringLiteral("start"), tr("llm-gateway could not start"), error);
    } else {
        m_state = State::Stopped;
    }
    refresh();
}

void TrayController::reloadSpentToday()
{
    m_spentDay = QDate::currentDate();
    m_spentToday.reset();
    UsageDb db;
    QString error;
    if (!m_host.usageDatabase().isEmpty() && db.open(m_host.usageDatabase(), &error, true)) {
        const QList<UsageTotal> t =
            db.totals(QDateTime(m_spentDay, QTime()), QDateTime(m_spentDay.addDays(1), QTime()),
                      UsageDb::By::All);
        if (!t.isEmpty())
            m_spentToday = t.first().cost;
    }
    refresh();
}

void TrayController::onBudgetAlert(const BudgetAlert &a)
{
    const QString message = DesktopWords::budgetAlertMessage(a);
    notify(QStringLiteral("budget:%1:%2:%3:%4")
               .arg(a.budget.provider, a.periodStart.toString(Qt::ISODate))
               .arg(int(a.budget.period))
               .arg(a.percent),
           DesktopWords::budgetAlertTitle(a), message);
    if (a.percent >= 100 && a.budget.hard) {
        m_budgetProblems.insert(a.budget.provider, message);
        m_budgetAlertAt = QDateTime::currentDateTime();
        refreshProblems();
        refresh();
    }
}

void TrayController::onRecord(const RequestRecord &r)
{
    ++m_requests;
    if (r.cost >= 0) {
        const QDate day = r.started.toLocalTime().date();
        if (m_spentDay != day) { // a new day: start from nothing
            m_spentDay = day;
            m_spentToday.reset();
        }
        m_spentToday = m_spentToday.value_or(0) + r.cost;
    }
    // A budget that refused requests was raised (or its period ended) once a request started
    // after the alert is answered.
    if (!r.provider.isEmpty() && r.status >= 200 && r.status < 300 && !m_budgetProblems.isEmpty() &&
        r.started > m_budgetAlertAt &&
        (m_budgetProblems.remove(r.provider) + m_budgetProblems.remove(QString())) > 0)
        refreshProblems();
    // A provider that refuses its key (401/403 from upstream, or no key at all) needs the user;
    // the gateway's own access checks carry no provider and are the client's business.
    if (!r.provider.isEmpty() && (r.status == 401 || r.status == 403)) {
        const bool news = !m_keyProblems.contains(r.provider);
        m_keyProblems.insert(r.provider, r.error);
        if (news)
            refreshProblems();
        notify(QStringLiteral("key:") + r.provider,
               tr("Provider “%1” rejected its API key").arg(r.provider),
               r.error.isEmpty() ? tr("Check the key in Settings → Providers.") : r.error);
    } else if (!r.provider.isEmpty() && r.status >= 200 && r.status < 300 &&
               m_keyProblems.remove(r.provider) > 0) {
        m_limiter.reset(QStringLiteral("key:") + r.provider);
        refreshProblems();
    }
    refresh();
}

void TrayController::notify(const QString &key, const QString &title, const QString &message)
{
    if (!m_limiter.allow(key, m_now()))
        return;
    if (m_tray.isVisible())
        m_tray.showMessage(title, message, QSystemTrayIcon::Warning, 10000);
    if (m_windowMessage) {
        m_windowMessage->setText(
            QStringLiteral("<b>%1</b><br>%2").arg(title.toHtmlEscaped(), message.toHtmlEscaped()));
        m_windowMessage->setVisible(true);
    }
    emit notified(title, message);
}

void TrayController::refreshProblems()
{
    for (QAction *a : std::as_const(m_problemActions)) {
        m_menu.removeAction(a);
        a->deleteLater();
    }
    m_problemActions.clear();
    for (auto it = m_keyProblems.cbegin(); it != m_keyProblems.cend(); ++it) {
        auto *a = new QAction(
            QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning),
            elided(tr("%1: API key rejected — open Settings to fix it").arg(it.key())), &m_menu);
        a->setToolTip(it.value());
        connect(a, &QAction::triggered, this, &TrayController::settingsRequested);
        m_menu.insertAction(m_problemsSeparator, a);
        m_problemActions.append(a);
    }
    for (auto it = m_budgetProblems.cbegin(); it != m_budgetProblems.cend(); ++it) {
        auto *a =
            new QAction(QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning),
                        elided(it.key().isEmpty()
                                   ? tr("Budget used up — requests are refused")
                                   : tr("%1: budget used up — requests are refused").arg(it.key())),
                        &m_menu);
        a->setToolTip(it.value());
        connect(a, &QAction::triggered, this, &TrayController::usageRequested);
        m_menu.insertAction(m_problemsSeparator, a);
        m_problemActions.append(a);
    }
    m_problemsSeparator->setVisible(!m_problemActions.isEmpty());
}

void TrayController::refresh()
{
    const bool keyTrouble = !m_keyProblems.isEmpty() || !m_budgetProblems.isEmpty();
    QString status;
    switch (m_state) {
    case State::Running:
        status = tr("Running on %1").arg(m_url);
        break;
    case State::Starting:
        status = tr("Starting on %1…").arg(m_url);
        break;
    case State::Error:
        status = tr("Not running: %1").arg(m_error);
        break;
    case State::Stopped:
        status = tr("Gateway stopped");
        break;
    }
    m_status->setText(elided(status));
    m_status->setToolTip(status);
    m_copy->setText(tr("Copy OLLAMA_HOST=%1").arg(m_url));
    m_copy->setEnabled(m_state == State::Running);
    m_copyClaude->setEnabled(m_state == State::Running);

    const bool error = m_state == State::Error || (m_state == State::Running && keyTrouble);
    m_iconName = error                       ? QStringLiteral("tray-error")
                 : m_state == State::Running ? QStringLiteral("tray-running")
                                             : QStringLiteral("tray-stopped");
    m_tray.setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(m_iconName)));

    QStringList tip{tr("llm-gateway"), status};
    tip.append(tr("%n request(s)", nullptr, int(qMin<quint64>(m_requests, INT_MAX))));
    for (auto it = m_keyProblems.cbegin(); it != m_keyProblems.cend(); ++it)
        tip.append(tr("%1: API key rejected").arg(it.key()));
    if (m_spentToday)
        tip.append(tr("Spent today: %1").arg(DesktopWords::money(m_spentToday)));
    for (auto it = m_budgetProblems.cbegin(); it != m_budgetProblems.cend(); ++it)
        tip.append(it.value());
    m_tray.setToolTip(tip.join(u'\n'));

    if (m_windowStatus) {
        QStringList lines{status.toHtmlEscaped()};
        for (auto it = m_keyProblems.cbegin(); it != m_keyProblems.cend(); ++it)
            lines.append(tr("%1: API key rejected — %2").arg(it.key(), it.value()).toHtmlEscaped());
        m_windowStatus->setText(lines.join(QStringLiteral("<br>")));
        const QIcon icon(QStringLiteral(":/icons/%1.svg").arg(m_iconName));
        m_window->setWindowIcon(icon);
        m_windowIcon->setPixmap(icon.pixmap(QSize(48, 48), m_window->devicePixelRatioF()));
    }
}

QWidget *TrayController::statusWindow()
{
    if (m_window)
        return m_window;
    // No tray (some desktops, bare X servers): this window carries the menu's actions.
    auto *w = new QWidget;
    w->setObjectName(QStringLiteral("statusWindow"));
    w->setWindowTitle(tr("llm-gateway"));
    auto *layout = new QVBoxLayout(w);
    auto *top = new QHBoxLayout;
    m_windowIcon = new QLabel(w);
    m_windowIcon->setAlignment(Qt::AlignTop);
    top->addWidget(m_windowIcon);
    m_windowStatus = new QLabel(w);
    m_windowStatus->setObjectName(QStringLiteral("status"));
    m_windowStatus->setWordWrap(true);
    m_windowStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_windowStatus, 1);
    layout->addLayout(top);
    m_windowMessage = new QLabel(w);
    m_windowMessage->setObjectName(QStringLiteral("message"));
    m_windowMessage->setWordWrap(true);
    m_windowMessage->setFrameShape(QFrame::StyledPanel);
    m_windowMessage->setMargin(6);
    m_windowMessage->setVisible(false);
    layout->addWidget(m_windowMessage);
    const auto button = [w](QAction *action) {
        auto *b = new QToolButton(w);
        b->setDefaultAction(action);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        return b;
    };
    auto *row1 = new QHBoxLayout;
    row1->addWidget(button(m_toggle));
    row1->addWidget(button(m_copy));
    layout->addLayout(row1);
    auto *row2 = new QHBoxLayout;
    row2->addWidget(button(m_settings));
    row2->addWidget(button(m_log));
    row2->addWidget(button(m_autostart));
    row2->addWidget(button(m_quit));
    layout->addLayout(row2);
    layout->addStretch(1);
    m_window = w;
    refresh();
    w->resize(w->sizeHint().expandedTo(QSize(600, 170)));
    return w;
}

void TrayController::showStatusWindow()
{
    QWidget *w = statusWindow();
    w->show();
    w->raise();
    w->activateWindow();
}

void TrayController::popupMenu()
{
    m_autostart->setChecked(autostart::isEnabled());
    const QRect icon = m_tray.geometry();
    QPoint at = icon.isValid() ? icon.bottomLeft() : QCursor::pos();
    // Above the icon when the panel is at the bottom of the screen.
    if (icon.isValid()) {
        const QScreen *screen = QGuiApplication::screenAt(icon.center());
        const int height = m_menu.sizeHint().height();
        if (screen && at.y() + height > screen->geometry().bottom())
            at = icon.topLeft() - QPoint(0, height);
    }
    m_menu.popup(at);
}

} // namespace gw
