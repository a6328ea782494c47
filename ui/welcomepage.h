#pragma once

#include "config/config.h"

#include <QMap>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStackedWidget;

namespace gw {

class GatewayHost;

// The first run: pick a service from the presets (or a local, remote or custom server), paste
// the key (kept only in the keychain; a key found in the environment is offered instead), the
// connection is tested at once and the verdict said in words, then the service's models are
// offered under the vendor's own ids and mapped in one click. Every step can be skipped.
class WelcomePage : public QWidget
{
    Q_OBJECT
public:
    enum class Step { Choose, Connect, Models };

    explicit WelcomePage(GatewayHost &host, QWidget *parent = nullptr);

    Step step() const;
    // Starts over at the first step (the keys found are asked for again).
    void restart();

    // The settings window's choice: is this a first run (nothing configured yet)?
    static bool isFirstRun(const Config &config);

signals:
    void skipped();
    void finished(); // a provider was added (and models mapped, if any were chosen)

private:
    void choose();
    void probe();
    void addProvider();
    void mapModels();
    void showModels(const QStringList &ids);
    ProviderConfig provider() const;
    QString choiceId() const;

    GatewayHost &m_host;
    QMap<QString, QString> m_foundKeys; // preset → where its key was found
    Config m_config;                    // what the welcome applies
    bool m_connected = false;
    int m_probe = 0; // the probe whose answer counts
    qsizetype m_keyLength = 0;
    QStringList m_ids;
    QStackedWidget *m_steps = nullptr;
    QListWidget *m_choices = nullptr;
    QLabel *m_connectTitle = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLabel *m_keyLabel = nullptr;
    QLineEdit *m_key = nullptr;
    QLabel *m_keyNote = nullptr;
    QPushButton *m_connect = nullptr;
    QLabel *m_verdict = nullptr;
    QLineEdit *m_filter = nullptr;
    QListWidget *m_models = nullptr;
    QLineEdit *m_modelEdit = nullptr;
    QLabel *m_modelsNote = nullptr;
    QPushButton *m_back = nullptr;
    QPushButton *m_next = nullptr;
    QPushButton *m_skip = nullptr;
};

} // namespace gw
