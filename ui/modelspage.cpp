#include "modelspage.h"

#include "gateway.h"
#include "gatewayhost.h"
#include "mappingtablemodel.h"

#include <QComboBox>
#include <QCompleter>
#include <QFile>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace gw {
namespace {

// Provider: a list of the configured ones. Upstream model: free text with the provider's own
// model ids as suggestions. Context: a number.
class MappingDelegate : public QStyledItemDelegate
{
public:
    MappingDelegate(ModelsPage *page, MappingTableModel *model)
        : QStyledItemDelegate(page), m_page(page), m_model(model)
    {}

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override
    {
        switch (index.column()) {
        case MappingTableModel::Provider: {
            auto *combo = new QComboBox(parent);
            combo->addItems(m_model->providers());
            if (combo->findText(QStringLiteral("echo")) < 0)
                combo->addItem(QStringLiteral("echo"));
            return combo;
        }
        case MappingTableModel::Upstream: {
            auto *combo = new QComboBox(parent);
            combo->setEditable(true);
            combo->setInsertPolicy(QComboBox::NoInsert);
            const QString provider =
                index.siblingAtColumn(MappingTableModel::Provider).data().toString();
            combo->addItems(m_page->suggestions(provider));
            combo->completer()->setFilterMode(Qt::MatchContains);
            combo->completer()->setCaseSensitivity(Qt::CaseInsensitive);
            return combo;
        }
        case MappingTableModel::Context: {
            auto *spin = new QSpinBox(parent);
            spin->setRange(0, 100'000'000);
            spin->setSingleStep(1024);
            spin->setSpecialValueText(ModelsPage::tr("default"));
            return spin;
        }
        default:
            return QStyledItemDelegate::createEditor(parent, option, index);
        }
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        if (auto *combo = qobject_cast<QComboBox *>(editor)) {
            const QString v = index.data(Qt::EditRole).toString();
            if (combo->isEditable())
                combo->setEditText(v);
            else
                combo->setCurrentIndex(combo->findText(v));
            return;
        }
        QStyledItemDelegate::setEditorData(editor, index);
    }
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override
    {
        if (auto *combo = qobject_cast<QComboBox *>(editor)) {
            model->setData(index, combo->currentText(), Qt::EditRole);
            return;
        }
        QStyledItemDelegate::setModelData(editor, model, index);
    }

private:
    ModelsPage *m_page;
    MappingTableModel *m_model;
};

} // namespace

ModelsPage::ModelsPage(GatewayHost &host, QWidget *parent) : QWidget(parent), m_host(host)
{
    setObjectName(QStringLiteral("modelsPage"));
    auto *layout = new QVBoxLayout(this);

    auto *intro = new QLabel(tr("Names clients ask for (e.g. in `ollama run NAME` or an IDE), "
                                "and where each one goes. Any provider's model is also reachable "
                                "as provider/model without a mapping."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_model = new MappingTableModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("mappingsTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new MappingDelegate(this, m_model));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::AnyKeyPressed);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    auto *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    m_table->setColumnWidth(MappingTableModel::Name, 150);
    m_table->setColumnWidth(MappingTableModel::Provider, 110);
    m_table->setColumnWidth(MappingTableModel::Upstream, 200);
    m_table->setColumnWidth(MappingTableModel::Context, 90);
    m_table->setColumnWidth(MappingTableModel::Capabilities, 150);
    layout->addWidget(m_table, 1);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("mappingMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);

    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"), this);
    add->setObjectName(QStringLiteral("addMappingButton"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeMappingButton"));
    auto *importButton = new QPushButton(tr("Import…"), this);
    auto *exportButton = new QPushButton(tr("Export…"), this);
    m_revert = new QPushButton(tr("Revert"), this);
    m_revert->setObjectName(QStringLiteral("revertMappingsButton"));
    m_apply = new QPushButton(tr("Apply"), this);
    m_apply->setObjectName(QStringLiteral("applyMappingsButton"));
    m_apply->setDefault(true);
    buttons->addWidget(add);
    buttons->addWidget(m_remove);
    buttons->addSpacing(12);
    buttons->addWidget(importButton);
    buttons->addWidget(exportButton);
    buttons->addStretch(1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);

    // Try it: a short prompt to an applied mapping, the answer streamed in as it comes.
    auto *tryBox = new QGroupBox(tr("Try it"), this);
    auto *tryLayout = new QVBoxLayout(tryBox);
    auto *tryRow = new QHBoxLayout;
    m_tryModel = new QComboBox(tryBox);
    m_tryModel->setObjectName(QStringLiteral("tryModelCombo"));
    m_tryModel->setMinimumContentsLength(16);
    m_tryModel->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_tryPrompt = new QLineEdit(tr("Say hello in five words."), tryBox);
    m_tryPrompt->setObjectName(QStringLiteral("tryPromptEdit"));
    m_trySend = new QPushButton(tr("Send"), tryBox);
    m_trySend->setObjectName(QStringLiteral("trySendButton"));
    tryRow->addWidget(m_tryModel);
    tryRow->addWidget(m_tryPrompt, 1);
    tryRow->addWidget(m_trySend);
    tryLayout->addLayout(tryRow);
    m_tryOutput = new QPlainTextEdit(tryBox);
    m_tryOutput->setObjectName(QStringLiteral("tryOutput"));
    m_tryOutput->setReadOnly(true);
    m_tryOutput->setPlaceholderText(tr("The answer appears here as it streams in. Try it uses "
                                       "the applied mappings."));
    m_tryOutput->setMaximumHeight(110);
    tryLayout->addWidget(m_tryOutput);
    layout->addWidget(tryBox);

    connect(add, &QPushButton::clicked, this, [this] {
        const int row = m_model->addRow();
        m_table->setCurrentIndex(m_model->index(row, MappingTableModel::Name));
        m_table->edit(m_model->index(row, MappingTableModel::Name));
    });
    connect(m_remove, &QPushButton::clicked, this,
            [this] { m_model->removeRow(m_table->currentIndex().row()); });
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import Model Mappings"), {},
                                                          tr("JSON files (*.json)"));
        QString error;
        if (!path.isEmpty() && !importFrom(path, &error)) {
            m_message->setText(error);
            m_message->setStyleSheet(QStringLiteral("color: #b3261e;"));
        }
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export Model Mappings"),
                                         QStringLiteral("models.json"), tr("JSON files (*.json)"));
        QString error;
        if (!path.isEmpty() && !exportTo(path, &error)) {
            m_message->setText(error);
            m_message->setStyleSheet(QStringLiteral("color: #b3261e;"));
        }
    });
    connect(m_apply, &QPushButton::clicked, this, &ModelsPage::apply);
    connect(m_revert, &QPushButton::clicked, this, &ModelsPage::revert);
    connect(m_trySend, &QPushButton::clicked, this, &ModelsPage::tryIt);
    connect(m_tryPrompt, &QLineEdit::returnPressed, this, &ModelsPage::tryIt);
    connect(m_model, &MappingTableModel::edited, this, [this] {
        m_dirty = true;
        updateState();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                updateState();
                if (current.isValid())
                    requestSuggestions(
                        current.siblingAtColumn(MappingTableModel::Provider).data().toString());
            });

    connect(&host, &GatewayHost::configChanged, this, [this](const Config &c) {
        m_config = c;
        QStringList names;
        for (const ProviderConfig &p : c.providers)
            names.append(p.name);
        m_model->setProviders(names);
        if (!m_dirty || c.models == m_model->mappings()) {
            m_model->setMappings(c.models);
            m_dirty = false;
        }
        const QString current = m_tryModel->currentText();
        m_tryModel->clear();
        for (const ModelMapping &m : c.models)
            m_tryModel->addItem(m.name);
        m_tryModel->addItem(QStringLiteral("echo"));
        if (const int i = m_tryModel->findText(current); i >= 0)
            m_tryModel->setCurrentIndex(i);
        updateState();
    });
    connect(&host, &GatewayHost::configError, this, [this](const QString &error) {
        if (m_dirty) {
            m_message->setText(tr("Not applied: %1").arg(error));
            m_message->setStyleSheet(QStringLiteral("color: #b3261e;"));
        }
    });
    connect(&host, &GatewayHost::upstreamModelsListed, this,
            [this](const QString &provider, const QStringList &ids, const QString &error) {
                if (error.isEmpty())
                    m_suggestions.insert(provider.toLower(), ids);
                else
                    m_asked.removeAll(provider.toLower()); // ask again later
            });
    connect(&host, &GatewayHost::tryOutput, this, [this](int id, const QString &text) {
        if (id != m_tryId)
            return;
        m_tryOutput->moveCursor(QTextCursor::End);
        m_tryOutput->insertPlainText(text);
    });
    connect(&host, &GatewayHost::tryFinished, this, [this](int id, const QString &error) {
        if (id != m_tryId)
            return;
        m_tryId = 0;
        m_trySend->setText(tr("Send"));
        if (!error.isEmpty())
            m_tryOutput->appendPlainText(tr("Error: %1").arg(error));
    });

    m_config = host.config();
    QStringList names;
    for (const ProviderConfig &p : std::as_const(m_config.providers))
        names.append(p.name);
    m_model->setProviders(names);
    m_model->setMappings(m_config.models);
    for (const ModelMapping &m : std::as_const(m_config.models))
        m_tryModel->addItem(m.name);
    m_tryModel->addItem(QStringLiteral("echo"));
    updateState();
}

QStringList ModelsPage::suggestions(const QString &provider) const
{
    return m_suggestions.value(provider.toLower());
}

void ModelsPage::requestSuggestions(const QString &provider)
{
    if (provider.isEmpty() || m_asked.contains(provider.toLower()))
        return;
    for (const ProviderConfig &p : std::as_const(m_config.providers))
        if (p.name.compare(provider, Qt::CaseInsensitive) == 0) {
            m_asked.append(provider.toLower());
            m_host.fetchUpstreamModels(p);
        }
}

void ModelsPage::updateState()
{
    const QString error = m_model->firstError();
    if (!error.isEmpty()) {
        m_message->setText(error);
        m_message->setStyleSheet(QStringLiteral("color: #b3261e;"));
    } else if (m_model->rowCount() == 0) {
        m_message->setText(tr("No mappings yet — add one, or ask for provider/model (e.g. "
                              "openai/gpt-4o) or the built-in \"echo\"."));
        m_message->setStyleSheet(QString());
    } else {
        m_message->setText(m_dirty ? tr("Changes not applied yet.") : QString());
        m_message->setStyleSheet(QString());
    }
    m_apply->setEnabled(m_dirty && error.isEmpty());
    m_revert->setEnabled(m_dirty);
    m_remove->setEnabled(m_table->currentIndex().isValid());
}

void ModelsPage::apply()
{
    if (!m_model->firstError().isEmpty())
        return;
    Config c = m_host.config();
    c.models = m_model->mappings();
    m_host.applyConfig(c);
}

void ModelsPage::revert()
{
    m_dirty = false;
    m_model->setMappings(m_host.config().models);
    updateState();
}

bool ModelsPage::importFrom(const QString &path, QString *error)
{
    // Accepts {"models": [...]} (an export, or a whole config file) or a bare array.
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    // The mappings' fields, then the config they would join, checked as a value.
    QString why;
    const auto models = Config::modelsFromJson(f.readAll(), path, &why);
    Config probe = m_config;
    if (models)
        probe.models = *models;
    if (!models || !probe.validate(Gateway::configRules(), &why)) {
        *error = tr("Not imported: %1").arg(why);
        return false;
    }
    m_model->setMappings(probe.models);
    m_dirty = true;
    updateState();
    return true;
}

bool ModelsPage::exportTo(const QString &path, QString *error) const
{
    Config c;
    c.models = m_model->mappings();
    const QJsonObject full = QJsonDocument::fromJson(c.toJson()).object();
    const QJsonObject out{{QStringLiteral("models"), full.value(QStringLiteral("models"))}};
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        *error = tr("Cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    f.write(QJsonDocument(out).toJson(QJsonDocument::Indented));
    if (!f.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

void ModelsPage::tryIt()
{
    if (m_tryId) {
        m_host.cancelTry(m_tryId);
        m_tryId = 0;
        m_trySend->setText(tr("Send"));
        m_tryOutput->appendPlainText(tr("(stopped)"));
        return;
    }
    const QString model = m_tryModel->currentText();
    if (model.isEmpty() || m_tryPrompt->text().trimmed().isEmpty())
        return;
    m_tryOutput->clear();
    m_trySend->setText(tr("Stop"));
    m_tryId = m_host.tryModel(model, m_tryPrompt->text().trimmed());
}

} // namespace gw
