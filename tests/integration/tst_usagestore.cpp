// The usage database as a real SQLite file: created user-only, rows that survive reopening,
// writers on several threads at once, a process killed mid-write that loses at most its last
// batch, migration from the first schema, a newer schema refused, and retention.

#include "checkedlist.h"
#include "usage/usagedb.h"
#include "usage/usagewriter.h"

#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <cstdio>

using namespace gw;
using namespace gwtest;

namespace {

UsageRow row(int n, const QDateTime &at = QDateTime::currentDateTime())
{
    UsageRow r;
    r.time = at;
    r.client = QStringLiteral("127.0.0.1");
    r.dialect = QStringLiteral("openai");
    r.model = QStringLiteral("m%1").arg(n % 3);
    r.provider = QStringLiteral("p");
    r.upstreamModel = QStringLiteral("gpt-4o");
    r.status = 200;
    r.tokens = {n, 2 * n, -1, -1, -1};
    r.durationMs = n;
    r.cost = n / 1000.0;
    return r;
}

qint64 countRows(const QString &path)
{
    UsageDb db;
    QString error;
    if (!db.open(path, &error, true))
        return -1;
    const QList<UsageTotal> all =
        db.totals(QDateTime::fromSecsSinceEpoch(0), QDateTime::currentDateTime().addYears(1),
                  UsageDb::By::All);
    return all.isEmpty() ? 0 : all.first().requests;
}

QString integrity(const QString &path)
{
    const QString name = QStringLiteral("integrity");
    QString result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.open();
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next())
            result = q.value(0).toString();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

// The child process of killedMidWrite: writes batches of 100 rows until it is killed, saying
// "batch N" after each commit.
int writeUntilKilled(const QString &path)
{
    UsageDb db;
    QString error;
    if (!db.open(path, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    for (int batch = 1;; ++batch) {
        QList<UsageRow> rows;
        for (int i = 0; i < 100; ++i)
            rows.append(row(batch * 100 + i));
        if (!db.insert(rows, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        std::printf("batch %d\n", batch);
        std::fflush(stdout);
    }
}

} // namespace

class TestUsageStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const char *name) const { return m_dir.filePath(QLatin1StringView(name)); }

private slots:
    void createdUserOnlyAndReopened()
    {
        const QString file = m_dir.filePath(QStringLiteral("new/folder/usage.sqlite"));
        {
            UsageDb db;
            QString error;
            QVERIFY2(db.open(file, &error), qPrintable(error));
            QCOMPARE(db.schemaVersion(), UsageDb::kSchemaVersion);
            QVERIFY(db.insert({row(1), row(2)}, &error));
            // While it is open SQLite keeps -wal and -shm beside it, with the file's mode.
            for (const char *companion : {"-wal", "-shm"}) {
                const QFileInfo c(file + QLatin1StringView(companion));
                QVERIFY(c.exists());
                QCOMPARE(c.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                         QFileDevice::Permissions());
            }
        }
        const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                            QFileDevice::ExeGroup | QFileDevice::ReadOther |
                            QFileDevice::WriteOther | QFileDevice::ExeOther;
        QCOMPARE(QFileInfo(file).permissions() & others, QFileDevice::Permissions());
        QVERIFY(QFileInfo(file).permissions() & QFileDevice::WriteOwner);
        const QFileInfo dir(QFileInfo(file).absolutePath());
        QCOMPARE(dir.permissions() & others, QFileDevice::Permissions());
        // WAL mode is a property of the file: a plain connection sees it.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), "wal");
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        }
        QSqlDatabase::removeDatabase("wal");

        UsageDb again;
        QString error;
        QVERIFY2(again.open(file, &error), qPrintable(error));
        const CheckedList<UsageRow> rows = again.rows(QDateTime::currentDateTime().addDays(-1),
                                                      QDateTime::currentDateTime().addDays(1));
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[1].tokens.output, 4);
        QCOMPARE(rows[1].tokens.cachedRead, -1);
        QCOMPARE(rows[1].cost, std::optional<double>(0.002));
        QVERIFY(!rows[1].saved);
    }

    // Writers on four threads append to one file at once (each its own connection, as two
    // gateways or a gateway and `serve` would): every row arrives.
    void concurrentWriters()
    {
        const QString file = path("concurrent.sqlite");
        QList<QThread *> threads;
        for (int t = 0; t < 4; ++t) {
            threads.append(QThread::create([file, t] {
                UsageWriter::Options o;
                o.batchRows = 25;
                QString error;
                UsageWriter w(file, o, &error);
                if (!w.isOpen())
                    qWarning("%s", qPrintable(error));
                for (int i = 0; i < 500; ++i)
                    w.append(row(t * 1000 + i));
            }));
            threads.last()->start();
        }
        for (QThread *t : threads) {
            QVERIFY(t->wait(120000));
            delete t;
        }
        QCOMPARE(countRows(file), 2000);
        QCOMPARE(integrity(file), QStringLiteral("ok"));
    }

    // Rows wait for their batch; a full batch, flush() and the writer's end write them.
    void batches()
    {
        const QString file = path("batches.sqlite");
        UsageWriter::Options o;
        o.batchRows = 10;
        o.flushMs = 3600 * 1000; // only a full batch or flush() writes
        QString error;
        auto w = std::make_unique<UsageWriter>(file, o, &error);
        QVERIFY2(w->isOpen(), qPrintable(error));
        for (int i = 0; i < 15; ++i)
            w->append(row(i));
        // The tenth row woke the writer: the full batch (and what came with it meanwhile) goes
        // in without a flush.
        QTRY_VERIFY(countRows(file) >= 10);
        w->flush();
        QCOMPARE(countRows(file), 15);
        for (int i = 0; i < 3; ++i)
            w->append(row(i));
        w.reset();
        QCOMPARE(countRows(file), 18);
    }

    // A process killed while it writes loses at most the batch it was writing: the file is
    // intact and holds whole batches only.
    void killedMidWrite()
    {
        const QString file = path("killed.sqlite");
        QProcess child;
        child.setProgram(QCoreApplication::applicationFilePath());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LLMGW_USAGE_CHILD"), file);
        child.setProcessEnvironment(env);
        child.start();
        QVERIFY(child.waitForStarted());
        QByteArray out;
        while (!out.contains("batch 5\n")) {
            QVERIFY2(child.waitForReadyRead(60000), child.readAllStandardError().constData());
            out += child.readAllStandardOutput();
        }
        ::kill(pid_t(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(integrity(file), QStringLiteral("ok"));
        const qint64 n = countRows(file);
        QVERIFY2(n >= 500 && n % 100 == 0, qPrintable(QString::number(n)));
    }

    // A file of the first schema gains the new columns and keeps its rows.
    void migratesFromVersion1()
    {
        const QString file = path("v1.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), "v1");
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(
                "CREATE TABLE requests (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, client TEXT, "
                "dialect TEXT, model TEXT, provider TEXT, upstream_model TEXT, status INTEGER, "
                "input_tokens INTEGER, output_tokens INTEGER, cached_tokens INTEGER, "
                "cache_write_tokens INTEGER, duration_ms INTEGER, cost REAL)"));
            QVERIFY(q.exec("CREATE INDEX requests_ts ON requests (ts)"));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO requests (ts, model, provider, status, "
                                          "input_tokens, output_tokens, cost) VALUES (%1, 'old', "
                                          "'p', 200, 7, 8, 0.5)")
                               .arg(QDateTime::currentMSecsSinceEpoch())));
            QVERIFY(q.exec("PRAGMA user_version = 1"));
            db.close();
        }
        QSqlDatabase::removeDatabase("v1");

        UsageDb db;
        QString error;
        QVERIFY2(db.open(file, &error), qPrintable(error));
        QCOMPARE(db.schemaVersion(), 2);
        QVERIFY2(db.insert({row(3)}, &error), qPrintable(error));
        const CheckedList<UsageRow> rows = db.rows(QDateTime::currentDateTime().addDays(-1),
                                                   QDateTime::currentDateTime().addDays(1));
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].model, QStringLiteral("old"));
        QCOMPARE(rows[0].tokens.input, 7);
        QCOMPARE(rows[0].tokens.reasoning, -1);
        QVERIFY(!rows[0].saved);
        QCOMPARE(rows[0].cost, std::optional<double>(0.5));
    }

    void refusesANewerSchema()
    {
        const QString file = path("newer.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), "newer");
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QSqlQuery(db).exec("PRAGMA user_version = 99");
            db.close();
        }
        QSqlDatabase::removeDatabase("newer");
        UsageDb db;
        QString error;
        QVERIFY(!db.open(file, &error));
        QVERIFY2(error.contains("newer llm-gateway (schema 99"), qPrintable(error));
    }

    // Rows older than the retention are deleted when a writer opens the file.
    void retention()
    {
        const QString file = path("retention.sqlite");
        {
            UsageDb db;
            QString error;
            QVERIFY2(db.open(file, &error), qPrintable(error));
            const QDateTime now = QDateTime::currentDateTime();
            QVERIFY(db.insert({row(1, now.addDays(-500)), row(2, now.addDays(-10)), row(3)}));
        }
        UsageWriter::Options o;
        o.retentionDays = 30;
        QString error;
        {
            UsageWriter w(file, o, &error);
        }
        QCOMPARE(countRows(file), 2);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString child = qEnvironmentVariable("LLMGW_USAGE_CHILD");
    if (!child.isEmpty())
        return writeUntilKilled(child);
    TestUsageStore t;
    return QTest::qExec(&t, argc, argv);
}
#include "tst_usagestore.moc"
