#pragma once

#include "api/apierror.h"
#include "chat/chatbackend.h"
#include "http/apilimits.h"
#include "http/dialect.h"

#include <optional>

namespace gw {

class Responder;

// Anthropic's Messages API: POST /v1/messages (what Claude Code and the Anthropic SDKs call)
// and POST /v1/messages/count_tokens, for every configured model. Errors on these paths,
// including those the HTTP server makes itself, are in Anthropic's shape.
class AnthropicApi
{
public:
    explicit AnthropicApi(ChatBackend &backend);

    // Its routes under /v1/messages and its error shape there.
    Dialect dialect();
    void setLimits(const ApiLimits &limits) { m_limits = limits; }

    static void sendError(Responder *r, const ApiError &error);

private:
    void messages(const HttpRequest &req, Responder *r);
    void countTokens(const HttpRequest &req, Responder *r);
    // Looks the model up and records the route; answers 404 and returns nothing when unknown.
    std::optional<ModelInfo> route(const QString &model, Responder *r);

    ChatBackend &m_backend;
    ApiLimits m_limits;
};

} // namespace gw
