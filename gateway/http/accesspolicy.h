#pragma once

#include "http/httprequest.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QStringList>

namespace gw {

// Who may use the gateway. A local gateway holding cloud API keys is reachable by every web
// page the user opens (DNS rebinding, cross-origin fetches) and, when bound beyond loopback,
// by the network. Ollama's own rules for the first two (allowedHostsMiddleware, OLLAMA_ORIGINS)
// are kept so that what works with Ollama works here; the third needs a bearer token.
class AccessPolicy
{
public:
    struct Settings
    {
        bool loopbackOnly = true; // the listener is on a loopback address
        QStringList extraHosts;   // Host names allowed besides the built-in ones
        QStringList origins;      // OLLAMA_ORIGINS entries and the config's allowed_origins
        QByteArray token; // required as "Authorization: Bearer …" or "x-api-key" when non-empty
        // The token protects against the network: clients on this machine (loopback peers) are
        // let in without it, as in loopback-only mode, unless this says otherwise. Local IDE
        // plugins (Copilot's Ollama provider) cannot send one.
        bool tokenForLoopbackPeers = false;
    };

    struct Verdict
    {
        int status = 0; // 0: go on; else answer with this status now (401: in the path's dialect)
        QList<QPair<QByteArray, QByteArray>> headers; // CORS headers for the answer
    };

    explicit AccessPolicy(Settings settings);

    Verdict check(const HttpRequest &request) const;

    static QStringList defaultOrigins();
    static QStringList parseOrigins(const QString &ollamaOrigins); // comma-separated
    bool hostAllowed(const QByteArray &hostHeader) const;
    bool originAllowed(const QString &origin) const;
    static bool isLoopbackPeer(const QHostAddress &peer); // also ::ffff:127.0.0.1

private:
    Settings m_settings;
    QStringList m_origins;
};

} // namespace gw
