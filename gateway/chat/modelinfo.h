#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace gw {

// What clients are told about a model: /api/tags, /api/show, /v1/models.
struct ModelInfo
{
    QString name;             // the name clients use, without an implied ":latest"
    QString provider;         // provider name from the config
    QString providerType;     // "openai", "echo", ...
    QString upstreamModel;    // the provider's own id
    QString family;           // "gpt", "claude", ... (Ollama's general.architecture)
    QStringList capabilities; // Ollama's: completion, tools, vision, thinking, embedding, insert
    qint64 contextLength = 0;
    qint64 embeddingLength = 0;
    QDateTime modifiedAt;
    QStringList fallbacks; // models to try, in order, when this one fails before answering
    // Where the model runs, as Ollama says it of its cloud models (remote_host: scheme, host and
    // port of the provider; empty for models on this machine, e.g. echo). remote_model is
    // upstreamModel.
    QString remoteHost;
    qint64 maxOutputTokens = 0; // the vendor's output limit; 0: unknown

    bool has(const QString &capability) const { return capabilities.contains(capability); }
};

} // namespace gw
