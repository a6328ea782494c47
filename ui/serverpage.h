#pragma once

#include "config/config.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace gw {

class GatewayHost;

// Where the gateway listens and who may call it, plus the app's own preferences (start at
// login, start the gateway on launch, language). Apply restarts the listener, not the app.
class ServerPage : public QWidget
{
    Q_OBJECT
public:
    explicit ServerPage(GatewayHost &host, QWidget *parent = nullptr);

    void apply();
    void revert();
    bool warningShown() const;
    QString listenSourceText() const;

signals:
    // The user asked to restart the app now (a new language applies after a restart).
    void restartRequested();

protected:
    // The tray menu or the desktop may have changed the autostart entry meanwhile.
    void showEvent(QShowEvent *event) override;

private:
    void load(const Config &c);
    void updateState();
    QString listenText() const;
    void updateSource();

    GatewayHost &m_host;
    Config m_config;
    bool m_loading = false;
    QLineEdit *m_host_ = nullptr;
    QSpinBox *m_port = nullptr;
    QLabel *m_warning = nullptr;
    QLineEdit *m_token = nullptr;
    QLabel *m_tokenLabel = nullptr;
    QCheckBox *m_tokenLocal = nullptr;
    QLabel *m_source = nullptr;
    QLabel *m_languageNote = nullptr;
    QPushButton *m_restart = nullptr;
    QPlainTextEdit *m_origins = nullptr;
    QCheckBox *m_startAtLogin = nullptr;
    QCheckBox *m_startOnLaunch = nullptr;
    QComboBox *m_language = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_revert = nullptr;
};

} // namespace gw
