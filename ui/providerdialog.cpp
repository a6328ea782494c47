#include "providerdialog.h"

#include "gatewayhost.h"
#include "providers/providerregistry.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QUrl>
#include <QVBoxLayout>

namespace gw {
namespace {

struct CustomKind
{
    const char *type;
    const char *label;
    const char *baseUrl;
};

// Besides the presets: self-hosted and other services, by type.
const CustomKind kCustom[] = {
    {"openai", QT_TRANSLATE_NOOP("gw::ProviderDialog", "OpenAI-compatible server (custom)"), ""},
    {"ollama", QT_TRANSLATE_NOOP("gw::ProviderDialog", "Ollama server"), "http://127.0.0.1:11434"},
    {"tgi", QT_TRANSLATE_NOOP("gw::ProviderDialog", "Text Generation Inference server"),
     "http://127.0.0.1:8080"},
    {"azure-openai", QT_TRANSLATE_NOOP("gw::ProviderDialog", "Azure OpenAI"), ""},
};

} // namespace

ProviderDialog::ProviderDialog(GatewayHost &host, const QStringList &takenNames,
                               const std::optional<ProviderConfig> &editing, bool keyStored,
                               const QString &keyStatus, QWidget *parent)
    : QDialog(parent), m_host(host), m_taken(takenNames), m_editing(editing.has_value())
{
    setObjectName(QStringLiteral("providerDialog"));
    setWindowTitle(m_editing ? tr("Edit Provider") : tr("Add Provider"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    for (const ProviderPreset &p : ProviderRegistry::presets())
        m_preset->addItem(QString::fromUtf8(p.label), QString::fromLatin1(p.name));
    m_preset->insertSeparator(m_preset->count());
    for (const CustomKind &k : kCustom)
        m_preset->addItem(tr(k.label), QStringLiteral("custom:%1").arg(QLatin1StringView(k.type)));
    if (!m_editing)
        form->addRow(tr("Service:"), m_preset);
    else
        m_preset->hide();

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setPlaceholderText(tr("letters, digits, _ . -"));
    m_name->setToolTip(tr("Clients reach this provider's models as NAME/model; the key is stored "
                          "under this name"));
    form->addRow(tr("Name:"), m_name);

    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("typeCombo"));
    // Every type a user can add: echo is built in and needs no entry.
    for (const QString &t : ProviderRegistry::types())
        if (ProviderRegistry::keyNeed(t) != ProviderRegistry::KeyNeed::Never)
            m_type->addItem(t, t);
    form->addRow(tr("Type:"), m_type);

    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrl->setPlaceholderText(tr("the type's default"));
    form->addRow(tr("Base URL:"), m_baseUrl);

    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("keyEdit"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(keyStored ? tr("•••• stored in keychain")
                                        : tr("paste the key; it is kept in the OS keychain"));
    m_deleteKeyButton = new QPushButton(tr("Delete Stored Key"), this);
    m_deleteKeyButton->setObjectName(QStringLiteral("deleteKeyButton"));
    m_deleteKeyButton->setVisible(keyStored);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_deleteKeyButton);
    form->addRow(tr("API key:"), keyRow);
    m_keyStatus = new QLabel(keyStatus, this);
    m_keyStatus->setObjectName(QStringLiteral("keyStatusLabel"));
    m_keyStatus->setWordWrap(true);
    m_keyStatus->setEnabled(false);    // secondary text
    m_keyStatus->setMinimumWidth(360); // wrap at the field's width, not at half of it
    form->addRow(QString(), m_keyStatus);
    layout->addLayout(form);

    auto *testRow = new QHBoxLayout;
    m_test = new QPushButton(tr("Test Connection"), this);
    m_test->setObjectName(QStringLiteral("dialogTestButton"));
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("dialogTestResult"));
    m_testResult->setWordWrap(true);
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);
    layout->addLayout(testRow);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("dialogError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->hide();
    layout->addWidget(m_error);
    layout->addStretch(1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->setObjectName(QStringLiteral("dialogButtons"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ProviderDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ProviderDialog::reject);
    layout->addWidget(buttons);

    connect(m_preset, &QComboBox::currentIndexChanged, this, &ProviderDialog::applyPreset);
    connect(m_deleteKeyButton, &QPushButton::clicked, this, [this] {
        m_deleteKey = true;
        m_key->clear();
        m_key->setPlaceholderText(tr("the stored key will be deleted"));
        m_deleteKeyButton->setEnabled(false);
    });
    connect(m_test, &QPushButton::clicked, this, [this] {
        m_testResult->setText(tr("Testing…"));
        m_test->setEnabled(false);
        m_host.testConnection(provider(), newKey());
    });
    connect(&m_host, &GatewayHost::connectionTested, this,
            [this](const QString &name, bool ok, const QString &message) {
                if (name != provider().name)
                    return;
                m_test->setEnabled(true);
                m_testResult->setText(message);
                m_testResult->setStyleSheet(ok ? QStringLiteral("color: #1b6e20;")
                                               : QStringLiteral("color: #b3261e;"));
            });

    if (editing) {
        m_original = *editing;
        m_name->setText(editing->name);
        m_name->setReadOnly(true); // the name is the key's account and the mappings' reference
        m_type->setCurrentIndex(m_type->findData(editing->type));
        m_baseUrl->setText(editing->baseUrl);
    } else {
        // The first preset not configured yet.
        int first = 0;
        for (int i = 0; i < m_preset->count(); ++i)
            if (!m_taken.contains(m_preset->itemData(i).toString(), Qt::CaseInsensitive)) {
                first = i;
                break;
            }
        m_preset->setCurrentIndex(first);
        applyPreset(first);
    }
    setMinimumWidth(520);
}

void ProviderDialog::applyPreset(int index)
{
    const QString id = m_preset->itemData(index).toString();
    if (id.isEmpty())
        return;
    if (id.startsWith(u"custom:")) {
        const QString type = id.mid(7);
        m_type->setCurrentIndex(m_type->findData(type));
        m_type->setEnabled(true);
        for (const CustomKind &k : kCustom)
            if (type == QLatin1StringView(k.type))
                m_baseUrl->setText(QString::fromLatin1(k.baseUrl));
        if (ProviderRegistry::preset(m_name->text()))
            m_name->clear();
        return;
    }
    const ProviderPreset *p = ProviderRegistry::preset(id);
    m_name->setText(QString::fromLatin1(p->name));
    m_type->setCurrentIndex(m_type->findData(QString::fromLatin1(p->type)));
    m_type->setEnabled(false);
    m_baseUrl->setText(QString::fromLatin1(p->baseUrl));
}

ProviderConfig ProviderDialog::provider() const
{
    ProviderConfig p = m_original;
    p.name = m_name->text().trimmed();
    p.type = m_type->currentData().toString();
    p.baseUrl = m_baseUrl->text().trimmed();
    // A preset's own base URL need not be written out: the preset supplies it.
    if (p.baseUrl == ProviderRegistry::baseUrl(p.name, p.type, {}))
        p.baseUrl.clear();
    return p;
}

QString ProviderDialog::newKey() const
{
    return m_key->text().trimmed();
}

QString ProviderDialog::validate() const
{
    const ProviderConfig p = provider();
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    if (p.name.isEmpty())
        return tr("Enter a name for the provider.");
    if (!namePattern.match(p.name).hasMatch())
        return tr("The name may only contain letters, digits, '_', '.' and '-', and must start "
                  "with a letter or digit.");
    if (!m_editing && (m_taken.contains(p.name, Qt::CaseInsensitive) || p.name == u"echo"))
        return tr("A provider named '%1' exists already.").arg(p.name);
    if (!p.baseUrl.isEmpty()) {
        const QUrl url(p.baseUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
            url.host().isEmpty())
            return tr("The base URL must be an http:// or https:// address.");
    }
    if (p.baseUrl.isEmpty() && p.type == u"azure-openai")
        return tr("Azure OpenAI needs your resource's endpoint as the base URL.");
    return {};
}

void ProviderDialog::accept()
{
    const QString error = validate();
    if (!error.isEmpty()) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace gw
