#pragma once

#include "config/config.h"
#include "usage/usagerow.h"

#include <QDate>
#include <QWidget>

class QComboBox;
class QDateEdit;
class QLabel;
class QPushButton;
class QTableWidget;
class QTabWidget;

namespace gw {

class CostChart;
class GatewayHost;

// What the gateway cost: today, the last 7 or 30 days or a custom range; totals per provider
// and per model (requests, tokens in and out, cached, cost, saved by caching), cost per day
// stacked by provider, the budgets with what they have used, and the range's requests as CSV.
// Reads the usage database (GatewayHost::usageDatabase) read-only on the GUI thread; the
// gateway writes it from its own writer thread.
class UsageWindow : public QWidget
{
    Q_OBJECT
public:
    enum class Range { Today, Week, Month, Custom };

    explicit UsageWindow(GatewayHost &host, QWidget *parent = nullptr);

    void setRange(Range range);
    void setCustomRange(const QDate &from, const QDate &to); // both days included
    Range range() const { return m_range; }
    QDate from() const { return m_from; }
    QDate to() const { return m_to; }
    // Reads the database again (also on show and, folded, after requests).
    void refresh();
    // The requests of the range, one line each; false with the reason.
    bool exportCsv(const QString &path, QString *error);

    QComboBox *rangeBox() const { return m_rangeBox; }
    QTableWidget *providerTable() const { return m_providers; }
    QTableWidget *modelTable() const { return m_models; }
    QTableWidget *budgetTable() const { return m_budgets; }
    QLabel *summaryLabel() const { return m_summary; }
    CostChart *chart() const { return m_chart; }
    QPushButton *exportButton() const { return m_export; }
    // The budgets as edited in the table (what "Save budgets" applies).
    QList<Budget> editedBudgets() const;
    void addBudgetRow(const Budget &budget);
    void saveBudgets();

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void fillTable(QTableWidget *table, const QList<UsageTotal> &totals);
    void fillBudgets();
    QString database() const;

    GatewayHost &m_host;
    Range m_range = Range::Week;
    QDate m_from, m_to;
    QComboBox *m_rangeBox = nullptr;
    QDateEdit *m_fromEdit = nullptr;
    QDateEdit *m_toEdit = nullptr;
    QLabel *m_summary = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_chartTitle = nullptr;
    QLabel *m_budgetsTitle = nullptr;
    QTableWidget *m_providers = nullptr;
    QTableWidget *m_models = nullptr;
    QTableWidget *m_budgets = nullptr;
    CostChart *m_chart = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_refresh = nullptr;
    QPushButton *m_addBudget = nullptr;
    QPushButton *m_removeBudget = nullptr;
    QPushButton *m_saveBudgets = nullptr;
    bool m_refreshQueued = false;
};

} // namespace gw
