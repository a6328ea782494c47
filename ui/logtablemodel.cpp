#include "logtablemodel.h"

#include "clientguide.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QFont>
#include <QIcon>
#include <QLocale>
#include <QPalette>
#include <QStyle>

namespace gw {

LogTableModel::LogTableModel(qsizetype capacity, QObject *parent)
    : QAbstractTableModel(parent), m_capacity(qMax<qsizetype>(1, capacity))
{}

void LogTableModel::append(const RequestRecord &record)
{
    if (m_records.size() >= m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_records.removeFirst();
        endRemoveRows();
    }
    const int row = int(m_records.size());
    beginInsertRows({}, row, row);
    m_records.append(Row{++m_seq, record});
    endInsertRows();
    if (!record.provider.isEmpty() && !m_providers.contains(record.provider)) {
        m_providers.append(record.provider);
        m_providers.sort(Qt::CaseInsensitive);
        emit providersChanged(m_providers);
    }
}

void LogTableModel::setUnverifiedProviders(const QStringList &providers)
{
    if (providers == m_unverified)
        return;
    m_unverified = providers;
    if (!m_records.isEmpty())
        emit dataChanged(index(0, Provider), index(int(m_records.size()) - 1, Provider));
}

void LogTableModel::clear()
{
    beginResetModel();
    m_records.clear();
    endResetModel();
    if (!m_providers.isEmpty()) {
        m_providers.clear();
        emit providersChanged(m_providers);
    }
}

QString LogTableModel::duration(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 2));
}

int LogTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int LogTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogTableModel::display(const RequestRecord &r, int column) const
{
    const auto tokens = [](qint64 n) { return n >= 0 ? QString::number(n) : QString(); };
    switch (column) {
    case Time:
        return r.started.toString(QStringLiteral("HH:mm:ss"));
    case Client: // the app, told from its User-Agent, before the address
        return r.app == ClientApp::Unknown
                   ? r.client
                   : QStringLiteral("%1 · %2").arg(ClientGuides::appName(r.app), r.client);
    case Dialect:
        return r.dialect == u"ollama"      ? tr("Ollama")
               : r.dialect == u"openai"    ? tr("OpenAI")
               : r.dialect == u"responses" ? tr("OpenAI Responses")
               : r.dialect == u"anthropic" ? tr("Anthropic")
                                           : r.dialect;
    case Request:
        return QStringLiteral("%1 %2").arg(r.method, r.path);
    case Model:
        return r.model;
    case Provider:
        return r.provider;
    case UpstreamModel:
        return r.upstreamModel;
    case Status:
        return r.status;
    case Ttft:
        return duration(r.firstTokenMs);
    case Total:
        return duration(r.durationMs);
    case TokensIn:
        return tokens(r.promptTokens);
    case TokensOut:
        return tokens(r.completionTokens);
    case Streamed:
        return r.streamed ? tr("yes") : tr("no");
    }
    return {};
}

QVariant LogTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_records.size())
        return {};
    const Row &row = m_records.at(index.row());
    const RequestRecord &r = row.record;
    const bool error = isError(r.status);
    switch (role) {
    case Qt::DisplayRole:
        return display(r, index.column());
    case SortRole:
        switch (index.column()) {
        case Time:
            return row.seq;
        case Status:
            return r.status;
        case Ttft:
            return r.firstTokenMs;
        case Total:
            return r.durationMs;
        case TokensIn:
            return r.promptTokens;
        case TokensOut:
            return r.completionTokens;
        default:
            return display(r, index.column());
        }
    case StatusRole:
        return r.status;
    case ProviderRole:
        return r.provider;
    case SearchTextRole:
        return QStringList{r.client + u' ' + ClientGuides::appName(r.app),
                           r.dialect,
                           r.method,
                           r.path,
                           r.model,
                           r.provider,
                           r.upstreamModel,
                           r.error,
                           QString::number(r.status)}
            .join(u'\n');
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QLocale().toString(r.started, QLocale::LongFormat);
        if (index.column() == Provider && m_unverified.contains(r.provider))
            return tr("TLS certificate not verified (insecure_skip_verify)");
        return error && !r.error.isEmpty() ? r.error : QVariant();
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case Status:
        case Ttft:
        case Total:
        case TokensIn:
        case TokensOut:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::BackgroundRole:
        // A tint over the palette's own colour keeps light and dark themes readable.
        return error ? QBrush(QColor(220, 40, 40, 46)) : QVariant();
    case Qt::ForegroundRole:
        if ((error && index.column() == Status) ||
            (index.column() == Provider && m_unverified.contains(r.provider)))
            return QBrush(QColor(190, 30, 30));
        return {};
    case Qt::FontRole:
        if (error && index.column() == Status) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::DecorationRole:
        if (error && index.column() == Status)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    default:
        return {};
    }
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Ttft:
            return tr("Time to the first token of the answer");
        case Total:
            return tr("Time until the answer ended");
        case TokensIn:
            return tr("Prompt tokens, as the provider counted them");
        case TokensOut:
            return tr("Completion tokens, as the provider counted them");
        case UpstreamModel:
            return tr("The model name sent to the provider");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Client:
        return tr("Client");
    case Dialect:
        return tr("API");
    case Request:
        return tr("Request");
    case Model:
        return tr("Model");
    case Provider:
        return tr("Provider");
    case UpstreamModel:
        return tr("Upstream model");
    case Status:
        return tr("Status");
    case Ttft:
        return tr("TTFT");
    case Total:
        return tr("Total");
    case TokensIn:
        return tr("Tokens in");
    case TokensOut:
        return tr("Tokens out");
    case Streamed:
        return tr("Streamed");
    }
    return {};
}

LogFilterModel::LogFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(LogTableModel::SortRole);
    setDynamicSortFilter(true);
}

void LogFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

void LogFilterModel::setStatusClass(StatusClass c)
{
    m_status = c;
    invalidateFilter();
}

void LogFilterModel::setProvider(const QString &provider)
{
    m_provider = provider;
    invalidateFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const int status = index.data(LogTableModel::StatusRole).toInt();
    if (m_status == StatusClass::Errors && !LogTableModel::isError(status))
        return false;
    if (m_status == StatusClass::Success && (status < 200 || status >= 300))
        return false;
    if (!m_provider.isEmpty() && index.data(LogTableModel::ProviderRole).toString() != m_provider)
        return false;
    if (!m_text.isEmpty() &&
        !index.data(LogTableModel::SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}

} // namespace gw
