#include "welcomepage.h"

#include "gatewayhost.h"
#include "providers/providerregistry.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace gw {
namespace {

// Besides the presets: servers of the user's own, by type.
struct Server
{
    const char *id;
    const char *name; // the provider's name in the config
    const char *type;
    const char *baseUrl;
    const char *label;
};

const Server kServers[] = {
    {"ollama-local", "ollama", "ollama", "http://127.0.0.1:11434",
     QT_TRANSLATE_NOOP("gw::WelcomePage", "Ollama on this computer")},
    {"ollama-remote", "ollama", "ollama", "",
     QT_TRANSLATE_NOOP("gw::WelcomePage", "Ollama on another machine")},
    {"custom", "custom", "openai", "",
     QT_TRANSLATE_NOOP("gw::WelcomePage", "Another OpenAI-compatible server (its URL)")},
};

// The order people look for them in.
const char *const kPresetOrder[] = {"openai",   "anthropic", "gemini",      "openrouter", "groq",
                                    "deepseek", "mistral",   "huggingface", "together"};

const Server *server(const QString &id)
{
    for (const Server &s : kServers)
        if (id == QLatin1StringView(s.id))
            return &s;
    return nullptr;
}

QLabel *title(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    QFont f = l->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    l->setFont(f);
    return l;
}

QLabel *note(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setWordWrap(true);
    return l;
}

// The name clients ask for: the vendor's id without a folder ("openai/gpt-4.1" on OpenRouter,
// "models/gemini-2.5-flash"), so Copilot and friends see the names they know.
QString mappingName(const QString &id)
{
    return id.section(u'/', -1).trimmed();
}

} // namespace

WelcomePage::WelcomePage(GatewayHost &host, QWidget *parent) : QWidget(parent), m_host(host)
{
    setObjectName(QStringLiteral("welcomePage"));
    auto *layout = new QVBoxLayout(this);
    m_steps = new QStackedWidget(this);
    layout->addWidget(m_steps, 1);

    // 1. Choose
    auto *chooseStep = new QWidget(m_steps);
    auto *chooseLayout = new QVBoxLayout(chooseStep);
    chooseLayout->addWidget(title(tr("Welcome to llm-gateway"), chooseStep));
    chooseLayout->addWidget(
        note(tr("Your IDE and tools talk to llm-gateway as if it were Ollama; it passes their "
                "requests on to the service you choose. Which one do you have a key for?"),
             chooseStep));
    m_choices = new QListWidget(chooseStep);
    m_choices->setObjectName(QStringLiteral("choiceList"));
    chooseLayout->addWidget(m_choices, 1);
    m_steps->addWidget(chooseStep);

    // 2. Connect
    auto *connectStep = new QWidget(m_steps);
    auto *connectLayout = new QVBoxLayout(connectStep);
    m_connectTitle = title(QString(), connectStep);
    connectLayout->addWidget(m_connectTitle);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_baseUrl = new QLineEdit(connectStep);
    m_baseUrl->setObjectName(QStringLiteral("welcomeBaseUrl"));
    form->addRow(tr("Address:"), m_baseUrl);
    m_key = new QLineEdit(connectStep);
    m_key->setObjectName(QStringLiteral("welcomeKey"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("paste your API key; it is kept only in the OS keychain"));
    m_keyLabel = new QLabel(tr("API key:"), connectStep);
    form->addRow(m_keyLabel, m_key);
    connectLayout->addLayout(form);
    m_keyNote = note(QString(), connectStep);
    m_keyNote->setObjectName(QStringLiteral("welcomeKeyNote"));
    connectLayout->addWidget(m_keyNote);
    auto *connectRow = new QHBoxLayout;
    m_connect = new QPushButton(tr("Connect"), connectStep);
    m_connect->setObjectName(QStringLiteral("welcomeConnect"));
    connectRow->addWidget(m_connect);
    connectRow->addStretch(1);
    connectLayout->addLayout(connectRow);
    m_verdict = note(QString(), connectStep);
    m_verdict->setObjectName(QStringLiteral("welcomeVerdict"));
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connectLayout->addWidget(m_verdict);
    connectLayout->addStretch(1);
    m_steps->addWidget(connectStep);

    // 3. Models
    auto *modelsStep = new QWidget(m_steps);
    auto *modelsLayout = new QVBoxLayout(modelsStep);
    modelsLayout->addWidget(title(tr("Pick your models"), modelsStep));
    m_modelsNote = note(QString(), modelsStep);
    modelsLayout->addWidget(m_modelsNote);
    m_filter = new QLineEdit(modelsStep);
    m_filter->setObjectName(QStringLiteral("welcomeFilter"));
    m_filter->setPlaceholderText(tr("filter"));
    m_filter->setClearButtonEnabled(true);
    modelsLayout->addWidget(m_filter);
    m_models = new QListWidget(modelsStep);
    m_models->setObjectName(QStringLiteral("welcomeModels"));
    modelsLayout->addWidget(m_models, 1);
    m_modelEdit = new QLineEdit(modelsStep);
    m_modelEdit->setObjectName(QStringLiteral("welcomeModelEdit"));
    m_modelEdit->setPlaceholderText(tr("a model id, e.g. gpt-4.1"));
    modelsLayout->addWidget(m_modelEdit);
    m_steps->addWidget(modelsStep);

    auto *buttons = new QHBoxLayout;
    m_skip = new QPushButton(tr("Skip"), this);
    m_skip->setObjectName(QStringLiteral("welcomeSkip"));
    m_skip->setToolTip(tr("Set up providers and models later in the other tabs"));
    m_back = new QPushButton(tr("Back"), this);
    m_back->setObjectName(QStringLiteral("welcomeBack"));
    m_next = new QPushButton(tr("Next"), this);
    m_next->setObjectName(QStringLiteral("welcomeNext"));
    m_next->setDefault(true);
    buttons->addWidget(m_skip);
    buttons->addStretch(1);
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    layout->addLayout(buttons);

    connect(m_skip, &QPushButton::clicked, this, [this] {
        // Past the connection the provider is added: what is left is the Connect page.
        if (step() == Step::Models)
            emit finished();
        else
            emit skipped();
    });
    connect(m_back, &QPushButton::clicked, this, [this] {
        m_steps->setCurrentIndex(0);
        m_back->setVisible(false);
        m_next->setText(tr("Next"));
        m_next->setEnabled(m_choices->currentRow() >= 0);
    });
    connect(m_next, &QPushButton::clicked, this, [this] {
        switch (step()) {
        case Step::Choose:
            return choose();
        case Step::Connect:
            return addProvider();
        case Step::Models:
            return mapModels();
        }
    });
    connect(m_choices, &QListWidget::currentRowChanged, this,
            [this](int row) { m_next->setEnabled(row >= 0 && step() == Step::Choose); });
    connect(m_choices, &QListWidget::itemActivated, this, [this] { choose(); });
    connect(m_connect, &QPushButton::clicked, this, &WelcomePage::probe);
    connect(m_key, &QLineEdit::returnPressed, this, &WelcomePage::probe);
    connect(m_key, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_connected = false;
        m_next->setEnabled(false);
        // A key pasted whole (not typed) is tested at once.
        const qsizetype before = m_keyLength;
        m_keyLength = text.trimmed().size();
        if (m_keyLength >= before + 8)
            probe();
    });
    connect(m_baseUrl, &QLineEdit::textEdited, this, [this] {
        m_connected = false;
        m_next->setEnabled(false);
    });
    connect(
        &host, &GatewayHost::providerProbed, this,
        [this](int probe, const QString &, bool ok, const QString &words, const QStringList &ids) {
            if (step() != Step::Connect || probe != m_probe)
                return;
            m_connect->setEnabled(true);
            m_verdict->setText(words);
            m_verdict->setStyleSheet(ok ? QStringLiteral("color: #1b6e20;")
                                        : QStringLiteral("color: #b3261e;"));
            m_connected = ok;
            m_ids = ids;
            m_next->setEnabled(ok);
        });
    connect(&host, &GatewayHost::keyOperationFinished, this,
            [this](const QString &name, bool ok, const QString &message) {
                if (!ok && name == provider().name)
                    m_modelsNote->setText(message);
            });
    connect(&host, &GatewayHost::presetKeysFound, this, [this](const QMap<QString, QString> &f) {
        m_foundKeys = f;
        for (int i = 0; i < m_choices->count(); ++i) {
            QListWidgetItem *item = m_choices->item(i);
            const QString id = item->data(Qt::UserRole).toString();
            const QString label = item->data(Qt::UserRole + 1).toString();
            item->setText(f.contains(id) ? tr("%1 — a key was found (%2)").arg(label, f.value(id))
                                         : label);
        }
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        for (int i = 0; i < m_models->count(); ++i)
            m_models->item(i)->setHidden(
                !m_models->item(i)->text().contains(text.trimmed(), Qt::CaseInsensitive));
    });
    connect(m_models, &QListWidget::itemChanged, this, [this] {
        int n = 0;
        for (int i = 0; i < m_models->count(); ++i)
            n += m_models->item(i)->checkState() == Qt::Checked;
        m_next->setText(n > 0 ? tr("Map %n model(s)", nullptr, n) : tr("Finish"));
    });
    restart();
}

void WelcomePage::restart()
{
    m_choices->clear();
    for (const char *name : kPresetOrder) {
        const ProviderPreset *p = ProviderRegistry::preset(QString::fromLatin1(name));
        if (!p)
            continue;
        auto *item = new QListWidgetItem(QString::fromUtf8(p->label), m_choices);
        item->setData(Qt::UserRole, QString::fromLatin1(p->name));
        item->setData(Qt::UserRole + 1, QString::fromUtf8(p->label));
    }
    for (const Server &s : kServers) {
        auto *item = new QListWidgetItem(tr(s.label), m_choices);
        item->setData(Qt::UserRole, QString::fromLatin1(s.id));
        item->setData(Qt::UserRole + 1, tr(s.label));
    }
    m_steps->setCurrentIndex(0);
    m_choices->setCurrentRow(0);
    m_back->setVisible(false);
    m_next->setText(tr("Next"));
    m_next->setEnabled(true);
    m_host.findPresetKeys();
}

WelcomePage::Step WelcomePage::step() const
{
    return Step(m_steps->currentIndex());
}

bool WelcomePage::isFirstRun(const Config &config)
{
    for (const ProviderConfig &p : config.providers)
        if (ProviderRegistry::keyNeed(p.type) != ProviderRegistry::KeyNeed::Never)
            return false;
    return config.models.isEmpty();
}

QString WelcomePage::choiceId() const
{
    const QListWidgetItem *item = m_choices->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

ProviderConfig WelcomePage::provider() const
{
    const QString id = choiceId();
    ProviderConfig p;
    if (const Server *s = server(id)) {
        p.name = QString::fromLatin1(s->name);
        p.type = QString::fromLatin1(s->type);
    } else if (const ProviderPreset *preset = ProviderRegistry::preset(id)) {
        p.name = QString::fromLatin1(preset->name);
        p.type = QString::fromLatin1(preset->type);
    }
    p.baseUrl = m_baseUrl->text().trimmed();
    // The preset's own URL need not be written out: the preset supplies it.
    if (p.baseUrl == ProviderRegistry::baseUrl(p.name, p.type, {}))
        p.baseUrl.clear();
    return p;
}

void WelcomePage::choose()
{
    const QString id = choiceId();
    if (id.isEmpty())
        return;
    const QString label = m_choices->currentItem()->data(Qt::UserRole + 1).toString();
    m_connectTitle->setText(tr("Connect to %1").arg(label));
    const Server *s = server(id);
    const ProviderPreset *preset = ProviderRegistry::preset(id);
    m_baseUrl->setText(s ? QString::fromLatin1(s->baseUrl)
                         : QString::fromLatin1(preset ? preset->baseUrl : ""));
    m_baseUrl->setPlaceholderText(s && QLatin1StringView(s->type) == u"ollama"
                                      ? QStringLiteral("http://192.168.1.20:11434")
                                      : QStringLiteral("https://…/v1"));
    m_key->clear();
    m_keyLength = 0;
    m_verdict->clear();
    m_probe = 0;
    m_connect->setEnabled(true);
    m_connected = false;
    m_ids.clear();
    const ProviderConfig p = provider();
    const bool needsKey =
        ProviderRegistry::needsKey(p.type, ProviderRegistry::baseUrl(p.name, p.type, p.baseUrl));
    const bool found = m_foundKeys.contains(id);
    m_key->setVisible(needsKey || s);
    m_keyLabel->setVisible(needsKey || s);
    if (found)
        m_keyNote->setText(tr("A key for %1 was found (%2): it is used unless you paste "
                              "another one.")
                               .arg(label, m_foundKeys.value(id)));
    else if (needsKey)
        m_keyNote->setText(tr("The key is stored only in your system's keychain, never in a "
                              "file."));
    else
        m_keyNote->setText(tr("A server on this computer or your network usually needs no key."));
    if (id == u"ollama-local")
        m_keyNote->setText(m_keyNote->text() + QLatin1Char(' ') +
                           tr("Ollama and llm-gateway both take port 11434 by default: run one of "
                              "them on another port (for Ollama: OLLAMA_HOST=127.0.0.1:11435 "
                              "ollama serve) and enter Ollama's address here."));
    m_steps->setCurrentIndex(int(Step::Connect));
    m_back->setVisible(true);
    m_next->setText(tr("Next"));
    m_next->setEnabled(false);
    // With a key at hand (or none needed) the test starts at once.
    if (!p.baseUrl.isEmpty() || ProviderRegistry::preset(id))
        if (found || !needsKey)
            probe();
}

void WelcomePage::probe()
{
    const ProviderConfig p = provider();
    if (p.baseUrl.isEmpty() && !ProviderRegistry::preset(p.name)) {
        m_verdict->setText(tr("Enter the server's address first."));
        m_verdict->setStyleSheet(QStringLiteral("color: #b3261e;"));
        return;
    }
    m_verdict->setText(tr("Connecting…"));
    m_verdict->setStyleSheet(QString());
    m_connect->setEnabled(false);
    m_probe = m_host.probeProvider(p, m_key->text().trimmed());
}

void WelcomePage::addProvider()
{
    if (!m_connected)
        return;
    const ProviderConfig p = provider();
    if (!m_key->text().trimmed().isEmpty())
        m_host.setKey(p.name, m_key->text().trimmed()); // the keychain, nowhere else
    m_config = m_host.config();
    bool replaced = false;
    for (ProviderConfig &existing : m_config.providers)
        if (existing.name.compare(p.name, Qt::CaseInsensitive) == 0) {
            existing = p;
            replaced = true;
        }
    if (!replaced)
        m_config.providers.append(p);
    m_host.applyConfig(m_config);
    showModels(m_ids);
}

void WelcomePage::showModels(const QStringList &ids)
{
    m_models->clear();
    m_filter->clear();
    for (const QString &id : ids) {
        auto *item = new QListWidgetItem(id, m_models);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    const bool listed = !ids.isEmpty();
    m_models->setVisible(listed);
    m_filter->setVisible(ids.size() > 12);
    m_modelEdit->setVisible(!listed);
    m_modelsNote->setText(
        listed ? tr("Tick the models you want in your tools. They keep the vendor's names "
                    "(Copilot picks its prompts by them).")
               : tr("This service does not list its models: enter the id of one you want."));
    m_steps->setCurrentIndex(int(Step::Models));
    m_back->setVisible(false);
    m_next->setText(tr("Finish"));
    m_next->setEnabled(true);
}

void WelcomePage::mapModels()
{
    const ProviderConfig p = provider();
    QStringList chosen;
    for (int i = 0; i < m_models->count(); ++i)
        if (m_models->item(i)->checkState() == Qt::Checked)
            chosen.append(m_models->item(i)->text());
    if (!m_modelEdit->text().trimmed().isEmpty() && m_modelEdit->isVisibleTo(this))
        chosen.append(m_modelEdit->text().trimmed());
    bool added = false;
    for (const QString &id : std::as_const(chosen)) {
        ModelMapping m;
        m.name = mappingName(id);
        m.provider = p.name;
        m.model = id;
        const bool taken = std::any_of(
            m_config.models.cbegin(), m_config.models.cend(),
            [&m](const ModelMapping &e) { return modelNameKey(e.name) == modelNameKey(m.name); });
        if (m.name.isEmpty() || taken)
            continue;
        m_config.models.append(m);
        added = true;
    }
    if (added)
        m_host.applyConfig(m_config);
    emit finished();
}

} // namespace gw
