#pragma once

#include "accesspolicy.h"

#include <QtGlobal>

namespace gw {

struct ServerOptions
{
    // Large enough for several full-resolution images in base64, small enough that a runaway
    // client cannot make the gateway buffer gigabytes (Qt keeps 2-3 copies of a body).
    qint64 maxBodyBytes = 32 * 1024 * 1024;
    qint64 maxHeaderBytes = 64 * 1024;
    AccessPolicy::Settings access;
};

} // namespace gw
