#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace gw {

class JsonFields;

struct ProviderConfig
{
    QString name; // also the keychain account and the NAME_API_KEY variable
    QString type; // openai, anthropic, gemini, huggingface, ollama, echo, ...
    QString baseUrl;
    QJsonObject options; // type-specific settings, passed to the provider untouched

    bool operator==(const ProviderConfig &) const = default;
};

// Prices per million tokens in US dollars; unset: the built-in table's (usage/PriceTable).
struct ModelPrice
{
    std::optional<double> input, output, cachedInput, cacheWrite;

    bool isEmpty() const { return !input && !output && !cachedInput && !cacheWrite; }
    bool operator==(const ModelPrice &) const = default;
};

struct ModelMapping
{
    QString name;             // what clients ask for
    QString provider;         // a ProviderConfig name
    QString model;            // the provider's id
    qint64 contextLength = 0; // 0: from the built-in table
    QStringList capabilities; // empty: from the built-in table
    QStringList fallbacks;    // other mapping names to try when this one fails early
    ModelPrice price;         // "price": overrides the built-in price table

    bool operator==(const ModelMapping &) const = default;
};

// The config's "server" section: the listener's limits and who may call. 0 (or empty): the
// server's own default (http/serveroptions.h).
struct ServerSettings
{
    qint64 maxBodyBytes = 0;
    qint64 maxHeaderBytes = 0;
    qint64 maxMessages = 0;
    int maxRequestsPerClient = 0;
    int idleTimeoutMs = 0;
    int headerTimeoutMs = 0;
    // Worker threads serving requests (each with its own listening socket): 0, the default,
    // one per core (QThread::idealThreadCount()); at most kMaxThreads.
    int threads = 0;
    static constexpr int kMaxThreads = 64;
    QStringList allowedOrigins; // beside Ollama's defaults and OLLAMA_ORIGINS
    QStringList allowedHosts;
    QString token;            // LLM_GATEWAY_TOKEN wins over it
    bool requireToken = true; // beyond loopback
    // With a token, clients on this machine need it too (by default they do not: the token
    // guards against the network).
    bool tokenForLocalClients = false;

    bool operator==(const ServerSettings &) const = default;
};

// A spending cap: per provider or overall (provider empty), per day or per calendar month
// (local time). A hard budget refuses requests once used up; a soft one only warns.
struct Budget
{
    enum class Period { Day, Month };
    QString provider; // empty: all providers together
    Period period = Period::Month;
    double limit = 0; // US dollars
    bool hard = false;

    bool operator==(const Budget &) const = default;
};

// The config's "usage" section: the usage database and the budgets.
struct UsageSettings
{
    int retentionDays = 400; // rows older than this are deleted
    QList<Budget> budgets;

    bool operator==(const UsageSettings &) const = default;
};

// The one form of a model name used to compare names: trimmed, lower case, without ":latest".
QString modelNameKey(const QString &name);

// The JSON config file (docs/architecture.md has the format). Keys never live here.
struct Config
{
    static constexpr int kVersion = 1;

    int version = kVersion;
    QString listen; // empty: the default, 127.0.0.1:11434
    QList<ProviderConfig> providers;
    QList<ModelMapping> models;
    ServerSettings server;
    UsageSettings usage;

    // Reads one provider's options: false with the reader's error when a value is bad.
    using OptionsCheck = std::function<bool(const QString &type, JsonFields &options)>;

    // What the config knows of provider types, from the provider registry (config/ cannot ask
    // it: Gateway::configRules() fills this in). Empty: any type, no presets, options unchecked.
    struct ProviderRules
    {
        ProviderRules(QStringList knownTypes = {}) : types(std::move(knownTypes)) {}
        ProviderRules(std::initializer_list<QString> knownTypes) : types(knownTypes) {}
        QStringList types;
        OptionsCheck checkOptions;
        QList<std::pair<QString, QString>> presets; // name → type, for entries without a type
    };

    // Parses and validates. Errors name the file and the line and column (syntax), or the file,
    // the line and the field (meaning):
    // "config.json:9: models[2].provider: unknown provider 'opnai' (configured: openai, echo)".
    static std::optional<Config> fromJson(const QByteArray &json, const QString &fileName,
                                          const ProviderRules &rules, QString *error);
    static std::optional<Config> load(const QString &path, const ProviderRules &rules,
                                      QString *error);
    // Just the model mappings of {"models": [...]} (an export, or a whole config file) or of a
    // bare array, their fields checked; references are for validate() on the config they join.
    static std::optional<QList<ModelMapping>>
    modelsFromJson(const QByteArray &json, const QString &fileName, QString *error);

    // The checks of meaning on the typed value (what fromJson runs after reading the fields):
    // names, references, types, URLs, capabilities, options. `error` starts with the field.
    bool validate(const ProviderRules &rules, QString *error) const;

    QByteArray toJson() const;
    // Atomic (QSaveFile) and readable by the user only.
    bool save(const QString &path, QString *error) const;

    const ProviderConfig *provider(const QString &name) const;

    static QString defaultPath(); // ~/.config/llm-gateway/config.json on Linux
    static const QStringList &knownCapabilities();
};

} // namespace gw
