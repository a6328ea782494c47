#pragma once

#include "api/apierror.h"
#include "chat/chatbackend.h"
#include "http/apilimits.h"
#include "http/dialect.h"
#include "openaistream.h"

#include <QList>

namespace gw {

class Responder;

// The OpenAI-compatible API under /v1: what the OpenAI SDKs, LangChain's ChatOpenAI and the
// many "OpenAI-compatible" settings of editors and chat apps call.
class OpenAiApi
{
public:
    explicit OpenAiApi(ChatBackend &backend);

    // Its routes under /v1/, and its error shape for the errors the server makes there.
    Dialect dialect();
    void setLimits(const ApiLimits &limits) { m_limits = limits; }

    // An error in OpenAI's shape; `code` null unless given.
    static void sendError(Responder *r, const ApiError &error, const QByteArray &code = {});
    // The server's own errors on OpenAI paths (/v1/, and the Responses API's).
    static RenderedError renderError(const ChatFailure &failure, const QString &message);

private:
    void chatCompletions(const HttpRequest &req, Responder *r);
    void completions(const HttpRequest &req, Responder *r);
    void models(const HttpRequest &req, Responder *r);
    void model(const HttpRequest &req, Responder *r);
    void embeddings(const HttpRequest &req, Responder *r);

    void runModel(OpenAiStream::Kind kind, const HttpRequest &req, Responder *r);
    // Looks the model up and records the route; answers 404 and returns nothing when unknown.
    std::optional<ModelInfo> route(const QString &model, Responder *r);

    ChatBackend &m_backend;
    ApiLimits m_limits;
};

} // namespace gw
