#include "gatewayhost.h"

#include "chat/chatmessage.h"
#include "config/configwatcher.h"
#include "desktopwords.h"
#include "gateway.h"
#include "log/requestlogfile.h"
#include "providers/providerregistry.h"

#include <QFileInfo>
#include <QThread>

#include <utility>

namespace gw {

GatewayHost::GatewayHost(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<gw::RequestRecord>();
    qRegisterMetaType<gw::BudgetAlert>();
    m_thread.setObjectName(QStringLiteral("gateway"));
    m_thread.start();
    // Gateway's constructor creates no sockets or network managers (start() does, on the
    // gateway thread), so it may be built here and moved.
    auto *gateway = new Gateway;
    gateway->setDefaultThreads(QThread::idealThreadCount()); // server.threads 0: one per core
    gateway->moveToThread(&m_thread);
    m_gateway = gateway;
    connect(gateway, &Gateway::requestFinished, this, &GatewayHost::requestFinished,
            Qt::QueuedConnection);
    connect(gateway, &Gateway::configured, this, &GatewayHost::configApplied, Qt::QueuedConnection);
    connect(gateway, &Gateway::budgetAlert, this, &GatewayHost::budgetAlert, Qt::QueuedConnection);
    connect(gateway, &Gateway::usageWriteFailed, this, &GatewayHost::usageFailed,
            Qt::QueuedConnection);
}

GatewayHost::~GatewayHost()
{
    // Stopped first, so that the last records (which the workers report in batches) reach the
    // log file; the file then writes what it still holds, on its own thread, before the thread
    // ends.
    QMetaObject::invokeMethod(
        m_gateway, [g = m_gateway] { g->stop(); }, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        m_gateway, [this] { delete std::exchange(m_logFile, nullptr); },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    // Its thread has ended, so nothing else can touch it now (a deleteLater would never run).
    delete m_gateway;
}

void GatewayHost::configure(const Config &config, const QDateTime &modifiedAt)
{
    m_config = config;
    QMetaObject::invokeMethod(
        m_gateway, [g = m_gateway, config, modifiedAt] { g->configure(config, modifiedAt); });
}

void GatewayHost::start(const ListenAddress &address)
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, address] {
        QString error;
        const bool ok = g->start(address, &error);
        const QString url = ok ? g->address().url() : QString();
        QMetaObject::invokeMethod(this, [this, ok, url, error] {
            m_running = ok;
            m_url = url;
            m_error = error;
            emit stateChanged(ok, url, error);
        });
    });
}

void GatewayHost::setListenOverrides(const QString &flag, const QString &ollamaHost)
{
    m_listenFlag = flag.trimmed();
    m_ollamaHost = ollamaHost.trimmed();
}

Gateway::ListenSource GatewayHost::listenSource(const Config &config) const
{
    Gateway::ListenSource source = Gateway::ListenSource::Default;
    QString error;
    Gateway::chooseListenAddress(m_listenFlag, m_ollamaHost, config.listen, &error, &source);
    return source;
}

void GatewayHost::stop()
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway] {
        g->stop();
        QMetaObject::invokeMethod(this, [this] {
            m_running = false;
            m_error.clear();
            emit stateChanged(false, m_url, QString());
        });
    });
}

// --- request log file ---

void GatewayHost::setLogFile(const QString &path)
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, path] {
        delete std::exchange(m_logFile, nullptr);
        if (path.isEmpty())
            return;
        m_logFile = new RequestLogFile(path, g);
        connect(g, &Gateway::requestFinished, m_logFile, &RequestLogFile::append);
        connect(m_logFile, &RequestLogFile::writeFailed, this, &GatewayHost::logFileFailed,
                Qt::QueuedConnection);
    });
}

void GatewayHost::setUsageDatabase(const QString &path)
{
    m_usagePath = path;
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, path] {
        QString error;
        if (!g->setUsageDatabase(path, &error))
            QMetaObject::invokeMethod(this, [this, error] { emit usageFailed(error); });
    });
}

// --- settings (S) ---

void GatewayHost::useKeychain(const QString &service)
{
    QMetaObject::invokeMethod(m_gateway, [g = m_gateway, service] {
        g->useKeychain(service.isEmpty() ? QString::fromLatin1(Keychain::kDefaultService)
                                         : service);
    });
}

void GatewayHost::setConfigPath(const QString &path)
{
    m_configPath = path;
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, path] {
        if (!m_watcher) {
            m_watcher = new ConfigWatcher(g);
            connect(m_watcher, &ConfigWatcher::changed, g, [this](const QByteArray &content) {
                QString error;
                const auto c =
                    Config::fromJson(content, m_watcher->path(), Gateway::configRules(), &error);
                if (!c) {
                    QMetaObject::invokeMethod(this, [this, error] { emit configError(error); });
                    return;
                }
                applyOnGatewayThread(*c, false, QFileInfo(m_watcher->path()).lastModified());
            });
        }
        m_watcher->watch(path);
        if (!QFileInfo::exists(path)) {
            const Config current = g->config();
            QMetaObject::invokeMethod(this, [this, current] {
                m_config = current;
                emit configChanged(current);
            });
            return;
        }
        QString error;
        const auto c = Config::load(path, Gateway::configRules(), &error);
        if (!c) {
            QMetaObject::invokeMethod(this, [this, error] { emit configError(error); });
            return;
        }
        applyOnGatewayThread(*c, false, QFileInfo(path).lastModified());
    });
}

void GatewayHost::applyConfig(const Config &config)
{
    QMetaObject::invokeMethod(m_gateway, [this, config] {
        applyOnGatewayThread(config, true, QDateTime::currentDateTime());
    });
}

// Runs on the gateway thread.
void GatewayHost::applyOnGatewayThread(const Config &config, bool save, const QDateTime &modifiedAt)
{
    // Set once before start (setListenOverrides), read here on the gateway thread.
    const QString flag = m_listenFlag;
    const QString ollamaHost = m_ollamaHost;
    Gateway *g = m_gateway;
    const QString path = m_watcher ? m_watcher->path() : QString();
    QString error;
    // The same checks as a hand-edited file gets, so the window can never save what the app
    // would refuse to load.
    // The typed value is checked as it is, without a trip through JSON.
    const std::optional<Config> valid = config.validate(Gateway::configRules(), &error)
                                            ? std::optional<Config>(config)
                                            : std::nullopt;
    if (!valid) {
        QMetaObject::invokeMethod(this, [this, error] { emit configError(error); });
        return;
    }
    if (save && !path.isEmpty()) {
        m_watcher->expect(valid->toJson());
        if (!valid->save(path, &error)) {
            QMetaObject::invokeMethod(this, [this, error] { emit configError(error); });
            return;
        }
    }
    const Config old = g->config();
    const bool restart =
        g->isRunning() && (old.listen != valid->listen || old.server != valid->server);
    g->configure(*valid, modifiedAt);
    bool running = g->isRunning();
    QString url = running ? g->address().url() : QString();
    QString startError;
    if (restart) {
        const auto address =
            Gateway::chooseListenAddress(flag, ollamaHost, valid->listen, &startError);
        running = address && g->start(*address, &startError);
        url = running ? g->address().url() : QString();
    }
    const Config applied = *valid;
    QMetaObject::invokeMethod(this, [this, applied, restart, running, url, startError] {
        m_config = applied;
        emit configChanged(applied);
        if (restart) {
            m_running = running;
            if (running)
                m_url = url;
            m_error = startError;
            emit stateChanged(running, m_url, startError);
        }
    });
    postKeyStatus();
}

// Runs on the gateway thread.
void GatewayHost::postKeyStatus()
{
    Gateway *g = m_gateway;
    QList<ProviderKeyStatus> list;
    for (const ProviderConfig &p : g->config().providers) {
        const QStringList variables = ProviderRegistry::keyVariables(p.name, p.type);
        const SecretStore::Key k = g->secrets().lookup(p.name, variables);
        // The registry answers whether a key is needed, as the provider itself will.
        const bool needed = ProviderRegistry::keyNeed(p.type) != ProviderRegistry::KeyNeed::Never;
        const bool here = !ProviderRegistry::needsKey(
            p.type, ProviderRegistry::baseUrl(p.name, p.type, p.baseUrl),
            ProviderOptions::of(p.options).requiresKey);
        list.append(ProviderKeyStatus{p.name, p.type, k.source, variables, needed, needed && here});
    }
    const auto problem = g->keychainProblem();
    const QString words = problem ? DesktopWords::keychainProblem(*problem) : QString();
    QMetaObject::invokeMethod(this, [this, list, words] { emit keyStatusChanged(list, words); });
}

void GatewayHost::refreshKeyStatus()
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway] {
        if (g->keychainLoading()) {
            // Report once the keys are in, so "missing" does not flash for stored keys.
            auto *once = new QObject(g);
            connect(g, &Gateway::keychainLoaded, once, [this, once] {
                once->deleteLater();
                postKeyStatus();
            });
            return;
        }
        postKeyStatus();
    });
}

void GatewayHost::setKey(const QString &provider, const QString &key)
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, provider, key] {
        if (!g->keychain())
            g->useKeychain();
        g->keychain()->write(provider, key, g, [this, g, key](const Keychain::Result &r) {
            if (r.ok()) {
                g->setKeychainProblem(std::nullopt);
                g->secrets().setKeychainKey(r.account, key);
                g->configure(g->config(), QDateTime::currentDateTime());
            } else if (r.unusable()) {
                g->setKeychainProblem(r);
            }
            const ProviderConfig *p = g->config().provider(r.account);
            const QString env =
                ProviderRegistry::keyVariables(r.account, p ? p->type : QStringLiteral("openai"))
                    .constFirst();
            const QString message = DesktopWords::keyOperation(r, true, env);
            QMetaObject::invokeMethod(this, [this, r, message] {
                emit keyOperationFinished(r.account, r.ok(), message);
            });
            postKeyStatus();
        });
    });
}

void GatewayHost::deleteKey(const QString &provider)
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, provider] {
        if (!g->keychain())
            g->useKeychain();
        g->keychain()->remove(provider, g, [this, g](const Keychain::Result &r) {
            if (r.ok()) {
                g->secrets().removeKeychainKey(r.account);
                g->configure(g->config(), QDateTime::currentDateTime());
            }
            const QString message = DesktopWords::keyOperation(r, false, QString());
            QMetaObject::invokeMethod(this, [this, r, message] {
                emit keyOperationFinished(r.account, r.ok(), message);
            });
            postKeyStatus();
        });
    });
}

void GatewayHost::testConnection(const ProviderConfig &provider, const QString &key)
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, provider, key] {
        g->listProviderModels(
            provider, key, g,
            [this, provider](const QStringList &ids, const std::optional<ChatFailure> &failure) {
                bool ok = false;
                const QString words = DesktopWords::connection(provider, ids, failure, &ok);
                QMetaObject::invokeMethod(this, [this, provider, ok, words] {
                    emit connectionTested(provider.name, ok, words);
                });
            });
    });
}

void GatewayHost::fetchUpstreamModels(const ProviderConfig &provider)
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, provider] {
        g->listProviderModels(
            provider, QString(), g,
            [this, provider](QStringList ids, const std::optional<ChatFailure> &failure) {
                ids.sort(Qt::CaseInsensitive);
                const QString error = failure ? DesktopWords::failure(*failure) : QString();
                QMetaObject::invokeMethod(this, [this, provider, ids, error] {
                    emit upstreamModelsListed(provider.name, ids, error);
                });
            });
    });
}

int GatewayHost::probeProvider(const ProviderConfig &provider, const QString &key)
{
    const int probe = m_nextTry++;
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, provider, key, probe] {
        g->listProviderModels(
            provider, key, g,
            [this, provider, probe](QStringList ids, const std::optional<ChatFailure> &failure) {
                bool ok = false;
                const QString words = DesktopWords::connection(provider, ids, failure, &ok);
                ids.sort(Qt::CaseInsensitive);
                QMetaObject::invokeMethod(this, [this, provider, ok, words, ids, probe] {
                    emit providerProbed(probe, provider.name, ok, words, ids);
                });
            });
    });
    return probe;
}

void GatewayHost::findPresetKeys()
{
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway] {
        const auto post = [this, g] {
            QMap<QString, QString> found;
            for (const ProviderPreset &p : ProviderRegistry::presets()) {
                const QString name = QString::fromLatin1(p.name);
                const SecretStore::Key k = g->secrets().lookup(
                    name, ProviderRegistry::keyVariables(name, QString::fromLatin1(p.type)));
                if (!k.value.isEmpty())
                    found.insert(name, k.source);
            }
            QMetaObject::invokeMethod(this, [this, found] { emit presetKeysFound(found); });
        };
        if (!g->keychainLoading())
            return post();
        auto *once = new QObject(g);
        connect(g, &Gateway::keychainLoaded, once, [once, post] {
            once->deleteLater();
            post();
        });
    });
}

int GatewayHost::tryModel(const QString &model, const QString &prompt)
{
    const int id = m_nextTry++;
    QMetaObject::invokeMethod(m_gateway, [this, g = m_gateway, id, model, prompt] {
        ChatRequest request;
        request.model = model;
        ChatMessage m;
        m.role = Role::User;
        m.content = prompt;
        request.messages.append(m);
        request.stream = true;
        ChatJob *job = g->backend().startChat(request, g);
        m_tries.insert(id, job);
        job->setHandler([this, id, job](const ChatEvent &e) {
            if (e.type == ChatEvent::Type::Text) {
                const QString text = e.text;
                QMetaObject::invokeMethod(this, [this, id, text] { emit tryOutput(id, text); });
            } else if (e.type == ChatEvent::Type::Finish || e.type == ChatEvent::Type::Error) {
                const QString error =
                    e.type == ChatEvent::Type::Error ? DesktopWords::failure(e.failure) : QString();
                m_tries.remove(id);
                job->deleteLater();
                QMetaObject::invokeMethod(this, [this, id, error] { emit tryFinished(id, error); });
            }
        });
        job->start();
    });
    return id;
}

void GatewayHost::cancelTry(int id)
{
    QMetaObject::invokeMethod(m_gateway, [this, id] {
        if (QPointer<ChatJob> job = m_tries.take(id))
            delete job.data();
    });
}

} // namespace gw
