#include "providerdialog.h"

#include "gatewayhost.h"
#include "providers/providerregistry.h"
#include "json/jsonfields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
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
    addConnectionRows(form);
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
        // A CA file that cannot be read would otherwise test as an untrusted certificate.
        JsonFields options(provider().options, QStringLiteral("options"), JsonStyle::Config);
        if (!ProviderRegistry::checkOptions(provider().type, options)) {
            m_testResult->setText(options.error());
            m_testResult->setStyleSheet(QStringLiteral("color: #b3261e;"));
            return;
        }
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
        const QJsonObject tls = editing->options.value(QStringLiteral("tls")).toObject();
        m_proxy->setText(editing->options.value(QStringLiteral("proxy")).toString());
        m_caFile->setText(tls.value(QStringLiteral("ca_file")).toString());
        m_certFile->setText(tls.value(QStringLiteral("cert_file")).toString());
        m_keyFile->setText(tls.value(QStringLiteral("key_file")).toString());
        m_insecure->setChecked(tls.value(QStringLiteral("insecure_skip_verify")).toBool());
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

QLineEdit *ProviderDialog::fileRow(QFormLayout *form, const QString &label,
                                   const QString &objectName, const QString &filter)
{
    auto *edit = new QLineEdit(this);
    edit->setObjectName(objectName);
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this, edit, label, filter] {
        const QString file = QFileDialog::getOpenFileName(this, label, edit->text(), filter);
        if (!file.isEmpty())
            edit->setText(file);
    });
    auto *row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    return edit;
}

// The provider's connection: its proxy, the CA that signed its certificate, a client
// certificate, and the insecure switch, shown in red.
void ProviderDialog::addConnectionRows(QFormLayout *form)
{
    m_proxy = new QLineEdit(this);
    m_proxy->setObjectName(QStringLiteral("proxyEdit"));
    m_proxy->setPlaceholderText(tr("the system's (HTTPS_PROXY or the desktop's settings)"));
    m_proxy->setToolTip(tr("\"direct\" to bypass every proxy, or a proxy URL such as "
                           "http://user:password@proxy.example:3128"));
    form->addRow(tr("Proxy:"), m_proxy);
    const QString pem = tr("PEM files (*.pem *.crt *.cer *.key);;All files (*)");
    m_caFile = fileRow(form, tr("CA certificate:"), QStringLiteral("caFileEdit"), pem);
    m_caFile->setPlaceholderText(tr("only for a private CA; added to the system's"));
    m_certFile = fileRow(form, tr("Client certificate:"), QStringLiteral("certFileEdit"), pem);
    m_certFile->setPlaceholderText(tr("only if the server requires one (mutual TLS)"));
    m_keyFile = fileRow(form, tr("Client key:"), QStringLiteral("keyFileEdit"), pem);
    m_insecure = new QCheckBox(tr("Do not verify the server's certificate (insecure)"), this);
    m_insecure->setObjectName(QStringLiteral("insecureCheck"));
    m_insecure->setStyleSheet(QStringLiteral("QCheckBox { color: #b3261e; }"));
    form->addRow(QString(), m_insecure);
    m_insecureWarning = new QLabel(
        tr("Anyone on the network path can read and change this provider's traffic, API key "
           "included. Use it only for a lab server; prefer the CA certificate."),
        this);
    m_insecureWarning->setObjectName(QStringLiteral("insecureWarning"));
    m_insecureWarning->setWordWrap(true);
    m_insecureWarning->setStyleSheet(QStringLiteral("color: #b3261e; font-weight: bold;"));
    m_insecureWarning->hide();
    form->addRow(QString(), m_insecureWarning);
    connect(m_insecure, &QCheckBox::toggled, m_insecureWarning, &QWidget::setVisible);
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
    // The connection options, written only when set; the others are kept as they were.
    const auto put = [](QJsonObject &o, const QString &key, const QJsonValue &v, bool set) {
        if (set)
            o.insert(key, v);
        else
            o.remove(key);
    };
    const QString proxy = m_proxy->text().trimmed();
    put(p.options, QStringLiteral("proxy"), proxy, !proxy.isEmpty());
    QJsonObject tls = p.options.value(QStringLiteral("tls")).toObject();
    for (const auto &[key, edit] : {std::pair{QStringLiteral("ca_file"), m_caFile},
                                    std::pair{QStringLiteral("cert_file"), m_certFile},
                                    std::pair{QStringLiteral("key_file"), m_keyFile}}) {
        const QString file = edit->text().trimmed();
        put(tls, key, file, !file.isEmpty());
    }
    put(tls, QStringLiteral("insecure_skip_verify"), true, m_insecure->isChecked());
    put(p.options, QStringLiteral("tls"), tls, !tls.isEmpty());
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
    // The files and the proxy as the config will check them (the file, and why not).
    JsonFields options(p.options, QStringLiteral("options"), JsonStyle::Config);
    if (!ProviderRegistry::checkOptions(p.type, options))
        return options.error();
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
