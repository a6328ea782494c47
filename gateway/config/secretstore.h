#pragma once

#include <QHash>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace gw {

// Finds a provider's API key. Order: the OS keychain (service "llm-gateway", account = provider
// name; loaded asynchronously by the app and handed in with setKeychainKey), then the
// environment variables the caller names (ProviderRegistry::keyVariables: NAME_API_KEY, then
// the type's own), then a .env file in the working directory. Keys are never written to the
// config file or logged.
class SecretStore
{
public:
    struct Key
    {
        QString value;
        QString source; // "keychain", "OPENAI_API_KEY", ".env (OPENAI_API_KEY)"; empty: none
    };

    SecretStore();
    SecretStore(QProcessEnvironment env, QString dotEnvPath);

    Key lookup(const QString &providerName, const QStringList &variables) const;

    void setKeychainKey(const QString &providerName, const QString &key);
    void removeKeychainKey(const QString &providerName);

    static QHash<QString, QString> parseDotEnv(const QByteArray &text);

private:
    QProcessEnvironment m_env;
    QHash<QString, QString> m_dotEnv;
    QHash<QString, QString> m_keychain; // by lower-case provider name
};

} // namespace gw
