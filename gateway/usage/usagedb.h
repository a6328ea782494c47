#pragma once

#include "usage/usagerow.h"

#include <QHash>
#include <QString>

namespace gw {

// The usage database: one SQLite file (Qt SQL, QSQLITE) holding a row per finished request.
// WAL mode, so readers (the Usage page, `llm-gateway usage`) never wait for the writer and a
// process killed mid-write loses at most the transaction in progress; the schema version is
// SQLite's user_version, and opening a file of an older version migrates it. The file and its
// folder are the user's only (0600 / 0700). One UsageDb is one connection: use it on the thread
// that opened it.
class UsageDb
{
public:
    // The schema this build writes. Opening an older file migrates it; a newer one is refused.
    static constexpr int kSchemaVersion = 2;

    enum class By { Model, Provider, Day, All };

    UsageDb();
    ~UsageDb();
    UsageDb(const UsageDb &) = delete;
    UsageDb &operator=(const UsageDb &) = delete;

    // Creates the file (and its folder) when missing, unless readOnly.
    bool open(const QString &path, QString *error, bool readOnly = false);
    bool isOpen() const;
    QString path() const { return m_path; }
    int schemaVersion() const;

    // One transaction: all rows or none.
    bool insert(const QList<UsageRow> &rows, QString *error = nullptr);
    // Deletes rows that started before `before`; the number deleted, or -1.
    int prune(const QDateTime &before);

    // Requests that started in [from, to).
    QList<UsageTotal> totals(const QDateTime &from, const QDateTime &to, By by) const;
    QList<UsageRow> rows(const QDateTime &from, const QDateTime &to) const;
    QList<DailyCost> dailyCost(const QDateTime &from, const QDateTime &to) const;
    // Spend per provider (lower case) and local day since `from`: what the budgets start from.
    QHash<QString, QHash<QDate, double>> spendSince(const QDateTime &from) const;

    // <GenericDataLocation>/llm-gateway/usage.sqlite
    static QString defaultPath();

private:
    bool migrate(QString *error);

    QString m_connection;
    QString m_path;
};

} // namespace gw
