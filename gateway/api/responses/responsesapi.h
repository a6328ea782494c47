#pragma once

#include "chat/chatbackend.h"
#include "http/apilimits.h"
#include "http/dialect.h"

namespace gw {

class Responder;

// The OpenAI Responses API, POST /v1/responses: what Codex CLI and the OpenAI SDKs'
// responses.create speak. A dialect of its own on the /v1/responses prefix; its errors are in
// OpenAI's shape, rendered by the OpenAI dialect's encoder.
class ResponsesApi
{
public:
    explicit ResponsesApi(ChatBackend &backend);

    Dialect dialect();
    void setLimits(const ApiLimits &limits) { m_limits = limits; }

private:
    void create(const HttpRequest &req, Responder *r);
    static void stored(const HttpRequest &req, Responder *r);

    ChatBackend &m_backend;
    ApiLimits m_limits;
};

} // namespace gw
