#pragma once

#include <optional>

#include "config/config.h"

#include <QAbstractTableModel>

namespace gw {

// The model mappings as an editable table, validated as they are edited: a bad cell is
// highlighted and carries its message (tooltip), and firstError() words the first problem.
class MappingTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Provider, Upstream, Context, Capabilities, Fallbacks, Price, ColumnCount };

    // "3 / 15 / 0.3 / 3.75": dollars per million tokens, input / output [/ cached input /
    // cache write]; empty for the built-in price. Unset when the text is not that.
    static std::optional<ModelPrice> parsePrice(const QString &text);
    static QString priceText(const ModelPrice &price);

    explicit MappingTableModel(QObject *parent = nullptr);

    void setMappings(const QList<ModelMapping> &mappings);
    QList<ModelMapping> mappings() const { return m_rows; }
    void setProviders(const QStringList &names); // the configured ones; echo is always known
    QStringList providers() const { return m_providers; }

    int addRow(); // returns the new row
    // The name a new row proposes for an upstream model id: the vendor's own id, without a
    // router's or API's prefix ("anthropic/claude-sonnet-4.5" → "claude-sonnet-4.5",
    // "models/gemini-2.5-pro" → "gemini-2.5-pro") and, after such a prefix, without a router's
    // ":provider" suffix. Copilot
    // picks its prompts and edit tools by the id's prefix (claude…, gpt-…, gemini…).
    static QString proposedName(const QString &upstreamId);
    void removeRow(int row);

    // Empty when every row is valid.
    QString firstError() const;
    QString cellError(int row, int column) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

signals:
    void edited(); // a user change (not setMappings)

private:
    QList<ModelMapping> m_rows;
    QStringList m_providers;
};

} // namespace gw
