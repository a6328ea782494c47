#include "usagedb.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

#include <atomic>

#include <sqlite3.h>

namespace gw {
namespace {

// Each step takes the schema from version i to i + 1 (kSteps[0]: an empty file to version 1).
const char *const kSteps[][4] = {
    // 1: the first layout
    {"CREATE TABLE requests (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, client TEXT, "
     "dialect TEXT, model TEXT, provider TEXT, upstream_model TEXT, status INTEGER, "
     "input_tokens INTEGER, output_tokens INTEGER, cached_tokens INTEGER, "
     "cache_write_tokens INTEGER, duration_ms INTEGER, cost REAL)",
     "CREATE INDEX requests_ts ON requests (ts)", nullptr, nullptr},
    // 2: reasoning tokens, the money prompt caching saved, spend per provider looked up fast
    {"ALTER TABLE requests ADD COLUMN reasoning_tokens INTEGER",
     "ALTER TABLE requests ADD COLUMN saved REAL",
     "CREATE INDEX requests_provider_ts ON requests (provider, ts)", nullptr},
};
static_assert(std::size(kSteps) == UsageDb::kSchemaVersion);

QString sqlError(const QSqlError &e)
{
    return e.text().trimmed();
}

qint64 tokensOf(const QVariant &v)
{
    return v.isNull() ? -1 : v.toLongLong();
}

std::optional<double> moneyOf(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<double>(v.toDouble());
}

// The local day of a row's start, as SQLite computes it.
constexpr const char *kLocalDay = "date(ts / 1000, 'unixepoch', 'localtime')";

} // namespace

UsageDb::UsageDb()
{
    static std::atomic<int> counter{0};
    m_connection = QStringLiteral("llmgw-usage-%1").arg(++counter);
}

UsageDb::~UsageDb()
{
    if (QSqlDatabase::contains(m_connection)) {
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

QString UsageDb::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/llm-gateway/usage.sqlite");
}

bool UsageDb::open(const QString &path, QString *error, bool readOnly)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, message);
        return false;
    };
    m_path = path;
    const QFileInfo fi(path);
    if (readOnly && !fi.exists())
        return fail(QStringLiteral("no usage database here yet"));
    if (!readOnly && !fi.exists()) {
        const QString dir = fi.absolutePath();
        if (!QDir().exists(dir)) {
            if (!QDir().mkpath(dir))
                return fail(QStringLiteral("cannot create the folder"));
            QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                           QFileDevice::ExeOwner);
        }
        // Created here with user-only permissions; SQLite gives its -wal and -shm files the same.
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return fail(f.errorString());
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return fail(QStringLiteral("Qt's SQLite driver is missing (install libqt6sql6-sqlite)"));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    // Writers from other threads or processes hold the lock for one batch: wait for it.
    db.setConnectOptions(readOnly
                             ? QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000")
                             : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return fail(sqlError(db.lastError()));
    QSqlQuery q(db);
    if (!readOnly) {
        if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next() ||
            q.value(0).toString().compare(u"wal", Qt::CaseInsensitive) != 0)
            return fail(
                QStringLiteral("cannot switch to WAL mode: %1").arg(sqlError(q.lastError())));
        q.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
        if (!migrate(error))
            return false;
    } else if (schemaVersion() > kSchemaVersion) {
        return fail(QStringLiteral("written by a newer llm-gateway (schema %1, this one reads %2)")
                        .arg(schemaVersion())
                        .arg(kSchemaVersion));
    }
    return true;
}

bool UsageDb::isOpen() const
{
    return QSqlDatabase::contains(m_connection) &&
           QSqlDatabase::database(m_connection, false).isOpen();
}

int UsageDb::schemaVersion() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

bool UsageDb::migrate(QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    // The version is read and raised inside one write transaction, so two processes opening an
    // old file at once migrate it once.
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(m_path, sqlError(q.lastError()));
        return false;
    }
    const int from = schemaVersion();
    const auto fail = [&](const QString &message) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        if (error)
            *error = QStringLiteral("%1: %2").arg(m_path, message);
        return false;
    };
    if (from > kSchemaVersion)
        return fail(QStringLiteral("written by a newer llm-gateway (schema %1, this one "
                                   "writes %2)")
                        .arg(from)
                        .arg(kSchemaVersion));
    for (int v = qMax(0, from); v < kSchemaVersion; ++v) {
        for (const char *sql : kSteps[v]) {
            if (sql && !q.exec(QString::fromLatin1(sql)))
                return fail(QStringLiteral("migrating to schema %1: %2")
                                .arg(v + 1)
                                .arg(sqlError(q.lastError())));
        }
    }
    if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion)) ||
        !q.exec(QStringLiteral("COMMIT")))
        return fail(sqlError(q.lastError()));
    return true;
}

bool UsageDb::insert(const QList<UsageRow> &rows, QString *error)
{
    // The rows go in through SQLite's own statement API on the connection the QSQLITE driver
    // opened: QSqlQuery's binding builds a placeholder name and a QVariant per value, about 60 K
    // instructions per row (a quarter of a request's budget, issue #15); this is about 12 K.
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const QVariant handle = db.driver()->handle();
    sqlite3 *sql = handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0
                       ? *static_cast<sqlite3 *const *>(handle.constData())
                       : nullptr;
    if (!sql) {
        if (error)
            *error = QStringLiteral("the usage database is not open");
        return false;
    }
    auto fail = [&](const char *what) {
        if (error)
            *error = QString::fromUtf8(what) + QStringLiteral(": ") +
                     QString::fromUtf8(sqlite3_errmsg(sql));
        return false;
    };
    if (sqlite3_exec(sql, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail("BEGIN");
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(
            sql,
            "INSERT INTO requests (ts, client, dialect, model, provider, upstream_model, status, "
            "input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, "
            "duration_ms, cost, saved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            -1, &stmt, nullptr) != SQLITE_OK) {
        fail("INSERT");
        sqlite3_exec(sql, "ROLLBACK", nullptr, nullptr, nullptr);
        return false;
    }
    auto text = [stmt](int i, const QString &v) { // as QSQLITE bound it: never NULL
        const QByteArray utf8 = v.toUtf8();
        sqlite3_bind_text(stmt, i, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    };
    auto count = [stmt](int i, qint64 v) {
        if (v >= 0)
            sqlite3_bind_int64(stmt, i, v);
        else
            sqlite3_bind_null(stmt, i);
    };
    auto amount = [stmt](int i, const std::optional<double> &v) {
        if (v)
            sqlite3_bind_double(stmt, i, *v);
        else
            sqlite3_bind_null(stmt, i);
    };
    bool ok = true;
    for (const UsageRow &r : rows) {
        sqlite3_bind_int64(stmt, 1, r.time.toMSecsSinceEpoch());
        text(2, r.client);
        text(3, r.dialect);
        text(4, r.model);
        text(5, r.provider);
        text(6, r.upstreamModel);
        sqlite3_bind_int64(stmt, 7, r.status);
        count(8, r.tokens.input);
        count(9, r.tokens.output);
        count(10, r.tokens.cachedRead);
        count(11, r.tokens.cacheWrite);
        count(12, r.tokens.reasoning);
        sqlite3_bind_int64(stmt, 13, r.durationMs);
        amount(14, r.cost);
        amount(15, r.saved);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            ok = fail("INSERT");
            break;
        }
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    if (ok && sqlite3_exec(sql, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        ok = fail("COMMIT");
    if (!ok)
        sqlite3_exec(sql, "ROLLBACK", nullptr, nullptr, nullptr);
    return ok;
}

int UsageDb::prune(const QDateTime &before)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM requests WHERE ts < ?"));
    q.addBindValue(before.toMSecsSinceEpoch());
    if (!q.exec())
        return -1;
    return q.numRowsAffected();
}

QList<UsageTotal> UsageDb::totals(const QDateTime &from, const QDateTime &to, By by) const
{
    QString key;
    QString order = QStringLiteral("SUM(cost) IS NULL, SUM(cost) DESC, COUNT(*) DESC, 1");
    switch (by) {
    case By::Model:
        key = QStringLiteral("model");
        break;
    case By::Provider:
        key = QStringLiteral("provider");
        break;
    case By::Day:
        key = QLatin1StringView(kLocalDay);
        order = QStringLiteral("1");
        break;
    case By::All:
        key = QStringLiteral("''");
        break;
    }
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT %1, COUNT(*), SUM(input_tokens), SUM(output_tokens), "
                             "SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), "
                             "SUM(cost), COUNT(*) - COUNT(cost), SUM(saved) FROM requests "
                             "WHERE ts >= ? AND ts < ? GROUP BY 1 ORDER BY %2")
                  .arg(key, order));
    q.addBindValue(from.toMSecsSinceEpoch());
    q.addBindValue(to.toMSecsSinceEpoch());
    QList<UsageTotal> out;
    if (!q.exec())
        return out;
    while (q.next()) {
        UsageTotal t;
        t.key = q.value(0).toString();
        t.requests = q.value(1).toLongLong();
        t.input = tokensOf(q.value(2));
        t.output = tokensOf(q.value(3));
        t.cachedRead = tokensOf(q.value(4));
        t.cacheWrite = tokensOf(q.value(5));
        t.reasoning = tokensOf(q.value(6));
        t.cost = moneyOf(q.value(7));
        t.unpriced = q.value(8).toLongLong();
        t.saved = moneyOf(q.value(9));
        out.append(t);
    }
    return out;
}

QList<UsageRow> UsageDb::rows(const QDateTime &from, const QDateTime &to) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral(
        "SELECT ts, client, dialect, model, provider, upstream_model, status, input_tokens, "
        "output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, duration_ms, cost, "
        "saved FROM requests WHERE ts >= ? AND ts < ? ORDER BY ts, id"));
    q.addBindValue(from.toMSecsSinceEpoch());
    q.addBindValue(to.toMSecsSinceEpoch());
    QList<UsageRow> out;
    if (!q.exec())
        return out;
    while (q.next()) {
        UsageRow r;
        r.time = QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong());
        r.client = q.value(1).toString();
        r.dialect = q.value(2).toString();
        r.model = q.value(3).toString();
        r.provider = q.value(4).toString();
        r.upstreamModel = q.value(5).toString();
        r.status = q.value(6).toInt();
        r.tokens = {tokensOf(q.value(7)), tokensOf(q.value(8)), tokensOf(q.value(9)),
                    tokensOf(q.value(10)), tokensOf(q.value(11))};
        r.durationMs = q.value(12).toLongLong();
        r.cost = moneyOf(q.value(13));
        r.saved = moneyOf(q.value(14));
        out.append(r);
    }
    return out;
}

QList<DailyCost> UsageDb::dailyCost(const QDateTime &from, const QDateTime &to) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT %1, provider, SUM(cost) FROM requests WHERE ts >= ? AND "
                             "ts < ? AND cost IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2")
                  .arg(QLatin1StringView(kLocalDay)));
    q.addBindValue(from.toMSecsSinceEpoch());
    q.addBindValue(to.toMSecsSinceEpoch());
    QList<DailyCost> out;
    if (!q.exec())
        return out;
    while (q.next())
        out.append({QDate::fromString(q.value(0).toString(), Qt::ISODate), q.value(1).toString(),
                    q.value(2).toDouble()});
    return out;
}

QHash<QString, QHash<QDate, double>> UsageDb::spendSince(const QDateTime &from) const
{
    QHash<QString, QHash<QDate, double>> out;
    for (const DailyCost &d : dailyCost(from, QDateTime::currentDateTime().addYears(1)))
        out[d.provider.toLower()][d.day] += d.cost;
    return out;
}

} // namespace gw
