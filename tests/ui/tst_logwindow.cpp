// The request log window over the real gateway: a request made through GatewayHost on loopback
// shows up in the table with the right columns and a redacted detail; the filters, pause and
// clear work; the JSONL file is written with user-only permissions and rotated.

#include "hostfixture.h"
#include "log/requestlog.h"
#include "log/requestlogfile.h"
#include "logtablemodel.h"
#include "logwindow.h"
#include "rawhttp.h"
#include "requestchart.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace gw;

namespace {

// Key-shaped strings a careless client might send; none may reach the window or the file.
const QByteArray kBodyKey = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX1234";
const QByteArray kHeaderKey = "sk-live-HEADERSECRET0987654321";

QByteArray chatBody(const QByteArray &model, const QByteArray &text, bool stream = false)
{
    return "{\"model\":\"" + model + "\",\"stream\":" + (stream ? "true" : "false") +
           ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
}

QString cell(const QAbstractItemModel *m, int row, int column)
{
    return m->index(row, column).data().toString();
}

} // namespace

class TstLogWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_host = &m_gw.host();
        m_host->setLogFile(m_dir.filePath(QStringLiteral("logs/requests.jsonl")));
        m_window = new LogWindow(*m_host);
        m_window->setLogFolder(m_dir.filePath(QStringLiteral("logs")));
        m_window->show();
        QVERIFY(!m_window->showsTable()); // nothing yet: the empty state says what to do
        QVERIFY(m_window->emptyLabel()->text().contains(QStringLiteral("No requests yet")));

        QVERIFY2(m_gw.configure("{}"), qPrintable(m_gw.error()));
        QVERIFY2(m_gw.start(), qPrintable(m_gw.error()));
        m_port = m_gw.port();
        QVERIFY(m_window->emptyLabel()->text().contains(m_host->url()));
    }

    void cleanupTestCase() { delete m_window; }

    void realRequestAppearsWithColumnsAndRedactedDetail()
    {
        QSignalSpy records(m_host, &GatewayHost::requestFinished);
        RawHttp c(m_port);
        const auto r =
            c.request("POST", "/api/chat", chatBody("echo", "my key is " + kBodyKey),
                      {"Authorization: Bearer " + kHeaderKey, "Content-Type: application/json"});
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QTRY_COMPARE(m_window->model()->rowCount(), 1);
        QVERIFY(m_window->showsTable());

        const LogTableModel *m = m_window->model();
        QCOMPARE(m->columnCount(), int(LogTableModel::ColumnCount));
        QCOMPARE(cell(m, 0, LogTableModel::Client), QStringLiteral("127.0.0.1"));
        QCOMPARE(cell(m, 0, LogTableModel::Dialect), QStringLiteral("Ollama"));
        QCOMPARE(cell(m, 0, LogTableModel::Request), QStringLiteral("POST /api/chat"));
        QCOMPARE(cell(m, 0, LogTableModel::Model), QStringLiteral("echo"));
        QCOMPARE(cell(m, 0, LogTableModel::Provider), QStringLiteral("echo"));
        QCOMPARE(cell(m, 0, LogTableModel::UpstreamModel), QStringLiteral("echo"));
        QCOMPARE(cell(m, 0, LogTableModel::Status), QStringLiteral("200"));
        QCOMPARE(cell(m, 0, LogTableModel::Streamed), QStringLiteral("no"));
        QVERIFY(cell(m, 0, LogTableModel::Total).endsWith(QStringLiteral(" ms")) ||
                cell(m, 0, LogTableModel::Total).endsWith(QStringLiteral(" s")));
        QVERIFY(cell(m, 0, LogTableModel::Ttft).endsWith(QStringLiteral(" ms")));
        QVERIFY(cell(m, 0, LogTableModel::TokensIn).toInt() > 0);
        QVERIFY(cell(m, 0, LogTableModel::TokensOut).toInt() > 0);
        QVERIFY(cell(m, 0, LogTableModel::Time)
                    .contains(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d$"))));
        QVERIFY(!m->index(0, 0).data(Qt::BackgroundRole).isValid()); // not an error

        // The record that reached the UI holds no key: redacted where it was made.
        const RequestRecord rec = m->record(0);
        QVERIFY(!rec.requestBody.contains(kBodyKey));
        QVERIFY(!rec.responseBody.contains(kBodyKey)); // echo said it back
        QVERIFY(rec.requestBody.contains("sk-proj-[redacted]"));

        m_window->table()->selectRow(0);
        const QString detail = m_window->detail()->toPlainText();
        QVERIFY2(detail.contains(QStringLiteral("POST /api/chat — status 200")),
                 qPrintable(detail));
        QVERIFY(detail.contains(QStringLiteral("sk-proj-[redacted]")));
        QVERIFY(detail.contains(QStringLiteral("Request body")));
        QVERIFY(detail.contains(QStringLiteral("Response body")));
        QVERIFY(!detail.contains(QString::fromLatin1(kBodyKey)));
        QVERIFY(!detail.contains(QString::fromLatin1(kHeaderKey)));
        QVERIFY(!detail.contains(QStringLiteral("HEADERSECRET")));
        QCOMPARE(m_window->chart()->requests(0) + m_window->chart()->requests(1), 1);
    }

    void filtersByStatusProviderAndText()
    {
        RawHttp c(m_port);
        QCOMPARE(
            c.request("POST", "/api/chat", chatBody("echo", "/fail 503 upstream on fire"))->status,
            503);
        QCOMPARE(c.request("POST", "/api/chat", chatBody("no-such-model", "hi"))->status, 404);
        QCOMPARE(c.request("POST", "/v1/chat/completions", chatBody("echo", "streamed words", true))
                     ->status,
                 200);
        QTRY_COMPARE(m_window->model()->rowCount(), 4);
        QCOMPARE(cell(m_window->model(), 3, LogTableModel::Dialect), QStringLiteral("OpenAI"));
        QCOMPARE(cell(m_window->model(), 3, LogTableModel::Streamed), QStringLiteral("yes"));
        const QAbstractItemModel *view = m_window->table()->model();
        // Newest on top.
        QCOMPARE(cell(view, 0, LogTableModel::Request),
                 QStringLiteral("POST /v1/chat/completions"));

        // Errors are highlighted, with the error text as the tooltip.
        const int failed = 1; // in the source model
        QVERIFY(m_window->model()->index(failed, 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(m_window->model()
                    ->index(failed, LogTableModel::Status)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("upstream on fire")));

        m_window->statusFilter()->setCurrentIndex(1); // errors
        QCOMPARE(view->rowCount(), 2);
        m_window->statusFilter()->setCurrentIndex(2); // 2xx
        QCOMPARE(view->rowCount(), 2);
        for (int i = 0; i < view->rowCount(); ++i)
            QCOMPARE(cell(view, i, LogTableModel::Status), QStringLiteral("200"));
        m_window->statusFilter()->setCurrentIndex(0);
        QCOMPARE(view->rowCount(), 4);

        QComboBox *providers = m_window->providerFilter();
        QCOMPARE(providers->count(), 2); // all, echo (the 404 had no provider)
        providers->setCurrentIndex(providers->findData(QStringLiteral("echo")));
        QCOMPARE(view->rowCount(), 3);
        providers->setCurrentIndex(0);

        m_window->filterEdit()->setText(QStringLiteral("ON FIRE"));
        QCOMPARE(view->rowCount(), 1);
        QCOMPARE(cell(view, 0, LogTableModel::Status), QStringLiteral("503"));
        m_window->table()->selectRow(0);
        QVERIFY(m_window->detail()->toPlainText().contains(QStringLiteral("Error: ")));
        m_window->filterEdit()->setText(QStringLiteral("no-such"));
        QCOMPARE(view->rowCount(), 1);
        m_window->filterEdit()->setText(QStringLiteral("nothing matches this"));
        QCOMPARE(view->rowCount(), 0);
        QVERIFY(!m_window->showsTable());
        QCOMPARE(m_window->emptyLabel()->text(), QStringLiteral("No request matches the filter."));
        m_window->filterEdit()->clear();
        QVERIFY(m_window->showsTable());
    }

    void pauseHoldsRecordsAndClearEmpties()
    {
        QSignalSpy records(m_host, &GatewayHost::requestFinished);
        const int before = m_window->model()->rowCount();
        m_window->pauseButton()->click();
        RawHttp c(m_port);
        QCOMPARE(c.request("GET", "/api/tags")->status, 200);
        QTRY_COMPARE(records.size(), 1);
        QCOMPARE(m_window->model()->rowCount(), before);
        QCOMPARE(m_window->pauseButton()->text(), QStringLiteral("Resume (1 new)"));
        m_window->pauseButton()->click();
        QCOMPARE(m_window->model()->rowCount(), before + 1);
        QCOMPARE(m_window->pauseButton()->text(), QStringLiteral("Pause"));

        m_window->clear();
        QCOMPARE(m_window->model()->rowCount(), 0);
        QCOMPARE(m_window->providerFilter()->count(), 1);
        QVERIFY(!m_window->showsTable());
    }

    void modelIsBounded()
    {
        LogTableModel model(3);
        for (int i = 1; i <= 5; ++i) {
            RequestRecord r;
            r.id = quint64(i);
            r.status = 200;
            model.append(r);
        }
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.record(0).id, quint64(3));
        QCOMPARE(model.record(2).id, quint64(5));
    }

    void jsonlFileIsPrivateAndRedacted()
    {
        const QString path = m_dir.filePath(QStringLiteral("logs/requests.jsonl"));
        // Written in batches from the gateway thread, within about half a second.
        const auto lines = [&] {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll().count('\n') : 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(lines() >= 5, 5000);
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                             QFileDevice::WriteGroup | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        QCOMPARE(QFile::permissions(QFileInfo(path).absolutePath()) &
                     (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::ExeGroup |
                      QFileDevice::ExeOther),
                 QFileDevice::Permissions());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray all = f.readAll();
        QVERIFY(!all.contains(kBodyKey));
        QVERIFY(!all.contains(kHeaderKey));
        const QList<QByteArray> written = all.trimmed().split('\n');
        QVERIFY(written.size() >= 5);
        const QJsonObject first = QJsonDocument::fromJson(written.first()).object();
        QCOMPARE(first.value(QStringLiteral("model")).toString(), QStringLiteral("echo"));
        QCOMPARE(first.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(first.value(QStringLiteral("dialect")).toString(), QStringLiteral("ollama"));
        QVERIFY(first.value(QStringLiteral("request_body"))
                    .toString()
                    .contains(QStringLiteral("sk-proj-[redacted]")));
        for (const QByteArray &line : written) {
            QJsonParseError e;
            QJsonDocument::fromJson(line, &e);
            QCOMPARE(e.error, QJsonParseError::NoError);
        }
    }

    // What a provider changed for the model's rules: in the detail, the file and the serve line.
    void adjustmentsAreShownEverywhere()
    {
        RequestRecord r;
        r.method = QStringLiteral("POST");
        r.path = QStringLiteral("/api/chat");
        r.status = 200;
        r.adjustments = {
            Adjustment::dropped(Adjustment::Rule::OneOfTemperatureTopP, QStringLiteral("top_p")),
            Adjustment::changed(Adjustment::Rule::ThinkingLevel, QStringLiteral("thinkingLevel"),
                                QStringLiteral("off"), QStringLiteral("MINIMAL"))};
        const QString detail = LogWindow::detailText(r);
        QVERIFY2(detail.contains(QStringLiteral("Changed for the model's rules:\n• top_p left out: "
                                                "the model takes temperature or top_p, not both; "
                                                "temperature wins\n• thinkingLevel off sent as "
                                                "MINIMAL: the model has no such setting")),
                 qPrintable(detail));
        const QJsonObject line = QJsonDocument::fromJson(RequestLogFile::toJsonLine(r)).object();
        QCOMPARE(line.value(QStringLiteral("adjusted")).toArray().size(), 2);
        QVERIFY(RequestLog::line(r).contains(
            QStringLiteral("adjusted=\"thinkingLevel off sent as MINIMAL: the model has no such "
                           "setting\"")));
        r.adjustments.clear();
        QVERIFY(!LogWindow::detailText(r).contains(QStringLiteral("Changed for")));
    }

    void jsonlFileRotatesBySize()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/requests.jsonl"));
        RequestLogFile::Options o;
        o.maxBytes = 4000;
        o.files = 3;
        o.flushBytes = 1; // every record at once
        {
            RequestLogFile file(path, o);
            for (int i = 0; i < 60; ++i) {
                RequestRecord r;
                r.id = quint64(i);
                r.started = QDateTime::currentDateTime();
                r.model = QStringLiteral("echo");
                r.status = 200;
                r.requestBody =
                    "{\"x\":\"" + QByteArray(100, 'a') + "\",\"k\":\"" + kBodyKey + "\"}";
                file.append(r);
            }
        }
        QVERIFY(QFile::exists(path));
        QVERIFY(QFile::exists(path + QStringLiteral(".1")));
        QVERIFY(QFile::exists(path + QStringLiteral(".2")));
        QVERIFY(!QFile::exists(path + QStringLiteral(".3"))); // three files, no more
        qint64 newest = -1;
        for (const QString &p : {path, path + QStringLiteral(".1"), path + QStringLiteral(".2")}) {
            QFile f(p);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY(f.size() <= o.maxBytes);
            QCOMPARE(QFile::permissions(p) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                     QFileDevice::Permissions());
            const QByteArray all = f.readAll();
            QVERIFY(all.endsWith('\n'));
            QVERIFY(!all.contains(kBodyKey));
            const QList<QByteArray> lines = all.trimmed().split('\n');
            const qint64 lastId = QJsonDocument::fromJson(lines.last())
                                      .object()
                                      .value(QStringLiteral("id"))
                                      .toInteger();
            if (newest < 0)
                QCOMPARE(lastId, 59); // the current file ends with the latest record
            QVERIFY(newest < 0 || lastId < newest);
            newest = QJsonDocument::fromJson(lines.first())
                         .object()
                         .value(QStringLiteral("id"))
                         .toInteger();
        }
    }

    void chartCountsAndMediansPerMinute()
    {
        RequestChart chart;
        const QDateTime now =
            QDateTime::fromString(QStringLiteral("2026-01-01T12:30:30"), Qt::ISODate);
        chart.setClock([now] { return now; });
        chart.add(now, 100);
        chart.add(now.addSecs(-5), 300);
        chart.add(now.addSecs(-10), 200);
        chart.add(now.addSecs(-60), 50);
        chart.add(now.addSecs(-40 * 60), 999); // older than the chart: dropped
        QCOMPARE(chart.requests(0), 3);
        QCOMPARE(chart.medianMs(0), 200);
        QCOMPARE(chart.requests(1), 1);
        QCOMPARE(chart.medianMs(2), -1);
        int total = 0;
        for (int i = 0; i < RequestChart::kMinutes; ++i)
            total += chart.requests(i);
        QCOMPARE(total, 4);
        chart.resize(600, 130);
        QVERIFY(!chart.grab().isNull()); // paints without a crash
        chart.clear();
        QCOMPARE(chart.requests(0), 0);
    }

private:
    QTemporaryDir m_dir;
    gwtest::HostFixture m_gw;
    GatewayHost *m_host = nullptr; // m_gw's
    LogWindow *m_window = nullptr;
    quint16 m_port = 0;
};

QTEST_MAIN(TstLogWindow)
#include "tst_logwindow.moc"
