#pragma once

#include <QString>

namespace gw {

// A request the gateway refuses before any model is called.
struct ApiError
{
    int status = 400;
    QString message;
};

} // namespace gw
