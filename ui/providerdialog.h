#pragma once

#include "config/config.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
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
    void addConnectionRows(QFormLayout *form);
    QLineEdit *fileRow(QFormLayout *form, const QString &label, const QString &objectName,
                       const QString &filter);

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
    // Connection: options.proxy and options.tls
    QLineEdit *m_proxy = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_certFile = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QCheckBox *m_insecure = nullptr;
    QLabel *m_insecureWarning = nullptr;
};

} // namespace gw
