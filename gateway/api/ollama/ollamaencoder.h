#pragma once

#include "chat/chatevent.h"
#include "chat/modelinfo.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace gw {

// Ollama's native response shapes.
class OllamaEncoder
{
public:
    static QString listedName(const QString &name); // with an explicit tag: "gpt-4o:latest"
    static QByteArray digest(const QString &name);  // 64 hex chars, stable per name
    static QString timestamp(const QDateTime &t);   // RFC 3339 as Go prints it
    static QString nowUtc();

    static QJsonObject details(const ModelInfo &m);
    static QJsonObject tagsEntry(const ModelInfo &m);
    static QJsonObject psEntry(const ModelInfo &m, const QDateTime &expiresAt);
    // userAgent: Copilot shows general.basename, so Ollama rewrites it to what that client sent.
    static QJsonObject show(const ModelInfo &m, const QString &requested, bool copilot);
    static QJsonObject toolCall(const ToolCall &call);
    // remote_model, remote_host and max_output_tokens, where known (tags and show entries).
    static void insertRemote(QJsonObject &o, const ModelInfo &m);
    // /api/experimental/model-recommendations: one entry for a configured model.
    static QJsonObject recommendation(const ModelInfo &m);

    static QByteArray error(const QString &message); // {"error":"..."}
    static const char *doneReason(FinishReason r);
};

} // namespace gw
