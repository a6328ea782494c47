#pragma once

#include "api/apierror.h"
#include "chat/chatbackend.h"
#include "http/apilimits.h"
#include "http/dialect.h"
#include "ollamastream.h"

#include <QList>

namespace gw {

class Responder;

// The native Ollama API: everything a client of `ollama serve` calls.
class OllamaApi
{
public:
    OllamaApi(ChatBackend &backend, QString version);

    // Its routes, and its error shape for the errors the server makes (gin's plain text for
    // 405, else {"error": message}).
    Dialect dialect();
    void setLimits(const ApiLimits &limits) { m_limits = limits; }

    static void sendError(Responder *r, const ApiError &error);

private:
    void root(const HttpRequest &req, Responder *r);
    void version(const HttpRequest &req, Responder *r);
    void tags(const HttpRequest &req, Responder *r);
    void show(const HttpRequest &req, Responder *r);
    void ps(const HttpRequest &req, Responder *r);
    void recommendations(const HttpRequest &req, Responder *r);
    void chat(const HttpRequest &req, Responder *r);
    void generate(const HttpRequest &req, Responder *r);
    void embed(const HttpRequest &req, Responder *r);
    void embeddings(const HttpRequest &req, Responder *r);
    void pull(const HttpRequest &req, Responder *r);
    void unsupported(const HttpRequest &req, Responder *r);

    void runModel(OllamaStream::Kind kind, const HttpRequest &req, Responder *r);
    // Starts an embeddings job and answers through `reply` (legacy: one raw vector).
    void runEmbed(EmbedRequest request, Responder *r, bool legacy, qint64 receivedNs);

    ChatBackend &m_backend;
    ApiLimits m_limits;
    QString m_version;
};

} // namespace gw
