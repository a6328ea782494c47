#include "mappingtablemodel.h"

#include <QColor>

namespace gw {
namespace {

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out.append(part.trimmed());
    return out;
}

} // namespace

MappingTableModel::MappingTableModel(QObject *parent) : QAbstractTableModel(parent) {}

std::optional<ModelPrice> MappingTableModel::parsePrice(const QString &text)
{
    ModelPrice price;
    if (text.trimmed().isEmpty())
        return price;
    const QStringList parts = text.split(u'/');
    if (parts.size() < 2 || parts.size() > 4)
        return std::nullopt;
    std::optional<double> *fields[] = {&price.input, &price.output, &price.cachedInput,
                                       &price.cacheWrite};
    for (qsizetype i = 0; i < parts.size(); ++i) {
        QString t = parts.at(i).trimmed();
        if (t.startsWith(u'$'))
            t.remove(0, 1);
        bool ok = false;
        double v = QLocale().toDouble(t, &ok);
        if (!ok)
            v = QLocale::c().toDouble(t, &ok);
        if (!ok || v < 0)
            return std::nullopt;
        *fields[i] = v;
    }
    return price;
}

QString MappingTableModel::priceText(const ModelPrice &price)
{
    if (price.isEmpty())
        return {};
    QStringList parts;
    for (const std::optional<double> &v :
         {price.input, price.output, price.cachedInput, price.cacheWrite}) {
        if (!v)
            break;
        parts.append(QLocale().toString(*v, 'g', 6));
    }
    return parts.join(QStringLiteral(" / "));
}

void MappingTableModel::setMappings(const QList<ModelMapping> &mappings)
{
    beginResetModel();
    m_rows = mappings;
    endResetModel();
}

void MappingTableModel::setProviders(const QStringList &names)
{
    m_providers = names;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

QString MappingTableModel::proposedName(const QString &upstreamId)
{
    const QString id = upstreamId.trimmed();
    QString name = id.section(u'/', -1);
    // "org/model:provider" (Hugging Face, OpenRouter variants): the suffix picks a router's
    // backend. An Ollama id's tag ("qwen2.5-coder:7b") stays.
    if (const qsizetype colon = name.indexOf(u':'); colon > 0 && id.contains(u'/'))
        name.truncate(colon);
    return name;
}

int MappingTableModel::addRow()
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    ModelMapping m;
    m.provider = m_providers.value(0, QStringLiteral("echo"));
    m_rows.append(m);
    endInsertRows();
    emit edited();
    return row;
}

void MappingTableModel::removeRow(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    emit edited();
}

QString MappingTableModel::cellError(int row, int column) const
{
    const ModelMapping &m = m_rows.at(row);
    switch (column) {
    case Name: {
        if (m.name.trimmed().isEmpty())
            return tr("Row %1: enter the name clients will use.").arg(row + 1);
        for (int i = 0; i < row; ++i)
            if (modelNameKey(m_rows.at(i).name) == modelNameKey(m.name))
                return tr("Row %1: the name '%2' is used twice (names are compared without case "
                          "and without ':latest').")
                    .arg(row + 1)
                    .arg(m.name);
        return {};
    }
    case Provider:
        if (m.provider != u"echo" && !m_providers.contains(m.provider, Qt::CaseInsensitive))
            return tr("Row %1: unknown provider '%2' — add it on the Providers page.")
                .arg(row + 1)
                .arg(m.provider);
        return {};
    case Upstream:
        if (m.model.trimmed().isEmpty())
            return tr("Row %1: enter the provider's model id.").arg(row + 1);
        return {};
    case Capabilities:
        for (const QString &c : m.capabilities)
            if (!Config::knownCapabilities().contains(c))
                return tr("Row %1: unknown capability '%2' (known: %3).")
                    .arg(row + 1)
                    .arg(c, Config::knownCapabilities().join(QStringLiteral(", ")));
        return {};
    case Fallbacks:
        for (const QString &f : m.fallbacks) {
            bool found = false;
            for (const ModelMapping &other : m_rows)
                found = found || modelNameKey(other.name) == modelNameKey(f);
            if (!found)
                return tr("Row %1: fallback '%2' is not a model in this table.")
                    .arg(row + 1)
                    .arg(f);
        }
        return {};
    default:
        return {};
    }
}

QString MappingTableModel::firstError() const
{
    for (int r = 0; r < m_rows.size(); ++r)
        for (int c = 0; c < ColumnCount; ++c)
            if (const QString e = cellError(r, c); !e.isEmpty())
                return e;
    return {};
}

int MappingTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MappingTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MappingTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ModelMapping &m = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case Name:
            return m.name;
        case Provider:
            return m.provider;
        case Upstream:
            return m.model;
        case Context:
            if (role == Qt::EditRole)
                return m.contextLength;
            return m.contextLength > 0 ? QLocale().toString(m.contextLength) : QString();
        case Capabilities:
            return m.capabilities.join(QStringLiteral(", "));
        case Fallbacks:
            return m.fallbacks.join(QStringLiteral(", "));
        case Price:
            return priceText(m.price);
        }
    }
    const QString error = cellError(index.row(), index.column());
    if (role == Qt::ToolTipRole) {
        if (!error.isEmpty())
            return error;
        if (index.column() == Context && m.contextLength == 0)
            return tr("Empty: from the built-in table of well-known models");
        if (index.column() == Price)
            return tr("Dollars per million tokens: input / output, optionally / cached input / "
                      "cache write (e.g. 3 / 15 / 0.3 / 3.75). Empty: the built-in price of "
                      "well-known models; a model without one shows its cost as “–”.");
        if (index.column() == Capabilities && m.capabilities.isEmpty())
            return tr("Empty: from the built-in table. Known: %1")
                .arg(Config::knownCapabilities().join(QStringLiteral(", ")));
    }
    if (role == Qt::BackgroundRole && !error.isEmpty())
        return QColor(0xfd, 0xec, 0xea);
    if (role == Qt::ForegroundRole && !error.isEmpty())
        return QColor(0x61, 0x1a, 0x15);
    return {};
}

QVariant MappingTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, o, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Provider:
        return tr("Provider");
    case Upstream:
        return tr("Upstream model");
    case Context:
        return tr("Context");
    case Capabilities:
        return tr("Capabilities");
    case Fallbacks:
        return tr("Fallbacks");
    case Price:
        return tr("Price ($/M tokens)");
    }
    return {};
}

Qt::ItemFlags MappingTableModel::flags(const QModelIndex &index) const
{
    return QAbstractTableModel::flags(index) | Qt::ItemIsEditable;
}

bool MappingTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= m_rows.size())
        return false;
    ModelMapping &m = m_rows[index.row()];
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case Name:
        m.name = text;
        break;
    case Provider:
        m.provider = text;
        break;
    case Upstream:
        m.model = text;
        if (m.name.isEmpty()) // a new row: propose the vendor's id as the name clients use
            m.name = proposedName(text);
        break;
    case Context:
        m.contextLength = qMax<qint64>(0, value.toLongLong());
        break;
    case Capabilities:
        m.capabilities = splitList(text);
        break;
    case Fallbacks:
        m.fallbacks = splitList(text);
        break;
    case Price: {
        const std::optional<ModelPrice> price = parsePrice(text);
        if (!price)
            return false; // not a price: the cell keeps what it had
        m.price = *price;
        break;
    }
    default:
        return false;
    }
    // One name can make other rows valid or invalid (duplicates, fallbacks): repaint all.
    emit dataChanged(this->index(0, 0), this->index(int(m_rows.size()) - 1, ColumnCount - 1));
    emit edited();
    return true;
}

} // namespace gw
