#include "providerspage.h"

#include "config/keychain.h"
#include "providerdialog.h"
#include "providers/providerregistry.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace gw {

ProvidersPage::ProvidersPage(GatewayHost &host, QWidget *parent) : QWidget(parent), m_host(host)
{
    setObjectName(QStringLiteral("providersPage"));
    auto *layout = new QVBoxLayout(this);

    m_stack = new QStackedWidget(this);
    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName(QStringLiteral("providersTable"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Type"), tr("Base URL"), tr("API key")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_table->setAlternatingRowColors(true);
    m_empty = new QLabel(tr("No providers yet — add one, or set OPENAI_API_KEY (or another "
                            "provider's key variable) before starting the app.\n\nThe built-in "
                            "\"echo\" model works without any provider."),
                         this);
    m_empty->setObjectName(QStringLiteral("providersEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_empty);
    layout->addWidget(m_stack, 1);

    m_keychainNote = new QLabel(this);
    m_keychainNote->setObjectName(QStringLiteral("keychainNote"));
    m_keychainNote->setWordWrap(true);
    m_keychainNote->setStyleSheet(QStringLiteral("color: #8a5300;"));
    m_keychainNote->hide();
    layout->addWidget(m_keychainNote);

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("testResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);

    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add…"), this);
    add->setObjectName(QStringLiteral("addProviderButton"));
    m_edit = new QPushButton(tr("Edit…"), this);
    m_edit->setObjectName(QStringLiteral("editProviderButton"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeProviderButton"));
    m_test = new QPushButton(tr("Test Connection"), this);
    m_test->setObjectName(QStringLiteral("testConnectionButton"));
    buttons->addWidget(add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    buttons->addWidget(m_test);
    layout->addLayout(buttons);

    connect(add, &QPushButton::clicked, this, [this] { addProvider(); });
    connect(m_edit, &QPushButton::clicked, this, [this] { editProvider(m_table->currentRow()); });
    connect(m_table, &QTableWidget::cellDoubleClicked, this,
            [this](int row) { editProvider(row); });
    connect(m_remove, &QPushButton::clicked, this,
            [this] { removeProvider(m_table->currentRow()); });
    connect(m_test, &QPushButton::clicked, this, &ProvidersPage::testSelected);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const bool any = m_table->currentRow() >= 0;
        m_edit->setEnabled(any);
        m_remove->setEnabled(any);
        m_test->setEnabled(any);
    });

    connect(&host, &GatewayHost::configChanged, this, [this](const Config &c) {
        m_config = c;
        rebuild();
        m_host.refreshKeyStatus();
    });
    connect(&host, &GatewayHost::keyStatusChanged, this,
            [this](const QList<ProviderKeyStatus> &s, const QString &problem) {
                m_keys = s;
                m_keychainProblem = problem;
                rebuild();
            });
    connect(&host, &GatewayHost::connectionTested, this,
            [this](const QString &, bool ok, const QString &message) {
                m_test->setEnabled(m_table->currentRow() >= 0);
                m_result->setText(message); // the verdict names the provider
                m_result->setStyleSheet(ok ? QStringLiteral("color: #1b6e20;")
                                           : QStringLiteral("color: #b3261e;"));
            });
    connect(&host, &GatewayHost::keyOperationFinished, this,
            [this](const QString &name, bool ok, const QString &message) {
                if (!ok) {
                    m_result->setText(tr("%1: the key was not stored: %2").arg(name, message));
                    m_result->setStyleSheet(QStringLiteral("color: #b3261e;"));
                }
            });
    m_config = host.config();
    rebuild();
}

QString ProvidersPage::keyText(const ProviderKeyStatus &s) const
{
    if (!s.needed)
        return tr("not needed");
    if (s.source == u"keychain")
        return tr("stored in keychain");
    if (!s.source.isEmpty())
        return tr("from %1").arg(s.source);
    if (s.local)
        return tr("none (not needed on a local server)");
    return tr("missing");
}

void ProvidersPage::rebuild()
{
    const int current = m_table->currentRow();
    m_table->setRowCount(int(m_config.providers.size()));
    for (int i = 0; i < m_config.providers.size(); ++i) {
        const ProviderConfig &p = m_config.providers.at(i);
        const QString base = ProviderRegistry::baseUrl(p.name, p.type, p.baseUrl);
        QString key = tr("…");
        bool missing = false;
        for (const ProviderKeyStatus &s : std::as_const(m_keys))
            if (s.provider == p.name) {
                key = keyText(s);
                missing = s.needed && s.source.isEmpty() && !s.local;
            }
        const bool insecure = p.options.value(QStringLiteral("tls"))
                                  .toObject()
                                  .value(QStringLiteral("insecure_skip_verify"))
                                  .toBool();
        const QStringList cells{p.name, p.type,
                                (base.isEmpty() ? tr("(default)") : base) +
                                    (insecure ? tr(" — certificate NOT verified") : QString()),
                                key};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            if ((c == 3 && missing) || (c == 2 && insecure))
                item->setForeground(QColor(0xb3, 0x26, 0x1e));
            if (c == 2 && insecure)
                item->setToolTip(tr("insecure_skip_verify is on: anyone on the network path can "
                                    "read and change this provider's traffic"));
            m_table->setItem(i, c, item);
        }
    }
    m_stack->setCurrentWidget(m_config.providers.isEmpty() ? static_cast<QWidget *>(m_empty)
                                                           : m_table);
    if (current >= 0 && current < m_table->rowCount())
        m_table->selectRow(current);
    const bool any = m_table->currentRow() >= 0;
    m_edit->setEnabled(any);
    m_remove->setEnabled(any);
    m_test->setEnabled(any);
    m_keychainNote->setVisible(!m_keychainProblem.isEmpty());
    m_keychainNote->setText(
        tr("%1. Keys can still come from environment variables such as OPENAI_API_KEY, or from "
           "a .env file in the working directory.")
            .arg(m_keychainProblem));
}

ProviderDialog *ProvidersPage::addProvider()
{
    QStringList taken;
    for (const ProviderConfig &p : std::as_const(m_config.providers))
        taken.append(p.name);
    auto *dialog = new ProviderDialog(m_host, taken, std::nullopt, false,
                                      tr("Stored only in the OS keychain, never in the config "
                                         "file."),
                                      this);
    finishDialog(dialog, true);
    return dialog;
}

ProviderDialog *ProvidersPage::editProvider(int row)
{
    if (row < 0 || row >= m_config.providers.size())
        return nullptr;
    const ProviderConfig p = m_config.providers.at(row);
    QString status = tr("Stored only in the OS keychain, never in the config file.");
    bool stored = false;
    for (const ProviderKeyStatus &s : std::as_const(m_keys))
        if (s.provider == p.name) {
            stored = s.source == u"keychain";
            if (!s.source.isEmpty() && !stored)
                status = tr("Now from %1 (not stored by llm-gateway). A key entered here goes "
                            "to the keychain and takes precedence.")
                             .arg(s.source);
        }
    auto *dialog = new ProviderDialog(m_host, {}, p, stored, status, this);
    finishDialog(dialog, false);
    return dialog;
}

void ProvidersPage::finishDialog(ProviderDialog *dialog, bool adding)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, adding] {
        const ProviderConfig p = dialog->provider();
        Config c = m_host.config();
        if (adding) {
            c.providers.append(p);
        } else {
            for (ProviderConfig &existing : c.providers)
                if (existing.name == p.name)
                    existing = p;
        }
        // The key first, so the providers rebuilt by the config change already have it.
        if (!dialog->newKey().isEmpty())
            m_host.setKey(p.name, dialog->newKey());
        else if (dialog->deleteKey())
            m_host.deleteKey(p.name);
        m_host.applyConfig(c);
        m_result->clear();
    });
    dialog->open();
}

void ProvidersPage::removeProvider(int row)
{
    if (row < 0 || row >= m_config.providers.size())
        return;
    const QString name = m_config.providers.at(row).name;
    QStringList users;
    for (const ModelMapping &m : std::as_const(m_config.models))
        if (m.provider.compare(name, Qt::CaseInsensitive) == 0)
            users.append(m.name);
    if (!users.isEmpty()) {
        m_result->setText(tr("'%1' is used by the models %2: map them elsewhere or remove them "
                             "first (Models page).")
                              .arg(name, users.join(tr(", "))));
        m_result->setStyleSheet(QStringLiteral("color: #b3261e;"));
        return;
    }
    Config c = m_host.config();
    c.providers.removeIf([&](const ProviderConfig &p) { return p.name == name; });
    m_host.applyConfig(c);
    m_host.deleteKey(name); // a removed provider leaves no key behind
}

void ProvidersPage::testSelected()
{
    const int row = m_table->currentRow();
    if (row < 0 || row >= m_config.providers.size())
        return;
    m_test->setEnabled(false);
    m_result->setStyleSheet(QString());
    m_result->setText(tr("%1: testing…").arg(m_config.providers.at(row).name));
    m_host.testConnection(m_config.providers.at(row));
}

} // namespace gw
