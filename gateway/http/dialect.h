#pragma once

#include "chat/chatfailure.h"
#include "route.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace gw {

// An error body in a dialect's shape. An empty contentType and body send the status alone
// (Ollama's 403).
struct RenderedError
{
    QByteArray contentType;
    QByteArray body;
};

// One API the gateway speaks (Ollama, OpenAI, Anthropic Messages, OpenAI Responses …), as the
// HTTP layer sees it. The HTTP layer knows no dialect by name: it only holds these.
//
// How a new dialect plugs in:
//   1. In gateway/api/<dialect>/, give the dialect's class a `Dialect dialect()` that fills in
//      - name: for the log ("anthropic");
//      - pathPrefixes: the paths whose errors are in this dialect ("/v1/messages"). For each
//        request the server picks the dialect with the LONGEST prefix of the request path
//        that matches (plain string prefix, query excluded): "/" is Ollama, "/v1/" OpenAI,
//        so "/v1/messages" and "/v1/messages/count_tokens" are yours once you register
//        "/v1/messages", and every other "/v1/…" stays OpenAI's;
//      - routes: method + path + handler (see route.h); the handler answers through the
//        Responder;
//      - renderError: turns an error the server itself makes into your shape. `failure`
//        carries the facts (cause, status, retryAfterSeconds; the server sets Retry-After
//        itself from it), `message` the server's English sentence; return the body.
//   2. In Gateway::start() (gateway/gateway.cpp), `server->addDialect(yourApi->dialect());`.
// The server's own errors, each with its FailureCause and status: 400 malformed request
// (BadRequest), 401 missing or wrong access token (KeyRejected), 405 method not allowed
// (BadRequest), 408 request not complete in time (Timeout), 413 body too large and 431 headers
// too large (TooLarge), 429 too many requests from one client (RateLimited, Retry-After: 1),
// 503 shutting down (ShuttingDown), 508 a provider pointing back at this gateway (Loop).
// A path no route knows gets gin's plain-text "404 page not found" whatever the dialect; a
// host or origin the access policy refuses gets a bare 403, as Ollama answers.
struct Dialect
{
    QString name;
    QStringList pathPrefixes;
    QList<Route> routes;
    std::function<RenderedError(const ChatFailure &failure, const QString &message)> renderError;
};

// A failure the HTTP layer itself answers with.
inline ChatFailure serverFailure(FailureCause cause, int status, int retryAfterSeconds = 0)
{
    ChatFailure f;
    f.cause = cause;
    f.status = status;
    f.retryAfterSeconds = retryAfterSeconds;
    return f;
}

} // namespace gw
