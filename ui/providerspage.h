#pragma once

#include "gatewayhost.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableWidget;

namespace gw {

class ProviderDialog;

// One row per configured provider: name, type, base URL and where its key comes from; add
// (from presets or custom), edit, remove, and "Test connection" with the result in words.
class ProvidersPage : public QWidget
{
    Q_OBJECT
public:
    explicit ProvidersPage(GatewayHost &host, QWidget *parent = nullptr);

    // Open the dialogs without blocking (tests drive them); the dialog is returned.
    ProviderDialog *addProvider();
    ProviderDialog *editProvider(int row);
    void removeProvider(int row);
    void testSelected();

private:
    void rebuild();
    QString keyText(const ProviderKeyStatus &s) const;
    void finishDialog(ProviderDialog *dialog, bool adding);

    GatewayHost &m_host;
    Config m_config;
    QList<ProviderKeyStatus> m_keys;
    QString m_keychainProblem;
    QStackedWidget *m_stack = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_empty = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_result = nullptr;
    QLabel *m_keychainNote = nullptr;
};

} // namespace gw
