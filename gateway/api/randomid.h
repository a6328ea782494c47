#pragma once

#include <QByteArray>

namespace gw {

// An id for an answer, a message or a tool call that a client may key on: the prefix, the
// separator and 24 random letters and digits ("chatcmpl-…", "msg_…", "resp_…").
QByteArray randomId(const char *prefix, char separator = '_');

} // namespace gw
