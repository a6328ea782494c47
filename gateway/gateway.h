#pragma once

#include "chat/chatfailure.h"
#include "config/config.h"
#include "config/keychain.h"
#include "config/listenaddress.h"
#include "config/secretstore.h"
#include "dispatcher.h"
#include "http/serveroptions.h"
#include "log/requestlog.h"
#include "providers/provider.h"
#include "usage/budgettracker.h"
#include "usage/pricetable.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace gw {

class ThinkingCache;
class UsageWriter;
class Worker;
struct WorkerSetup;
struct WorkerShared;

// The facade the app and the UI use: configuration in, start/stop, status and the request log
// out. Lives on one thread (the main thread for `serve`, a worker thread for the tray app).
// Requests are served by server.threads workers (see worker.h and docs/architecture.md):
// worker 0 on this thread, the others on threads of their own; their records come back here
// through queued signals.
class Gateway : public QObject
{
    Q_OBJECT
public:
    explicit Gateway(QObject *parent = nullptr);
    ~Gateway() override;

    static QString version();
    static QString ollamaVersion();
    // The provider registry's rules for loading and validating a config (known types, option
    // checks, presets).
    static Config::ProviderRules configRules();

    // Bind address precedence: --listen/positional, then OLLAMA_HOST, then the config, then
    // 127.0.0.1:11434.
    // `source` (optional) says which of them won.
    enum class ListenSource { Flag, OllamaHost, Config, Default };
    static std::optional<ListenAddress>
    chooseListenAddress(const QString &flag, const QString &ollamaHost, const QString &configured,
                        QString *error, ListenSource *source = nullptr);

    void configure(const Config &config,
                   const QDateTime &modifiedAt = QDateTime::currentDateTime());
    // Where provider keys come from; configure() again to apply a change.
    SecretStore &secrets() { return m_secrets; }
    const Config &config() const { return m_config; }

    // What server.threads 0 (or absent) means. A Gateway keeps 1 unless told (tests run on one
    // thread unless their config asks); the app passes QThread::idealThreadCount().
    void setDefaultThreads(int threads) { m_defaultThreads = threads; }
    // `serve --threads N`: wins over the config; 0: the config decides.
    void setThreads(int threads) { m_threadsOverride = threads; }
    // The workers start() runs: the setting, bounded to 1 … ServerSettings::kMaxThreads, and 1
    // where SO_REUSEPORT does not balance connections (not Linux).
    int threadCount() const;
    int runningWorkers() const { return isRunning() ? 1 + int(m_threads.size()) : 0; }

    bool start(const ListenAddress &address, QString *error);
    // Stops every worker; the records of what they answered are taken first.
    void stop();
    // Takes the records the workers have queued now, rather than within Worker::kReportMs:
    // requestFinished() has been emitted for every answer that had ended when this was called.
    void flushRecords() { takeRecords(); }
    // Stops accepting, lets answers in flight finish for up to graceMs, ends the rest with a
    // "shutting down" error in their dialect, then stops; `done` runs once it has.
    void stopGracefully(int graceMs, std::function<void()> done);
    bool isRunning() const;
    ListenAddress address() const; // with the real port when 0 was asked for

    RequestLog &log() { return m_log; }

    // --- usage (issue 16) ---
    // Every finished request's tokens and cost go to the SQLite usage database at `path`
    // (UsageDb), written on a thread of its own; empty: none. The hard budgets start from what
    // the file says was spent this month. False with the reason when the file cannot be used.
    bool setUsageDatabase(const QString &path, QString *error);
    UsageWriter *usageWriter() const { return m_usage.get(); }
    const BudgetTracker &budgets() const { return m_budgets; }
    ChatBackend &backend(); // worker 0's dispatcher

    // --- keychain (settings) ---
    // Reads the keys of the configured providers and of the presets from the OS keychain, now
    // and for providers added by later configure() calls; found keys go into secrets() and the
    // providers are rebuilt. Off unless called (tests and tools must not touch a keychain).
    // Asynchronous: without a keychain (headless servers) it fails fast and quietly, and keys
    // come from the environment and .env as before.
    void useKeychain(const QString &service = QString::fromLatin1(Keychain::kDefaultService));
    Keychain *keychain() const { return m_keychain; }
    // Empty while the keychain works (or is not used); else the answer that showed it does not
    // (Keychain::Result::unusable()): a fact, worded by the desktop.
    std::optional<Keychain::Result> keychainProblem() const { return m_keychainProblem; }
    void setKeychainProblem(const std::optional<Keychain::Result> &problem)
    {
        m_keychainProblem = problem;
    }
    bool keychainLoading() const { return m_keychainBusy; }
    // A provider built from `provider` (which need not be configured yet) lists its models:
    // "Test connection" and the model suggestions. `key` empty: the key the secret store has.
    // `done` gets the ids, or the failure (no words: the desktop says it).
    using ModelsDone =
        std::function<void(const QStringList &ids, const std::optional<ChatFailure> &failure)>;
    void listProviderModels(const ProviderConfig &provider, const QString &key, QObject *context,
                            ModelsDone done);

signals:
    void requestFinished(const gw::RequestRecord &record);
    void runningChanged(bool running);
    void keychainLoaded(); // a round of keychain reads has ended (keys found or not)
    void configured();     // configure() has applied a config (providers rebuilt)
    void budgetAlert(const gw::BudgetAlert &alert); // a budget passed 80 % or 100 %
    void usageWriteFailed(const QString &error);

private:
    // What a provider is built from: its entry, the preset's base URL where it has none, and
    // the key found for it (or `key` when given).
    ProviderSettings providerSettings(const ProviderConfig &p, const QString &key = {}) const;

    Config m_config;
    QDateTime m_configModified;
    SecretStore m_secrets;
    ServerOptions m_serverOptions;
    RequestLog m_log;
    BudgetTracker m_budgets;
    std::unique_ptr<WorkerShared> m_shared;
    std::unique_ptr<WorkerSetup> m_setup; // what the workers serve now
    Worker *m_main;                       // worker 0, on this thread (child)
    struct WorkerThread
    {
        QThread *thread;
        QPointer<Worker> worker; // lives on `thread`, deleted when it ends
    };
    std::vector<WorkerThread> m_threads;                       // workers 1 … N-1
    QHash<QString, std::shared_ptr<ThinkingCache>> m_thinking; // by lower-case provider name
    int m_defaultThreads = 1;
    int m_threadsOverride = 0;
    int m_workerCount = 1;                 // while running
    QPointer<QObject> m_drain;             // a stopGracefully in progress: its connections
    std::shared_ptr<bool> m_drainFinished; // set when it has ended (or stop() came first)
    ListenAddress m_address;
    std::unique_ptr<UsageWriter> m_usage;
    void connectWorker(Worker *worker);
    void takeRecords();
    bool startWorkers(int count, const ListenAddress &address, QString *error);
    void noteUsage(const RequestRecord &record);

    void readKeychainQueue(bool changed);
    Keychain *m_keychain = nullptr; // child
    QStringList m_keychainQueue;
    QStringList m_keychainTried; // lower-case provider names
    bool m_keychainBusy = false;
    std::optional<Keychain::Result> m_keychainProblem;
};

} // namespace gw
