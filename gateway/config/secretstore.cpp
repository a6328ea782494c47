#include "secretstore.h"

#include <QDir>
#include <QFile>

namespace gw {

SecretStore::SecretStore()
    : SecretStore(QProcessEnvironment::systemEnvironment(),
                  QDir::current().filePath(QStringLiteral(".env")))
{}

SecretStore::SecretStore(QProcessEnvironment env, QString dotEnvPath) : m_env(std::move(env))
{
    QFile f(dotEnvPath);
    if (!dotEnvPath.isEmpty() && f.open(QIODevice::ReadOnly))
        m_dotEnv = parseDotEnv(f.readAll());
}

SecretStore::Key SecretStore::lookup(const QString &providerName,
                                     const QStringList &variables) const
{
    if (const QString k = m_keychain.value(providerName.toLower()); !k.isEmpty())
        return {k, QStringLiteral("keychain")};
    const QStringList &names = variables;
    for (const QString &n : names)
        if (const QString v = m_env.value(n).trimmed(); !v.isEmpty())
            return {v, n};
    for (const QString &n : names)
        if (const QString v = m_dotEnv.value(n).trimmed(); !v.isEmpty())
            return {v, QStringLiteral(".env (%1)").arg(n)};
    return {};
}

void SecretStore::setKeychainKey(const QString &providerName, const QString &key)
{
    m_keychain.insert(providerName.toLower(), key);
}

void SecretStore::removeKeychainKey(const QString &providerName)
{
    m_keychain.remove(providerName.toLower());
}

QHash<QString, QString> SecretStore::parseDotEnv(const QByteArray &text)
{
    QHash<QString, QString> out;
    for (QByteArray line : text.split('\n')) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        if (line.startsWith("export "))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0)
            continue;
        const QString name = QString::fromUtf8(line.left(eq).trimmed());
        QByteArray value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front()) {
            value = value.mid(1, value.size() - 2);
        } else if (const qsizetype hash = value.indexOf(" #"); hash >= 0) {
            value = value.left(hash).trimmed(); // an unquoted value ends at a comment
        }
        out.insert(name, QString::fromUtf8(value));
    }
    return out;
}

} // namespace gw
