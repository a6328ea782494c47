#pragma once

#include "config/config.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace gw {

class GatewayHost;
class MappingTableModel;

// The model mappings: an editable, validated table (provider as a list, upstream model with
// suggestions from the provider's own list), JSON import/export, Apply/Revert, and "Try it",
// which streams a short answer from an applied mapping.
class ModelsPage : public QWidget
{
    Q_OBJECT
public:
    explicit ModelsPage(GatewayHost &host, QWidget *parent = nullptr);

    MappingTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QStringList suggestions(const QString &provider) const;

    bool importFrom(const QString &path, QString *error);
    bool exportTo(const QString &path, QString *error) const;
    void apply();
    void revert();
    void tryIt();

private:
    void updateState();
    void requestSuggestions(const QString &provider);

    GatewayHost &m_host;
    Config m_config;
    bool m_dirty = false;
    MappingTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_revert = nullptr;
    QPushButton *m_remove = nullptr;
    QHash<QString, QStringList> m_suggestions; // by lower-case provider name
    QStringList m_asked;

    QComboBox *m_tryModel = nullptr;
    QLineEdit *m_tryPrompt = nullptr;
    QPushButton *m_trySend = nullptr;
    QPlainTextEdit *m_tryOutput = nullptr;
    int m_tryId = 0;
};

} // namespace gw
