#pragma once

#include "accesspolicy.h"
#include "http/apilimits.h"

#include <QtGlobal>

namespace gw {

struct ServerOptions
{
    // Large enough for several full-resolution images in base64, small enough that a runaway
    // client cannot make the gateway buffer gigabytes (Qt keeps 2-3 copies of a body).
    qint64 maxBodyBytes = 32 * 1024 * 1024;
    qint64 maxHeaderBytes = 64 * 1024;
    ApiLimits api; // checked by the dialects (message count)
    // Requests in progress at once from one client address. Every local client shares
    // 127.0.0.1, so this is generous; it stops one runaway script from starving the rest.
    int maxRequestsPerClient = 512; // like Ollama's OLLAMA_MAX_QUEUE
    // A connection with no request in progress and no bytes for this long is closed (what
    // browsers and HTTP clients keep open for reuse).
    int idleTimeoutMs = 120 * 1000;
    // A request's headers must arrive within this time of its first byte, and a body that has
    // begun must not pause longer: half-sent requests do not hold connections forever.
    int headerTimeoutMs = 30 * 1000;
    AccessPolicy::Settings access;
};

} // namespace gw
