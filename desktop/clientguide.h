#pragma once

#include "log/clientapp.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

namespace gw {

// How to point one client at this gateway: the exact lines for its settings or environment,
// made from the gateway's live address (and the access token when it listens beyond loopback),
// and the apps whose requests mean "this client has been seen". Words in the user's language.
struct ClientGuide
{
    QString id;      // stable, for object names and tests: "continue", "claude-code"
    QString name;    // "Continue", "Claude Code"
    QString where;   // where the lines go: "In ~/.continue/config.yaml:"
    QString snippet; // the lines to copy
    QList<ClientApp> apps;
};

class ClientGuides
{
    Q_DECLARE_TR_FUNCTIONS(ClientGuides)
public:
    // `url`: where clients reach the gateway (http://127.0.0.1:11434); `token`: the access token
    // clients must send, empty when none is needed; `model`: a model name for the examples.
    static QList<ClientGuide> all(const QString &url, const QString &token, const QString &model);

    // The app's name for people ("Continue", "the OpenAI SDK").
    static QString appName(ClientApp app);
    // "last request 2 minutes ago" / "not seen yet".
    static QString seen(const QDateTime &last, const QDateTime &now);
};

} // namespace gw
