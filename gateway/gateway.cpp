#include "gateway.h"

#include "http/clientslots.h"
#include "http/httpserver.h"
#include "http/reuseportlistener.h"
#include "providers/providerregistry.h"
#include "providers/thinkingcache.h"
#include "usage/usagedb.h"
#include "usage/usagewriter.h"
#include "version.h"
#include "worker.h"

#include <QJsonArray>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <climits>

namespace gw {

Gateway::Gateway(QObject *parent)
    : QObject(parent), m_log(kRecentRequests, this), m_shared(std::make_unique<WorkerShared>()),
      m_setup(std::make_unique<WorkerSetup>())
{
    qRegisterMetaType<gw::RequestRecord>();
    m_shared->clientSlots = std::make_shared<ClientSlots>();
    qRegisterMetaType<QList<gw::BudgetAlert>>();
    // BudgetTracker is thread-safe: every worker asks it and adds what its requests cost.
    m_shared->budgetCheck = [budgets = &m_budgets](const QString &provider) {
        return budgets->check(provider, QDate::currentDate());
    };
    m_shared->budgets = &m_budgets;
    m_main = new Worker(0, *m_shared, this);
    connectWorker(m_main);
    configure(Config{});
}

Gateway::~Gateway()
{
    stop();
    m_usage.reset(); // writes what is still waiting
}

ChatBackend &Gateway::backend()
{
    return m_main->dispatcher();
}

QString Gateway::version()
{
    return QStringLiteral(LLMGW_VERSION);
}

QString Gateway::ollamaVersion()
{
    return QStringLiteral(LLMGW_OLLAMA_VERSION);
}

std::optional<ListenAddress> Gateway::chooseListenAddress(const QString &flag,
                                                          const QString &ollamaHost,
                                                          const QString &configured, QString *error,
                                                          ListenSource *source)
{
    QString err;
    std::optional<ListenAddress> a;
    if (source)
        *source = !flag.isEmpty()                   ? ListenSource::Flag
                  : !ollamaHost.trimmed().isEmpty() ? ListenSource::OllamaHost
                  : !configured.isEmpty()           ? ListenSource::Config
                                                    : ListenSource::Default;
    if (!flag.isEmpty()) {
        a = ListenAddress::parse(flag, &err);
        if (!a && error)
            *error = QStringLiteral("--listen %1: %2").arg(flag, err);
    } else if (!ollamaHost.trimmed().isEmpty()) {
        a = ListenAddress::fromOllamaHost(ollamaHost, &err);
        if (!a && error)
            *error = QStringLiteral("OLLAMA_HOST=%1: %2").arg(ollamaHost, err);
    } else if (!configured.isEmpty()) {
        a = ListenAddress::parse(configured, &err);
        if (!a && error)
            *error = QStringLiteral("config listen '%1': %2").arg(configured, err);
    } else {
        a = ListenAddress{};
    }
    return a;
}

Config::ProviderRules Gateway::configRules()
{
    Config::ProviderRules rules(ProviderRegistry::types());
    rules.checkOptions = &ProviderRegistry::checkOptions;
    for (const ProviderPreset &preset : ProviderRegistry::presets())
        rules.presets.append({QString::fromLatin1(preset.name), QString::fromLatin1(preset.type)});
    return rules;
}

ProviderSettings Gateway::providerSettings(const ProviderConfig &p, const QString &key) const
{
    const QStringList variables = ProviderRegistry::keyVariables(p.name, p.type);
    SecretStore::Key k = m_secrets.lookup(p.name, variables);
    if (!key.isEmpty())
        k = {key, QStringLiteral("keychain")};
    return ProviderSettings{
        p.name,   p.type,   ProviderRegistry::baseUrl(p.name, p.type, p.baseUrl),
        k.value,  k.source, variables,
        p.options};
}

int Gateway::threadCount() const
{
    if (!reuseport::balances())
        return 1;
    int n = m_threadsOverride > 0 ? m_threadsOverride : m_config.server.threads;
    if (n <= 0)
        n = m_defaultThreads > 0 ? m_defaultThreads : QThread::idealThreadCount();
    return qBound(1, n, ServerSettings::kMaxThreads);
}

void Gateway::configure(const Config &config, const QDateTime &modifiedAt)
{
    m_config = config;
    m_configModified = modifiedAt;
    m_budgets.setBudgets(config.usage.budgets);
    if (m_usage)
        m_usage->setRetentionDays(config.usage.retentionDays);
    const ServerSettings &limits = config.server;
    m_serverOptions = ServerOptions{};
    if (limits.maxBodyBytes > 0)
        m_serverOptions.maxBodyBytes = limits.maxBodyBytes;
    if (limits.maxHeaderBytes > 0)
        m_serverOptions.maxHeaderBytes = limits.maxHeaderBytes;
    if (limits.maxMessages > 0)
        m_serverOptions.api.maxMessages = limits.maxMessages;
    if (limits.maxRequestsPerClient > 0)
        m_serverOptions.maxRequestsPerClient = limits.maxRequestsPerClient;
    if (limits.idleTimeoutMs > 0)
        m_serverOptions.idleTimeoutMs = limits.idleTimeoutMs;
    if (limits.headerTimeoutMs > 0)
        m_serverOptions.headerTimeoutMs = limits.headerTimeoutMs;
    QList<ProviderConfig> providers = config.providers;
    if (!config.provider(QStringLiteral("echo")))
        providers.append(ProviderConfig{QStringLiteral("echo"), QStringLiteral("echo"), {}, {}});
    // Presets whose key is at hand work without a config entry (openai/gpt-4o, groq/…).
    for (const ProviderPreset &preset : ProviderRegistry::presets()) {
        const QString name = QString::fromLatin1(preset.name);
        const QString type = QString::fromLatin1(preset.type);
        if (!config.provider(name) &&
            !m_secrets.lookup(name, ProviderRegistry::keyVariables(name, type)).value.isEmpty())
            providers.append(ProviderConfig{name, type, {}, {}});
    }
    Config effective = config;
    effective.providers = providers;
    // The catalog says where each model runs (remote_host): the base URL each provider will
    // use, or the preset named after its type (openai, anthropic, gemini, huggingface).
    for (ProviderConfig &p : effective.providers) {
        p.baseUrl = ProviderRegistry::baseUrl(p.name, p.type, p.baseUrl);
        if (p.baseUrl.isEmpty())
            p.baseUrl = ProviderRegistry::baseUrl(p.type, p.type, {});
    }
    // One immutable snapshot for every worker; each builds its providers from it on its own
    // thread.
    WorkerSetup setup;
    setup.limits = m_serverOptions.api;
    setup.config = std::make_shared<const Config>(m_config);
    setup.catalog = ModelCatalog(effective, modifiedAt);
    for (const ProviderConfig &p : std::as_const(providers)) {
        ProviderSettings settings = providerSettings(p);
        std::shared_ptr<ThinkingCache> &thinking = m_thinking[p.name.toLower()];
        if (!thinking)
            thinking = std::make_shared<ThinkingCache>();
        settings.thinking = thinking;
        setup.providers.append(std::move(settings));
    }
    *m_setup = setup;
    m_main->configure(setup);
    // Waits for each worker, so the next request sees the new config on whichever worker it
    // lands (a worker never waits for this thread, so this cannot deadlock).
    for (const WorkerThread &t : m_threads)
        if (Worker *w = t.worker)
            QMetaObject::invokeMethod(
                w, [w, setup] { w->configure(setup); }, Qt::BlockingQueuedConnection);
    emit configured();
    if (m_keychain)
        useKeychain(m_keychain->service());
}

void Gateway::useKeychain(const QString &service)
{
    if (!m_keychain)
        m_keychain = new Keychain(service, this);
    if (m_keychainProblem)
        return; // no keychain here: do not ask again on every change
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    // A headless server has no session bus, so no Secret Service: say so at once rather than
    // have D-Bus try to autolaunch one.
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") &&
        qEnvironmentVariableIsEmpty("DISPLAY")) {
        m_keychainProblem = Keychain::Result{Keychain::Status::NoSessionBus, {}, {}, {}};
        QMetaObject::invokeMethod(this, &Gateway::keychainLoaded, Qt::QueuedConnection);
        return;
    }
#endif
    QStringList names;
    for (const ProviderConfig &p : std::as_const(m_config.providers))
        names.append(p.name);
    for (const ProviderPreset &preset : ProviderRegistry::presets())
        names.append(QString::fromLatin1(preset.name));
    for (const QString &n : std::as_const(names)) {
        if (n.compare(u"echo", Qt::CaseInsensitive) == 0 || m_keychainTried.contains(n.toLower()))
            continue;
        m_keychainTried.append(n.toLower());
        m_keychainQueue.append(n);
    }
    if (!m_keychainBusy && !m_keychainQueue.isEmpty()) {
        m_keychainBusy = true;
        readKeychainQueue(false);
    }
}

void Gateway::listProviderModels(const ProviderConfig &provider, const QString &key,
                                 QObject *context, ModelsDone done)
{
    const ProviderConfig &p = provider;
    std::shared_ptr<Provider> made(
        ProviderRegistry::create(providerSettings(p, key), m_main->pool()).release());
    if (!made) {
        ChatFailure f;
        f.cause = FailureCause::Unsupported;
        f.status = 400;
        f.provider = p.name;
        f.detail = p.type; // a provider type nothing here knows
        return done({}, f);
    }
    // The provider lives until its answer is in (its callback refers to it).
    made->listModels(context, [made, done](const QStringList &ids,
                                           const std::optional<ChatFailure> &f) { done(ids, f); });
}

void Gateway::readKeychainQueue(bool changed)
{
    // One read at a time (QtKeychain queues them anyway), so the first "no keychain" answer
    // ends the round instead of waiting once per provider.
    if (m_keychainQueue.isEmpty()) {
        m_keychainBusy = false;
        if (changed)
            configure(m_config, m_configModified);
        emit keychainLoaded();
        return;
    }
    const QString name = m_keychainQueue.takeFirst();
    m_keychain->read(name, this, [this, changed](const Keychain::Result &r) {
        bool now = changed;
        if (r.ok() && !r.secret.isEmpty()) {
            m_secrets.setKeychainKey(r.account, r.secret);
            now = true;
        } else if (r.unusable()) {
            m_keychainProblem = r;
            m_keychainQueue.clear();
        }
        readKeychainQueue(now);
    });
}

bool Gateway::start(const ListenAddress &address, QString *error)
{
    stop();
    // Who may call: loopback-only by default; beyond loopback, only with a token, unless the
    // user has said in so many words that the network is trusted.
    const ServerSettings &policy = m_config.server;
    AccessPolicy::Settings &access = m_serverOptions.access;
    access.loopbackOnly = address.host.isLoopback();
    access.origins = AccessPolicy::parseOrigins(qEnvironmentVariable("OLLAMA_ORIGINS"));
    access.origins.append(policy.allowedOrigins);
    access.extraHosts = policy.allowedHosts;
    access.token = qgetenv("LLM_GATEWAY_TOKEN").trimmed();
    if (access.token.isEmpty()) // the Server page's token field
        access.token = policy.token.trimmed().toUtf8();
    access.tokenForLoopbackPeers = policy.tokenForLocalClients;
    const bool requireToken = policy.requireToken;
    if (!access.loopbackOnly && requireToken && access.token.isEmpty()) {
        if (error)
            *error = QStringLiteral(
                         "listening on %1 would let anyone on the network use your API keys: set "
                         "LLM_GATEWAY_TOKEN to an access token clients must send, or set "
                         "\"server\": {\"require_token\": false} in the config if the network is "
                         "trusted")
                         .arg(address.toString());
        return false;
    }
    if (!requireToken)
        access.token.clear();
    const int workers = threadCount();
    if (!startWorkers(workers, address, error)) {
        stop();
        return false;
    }
    m_workerCount = workers;
    m_address = address;
    m_address.port = m_main->server()->port();
    emit runningChanged(true);
    return true;
}

bool Gateway::startWorkers(int count, const ListenAddress &address, QString *error)
{
    if (count <= 1) // one worker, on this thread, with Qt's own listening socket
        return m_main->listen(m_serverOptions, address.host, address.port, -1, error);
    // N sockets with SO_REUSEPORT on one address: the first bind picks the port when 0 was
    // asked for, the rest bind to it. Nothing else may hold the address (another llm-gateway
    // would otherwise join the group).
    const auto failed = [&](const reuseport::Socket &s, quint16 port) {
        if (error)
            *error = HttpServer::listenError(address.host, port, s.inUse, s.error);
        return false;
    };
    if (address.port != 0) {
        const reuseport::Socket probe = reuseport::probe(address.host, address.port);
        if (!probe.error.isEmpty())
            return failed(probe, address.port);
    }
    constexpr int kBacklog = 1024; // see HttpServer::listen
    const reuseport::Socket first = reuseport::listen(address.host, address.port, kBacklog);
    if (first.fd < 0)
        return failed(first, address.port);
    if (!m_main->listen(m_serverOptions, address.host, first.port, first.fd, error))
        return false;
    for (int i = 1; i < count; ++i) {
        const reuseport::Socket s = reuseport::listen(address.host, first.port, kBacklog);
        if (s.fd < 0)
            return failed(s, first.port);
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("worker %1").arg(i));
        auto *worker = new Worker(i, *m_shared, nullptr);
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        connectWorker(worker);
        m_threads.push_back({thread, worker});
        thread->start();
        bool ok = false;
        QString e;
        QMetaObject::invokeMethod(
            worker,
            [worker, setup = *m_setup, options = m_serverOptions, host = address.host, s, &ok, &e] {
                worker->configure(setup);
                ok = worker->listen(options, host, s.port, s.fd, &e);
            },
            Qt::BlockingQueuedConnection);
        if (!ok) {
            if (error)
                *error = e;
            return false;
        }
    }
    return true;
}

void Gateway::connectWorker(Worker *worker)
{
    connect(worker, &Worker::recordsWaiting, this, &Gateway::takeRecords);
    connect(worker, &Worker::budgetAlerts, this, [this](const QList<BudgetAlert> &alerts) {
        for (const BudgetAlert &a : alerts)
            emit budgetAlert(a);
    });
}

void Gateway::takeRecords()
{
    // Each redacted and priced by its worker.
    for (RequestRecord &r : m_shared->records->take()) {
        if (m_workerCount > 1) // each server counts its own; one sequence for the log
            r.id = (r.id - 1) * quint64(m_workerCount) + quint64(r.worker) + 1;
        noteUsage(r);
        m_log.append(r);
        emit requestFinished(r);
    }
}

void Gateway::stop()
{
    if (m_drainFinished) // a graceful stop in progress ends here
        *std::exchange(m_drainFinished, nullptr) = true;
    if (m_drain)
        m_drain->deleteLater();
    const bool running = isRunning();
    m_main->stop();
    // Taken first: a worker's last report may lead back here.
    const std::vector<WorkerThread> threads = std::exchange(m_threads, {});
    for (const WorkerThread &t : threads) {
        if (Worker *w = t.worker)
            QMetaObject::invokeMethod(
                w, [w] { w->stop(); }, Qt::BlockingQueuedConnection);
        t.thread->quit();
        t.thread->wait(); // the worker is deleted as its thread ends
        delete t.thread;
    }
    takeRecords(); // the last ones, including the answers that stopping cut off
    if (running)
        emit runningChanged(false);
}

void Gateway::stopGracefully(int graceMs, std::function<void()> done)
{
    if (!isRunning()) {
        if (done)
            done();
        return;
    }
    // Each worker drains on its own thread and reports what it still has going; stop once
    // every answer has ended and its last bytes have left (stopping aborts sockets, which
    // would drop an answer's final line).
    auto *drain = new QObject(this); // the drain's connections and timers end with it
    auto left = std::make_shared<QList<int>>(runningWorkers(), 1); // unknown until reported
    auto finished = std::make_shared<bool>(false);
    m_drain = drain;
    m_drainFinished = finished;
    const auto finish = [this, finished, done] {
        if (*finished)
            return;
        stop(); // sets *finished
        if (done)
            done();
    };
    const auto report = [left, finished, finish](int worker, int active, int open) {
        if (*finished || worker < 0 || worker >= left->size())
            return;
        (*left)[worker] = active + open;
        if (std::all_of(left->cbegin(), left->cend(), [](int n) { return n == 0; }))
            finish();
    };
    QList<Worker *> workers{m_main};
    for (const WorkerThread &t : m_threads)
        if (t.worker)
            workers.append(t.worker);
    for (Worker *w : std::as_const(workers))
        connect(w, &Worker::activity, drain, report);
    QTimer::singleShot(graceMs, drain, [this, workers, finished, finish, drain] {
        if (*finished)
            return;
        // Out of time: end what is left properly (a final error line or event), then give the
        // sockets a moment to flush.
        for (Worker *w : workers) {
            if (w == m_main)
                w->failAll();
            else
                QMetaObject::invokeMethod(w, [w] { w->failAll(); });
        }
        QTimer::singleShot(500, drain, finish);
    });
    for (Worker *w : std::as_const(workers))
        if (w != m_main)
            QMetaObject::invokeMethod(w, [w] { w->beginDrain(); });
    m_main->beginDrain(); // last: with one worker and nothing going, this finishes at once
}

bool Gateway::setUsageDatabase(const QString &path, QString *error)
{
    m_usage.reset();
    if (path.isEmpty())
        return true;
    UsageWriter::Options options;
    options.retentionDays = m_config.usage.retentionDays;
    QString e;
    auto writer = std::make_unique<UsageWriter>(path, options, &e);
    if (!writer->isOpen()) {
        if (error)
            *error = e;
        return false;
    }
    connect(writer.get(), &UsageWriter::writeFailed, this, &Gateway::usageWriteFailed);
    // The budgets start from this month's spend (one small read, at start-up).
    UsageDb db;
    if (db.open(path, &e, true)) {
        const QDate today = QDate::currentDate();
        m_budgets.seed(db.spendSince(QDateTime(QDate(today.year(), today.month(), 1), QTime())));
    }
    m_usage = std::move(writer);
    return true;
}

void Gateway::noteUsage(const RequestRecord &r)
{
    if (!r.modelCall || !m_usage)
        return; // a listing, a probe, a request refused before any model was asked
    UsageRow row;
    row.time = r.started;
    row.client = r.client;
    row.dialect = r.dialect;
    row.model = r.model;
    row.provider = r.provider;
    row.upstreamModel = r.upstreamModel;
    row.status = r.status;
    row.tokens = {r.promptTokens, r.completionTokens, r.cachedTokens, r.cacheWriteTokens,
                  r.reasoningTokens};
    row.durationMs = r.durationMs;
    row.cost = r.cost >= 0 ? std::optional<double>(r.cost) : std::nullopt;
    row.saved = r.saved >= 0 ? std::optional<double>(r.saved) : std::nullopt;
    m_usage->append(row);
}

bool Gateway::isRunning() const
{
    return m_main->server() != nullptr;
}

ListenAddress Gateway::address() const
{
    return m_address;
}

} // namespace gw
