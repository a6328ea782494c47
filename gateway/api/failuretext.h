#pragma once

#include "chat/chatfailure.h"

#include <QString>

namespace gw {

// A failure in English for clients (and the request log): the cause, who, the upstream's own
// words, and the fix where there is one, e.g. "no API key for provider 'openai': add it in
// Settings → Providers or set OPENAI_API_KEY". Every dialect words failures with this, so a
// failure reads the same in each; the desktop words them itself, translated.
QString failureText(const ChatFailure &failure);

} // namespace gw
