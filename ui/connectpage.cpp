#include "connectpage.h"

#include "config/listenaddress.h"
#include "gatewayhost.h"

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QFontDatabase>
#include <QFrame>
#include <QGridLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>

namespace gw {
namespace {

const char *const kGuideId = "guideId";

// The token clients must send: only when the gateway listens beyond loopback and asks for one.
QString tokenFor(const GatewayHost &host)
{
    const Config c = host.config();
    QString error;
    const auto address = ListenAddress::parse(
        c.listen.isEmpty() ? QStringLiteral("127.0.0.1:11434") : c.listen, &error);
    const QUrl url(host.url());
    const QHostAddress running(url.host());
    const bool loopback = host.isRunning() ? running.isNull() || running.isLoopback()
                                           : !address || address->isLoopback();
    // url() names 127.0.0.1 for a listener on "any": ask the config in that case too.
    const bool beyond = !loopback || (address && !address->isLoopback());
    if (!beyond || !c.server.requireToken)
        return {};
    const QString env = qEnvironmentVariable("LLM_GATEWAY_TOKEN").trimmed();
    return env.isEmpty() ? c.server.token.trimmed() : env;
}

QString modelFor(const Config &c)
{
    return c.models.isEmpty() ? QStringLiteral("echo") : c.models.first().name;
}

} // namespace

ConnectPage::ConnectPage(GatewayHost &host, QWidget *parent) : QWidget(parent), m_host(host)
{
    setObjectName(QStringLiteral("connectPage"));
    auto *layout = new QVBoxLayout(this);
    m_intro = new QLabel(this);
    m_intro->setObjectName(QStringLiteral("connectIntro"));
    m_intro->setWordWrap(true);
    m_intro->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_intro);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_list = new QWidget(scroll);
    m_listLayout = new QVBoxLayout(m_list);
    m_listLayout->setContentsMargins(0, 0, 8, 0);
    scroll->setWidget(m_list);
    layout->addWidget(scroll, 1);

    connect(&host, &GatewayHost::requestFinished, this, [this](const RequestRecord &r) {
        if (r.app == ClientApp::Unknown)
            return;
        m_seen.insert(int(r.app), r.started.isValid() ? r.started : m_now());
        refreshSeen();
    });
    connect(&host, &GatewayHost::stateChanged, this, &ConnectPage::rebuild);
    connect(&host, &GatewayHost::configChanged, this, &ConnectPage::rebuild);
    // "2 minutes ago" moves on by itself.
    auto *tick = new QTimer(this);
    tick->setInterval(30 * 1000);
    connect(tick, &QTimer::timeout, this, &ConnectPage::refreshSeen);
    tick->start();
    rebuild();
}

void ConnectPage::rebuild()
{
    QString error;
    const QString configured = m_host.config().listen;
    const QString url =
        m_host.isRunning() && !m_host.url().isEmpty()
            ? m_host.url()
            : ListenAddress::parse(
                  configured.isEmpty() ? QStringLiteral("127.0.0.1:11434") : configured, &error)
                  .value_or(ListenAddress{})
                  .url();
    const QString token = tokenFor(m_host);
    m_guides = ClientGuides::all(url, token, modelFor(m_host.config()));
    QString intro = tr("The gateway answers at <b>%1</b>. Point your tools at it with the lines "
                       "below; each says whether that tool has been seen.")
                        .arg(url.toHtmlEscaped());
    if (!token.isEmpty())
        intro += QLatin1Char(' ') + tr("It listens beyond this computer: clients on other "
                                       "machines send the access token, included below.");
    m_intro->setText(intro);

    while (QLayoutItem *item = m_listLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const ClientGuide &g : std::as_const(m_guides)) {
        auto *box = new QFrame(m_list);
        box->setObjectName(QStringLiteral("guide-") + g.id);
        box->setFrameShape(QFrame::StyledPanel);
        auto *grid = new QGridLayout(box);
        auto *name = new QLabel(QStringLiteral("<b>%1</b>").arg(g.name.toHtmlEscaped()), box);
        grid->addWidget(name, 0, 0);
        auto *seen = new QLabel(box);
        seen->setObjectName(QStringLiteral("seen-") + g.id);
        seen->setProperty(kGuideId, g.id);
        seen->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(seen, 0, 1, 1, 2);
        auto *where = new QLabel(g.where, box);
        where->setWordWrap(true);
        grid->addWidget(where, 1, 0, 1, 3);
        auto *text = new QPlainTextEdit(g.snippet, box);
        text->setObjectName(QStringLiteral("snippet-") + g.id);
        text->setReadOnly(true);
        text->setFont(mono);
        text->setLineWrapMode(QPlainTextEdit::NoWrap);
        const int lines = int(g.snippet.count(u'\n')) + 1;
        text->setFixedHeight(QFontMetrics(mono).lineSpacing() * lines + 14);
        grid->addWidget(text, 2, 0, 1, 2);
        auto *copy = new QPushButton(tr("Copy"), box);
        copy->setObjectName(QStringLiteral("copy-") + g.id);
        connect(copy, &QPushButton::clicked, this,
                [snippet = g.snippet] { QApplication::clipboard()->setText(snippet); });
        grid->addWidget(copy, 2, 2, Qt::AlignTop);
        grid->setColumnStretch(0, 1);
        m_listLayout->addWidget(box);
    }
    m_listLayout->addStretch(1);
    refreshSeen();
}

void ConnectPage::refreshSeen()
{
    const QDateTime now = m_now();
    for (const ClientGuide &g : std::as_const(m_guides)) {
        auto *label = m_list->findChild<QLabel *>(QStringLiteral("seen-") + g.id);
        if (!label)
            continue;
        // The latest of the guide's apps, named when the guide covers several.
        QDateTime last;
        ClientApp which = ClientApp::Unknown;
        for (ClientApp app : g.apps) {
            const QDateTime t = m_seen.value(int(app));
            if (t.isValid() && (!last.isValid() || t > last)) {
                last = t;
                which = app;
            }
        }
        QString text = ClientGuides::seen(last, now);
        if (last.isValid() && g.apps.size() > 1)
            text = QStringLiteral("%1 — %2").arg(ClientGuides::appName(which), text);
        label->setText(text);
        label->setStyleSheet(last.isValid() ? QStringLiteral("color: #1b6e20;")
                                            : QStringLiteral("color: palette(mid);"));
    }
}

void ConnectPage::loadHistory(const QString &jsonlPath)
{
    QFile f(jsonlPath);
    if (!f.open(QIODevice::ReadOnly))
        return;
    constexpr qint64 kTail = 2 * 1024 * 1024;
    const bool cut = f.size() > kTail;
    if (cut)
        f.seek(f.size() - kTail);
    QList<QByteArray> lines = f.readAll().split('\n');
    if (cut && !lines.isEmpty())
        lines.removeFirst(); // begun mid-line
    for (const QByteArray &line : std::as_const(lines)) {
        if (!line.contains("\"app\""))
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const ClientApp app = clientAppFromId(o.value(QLatin1StringView("app")).toString());
        const QDateTime t =
            QDateTime::fromString(o.value(QLatin1StringView("time")).toString(), Qt::ISODateWithMs);
        if (app == ClientApp::Unknown || !t.isValid())
            continue;
        QDateTime &seen = m_seen[int(app)];
        if (!seen.isValid() || t > seen)
            seen = t;
    }
    refreshSeen();
}

QString ConnectPage::snippet(const QString &id) const
{
    for (const ClientGuide &g : m_guides)
        if (g.id == id)
            return g.snippet;
    return {};
}

QString ConnectPage::seenText(const QString &id) const
{
    const auto *label = m_list->findChild<QLabel *>(QStringLiteral("seen-") + id);
    return label ? label->text() : QString();
}

} // namespace gw
