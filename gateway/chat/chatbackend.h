#pragma once

#include "chatjob.h"
#include "chatrequest.h"
#include "embedjob.h"
#include "modelinfo.h"

#include <QDateTime>
#include <QList>

#include <functional>

#include <optional>

namespace gw {

// What an inbound dialect needs from the rest of the gateway. Dialects see only this interface,
// so they never learn which providers exist.
class ChatBackend
{
public:
    virtual ~ChatBackend() = default;

    virtual QList<ModelInfo> models() const = 0;
    // Brings discovered model lists up to date (providers with "list_models"), then calls
    // `done`, at once when nothing is stale; never waits on a slow provider for long.
    virtual void refreshModels(QObject *context, std::function<void()> done) = 0;
    virtual std::optional<ModelInfo> findModel(const QString &name) const = 0;

    // Routes the request (request.model) and returns a job that is not started yet. Never null:
    // routing failures come back as a job that fails with a clear error.
    virtual ChatJob *startChat(ChatRequest request, QObject *parent) = 0;
    // Same contract for embeddings (request.model names the model).
    virtual EmbedJob *startEmbed(EmbedRequest request, QObject *parent) = 0;

    struct Loaded
    {
        ModelInfo model;
        QDateTime expiresAt;
    };
    // Models used recently, for /api/ps: the gateway has nothing to load, so "loaded" means
    // "used within its keep-alive".
    virtual QList<Loaded> loadedModels() const = 0;
    virtual void touchModel(const QString &name, qint64 keepAliveSeconds) = 0;
};

} // namespace gw
