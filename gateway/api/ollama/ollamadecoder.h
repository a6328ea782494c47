#pragma once

#include "api/apierror.h"
#include "chat/chatrequest.h"
#include "chat/embedrequest.h"
#include "http/apilimits.h"

#include <QByteArray>
#include <QJsonValue>

#include <optional>

namespace gw {

// A decoded /api/chat or /api/generate request.
struct OllamaCall
{
    ChatRequest request;
    std::optional<double> keepAliveSeconds; // absent: Ollama's default of 5 minutes
    bool loadOnly = false;                  // no messages / empty prompt: a load or unload probe
};

// Turns Ollama's native request bodies into the canonical model, refusing what Ollama refuses
// with the message Ollama gives.
class OllamaDecoder
{
public:
    static std::optional<OllamaCall> chat(const QByteArray &body, ApiError &error,
                                          const ApiLimits &limits = {});
    static std::optional<OllamaCall> generate(const QByteArray &body, ApiError &error);
    // /api/embed (input: a string or strings) and the legacy /api/embeddings (prompt).
    static std::optional<EmbedRequest> embed(const QByteArray &body, ApiError &error);
    static std::optional<EmbedRequest> embeddings(const QByteArray &body, ApiError &error);

    // keep_alive: seconds as a number, or a Go duration string ("5m", "1h30m", "-1s").
    static bool keepAlive(const QJsonValue &value, std::optional<double> &seconds, QString &error);
    static bool goDuration(const QString &text, double &seconds, QString &error);
};

} // namespace gw
