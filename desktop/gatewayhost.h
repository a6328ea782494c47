#pragma once

#include "config/config.h"
#include "config/listenaddress.h"
#include "gateway.h"
#include "log/requestrecord.h"
#include "usage/budgettracker.h"

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QThread>

namespace gw {

class ChatJob;
class ConfigWatcher;
class RequestLogFile;

// --- settings (S) ---
// Where a provider's key comes from, for the Providers page.
struct ProviderKeyStatus
{
    QString provider;
    QString type;
    QString source;       // "keychain", "OPENAI_API_KEY", ".env (OPENAI_API_KEY)"; empty: none
    QStringList envNames; // the variables that would supply it
    bool needed = true;   // false for providers that work without a key (echo)
    bool local = false;   // needs none where it is (a server on this machine or the LAN)
};

// Runs a Gateway on its own thread for the desktop app, so the UI never waits on the network.
// All calls are queued to the gateway thread; results come back as signals carrying values.
class GatewayHost : public QObject
{
    Q_OBJECT
public:
    explicit GatewayHost(QObject *parent = nullptr);
    ~GatewayHost() override;

    void configure(const Config &config, const QDateTime &modifiedAt);
    void start(const ListenAddress &address);
    void stop();

    // What the command line and the environment say about the address (--listen, OLLAMA_HOST):
    // they win over the config, also when a settings change restarts the listener. Call before
    // start().
    void setListenOverrides(const QString &flag, const QString &ollamaHost);
    // Which of them decides where the gateway listens, and what it says (for the Server page).
    Gateway::ListenSource listenSource(const Config &config) const;
    QString listenOverride() const { return m_listenFlag.isEmpty() ? m_ollamaHost : m_listenFlag; }

    bool isRunning() const { return m_running; }
    QString url() const { return m_url; }
    QString lastError() const { return m_error; }

    // --- request log file (tray / log window) ---
    // Appends every request record, redacted, to a rotated JSONL file written from the gateway
    // thread in batches; an empty path turns it off. Failures come back as logFileFailed.
    void setLogFile(const QString &path);
    // --- end request log file ---
    // --- usage (issue 16) ---
    // Every request's tokens and cost into the SQLite usage database at `path` (written on a
    // thread of its own); empty: none. A file that cannot be used comes back as usageFailed.
    void setUsageDatabase(const QString &path);
    QString usageDatabase() const { return m_usagePath; } // for readers (the Usage window)
    // --- end usage ---
    // --- settings (S): config, keys, connection tests, "Try it" ---
    // All of these return at once; the work happens on the gateway thread and results come back
    // as the signals below, worded for the user (DesktopWords: the core answers in facts).
    // Reads keys from the OS keychain (service "llm-gateway" unless given) into the gateway.
    void useKeychain(const QString &service = QString());
    // Loads the config file (missing: the current config), applies it and watches it: a hand
    // edit is applied live, an invalid one is reported by configError and the old config kept.
    // This is the tray's one way in for its config: no configure() after it.
    void setConfigPath(const QString &path);
    QString configPath() const { return m_configPath; }
    Config config() const { return m_config; } // the one applied last
    // Validates, saves atomically to configPath(), reconfigures the running gateway and, when
    // the listen address or the server settings changed, restarts the listener.
    void applyConfig(const Config &config);
    void refreshKeyStatus();
    void setKey(const QString &provider, const QString &key); // into the keychain
    void deleteKey(const QString &provider);
    // `key` empty: the stored one. Answers connectionTested with the verdict in the user's
    // language (DesktopWords::connection), naming the provider tested.
    void testConnection(const ProviderConfig &provider, const QString &key = QString());
    void fetchUpstreamModels(const ProviderConfig &provider);
    // --- first run (welcome) ---
    // The connection test and the model list in one: answers providerProbed with the verdict
    // in words and, when the provider could list them, its model ids (sorted). Returns the id
    // that answer carries (an older probe's answer may come later).
    int probeProvider(const ProviderConfig &provider, const QString &key = QString());
    // Which presets already have a key (keychain, environment, .env), once the keychain has
    // been read: answers presetKeysFound with preset name → where the key comes from.
    void findPresetKeys();
    // Sends `prompt` to the mapped model `model`; the answer streams back as tryOutput pieces,
    // then tryFinished. Returns the id those signals carry.
    int tryModel(const QString &model, const QString &prompt);
    void cancelTry(int id);

signals:
    void stateChanged(bool running, const QString &url, const QString &error);
    void requestFinished(const gw::RequestRecord &record);
    void logFileFailed(const QString &error);
    // --- usage (issue 16) ---
    void usageFailed(const QString &error);
    void budgetAlert(const gw::BudgetAlert &alert); // a budget passed 80 % or 100 %
    // The gateway has applied a config (from configure(), setConfigPath(), a hand edit, the
    // settings or a key change): once per application, so a start-up that applies twice shows.
    void configApplied();

    // --- settings (S) ---
    void configChanged(const gw::Config &config); // applied (from the settings or a hand edit)
    void configError(const QString &error);       // invalid file or failed save: old config kept
    void keyStatusChanged(const QList<gw::ProviderKeyStatus> &status,
                          const QString &keychainProblem);
    void keyOperationFinished(const QString &provider, bool ok, const QString &message);
    void connectionTested(const QString &provider, bool ok, const QString &message);
    void upstreamModelsListed(const QString &provider, const QStringList &ids,
                              const QString &error);
    void tryOutput(int id, const QString &text);
    void providerProbed(int id, const QString &provider, bool ok, const QString &message,
                        const QStringList &ids);
    void presetKeysFound(const QMap<QString, QString> &sources);
    void tryFinished(int id, const QString &error);

private:
    // --- settings (S) ---
    void applyOnGatewayThread(const Config &config, bool save, const QDateTime &modifiedAt);
    void postKeyStatus();
    Config m_config;
    QString m_configPath;
    int m_nextTry = 1;
    ConfigWatcher *m_watcher = nullptr;    // lives on m_thread
    QHash<int, QPointer<ChatJob>> m_tries; // touched on m_thread only

    QThread m_thread;
    Gateway *m_gateway = nullptr;        // lives on m_thread
    RequestLogFile *m_logFile = nullptr; // lives on m_thread; touched only there
    QString m_usagePath;
    bool m_running = false;
    QString m_listenFlag;
    QString m_ollamaHost;
    QString m_url;
    QString m_error;
};

} // namespace gw
