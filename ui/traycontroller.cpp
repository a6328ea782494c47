#include "traycontroller.h"

#include "gatewayhost.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWidget>

namespace gw {

TrayController::TrayController(GatewayHost &host, const ListenAddress &address, QObject *parent)
    : QObject(parent), m_host(host), m_address(address)
{
    m_status = m_menu.addAction(tr("Gateway stopped"));
    m_status->setEnabled(false);
    m_toggle = m_menu.addAction(tr("Gateway on"));
    m_toggle->setCheckable(true);
    connect(m_toggle, &QAction::triggered, this, [this](bool on) {
        if (on)
            m_host.start(m_address);
        else
            m_host.stop();
    });
    m_copy = m_menu.addAction(tr("Copy OLLAMA_HOST"));
    connect(m_copy, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(QStringLiteral("OLLAMA_HOST=") + m_url); });
    m_menu.addSeparator();
    connect(m_menu.addAction(tr("Quit")), &QAction::triggered, qApp, &QApplication::quit);

    m_tray.setContextMenu(&m_menu);
    m_tray.setIcon(QIcon(QStringLiteral(":/icons/tray-stopped.svg")));
    connect(&m_host, &GatewayHost::stateChanged, this, &TrayController::onStateChanged);
    connect(&m_host, &GatewayHost::requestFinished, this, [this] {
        ++m_requests;
        updateTooltip();
    });
    updateTooltip();
}

TrayController::~TrayController()
{
    delete m_window;
}

void TrayController::show()
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray.show();
        return;
    }
    // No tray (some desktops, bare X servers): a small window keeps the app usable, and closing
    // it quits.
    auto *w = new QWidget;
    w->setAttribute(Qt::WA_DeleteOnClose);
    w->setWindowTitle(tr("llm-gateway"));
    w->setWindowIcon(QIcon(QStringLiteral(":/icons/llm-gateway.svg")));
    auto *layout = new QVBoxLayout(w);
    auto *label = new QLabel(w);
    auto *button = new QPushButton(w);
    layout->addWidget(label);
    layout->addWidget(button);
    const auto refresh = [this, label, button] {
        label->setText(m_status->text());
        button->setText(m_toggle->isChecked() ? tr("Stop gateway") : tr("Start gateway"));
    };
    connect(&m_host, &GatewayHost::stateChanged, label, refresh);
    connect(button, &QPushButton::clicked, this, [this] { m_toggle->trigger(); });
    refresh();
    m_window = w;
    w->resize(360, 120);
    w->show();
}

void TrayController::onStateChanged(bool running, const QString &url, const QString &error)
{
    m_url = url.isEmpty() ? m_address.url() : url;
    m_error = error;
    m_toggle->setChecked(running);
    m_copy->setEnabled(running);
    if (running)
        m_status->setText(tr("Running on %1").arg(m_url));
    else if (!error.isEmpty())
        m_status->setText(tr("Error: %1").arg(error));
    else
        m_status->setText(tr("Gateway stopped"));
    const char *icon = running           ? ":/icons/tray-running.svg"
                       : error.isEmpty() ? ":/icons/tray-stopped.svg"
                                         : ":/icons/tray-error.svg";
    m_tray.setIcon(QIcon(QString::fromLatin1(icon)));
    if (!error.isEmpty() && m_tray.isVisible())
        m_tray.showMessage(tr("llm-gateway could not start"), error, QSystemTrayIcon::Warning);
    updateTooltip();
}

void TrayController::updateTooltip()
{
    QString tip = tr("llm-gateway");
    tip += u'\n' + m_status->text();
    tip += u'\n' + tr("%n request(s)", nullptr, int(m_requests));
    m_tray.setToolTip(tip);
}

} // namespace gw
