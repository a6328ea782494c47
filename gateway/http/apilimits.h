#pragma once

#include <QtGlobal>

namespace gw {

// Bounds on what one decoded request may hold, set from the config's "server" section.
struct ApiLimits
{
    // Messages in one chat request: far beyond any real conversation (a long agent session has
    // a few hundred), but a bound on what one body can make the decoders build.
    qsizetype maxMessages = 10000;
};

} // namespace gw
