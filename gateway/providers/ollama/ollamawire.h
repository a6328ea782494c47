#pragma once

#include "chat/chatrequest.h"
#include "chat/embedrequest.h"
#include "chat/logprob.h"
#include "providers/upstreamerrorbody.h"

#include <QJsonArray>
#include <QJsonObject>

namespace gw {

// A real Ollama server as the upstream: the request side of its native API (the inbound
// dialect in api/ollama decodes the same format; the two directions are kept apart on purpose,
// see docs/architecture.md), its embeddings, model list and error bodies.
class OllamaWire
{
public:
    static QJsonObject chatBody(const ChatRequest &request);
    // /api/generate for fill-in-the-middle (a request with a suffix): prompt, suffix, raw.
    static QJsonObject generateBody(const ChatRequest &request);
    static QJsonObject embedBody(const EmbedRequest &request);
    static EmbedResult parseEmbed(const QByteArray &body);
    static QStringList parseTags(const QByteArray &body);
    static UpstreamErrorBody errorBody(const QByteArray &body); // {"error":"..."}
};

} // namespace gw
