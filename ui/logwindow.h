#pragma once

#include "log/requestrecord.h"

#include <QList>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace gw {

class GatewayHost;
class LogFilterModel;
class LogTableModel;
class RequestChart;

// The live request log: a chart of the last half hour, a filterable table of requests and the
// selected request's detail (bodies truncated, keys redacted, the upstream error).
class LogWindow : public QWidget
{
    Q_OBJECT
public:
    explicit LogWindow(GatewayHost &host, QWidget *parent = nullptr);

    void setLogFolder(const QString &folder);
    void addRecord(const RequestRecord &record);
    void setPaused(bool paused);
    void clear();
    // The text shown for a record when it is selected.
    static QString detailText(const RequestRecord &record);

    LogTableModel *model() const { return m_model; }
    LogFilterModel *filter() const { return m_filter; }
    QTableView *table() const { return m_table; }
    QPlainTextEdit *detail() const { return m_detail; }
    QLineEdit *filterEdit() const { return m_text; }
    QComboBox *statusFilter() const { return m_status; }
    QComboBox *providerFilter() const { return m_provider; }
    QPushButton *pauseButton() const { return m_pause; }
    QLabel *emptyLabel() const { return m_empty; }
    RequestChart *chart() const { return m_chart; }
    bool showsTable() const;

private:
    void updateEmptyState();
    void showDetail();

    LogTableModel *m_model;
    LogFilterModel *m_filter;
    RequestChart *m_chart;
    QLineEdit *m_text;
    QComboBox *m_status;
    QComboBox *m_provider;
    QPushButton *m_pause;
    QPushButton *m_clear;
    QPushButton *m_openFolder;
    QStackedWidget *m_stack;
    QLabel *m_empty;
    QTableView *m_table;
    QPlainTextEdit *m_detail;
    QList<RequestRecord> m_pending; // arrived while paused
    bool m_paused = false;
    QString m_folder;
    QString m_address;
};

} // namespace gw
