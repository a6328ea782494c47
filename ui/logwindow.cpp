#include "logwindow.h"

#include "desktopwords.h"
#include "gatewayhost.h"
#include "log/requestlog.h"
#include "logtablemodel.h"
#include "requestchart.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace gw {

namespace {

QString bodyText(const QByteArray &body)
{
    if (body.isEmpty())
        return QObject::tr("(empty)");
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    const QByteArray text = error.error == QJsonParseError::NoError
                                ? doc.toJson(QJsonDocument::Indented)
                                : body;       // NDJSON, SSE or cut short: as it came
    return QString::fromUtf8(text).trimmed(); // the record came redacted
}

} // namespace

LogWindow::LogWindow(GatewayHost &host, QWidget *parent) : QWidget(parent)
{
    setWindowTitle(tr("Request Log — llm-gateway"));
    setObjectName(QStringLiteral("logWindow"));
    m_model = new LogTableModel(kRecentRequests, this);
    m_filter = new LogFilterModel(this);
    m_filter->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 10, 10, 10);

    m_chart = new RequestChart(this);
    layout->addWidget(m_chart);

    auto *bar = new QHBoxLayout;
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Filter: model, provider, client, path or error"));
    m_text->setClearButtonEnabled(true);
    bar->addWidget(m_text, 1);
    m_status = new QComboBox(this);
    m_status->addItem(tr("All statuses"), int(LogFilterModel::StatusClass::All));
    m_status->addItem(tr("Errors only"), int(LogFilterModel::StatusClass::Errors));
    m_status->addItem(tr("Successful (2xx)"), int(LogFilterModel::StatusClass::Success));
    bar->addWidget(m_status);
    m_provider = new QComboBox(this);
    m_provider->addItem(tr("All providers"), QString());
    m_provider->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    bar->addWidget(m_provider);
    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop updating the table; requests that arrive meanwhile appear when "
                           "you resume"));
    bar->addWidget(m_pause);
    m_clear = new QPushButton(tr("Clear"), this);
    bar->addWidget(m_clear);
    m_openFolder = new QPushButton(tr("Open Log Folder"), this);
    m_openFolder->setEnabled(false);
    bar->addWidget(m_openFolder);
    layout->addLayout(bar);

    m_table = new QTableView(this);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(LogTableModel::Time, Qt::DescendingOrder); // newest on top
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const auto width = [this](const QString &sample) {
        return m_table->fontMetrics().horizontalAdvance(sample) + 18;
    };
    const QList<QPair<int, QString>> widths = {
        {LogTableModel::Time, QStringLiteral("00:00:00")},
        {LogTableModel::Client, QStringLiteral("127.0.0.1")},
        {LogTableModel::Dialect, QStringLiteral("OpenAI")},
        {LogTableModel::Request, QStringLiteral("POST /v1/chat/complet")},
        {LogTableModel::Model, QStringLiteral("gpt-4o-mini")},
        {LogTableModel::Provider, QStringLiteral("anthropic")},
        {LogTableModel::UpstreamModel, QStringLiteral("Upstream model")},
        {LogTableModel::Status, QStringLiteral("200 ⚠")},
        {LogTableModel::Ttft, QStringLiteral("000 ms")},
        {LogTableModel::Total, QStringLiteral("00.00 s")},
        {LogTableModel::TokensIn, QStringLiteral("Tokens in")},
        {LogTableModel::TokensOut, QStringLiteral("Tokens out")},
        {LogTableModel::Streamed, QStringLiteral("Streamed")},
    };
    for (const auto &w : widths)
        m_table->setColumnWidth(w.first, width(w.second));

    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_empty->setMargin(24);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_table);

    m_detail = new QPlainTextEdit(this);
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select a request to see its detail."));
    m_detail->setLineWrapMode(QPlainTextEdit::NoWrap);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_stack);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);

    connect(m_text, &QLineEdit::textChanged, this, [this](const QString &t) {
        m_filter->setText(t);
        updateEmptyState();
    });
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setStatusClass(LogFilterModel::StatusClass(m_status->currentData().toInt()));
        updateEmptyState();
    });
    connect(m_provider, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setProvider(m_provider->currentData().toString());
        updateEmptyState();
    });
    connect(m_model, &LogTableModel::providersChanged, this, [this](const QStringList &names) {
        const QString current = m_provider->currentData().toString();
        const QSignalBlocker block(m_provider);
        while (m_provider->count() > 1)
            m_provider->removeItem(1);
        for (const QString &n : names)
            m_provider->addItem(n, n);
        const int i = m_provider->findData(current);
        m_provider->setCurrentIndex(i < 0 ? 0 : i);
        if (i < 0 && !current.isEmpty())
            m_filter->setProvider(QString());
    });
    connect(m_pause, &QPushButton::toggled, this, &LogWindow::setPaused);
    connect(m_clear, &QPushButton::clicked, this, &LogWindow::clear);
    connect(m_openFolder, &QPushButton::clicked, this, [this] {
        QDir().mkpath(m_folder);
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_folder));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LogWindow::showDetail);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &LogWindow::updateEmptyState);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &LogWindow::updateEmptyState);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &LogWindow::updateEmptyState);

    connect(&host, &GatewayHost::requestFinished, this, &LogWindow::addRecord);
    connect(&host, &GatewayHost::stateChanged, this,
            [this](bool running, const QString &url, const QString &) {
                m_address = running ? url : QString();
                updateEmptyState();
            });
    m_address = host.isRunning() ? host.url() : QString();
    updateEmptyState();
    resize(1180, 720);
}

void LogWindow::setLogFolder(const QString &folder)
{
    m_folder = folder;
    m_openFolder->setEnabled(!folder.isEmpty());
    m_openFolder->setToolTip(folder);
}

void LogWindow::addRecord(const RequestRecord &record)
{
    if (m_paused) {
        // Bounded like the table: a long pause keeps only the newest.
        if (m_pending.size() >= m_model->capacity())
            m_pending.removeFirst();
        m_pending.append(record);
        m_pause->setText(tr("Resume (%n new)", nullptr, int(m_pending.size())));
        return;
    }
    m_model->append(record);
    m_chart->add(record.started, record.durationMs);
}

void LogWindow::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused); // comes back here through toggled
    if (m_paused == paused)
        return;
    m_paused = paused;
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    if (!paused) {
        const QList<RequestRecord> pending = std::exchange(m_pending, {});
        for (const RequestRecord &r : pending)
            addRecord(r);
    }
}

void LogWindow::clear()
{
    m_pending.clear();
    m_model->clear();
    m_chart->clear();
    m_detail->clear();
    if (m_paused)
        m_pause->setText(tr("Resume"));
}

bool LogWindow::showsTable() const
{
    return m_stack->currentWidget() == m_table;
}

void LogWindow::updateEmptyState()
{
    if (m_filter->rowCount() > 0) {
        m_stack->setCurrentWidget(m_table);
        return;
    }
    if (m_model->rowCount() > 0)
        m_empty->setText(tr("No request matches the filter."));
    else if (!m_address.isEmpty())
        m_empty->setText(tr("No requests yet. Point a client at the gateway "
                            "(OLLAMA_HOST=%1, or %2/v1 for OpenAI clients) and its requests "
                            "appear here as they finish.")
                             .arg(m_address, m_address));
    else
        m_empty->setText(tr("No requests yet. Start the gateway from the tray menu; requests "
                            "appear here as they finish."));
    m_stack->setCurrentWidget(m_empty);
}

void LogWindow::showDetail()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    const int row = m_filter->mapToSource(current).row();
    m_detail->setPlainText(detailText(m_model->record(row)));
}

QString LogWindow::detailText(const RequestRecord &r)
{
    QStringList out;
    out.append(tr("%1 %2 — status %3, %4")
                   .arg(r.method, r.path, QString::number(r.status),
                        LogTableModel::duration(r.durationMs)));
    out.append(tr("Time: %1    Client: %2    API: %3")
                   .arg(r.started.toString(Qt::ISODateWithMs), r.client, r.dialect));
    if (!r.model.isEmpty())
        out.append(tr("Model: %1 → provider %2, upstream model %3")
                       .arg(r.model, r.provider.isEmpty() ? tr("(none)") : r.provider,
                            r.upstreamModel.isEmpty() ? tr("(none)") : r.upstreamModel));
    QStringList facts;
    if (r.firstTokenMs >= 0)
        facts.append(tr("first token after %1").arg(LogTableModel::duration(r.firstTokenMs)));
    facts.append(r.streamed ? tr("streamed") : tr("not streamed"));
    if (r.promptTokens >= 0 || r.completionTokens >= 0)
        facts.append(tr("tokens %1 in / %2 out")
                         .arg(qMax<qint64>(0, r.promptTokens))
                         .arg(qMax<qint64>(0, r.completionTokens)));
    out.append(facts.join(QStringLiteral(", ")));
    if (!r.error.isEmpty()) {
        out.append(QString());
        out.append(tr("Error: %1").arg(r.error));
    }
    if (!r.adjustments.isEmpty()) {
        out.append(QString());
        out.append(tr("Changed for the model's rules:"));
        for (const Adjustment &a : r.adjustments)
            out.append(QStringLiteral("• ") + DesktopWords::adjustment(a));
    }
    out.append(QString());
    out.append(tr("── Request body (first %1 KB, keys redacted) ──").arg(kRecordBodyBytes / 1024));
    out.append(bodyText(r.requestBody));
    out.append(QString());
    out.append(tr("── Response body (first %1 KB, keys redacted) ──").arg(kRecordBodyBytes / 1024));
    out.append(bodyText(r.responseBody));
    return out.join(u'\n');
}

} // namespace gw
