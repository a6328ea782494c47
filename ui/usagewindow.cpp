#include "usagewindow.h"

#include "costchart.h"
#include "desktopwords.h"
#include "gatewayhost.h"
#include "usage/budgettracker.h"
#include "usage/usagedb.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace gw {
namespace {

QString tokens(qint64 n)
{
    return n < 0 ? UsageWindow::tr("unknown") : QLocale().toString(n);
}

QTableWidgetItem *cell(const QString &text, bool number)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString csvField(QString s)
{
    if (s.contains(u',') || s.contains(u'"') || s.contains(u'\n'))
        s = u'"' + s.replace(u'"', QStringLiteral("\"\"")) + u'"';
    return s;
}

QTableWidget *makeTable(QWidget *parent, const char *name)
{
    auto *t = new QTableWidget(parent);
    t->setObjectName(QLatin1StringView(name));
    t->verticalHeader()->hide();
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->horizontalHeader()->setStretchLastSection(false);
    t->setAlternatingRowColors(true);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8);
    return t;
}

} // namespace

UsageWindow::UsageWindow(GatewayHost &host, QWidget *parent) : QWidget(parent), m_host(host)
{
    setObjectName(QStringLiteral("usageWindow"));
    resize(900, 720);
    auto *layout = new QVBoxLayout(this);

    auto *top = new QHBoxLayout;
    m_rangeBox = new QComboBox(this);
    m_rangeBox->setObjectName(QStringLiteral("range"));
    m_rangeBox->addItems({QString(), QString(), QString(), QString()});
    m_rangeBox->setCurrentIndex(int(Range::Week));
    top->addWidget(m_rangeBox);
    m_fromEdit = new QDateEdit(this);
    m_toEdit = new QDateEdit(this);
    for (QDateEdit *e : {m_fromEdit, m_toEdit}) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        e->setDate(QDate::currentDate());
        top->addWidget(e);
    }
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_summary, 1);
    m_refresh = new QPushButton(this);
    top->addWidget(m_refresh);
    m_export = new QPushButton(this);
    m_export->setObjectName(QStringLiteral("exportCsv"));
    top->addWidget(m_export);
    layout->addLayout(top);

    m_chartTitle = new QLabel(this);
    layout->addWidget(m_chartTitle);
    m_chart = new CostChart(this);
    layout->addWidget(m_chart, 2);

    m_tabs = new QTabWidget(this);
    m_providers = makeTable(m_tabs, "byProvider");
    m_models = makeTable(m_tabs, "byModel");
    m_tabs->addTab(m_providers, QString());
    m_tabs->addTab(m_models, QString());
    layout->addWidget(m_tabs, 3);

    m_budgetsTitle = new QLabel(this);
    layout->addWidget(m_budgetsTitle);
    m_budgets = makeTable(this, "budgets");
    m_budgets->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_budgets->verticalHeader()->setDefaultSectionSize(m_budgets->fontMetrics().height() + 14);
    m_budgets->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_budgets, 2);
    auto *budgetButtons = new QHBoxLayout;
    m_addBudget = new QPushButton(this);
    m_removeBudget = new QPushButton(this);
    m_saveBudgets = new QPushButton(this);
    m_saveBudgets->setObjectName(QStringLiteral("saveBudgets"));
    budgetButtons->addWidget(m_addBudget);
    budgetButtons->addWidget(m_removeBudget);
    budgetButtons->addStretch(1);
    budgetButtons->addWidget(m_saveBudgets);
    layout->addLayout(budgetButtons);

    connect(m_rangeBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { setRange(Range(i)); });
    const auto custom = [this] {
        if (m_range == Range::Custom)
            setCustomRange(m_fromEdit->date(), m_toEdit->date());
    };
    connect(m_fromEdit, &QDateEdit::dateChanged, this, custom);
    connect(m_toEdit, &QDateEdit::dateChanged, this, custom);
    connect(m_refresh, &QPushButton::clicked, this, &UsageWindow::refresh);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export usage"),
            QStringLiteral("llm-gateway-usage-%1-%2.csv")
                .arg(m_from.toString(Qt::ISODate), m_to.toString(Qt::ISODate)),
            tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportCsv(path, &error))
            QMessageBox::warning(this, tr("Export usage"), error);
    });
    connect(m_addBudget, &QPushButton::clicked, this, [this] {
        addBudgetRow(Budget{{}, Budget::Period::Month, 20.0, false});
    });
    connect(m_removeBudget, &QPushButton::clicked, this, [this] {
        const int row = m_budgets->currentRow();
        if (row >= 0)
            m_budgets->removeRow(row);
    });
    connect(m_saveBudgets, &QPushButton::clicked, this, &UsageWindow::saveBudgets);
    // After requests, read again — folded, and only while shown.
    connect(&m_host, &GatewayHost::requestFinished, this, [this] {
        if (!isVisible() || m_refreshQueued)
            return;
        m_refreshQueued = true;
        QTimer::singleShot(1500, this, [this] {
            m_refreshQueued = false;
            refresh();
        });
    });
    connect(&m_host, &GatewayHost::configChanged, this, [this] { fillBudgets(); });

    retranslate();
    setRange(Range::Week);
}

QString UsageWindow::database() const
{
    return m_host.usageDatabase();
}

void UsageWindow::setRange(Range range)
{
    m_range = range;
    if (m_rangeBox->currentIndex() != int(range)) {
        const QSignalBlocker block(m_rangeBox);
        m_rangeBox->setCurrentIndex(int(range));
    }
    const QDate today = QDate::currentDate();
    switch (range) {
    case Range::Today:
        m_from = m_to = today;
        break;
    case Range::Week:
        m_from = today.addDays(-6);
        m_to = today;
        break;
    case Range::Month:
        m_from = today.addDays(-29);
        m_to = today;
        break;
    case Range::Custom:
        m_from = m_fromEdit->date();
        m_to = m_toEdit->date();
        break;
    }
    m_fromEdit->setVisible(range == Range::Custom);
    m_toEdit->setVisible(range == Range::Custom);
    refresh();
}

void UsageWindow::setCustomRange(const QDate &from, const QDate &to)
{
    {
        const QSignalBlocker a(m_fromEdit), b(m_toEdit), c(m_rangeBox);
        m_fromEdit->setDate(from);
        m_toEdit->setDate(to);
        m_rangeBox->setCurrentIndex(int(Range::Custom));
    }
    m_range = Range::Custom;
    m_from = qMin(from, to);
    m_to = qMax(from, to);
    m_fromEdit->setVisible(true);
    m_toEdit->setVisible(true);
    refresh();
}

void UsageWindow::refresh()
{
    const QDateTime start(m_from, QTime());
    const QDateTime end(m_to.addDays(1), QTime());
    UsageDb db;
    QString error;
    QList<UsageTotal> all, byProvider, byModel;
    QList<DailyCost> daily;
    if (!database().isEmpty() && db.open(database(), &error, true)) {
        all = db.totals(start, end, UsageDb::By::All);
        byProvider = db.totals(start, end, UsageDb::By::Provider);
        byModel = db.totals(start, end, UsageDb::By::Model);
        daily = db.dailyCost(start, end);
    }
    const UsageTotal total = all.isEmpty() ? UsageTotal{} : all.first();
    QString summary = tr("%1 spent · %n request(s)", nullptr, int(total.requests))
                          .arg(DesktopWords::money(total.cost));
    if (total.saved && *total.saved > 0)
        summary +=
            QStringLiteral(" · ") + tr("%1 saved by caching").arg(DesktopWords::money(total.saved));
    if (total.unpriced > 0)
        summary +=
            QStringLiteral(" · ") + tr("%n without a known price", nullptr, int(total.unpriced));
    m_summary->setText(summary);
    fillTable(m_providers, byProvider);
    fillTable(m_models, byModel);
    m_chart->setData(daily, m_from, m_to);
    fillBudgets();
}

void UsageWindow::fillTable(QTableWidget *table, const QList<UsageTotal> &totals)
{
    table->setRowCount(int(totals.size()));
    for (int r = 0; r < totals.size(); ++r) {
        const UsageTotal &t = totals.at(r);
        QString cost = DesktopWords::money(t.cost);
        if (t.cost && t.unpriced > 0)
            cost += QStringLiteral(" +"); // some of its requests had no price
        const QStringList cells{t.key,
                                QLocale().toString(t.requests),
                                tokens(t.input),
                                tokens(t.output),
                                tokens(t.cachedRead),
                                cost,
                                DesktopWords::money(t.saved)};
        for (int c = 0; c < cells.size(); ++c)
            table->setItem(r, c, cell(cells.at(c), c > 0));
        if (t.cost && t.unpriced > 0)
            table->item(r, 5)->setToolTip(tr("%n request(s) without a known price are not counted",
                                             nullptr, int(t.unpriced)));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
}

void UsageWindow::fillBudgets()
{
    const Config config = m_host.config();
    m_budgets->setRowCount(0);
    for (const Budget &b : config.usage.budgets)
        addBudgetRow(b);
}

void UsageWindow::addBudgetRow(const Budget &b)
{
    const int row = m_budgets->rowCount();
    m_budgets->insertRow(row);
    auto *provider = new QComboBox(m_budgets);
    provider->addItem(tr("All providers"), QString());
    for (const ProviderConfig &p : m_host.config().providers)
        provider->addItem(p.name, p.name);
    if (!b.provider.isEmpty() && provider->findData(b.provider) < 0)
        provider->addItem(b.provider, b.provider);
    provider->setCurrentIndex(qMax(0, provider->findData(b.provider)));
    m_budgets->setCellWidget(row, 0, provider);
    auto *period = new QComboBox(m_budgets);
    period->addItem(tr("per day"));
    period->addItem(tr("per month"));
    period->setCurrentIndex(b.period == Budget::Period::Day ? 0 : 1);
    m_budgets->setCellWidget(row, 1, period);
    auto *limit = new QDoubleSpinBox(m_budgets);
    limit->setPrefix(QStringLiteral("$"));
    limit->setDecimals(2);
    limit->setRange(0, 1e6);
    limit->setValue(b.limit);
    m_budgets->setCellWidget(row, 2, limit);
    auto *hard = new QCheckBox(tr("refuse requests"), m_budgets);
    hard->setChecked(b.hard);
    m_budgets->setCellWidget(row, 3, hard);

    // What it has used: spent this period, from the database.
    BudgetTracker tracker;
    const QDate today = QDate::currentDate();
    UsageDb db;
    QString error;
    if (!database().isEmpty() && db.open(database(), &error, true))
        tracker.seed(db.spendSince(QDateTime(QDate(today.year(), today.month(), 1), QTime())));
    const double spent = tracker.spent(b, today);
    const QString used =
        b.limit > 0
            ? tr("%1 (%2 %)").arg(DesktopWords::money(spent)).arg(qRound(spent / b.limit * 100))
            : DesktopWords::money(spent);
    m_budgets->setItem(row, 4, cell(used, true));
    m_budgets->resizeColumnsToContents();
}

QList<Budget> UsageWindow::editedBudgets() const
{
    QList<Budget> out;
    for (int r = 0; r < m_budgets->rowCount(); ++r) {
        Budget b;
        b.provider =
            qobject_cast<QComboBox *>(m_budgets->cellWidget(r, 0))->currentData().toString();
        b.period = qobject_cast<QComboBox *>(m_budgets->cellWidget(r, 1))->currentIndex() == 0
                       ? Budget::Period::Day
                       : Budget::Period::Month;
        b.limit = qobject_cast<QDoubleSpinBox *>(m_budgets->cellWidget(r, 2))->value();
        b.hard = qobject_cast<QCheckBox *>(m_budgets->cellWidget(r, 3))->isChecked();
        out.append(b);
    }
    return out;
}

void UsageWindow::saveBudgets()
{
    Config config = m_host.config();
    config.usage.budgets = editedBudgets();
    m_host.applyConfig(config); // validated there; a refusal comes back as configError
}

bool UsageWindow::exportCsv(const QString &path, QString *error)
{
    UsageDb db;
    if (database().isEmpty() || !db.open(database(), error, true))
        return false;
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = f.errorString();
        return false;
    }
    // Column names and numbers stay machine-readable whatever the language.
    f.write("time,client,dialect,model,provider,upstream_model,status,input_tokens,"
            "output_tokens,cached_tokens,cache_write_tokens,reasoning_tokens,duration_ms,cost_usd,"
            "saved_usd\n");
    const auto num = [](qint64 n) { return n < 0 ? QString() : QString::number(n); };
    const auto usd = [](const std::optional<double> &v) {
        return v ? QString::number(*v, 'f', 6) : QString();
    };
    for (const UsageRow &r :
         db.rows(QDateTime(m_from, QTime()), QDateTime(m_to.addDays(1), QTime()))) {
        const QStringList fields{r.time.toString(Qt::ISODateWithMs),
                                 csvField(r.client),
                                 csvField(r.dialect),
                                 csvField(r.model),
                                 csvField(r.provider),
                                 csvField(r.upstreamModel),
                                 QString::number(r.status),
                                 num(r.tokens.input),
                                 num(r.tokens.output),
                                 num(r.tokens.cachedRead),
                                 num(r.tokens.cacheWrite),
                                 num(r.tokens.reasoning),
                                 QString::number(r.durationMs),
                                 usd(r.cost),
                                 usd(r.saved)};
        f.write(fields.join(u',').toUtf8() + '\n');
    }
    if (!f.commit()) {
        if (error)
            *error = f.errorString();
        return false;
    }
    return true;
}

void UsageWindow::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_range != Range::Custom)
        setRange(m_range); // "today" moves on
    else
        refresh();
}

void UsageWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void UsageWindow::retranslate()
{
    setWindowTitle(tr("Usage — llm-gateway"));
    m_rangeBox->setItemText(int(Range::Today), tr("Today"));
    m_rangeBox->setItemText(int(Range::Week), tr("Last 7 days"));
    m_rangeBox->setItemText(int(Range::Month), tr("Last 30 days"));
    m_rangeBox->setItemText(int(Range::Custom), tr("Custom range"));
    m_refresh->setText(tr("Refresh"));
    m_export->setText(tr("Export CSV…"));
    m_chartTitle->setText(tr("<b>Cost per day</b>, by provider"));
    m_tabs->setTabText(0, tr("By provider"));
    m_tabs->setTabText(1, tr("By model"));
    m_budgetsTitle->setText(
        tr("<b>Budgets</b> — at 80 % you get a notification; a budget that refuses requests "
           "answers them with 429 until its period ends"));
    m_addBudget->setText(tr("Add budget"));
    m_removeBudget->setText(tr("Remove"));
    m_saveBudgets->setText(tr("Save budgets"));
    const QStringList columns{
        tr("Name"),          tr("Requests"), tr("Input tokens"),    tr("Output tokens"),
        tr("Cached tokens"), tr("Cost"),     tr("Saved by caching")};
    for (QTableWidget *t : {m_providers, m_models}) {
        t->setColumnCount(int(columns.size()));
        t->setHorizontalHeaderLabels(columns);
    }
    m_providers->horizontalHeaderItem(0)->setText(tr("Provider"));
    m_models->horizontalHeaderItem(0)->setText(tr("Model"));
    m_budgets->setColumnCount(5);
    m_budgets->setHorizontalHeaderLabels(
        {tr("Provider"), tr("Period"), tr("Limit"), tr("Hard"), tr("Used this period")});
}

} // namespace gw
