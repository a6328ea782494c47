#pragma once

#include "log/requestlog.h"
#include "log/requestrecord.h"

#include <QAbstractTableModel>
#include <QList>
#include <QSortFilterProxyModel>
#include <QStringList>

namespace gw {

// The request log as a table: the records received from the gateway (GatewayHost's
// requestFinished), newest last, bounded like the gateway's ring buffer so memory stays flat.
class LogTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Time,
        Client,
        Dialect,
        Request,
        Model,
        Provider,
        UpstreamModel,
        Status,
        Ttft,
        Total,
        TokensIn,
        TokensOut,
        Streamed,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers sort as numbers, time by arrival
        StatusRole,
        ProviderRole,
        SearchTextRole, // everything the text filter looks at
    };

    explicit LogTableModel(qsizetype capacity = kRecentRequests, QObject *parent = nullptr);

    void append(const RequestRecord &record);
    void clear();
    qsizetype capacity() const { return m_capacity; }
    const RequestRecord &record(int row) const { return m_records.at(row).record; }
    QStringList providers() const { return m_providers; } // seen so far, sorted
    // Providers whose TLS certificate is not verified (insecure_skip_verify): shown in red.
    void setUnverifiedProviders(const QStringList &providers);

    static bool isError(int status) { return status >= 400 || status == 0; }
    // "850 ms", "1.25 s"
    static QString duration(qint64 ms);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void providersChanged(const QStringList &providers);

private:
    struct Row
    {
        quint64 seq;
        RequestRecord record;
    };
    QVariant display(const RequestRecord &r, int column) const;

    qsizetype m_capacity;
    QList<Row> m_records;
    quint64 m_seq = 0;
    QStringList m_providers;
    QStringList m_unverified;
};

// What the log window shows: text (any column, the path, the error), status class and provider.
class LogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class StatusClass { All, Errors, Success };

    explicit LogFilterModel(QObject *parent = nullptr);

    void setText(const QString &text);
    void setStatusClass(StatusClass c);
    void setProvider(const QString &provider); // "" = all

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    StatusClass m_status = StatusClass::All;
    QString m_provider;
};

} // namespace gw
