#include "config.h"

#include "providerpresets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>

namespace gw {
namespace {

QString lineAndColumn(const QByteArray &json, int offset)
{
    int line = 1, column = 1;
    for (int i = 0; i < offset && i < json.size(); ++i) {
        if (json.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("%1:%2").arg(line).arg(column);
}

QString normalizedModelName(const QString &name)
{
    QString n = name.toLower();
    if (n.endsWith(u":latest"))
        n.chop(7);
    return n;
}

// Reads one typed field; on a type mismatch, sets `error` to "path.key: expected T".
class Reader
{
public:
    Reader(const QJsonObject &o, QString path, QString &error)
        : m_o(o), m_path(std::move(path)), m_error(error)
    {}

    bool string(const char *key, QString &out, bool required = false)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (v.isUndefined() || v.isNull()) {
            if (required)
                return fail(key, "is required");
            return true;
        }
        if (!v.isString())
            return fail(key, "must be a string");
        out = v.toString();
        if (required && out.trimmed().isEmpty())
            return fail(key, "must not be empty");
        return true;
    }
    bool stringList(const char *key, QStringList &out)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isArray())
            return fail(key, "must be an array of strings");
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isString())
                return fail(key, "must be an array of strings");
            out.append(item.toString());
        }
        return true;
    }
    bool positive(const char *key, qint64 &out)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (v.isUndefined() || v.isNull())
            return true;
        const double d = v.toDouble();
        // 2^53 and beyond: no longer exact, and the cast below could overflow.
        if (!v.isDouble() || d <= 0 || d != std::trunc(d) || d > 9007199254740992.0)
            return fail(key, "must be a positive whole number");
        out = qint64(v.toDouble());
        return true;
    }
    bool object(const char *key, QJsonObject &out)
    {
        const QJsonValue v = m_o.value(QLatin1StringView(key));
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isObject())
            return fail(key, "must be an object");
        out = v.toObject();
        return true;
    }
    bool fail(const char *key, const char *what)
    {
        m_error =
            QStringLiteral("%1.%2 %3").arg(m_path, QLatin1StringView(key), QLatin1StringView(what));
        if (m_path.isEmpty())
            m_error = m_error.mid(1);
        return false;
    }

private:
    const QJsonObject &m_o;
    QString m_path;
    QString &m_error;
};

const QRegularExpression &providerNamePattern()
{
    // Used in provider/model names and NAME_API_KEY variables.
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    return re;
}

} // namespace

const QStringList &Config::knownCapabilities()
{
    static const QStringList caps{QStringLiteral("completion"), QStringLiteral("tools"),
                                  QStringLiteral("vision"),     QStringLiteral("thinking"),
                                  QStringLiteral("embedding"),  QStringLiteral("insert")};
    return caps;
}

std::optional<Config> Config::fromJson(const QByteArray &json, const QString &fileName,
                                       const QStringList &knownTypes, QString *error)
{
    const QString file = fileName.isEmpty() ? QStringLiteral("config") : fileName;
    QString err;
    const auto bad = [&](const QString &what) {
        if (error)
            *error = file + QStringLiteral(": ") + what;
        return std::nullopt;
    };

    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        if (error)
            *error = QStringLiteral("%1:%2: %3")
                         .arg(file, lineAndColumn(json, pe.offset), pe.errorString());
        return std::nullopt;
    }
    if (!doc.isObject())
        return bad(QStringLiteral("the top level must be a JSON object"));
    const QJsonObject root = doc.object();

    Config c;
    const QJsonValue version = root.value(QLatin1StringView("version"));
    if (!version.isUndefined()) {
        if (!version.isDouble() || version.toDouble() < 1)
            return bad(QStringLiteral("version must be a positive whole number"));
        if (version.toInt() > kVersion)
            return bad(QStringLiteral("version %1 was written by a newer llm-gateway (this one "
                                      "reads version %2)")
                           .arg(version.toInt())
                           .arg(kVersion));
        c.version = version.toInt();
    }
    Reader top(root, QString(), err);
    if (!top.string("listen", c.listen) || !top.object("server", c.server))
        return bad(err);

    const QJsonValue providers = root.value(QLatin1StringView("providers"));
    if (!providers.isUndefined() && !providers.isArray())
        return bad(QStringLiteral("providers must be an array"));
    const QJsonArray pa = providers.toArray();
    for (qsizetype i = 0; i < pa.size(); ++i) {
        const QString path = QStringLiteral("providers[%1]").arg(i);
        if (!pa.at(i).isObject())
            return bad(path + QStringLiteral(" must be an object"));
        const QJsonObject o = pa.at(i).toObject();
        Reader r(o, path, err);
        ProviderConfig p;
        if (!r.string("name", p.name, true) || !r.string("type", p.type) ||
            !r.string("base_url", p.baseUrl) || !r.object("options", p.options))
            return bad(err);
        // A preset's name stands for its type (and, in the provider, its base URL).
        if (p.type.isEmpty()) {
            const ProviderPreset *preset = ProviderPresets::find(p.name);
            if (!preset)
                return bad(path +
                           QStringLiteral(".type is required (or name the provider after "
                                          "a preset: openai, anthropic, gemini, huggingface, "
                                          "openrouter, groq, deepseek, mistral, together)"));
            p.type = QString::fromLatin1(preset->type);
        }
        if (!providerNamePattern().match(p.name).hasMatch())
            return bad(path + QStringLiteral(".name '%1' may only contain letters, digits, '_', "
                                             "'.' and '-'")
                                  .arg(p.name));
        if (c.provider(p.name))
            return bad(path + QStringLiteral(".name '%1' is used twice").arg(p.name));
        if (!knownTypes.isEmpty() && !knownTypes.contains(p.type))
            return bad(path + QStringLiteral(".type: unknown provider type '%1' (expected one "
                                             "of: %2)")
                                  .arg(p.type, knownTypes.join(QStringLiteral(", "))));
        if (!p.baseUrl.isEmpty()) {
            const QUrl url(p.baseUrl, QUrl::StrictMode);
            if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
                url.host().isEmpty())
                return bad(path + QStringLiteral(".base_url '%1' is not an http:// or https:// "
                                                 "URL")
                                      .arg(p.baseUrl));
        }
        c.providers.append(p);
    }

    const QJsonValue models = root.value(QLatin1StringView("models"));
    if (!models.isUndefined() && !models.isArray())
        return bad(QStringLiteral("models must be an array"));
    const QJsonArray ma = models.toArray();
    QStringList seen;
    for (qsizetype i = 0; i < ma.size(); ++i) {
        const QString path = QStringLiteral("models[%1]").arg(i);
        if (!ma.at(i).isObject())
            return bad(path + QStringLiteral(" must be an object"));
        const QJsonObject o = ma.at(i).toObject();
        Reader r(o, path, err);
        ModelMapping m;
        if (!r.string("name", m.name, true) || !r.string("provider", m.provider, true) ||
            !r.string("model", m.model, true) || !r.positive("context_length", m.contextLength) ||
            !r.stringList("capabilities", m.capabilities) ||
            !r.stringList("fallbacks", m.fallbacks))
            return bad(err);
        const QString key = normalizedModelName(m.name);
        if (seen.contains(key))
            return bad(path + QStringLiteral(".name '%1' is used twice (names are compared "
                                             "without case and without ':latest')")
                                  .arg(m.name));
        seen.append(key);
        if (!c.provider(m.provider) && m.provider != u"echo") {
            QStringList names{QStringLiteral("echo")};
            for (const ProviderConfig &p : std::as_const(c.providers))
                names.append(p.name);
            return bad(path + QStringLiteral(".provider: unknown provider '%1' (configured: %2)")
                                  .arg(m.provider, names.join(QStringLiteral(", "))));
        }
        for (const QString &cap : std::as_const(m.capabilities))
            if (!knownCapabilities().contains(cap))
                return bad(path + QStringLiteral(".capabilities: unknown capability '%1' "
                                                 "(expected: %2)")
                                      .arg(cap, knownCapabilities().join(QStringLiteral(", "))));
        c.models.append(m);
    }
    for (qsizetype i = 0; i < c.models.size(); ++i)
        for (const QString &f : std::as_const(c.models[i].fallbacks))
            if (!seen.contains(normalizedModelName(f)))
                return bad(
                    QStringLiteral("models[%1].fallbacks: no model named '%2'").arg(i).arg(f));
    return c;
}

std::optional<Config> Config::load(const QString &path, const QStringList &knownTypes,
                                   QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    return fromJson(f.readAll(), path, knownTypes, error);
}

QByteArray Config::toJson() const
{
    QJsonArray pa;
    for (const ProviderConfig &p : providers) {
        QJsonObject o{{QStringLiteral("name"), p.name}, {QStringLiteral("type"), p.type}};
        if (!p.baseUrl.isEmpty())
            o.insert(QStringLiteral("base_url"), p.baseUrl);
        if (!p.options.isEmpty())
            o.insert(QStringLiteral("options"), p.options);
        pa.append(o);
    }
    QJsonArray ma;
    for (const ModelMapping &m : models) {
        QJsonObject o{{QStringLiteral("name"), m.name},
                      {QStringLiteral("provider"), m.provider},
                      {QStringLiteral("model"), m.model}};
        if (m.contextLength > 0)
            o.insert(QStringLiteral("context_length"), m.contextLength);
        if (!m.capabilities.isEmpty())
            o.insert(QStringLiteral("capabilities"), QJsonArray::fromStringList(m.capabilities));
        if (!m.fallbacks.isEmpty())
            o.insert(QStringLiteral("fallbacks"), QJsonArray::fromStringList(m.fallbacks));
        ma.append(o);
    }
    QJsonObject root{{QStringLiteral("version"), kVersion},
                     {QStringLiteral("providers"), pa},
                     {QStringLiteral("models"), ma}};
    if (!listen.isEmpty())
        root.insert(QStringLiteral("listen"), listen);
    if (!server.isEmpty())
        root.insert(QStringLiteral("server"), server);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool Config::save(const QString &path, QString *error) const
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(toJson());
    if (!f.commit()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

const ProviderConfig *Config::provider(const QString &name) const
{
    for (const ProviderConfig &p : providers)
        if (p.name.compare(name, Qt::CaseInsensitive) == 0)
            return &p;
    return nullptr;
}

QString Config::defaultPath()
{
    // Generic + our folder: AppConfigLocation would nest organization and application names
    // (~/.config/llm-gateway/llm-gateway/).
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/llm-gateway/config.json");
}

} // namespace gw
