#pragma once

#include "clientguide.h"

#include <QDateTime>
#include <QHash>
#include <QWidget>

#include <functional>

class QLabel;
class QVBoxLayout;

namespace gw {

class GatewayHost;
struct RequestRecord;

// "Connect your tools": for each client people use, the exact lines for this gateway (its live
// address, the token when it listens beyond loopback), a copy button, and whether that client
// has been seen in the request log ("Continue — last request 2 minutes ago").
class ConnectPage : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectPage(GatewayHost &host, QWidget *parent = nullptr);

    // When each app was seen last (from the request log); invalid: never.
    QDateTime lastSeen(ClientApp app) const { return m_seen.value(int(app)); }
    // The snippet and the "seen" words of a guide, as shown (tests, screenshots).
    QString snippet(const QString &id) const;
    QString seenText(const QString &id) const;
    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }
    void rebuild();
    // Reads when each app was seen from the request log file (its last 2 MB), so a restart
    // does not forget: "Continue — last request yesterday".
    void loadHistory(const QString &jsonlPath);

private:
    void refreshSeen();

    GatewayHost &m_host;
    QLabel *m_intro = nullptr;
    QWidget *m_list = nullptr;
    QVBoxLayout *m_listLayout = nullptr;
    QList<ClientGuide> m_guides;
    QHash<int, QDateTime> m_seen; // ClientApp → last request
    std::function<QDateTime()> m_now = [] { return QDateTime::currentDateTime(); };
};

} // namespace gw
