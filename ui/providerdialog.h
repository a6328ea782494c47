#pragma once

#include "config/config.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace gw {

class GatewayHost;

// Adds a provider (from a preset or custom) or edits one. The API key field is write-only: a
// stored key is never shown again, only replaced or deleted, and it goes to the keychain only.
class ProviderDialog : public QDialog
{
    Q_OBJECT
public:
    ProviderDialog(GatewayHost &host, const QStringList &takenNames,
                   const std::optional<ProviderConfig> &editing, bool keyStored,
                   const QString &keyStatus, QWidget *parent = nullptr);

    ProviderConfig provider() const;
    QString newKey() const; // empty: leave the stored key as it is
    bool deleteKey() const { return m_deleteKey; }

    void accept() override;

private:
    void applyPreset(int index);
    QString validate() const;

    GatewayHost &m_host;
    QStringList m_taken;
    bool m_editing = false;
    bool m_deleteKey = false;
    ProviderConfig m_original;
    QComboBox *m_preset = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_type = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLineEdit *m_key = nullptr;
    QLabel *m_keyStatus = nullptr;
    QPushButton *m_deleteKeyButton = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace gw
