#include "config.h"

#include "json/jsonfields.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>

#include <algorithm>

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

// The line on which the value of `field` ("models[2].name", "server.max_body_bytes") starts in
// a JSON text that parsed, or 0 when it is not there. A small scanner, not a parser: the text
// is known to be valid JSON.
class LineFinder
{
public:
    LineFinder(const QByteArray &json, const QString &field) : m_s(json)
    {
        static const QRegularExpression part(QStringLiteral("([^.\\[\\]]+)|(\\[\\d+\\])"));
        for (auto it = part.globalMatch(field); it.hasNext();)
            m_want.append(it.next().captured(0));
    }

    int find() { return m_want.isEmpty() ? 0 : value(0); }

private:
    char at() const { return m_i < m_s.size() ? m_s.at(m_i) : '\0'; }
    void space()
    {
        for (; m_i < m_s.size() && QByteArrayView(" \t\r\n").contains(m_s.at(m_i)); ++m_i)
            m_line += m_s.at(m_i) == '\n';
    }
    QByteArray string() // at the opening quote; returns the raw content
    {
        const qsizetype begin = ++m_i;
        for (; m_i < m_s.size() && m_s.at(m_i) != '"'; ++m_i)
            m_i += m_s.at(m_i) == '\\';
        return m_s.mid(begin, m_i++ - begin);
    }
    void skip() // one value of any kind
    {
        int depth = 0;
        do {
            space();
            const char c = at();
            if (c == '"')
                string();
            else if (c == '{' || c == '[')
                ++depth, ++m_i;
            else if (c == '}' || c == ']')
                --depth, ++m_i;
            else
                while (m_i < m_s.size() && !QByteArrayView(",:}] \t\r\n").contains(at()))
                    ++m_i;
            space();
            if (depth > 0 && (at() == ',' || at() == ':'))
                ++m_i;
        } while (depth > 0 && m_i < m_s.size());
    }
    int value(int depth)
    {
        space();
        if (depth == m_want.size())
            return m_line;
        const bool object = at() == '{';
        if (!object && at() != '[')
            return 0;
        ++m_i;
        for (int index = 0;; ++index) {
            space();
            if (at() == '}' || at() == ']' || m_i >= m_s.size())
                return 0;
            QString name = QStringLiteral("[%1]").arg(index);
            if (object) {
                name = QString::fromUtf8(string());
                space();
                ++m_i; // ':'
            }
            if (name == m_want.at(depth))
                return value(depth + 1);
            skip();
            space();
            if (at() == ',')
                ++m_i;
        }
    }

    const QByteArray &m_s;
    QStringList m_want;
    qsizetype m_i = 0;
    int m_line = 1;
};

// A problem of meaning: the field it is about and the whole message.
struct Problem
{
    QString field;
    QString message;
};

const QRegularExpression &providerNamePattern()
{
    // Used in provider/model names and NAME_API_KEY variables.
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    return re;
}

bool readVersion(const QJsonObject &root, Config &c, Problem &p)
{
    JsonFields f(root, QString(), JsonStyle::Config);
    qint64 version = Config::kVersion;
    if (!f.positive(QLatin1StringView("version"), version)) {
        p = {f.errorField(), f.error()};
        return false;
    }
    if (version > Config::kVersion) {
        p.field = QStringLiteral("version");
        p.message = QStringLiteral("version %1 was written by a newer llm-gateway (this one "
                                   "reads version %2)")
                        .arg(version)
                        .arg(Config::kVersion);
        return false;
    }
    c.version = int(version);
    return true;
}

bool readFailed(const JsonFields &f, Problem &p)
{
    p = {f.errorField(), f.error()};
    return false;
}

// server.threads: 0 (one per core) up to ServerSettings::kMaxThreads.
bool readThreads(JsonFields &f, int &out)
{
    const QLatin1StringView key("threads");
    std::optional<qint64> n;
    if (!f.integer(key, n))
        return false;
    if (n && (*n < 0 || *n > ServerSettings::kMaxThreads))
        return f.fail(QStringLiteral("%1 must be between 1 and %2 (or 0 for one per core), not %3")
                          .arg(f.fieldPath(key))
                          .arg(ServerSettings::kMaxThreads)
                          .arg(*n),
                      f.fieldPath(key));
    if (n)
        out = int(*n);
    return true;
}

bool readServer(const QJsonObject &o, ServerSettings &s, Problem &p)
{
    JsonFields f(o, QStringLiteral("server"), JsonStyle::Config);
    const bool ok =
        f.positive(QLatin1StringView("max_body_bytes"), s.maxBodyBytes) &&
        f.positive(QLatin1StringView("max_header_bytes"), s.maxHeaderBytes) &&
        f.positive(QLatin1StringView("max_messages"), s.maxMessages) &&
        f.positive(QLatin1StringView("max_requests_per_client"), s.maxRequestsPerClient) &&
        f.positive(QLatin1StringView("idle_timeout_ms"), s.idleTimeoutMs) &&
        f.positive(QLatin1StringView("header_timeout_ms"), s.headerTimeoutMs) &&
        readThreads(f, s.threads) &&
        f.stringList(QLatin1StringView("allowed_origins"), s.allowedOrigins) &&
        f.stringList(QLatin1StringView("allowed_hosts"), s.allowedHosts) &&
        f.string(QLatin1StringView("token"), s.token) &&
        f.boolean(QLatin1StringView("require_token"), s.requireToken) &&
        f.boolean(QLatin1StringView("token_for_local_clients"), s.tokenForLocalClients);
    return ok || readFailed(f, p);
}

// An array of objects at the top level, each handed to `read` with its path ("models[2]").
template <typename T, typename Read>
bool readList(const QJsonObject &root, const char *key, QList<T> &out, Problem &p, Read read)
{
    const QJsonValue v = root.value(QLatin1StringView(key));
    p.field = QLatin1StringView(key);
    if (!v.isUndefined() && !v.isArray()) {
        p.message = p.field + QStringLiteral(" must be an array");
        return false;
    }
    const QJsonArray a = v.toArray();
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QString path = QStringLiteral("%1[%2]").arg(QLatin1StringView(key)).arg(i);
        if (!a.at(i).isObject()) {
            p = {path, path + QStringLiteral(" must be an object")};
            return false;
        }
        JsonFields f(a.at(i).toObject(), path, JsonStyle::Config);
        T item;
        if (!read(f, item))
            return readFailed(f, p);
        out.append(item);
    }
    return true;
}

bool readProvider(JsonFields &f, ProviderConfig &p, const Config::ProviderRules &rules)
{
    if (!f.requiredString(QLatin1StringView("name"), p.name) ||
        !f.string(QLatin1StringView("type"), p.type) ||
        !f.string(QLatin1StringView("base_url"), p.baseUrl) ||
        !f.object(QLatin1StringView("options"), p.options))
        return false;
    // A preset's name stands for its type (and, in the provider, its base URL).
    if (!p.type.isEmpty())
        return true;
    QStringList names;
    for (const auto &[name, type] : rules.presets) {
        if (name.compare(p.name, Qt::CaseInsensitive) == 0) {
            p.type = type;
            return true;
        }
        names.append(name);
    }
    const QString field = f.fieldPath(QLatin1StringView("type"));
    return f.fail(field + (names.isEmpty() ? QStringLiteral(" is required")
                                           : QStringLiteral(" is required (or name the provider "
                                                            "after a preset: %1)")
                                                 .arg(names.join(QStringLiteral(", ")))),
                  field);
}

// A price or a budget's limit: a number of dollars, not below 0.
bool dollars(JsonFields &f, QLatin1StringView key, std::optional<double> &out)
{
    if (!f.number(key, out))
        return false;
    if (out && *out < 0)
        return f.fail(f.fieldPath(key) + QStringLiteral(" must not be negative"), f.fieldPath(key));
    return true;
}

bool readPrice(JsonFields &f, ModelPrice &price)
{
    QJsonObject o;
    if (!f.object(QLatin1StringView("price"), o))
        return false;
    JsonFields p(o, f.fieldPath(QLatin1StringView("price")), JsonStyle::Config);
    if (!dollars(p, QLatin1StringView("input"), price.input) ||
        !dollars(p, QLatin1StringView("output"), price.output) ||
        !dollars(p, QLatin1StringView("cached_input"), price.cachedInput) ||
        !dollars(p, QLatin1StringView("cache_write"), price.cacheWrite))
        return f.fail(p.error(), p.errorField());
    return true;
}

bool readModel(JsonFields &f, ModelMapping &m)
{
    return f.requiredString(QLatin1StringView("name"), m.name) &&
           f.requiredString(QLatin1StringView("provider"), m.provider) &&
           f.requiredString(QLatin1StringView("model"), m.model) &&
           f.positive(QLatin1StringView("context_length"), m.contextLength) &&
           f.stringList(QLatin1StringView("capabilities"), m.capabilities) &&
           f.stringList(QLatin1StringView("fallbacks"), m.fallbacks) && readPrice(f, m.price);
}

bool readBudget(JsonFields &f, Budget &b)
{
    QString period = QStringLiteral("month");
    std::optional<double> limit;
    if (!f.string(QLatin1StringView("provider"), b.provider) ||
        !f.string(QLatin1StringView("period"), period) ||
        !dollars(f, QLatin1StringView("limit"), limit) ||
        !f.boolean(QLatin1StringView("hard"), b.hard))
        return false;
    if (period != u"day" && period != u"month")
        return f.fail(f.fieldPath(QLatin1StringView("period")) +
                          QStringLiteral(" must be \"day\" or \"month\", not '%1'").arg(period),
                      f.fieldPath(QLatin1StringView("period")));
    b.period = period == u"day" ? Budget::Period::Day : Budget::Period::Month;
    if (!limit) // the line is the budget's: the field is not there
        return f.fail(f.fieldPath(QLatin1StringView("limit")) + QStringLiteral(" is required"),
                      f.fieldPath(QLatin1StringView("period")).chopped(7));
    b.limit = *limit;
    return true;
}

bool readUsage(const QJsonObject &o, UsageSettings &u, Problem &p)
{
    JsonFields f(o, QStringLiteral("usage"), JsonStyle::Config);
    if (!f.positive(QLatin1StringView("retention_days"), u.retentionDays))
        return readFailed(f, p);
    const QJsonObject list{
        {QStringLiteral("usage.budgets"), o.value(QLatin1StringView("budgets"))}};
    return readList(list, "usage.budgets", u.budgets, p, &readBudget);
}

bool checkProvider(const Config &c, qsizetype i, const Config::ProviderRules &rules, Problem &p)
{
    const ProviderConfig &pc = c.providers.at(i);
    const QString path = QStringLiteral("providers[%1]").arg(i);
    const auto bad = [&](const char *field, const QString &message) {
        p = {path + QLatin1StringView(field), path + QLatin1StringView(field) + message};
        return false;
    };
    if (!providerNamePattern().match(pc.name).hasMatch())
        return bad(".name", QStringLiteral(" '%1' may only contain letters, digits, '_', '.' and "
                                           "'-'")
                                .arg(pc.name));
    for (qsizetype j = 0; j < i; ++j)
        if (c.providers.at(j).name.compare(pc.name, Qt::CaseInsensitive) == 0)
            return bad(".name", QStringLiteral(" '%1' is used twice").arg(pc.name));
    if (!rules.types.isEmpty() && !rules.types.contains(pc.type))
        return bad(".type", QStringLiteral(": unknown provider type '%1' (expected one of: %2)")
                                .arg(pc.type, rules.types.join(QStringLiteral(", "))));
    if (!pc.baseUrl.isEmpty()) {
        const QUrl url(pc.baseUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
            url.host().isEmpty())
            return bad(".base_url",
                       QStringLiteral(" '%1' is not an http:// or https:// URL").arg(pc.baseUrl));
    }
    JsonFields options(pc.options, path + QStringLiteral(".options"), JsonStyle::Config);
    if (rules.checkOptions && !rules.checkOptions(pc.type, options))
        return readFailed(options, p);
    return true;
}

bool checkModel(const Config &c, qsizetype i, Problem &p)
{
    const ModelMapping &m = c.models.at(i);
    const QString path = QStringLiteral("models[%1]").arg(i);
    const auto bad = [&](const char *field, const QString &message) {
        p = {path + QLatin1StringView(field), path + QLatin1StringView(field) + message};
        return false;
    };
    for (qsizetype j = 0; j < i; ++j)
        if (modelNameKey(c.models.at(j).name) == modelNameKey(m.name))
            return bad(".name", QStringLiteral(" '%1' is used twice (names are compared without "
                                               "case, surrounding spaces and ':latest')")
                                    .arg(m.name));
    if (!c.provider(m.provider) && m.provider != u"echo") {
        QStringList names{QStringLiteral("echo")};
        for (const ProviderConfig &pc : std::as_const(c.providers))
            names.append(pc.name);
        return bad(".provider", QStringLiteral(": unknown provider '%1' (configured: %2)")
                                    .arg(m.provider, names.join(QStringLiteral(", "))));
    }
    for (const QString &cap : std::as_const(m.capabilities))
        if (!Config::knownCapabilities().contains(cap))
            return bad(".capabilities",
                       QStringLiteral(": unknown capability '%1' (expected: %2)")
                           .arg(cap, Config::knownCapabilities().join(QStringLiteral(", "))));
    for (const QString &f : std::as_const(m.fallbacks)) {
        const bool known = std::any_of(c.models.begin(), c.models.end(), [&](const auto &o) {
            return modelNameKey(o.name) == modelNameKey(f);
        });
        if (!known)
            return bad(".fallbacks", QStringLiteral(": no model named '%1'").arg(f));
    }
    return true;
}

bool checkBudget(const Config &c, const Config::ProviderRules &rules, qsizetype i, Problem &p)
{
    const Budget &b = c.usage.budgets.at(i);
    const QString entry = QStringLiteral("usage.budgets[%1]").arg(i);
    const QString field = entry + QStringLiteral(".provider");
    const bool preset = std::any_of(rules.presets.begin(), rules.presets.end(), [&](const auto &n) {
        return n.first.compare(b.provider, Qt::CaseInsensitive) == 0;
    });
    if (!b.provider.isEmpty() && !c.provider(b.provider) && !preset &&
        b.provider.compare(u"echo", Qt::CaseInsensitive) != 0) {
        p = {field, field + QStringLiteral(": unknown provider '%1'").arg(b.provider)};
        return false;
    }
    for (qsizetype j = 0; j < i; ++j) {
        const Budget &o = c.usage.budgets.at(j);
        if (o.period == b.period && o.provider.compare(b.provider, Qt::CaseInsensitive) == 0) {
            p = {entry, QStringLiteral("usage.budgets[%1]: a second %2 budget for %3")
                            .arg(i)
                            .arg(b.period == Budget::Period::Day ? QStringLiteral("daily")
                                                                 : QStringLiteral("monthly"),
                                 b.provider.isEmpty() ? QStringLiteral("all providers")
                                                      : QStringLiteral("'%1'").arg(b.provider))};
            return false;
        }
    }
    return true;
}

bool check(const Config &c, const Config::ProviderRules &rules, Problem &p)
{
    for (qsizetype i = 0; i < c.providers.size(); ++i)
        if (!checkProvider(c, i, rules, p))
            return false;
    for (qsizetype i = 0; i < c.models.size(); ++i)
        if (!checkModel(c, i, p))
            return false;
    for (qsizetype i = 0; i < c.usage.budgets.size(); ++i)
        if (!checkBudget(c, rules, i, p))
            return false;
    return true;
}

bool read(const QJsonObject &root, const Config::ProviderRules &rules, Config &c, Problem &p)
{
    JsonFields top(root, QString(), JsonStyle::Config);
    QJsonObject server, usage;
    if (!readVersion(root, c, p))
        return false;
    if (!top.string(QLatin1StringView("listen"), c.listen) ||
        !top.object(QLatin1StringView("server"), server) ||
        !top.object(QLatin1StringView("usage"), usage))
        return readFailed(top, p);
    return readServer(server, c.server, p) && readUsage(usage, c.usage, p) &&
           readList(root, "providers", c.providers, p,
                    [&rules](JsonFields &f, ProviderConfig &pc) {
                        return readProvider(f, pc, rules);
                    }) &&
           readList(root, "models", c.models, p, &readModel);
}

QJsonObject serverJson(const ServerSettings &s)
{
    QJsonObject o;
    const auto number = [&o](const char *key, qint64 v) {
        if (v > 0)
            o.insert(QLatin1StringView(key), v);
    };
    number("max_body_bytes", s.maxBodyBytes);
    number("max_header_bytes", s.maxHeaderBytes);
    number("max_messages", s.maxMessages);
    number("max_requests_per_client", s.maxRequestsPerClient);
    number("idle_timeout_ms", s.idleTimeoutMs);
    number("header_timeout_ms", s.headerTimeoutMs);
    number("threads", s.threads);
    if (!s.allowedOrigins.isEmpty())
        o.insert(QStringLiteral("allowed_origins"), QJsonArray::fromStringList(s.allowedOrigins));
    if (!s.allowedHosts.isEmpty())
        o.insert(QStringLiteral("allowed_hosts"), QJsonArray::fromStringList(s.allowedHosts));
    if (!s.token.isEmpty())
        o.insert(QStringLiteral("token"), s.token);
    if (!s.requireToken)
        o.insert(QStringLiteral("require_token"), false);
    if (s.tokenForLocalClients)
        o.insert(QStringLiteral("token_for_local_clients"), true);
    return o;
}

QJsonObject priceJson(const ModelPrice &price)
{
    QJsonObject o;
    const auto put = [&o](const char *key, const std::optional<double> &v) {
        if (v)
            o.insert(QLatin1StringView(key), *v);
    };
    put("input", price.input);
    put("output", price.output);
    put("cached_input", price.cachedInput);
    put("cache_write", price.cacheWrite);
    return o;
}

QJsonObject usageJson(const UsageSettings &u)
{
    QJsonObject o;
    if (u.retentionDays != UsageSettings().retentionDays)
        o.insert(QStringLiteral("retention_days"), u.retentionDays);
    QJsonArray budgets;
    for (const Budget &b : u.budgets) {
        QJsonObject j{{QStringLiteral("period"), b.period == Budget::Period::Day
                                                     ? QStringLiteral("day")
                                                     : QStringLiteral("month")},
                      {QStringLiteral("limit"), b.limit}};
        if (!b.provider.isEmpty())
            j.insert(QStringLiteral("provider"), b.provider);
        if (b.hard)
            j.insert(QStringLiteral("hard"), true);
        budgets.append(j);
    }
    if (!budgets.isEmpty())
        o.insert(QStringLiteral("budgets"), budgets);
    return o;
}

} // namespace

QString modelNameKey(const QString &name)
{
    QString n = name.trimmed().toLower();
    if (n.endsWith(u":latest"))
        n.chop(7);
    return n;
}

const QStringList &Config::knownCapabilities()
{
    static const QStringList caps{QStringLiteral("completion"), QStringLiteral("tools"),
                                  QStringLiteral("vision"),     QStringLiteral("thinking"),
                                  QStringLiteral("embedding"),  QStringLiteral("insert")};
    return caps;
}

bool Config::validate(const ProviderRules &rules, QString *error) const
{
    Problem p;
    if (check(*this, rules, p))
        return true;
    if (error)
        *error = p.message;
    return false;
}

namespace {

// The document, or the syntax error with line and column.
std::optional<QJsonDocument> parse(const QByteArray &json, const QString &file, QString *error)
{
    QJsonParseError pe;
    QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error == QJsonParseError::NoError)
        return doc;
    if (error)
        *error =
            QStringLiteral("%1:%2: %3").arg(file, lineAndColumn(json, pe.offset), pe.errorString());
    return std::nullopt;
}

// "file:line: message", the line being the field's where the text has it.
QString located(const QByteArray &json, const QString &file, const Problem &p)
{
    const int line = p.field.isEmpty() ? 0 : LineFinder(json, p.field).find();
    return (line > 0 ? QStringLiteral("%1:%2: ").arg(file).arg(line)
                     : file + QStringLiteral(": ")) +
           p.message;
}

} // namespace

std::optional<Config> Config::fromJson(const QByteArray &json, const QString &fileName,
                                       const ProviderRules &rules, QString *error)
{
    const QString file = fileName.isEmpty() ? QStringLiteral("config") : fileName;
    const auto doc = parse(json, file, error);
    if (!doc)
        return std::nullopt;
    Config c;
    Problem p;
    if (!doc->isObject())
        p.message = QStringLiteral("the top level must be a JSON object");
    else if (read(doc->object(), rules, c, p) && check(c, rules, p))
        return c;
    if (error)
        *error = located(json, file, p);
    return std::nullopt;
}

std::optional<QList<ModelMapping>> Config::modelsFromJson(const QByteArray &json,
                                                          const QString &fileName, QString *error)
{
    const QString file = fileName.isEmpty() ? QStringLiteral("models") : fileName;
    const auto doc = parse(json, file, error);
    if (!doc)
        return std::nullopt;
    const QJsonObject root =
        doc->isArray() ? QJsonObject{{QStringLiteral("models"), doc->array()}} : doc->object();
    QList<ModelMapping> models;
    Problem p;
    if (readList(root, "models", models, p, &readModel))
        return models;
    if (error)
        *error = located(json, file, p);
    return std::nullopt;
}

std::optional<Config> Config::load(const QString &path, const ProviderRules &rules, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    return fromJson(f.readAll(), path, rules, error);
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
        if (!m.price.isEmpty())
            o.insert(QStringLiteral("price"), priceJson(m.price));
        ma.append(o);
    }
    QJsonObject root{{QStringLiteral("version"), kVersion},
                     {QStringLiteral("providers"), pa},
                     {QStringLiteral("models"), ma}};
    if (!listen.isEmpty())
        root.insert(QStringLiteral("listen"), listen);
    if (const QJsonObject s = serverJson(server); !s.isEmpty())
        root.insert(QStringLiteral("server"), s);
    if (const QJsonObject u = usageJson(usage); !u.isEmpty())
        root.insert(QStringLiteral("usage"), u);
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
