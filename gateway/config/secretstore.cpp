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

QStringList SecretStore::envNames(const QString &providerName, const QString &providerType)
{
    QString base;
    for (const QChar c : providerName)
        base += c.isLetterOrNumber() ? c.toUpper() : QChar(u'_');
    QStringList names{base + QStringLiteral("_API_KEY")};
    const auto add = [&](const char *n) {
        const QString s = QString::fromLatin1(n);
        if (!names.contains(s))
            names.append(s);
    };
    if (providerType == u"openai" || providerType == u"azure-openai")
        add(providerType == u"openai" ? "OPENAI_API_KEY" : "AZURE_OPENAI_API_KEY");
    else if (providerType == u"anthropic")
        add("ANTHROPIC_API_KEY");
    else if (providerType == u"gemini") {
        add("GEMINI_API_KEY");
        add("GOOGLE_API_KEY");
    } else if (providerType == u"huggingface" || providerType == u"tgi") {
        add("HUGGINGFACE_API_KEY");
        add("HF_TOKEN");
    }
    // A provider named after a preset whose type differs (e.g. "groq" of type openai) must not
    // pick up OPENAI_API_KEY: only its own name's variable and its type's are tried, and the
    // type's only when the provider carries the type's own name.
    if (providerName.compare(providerType, Qt::CaseInsensitive) != 0 && names.size() > 1 &&
        providerType != u"huggingface" && providerType != u"tgi")
        names = names.mid(0, 1);
    return names;
}

SecretStore::Key SecretStore::lookup(const QString &providerName, const QString &providerType) const
{
    if (const QString k = m_keychain.value(providerName.toLower()); !k.isEmpty())
        return {k, QStringLiteral("keychain")};
    const QStringList names = envNames(providerName, providerType);
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
