#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gw {

struct ProviderConfig
{
    QString name; // also the keychain account and the NAME_API_KEY variable
    QString type; // openai, anthropic, gemini, huggingface, ollama, echo, ...
    QString baseUrl;
    QJsonObject options; // type-specific settings, passed to the provider untouched

    bool operator==(const ProviderConfig &) const = default;
};

struct ModelMapping
{
    QString name;             // what clients ask for
    QString provider;         // a ProviderConfig name
    QString model;            // the provider's id
    qint64 contextLength = 0; // 0: from the built-in table
    QStringList capabilities; // empty: from the built-in table
    QStringList fallbacks;    // other mapping names to try when this one fails early

    bool operator==(const ModelMapping &) const = default;
};

// The JSON config file (docs/architecture.md has the format). Keys never live here.
struct Config
{
    static constexpr int kVersion = 1;

    int version = kVersion;
    QString listen; // empty: the default, 127.0.0.1:11434
    QList<ProviderConfig> providers;
    QList<ModelMapping> models;
    QJsonObject server; // limits and access settings, read by the server

    // Parses and validates. Errors name the file and the line (syntax) or the field (meaning):
    // "config.json: models[2].provider: unknown provider 'opnai' (configured: openai, echo)".
    static std::optional<Config> fromJson(const QByteArray &json, const QString &fileName,
                                          const QStringList &knownTypes, QString *error);
    static std::optional<Config> load(const QString &path, const QStringList &knownTypes,
                                      QString *error);

    QByteArray toJson() const;
    // Atomic (QSaveFile) and readable by the user only.
    bool save(const QString &path, QString *error) const;

    const ProviderConfig *provider(const QString &name) const;

    static QString defaultPath(); // ~/.config/llm-gateway/config.json on Linux
    static const QStringList &knownCapabilities();
};

} // namespace gw
