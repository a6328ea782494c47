#pragma once

#include "api/apierror.h"
#include "chat/chatrequest.h"
#include "chat/toolchoice.h"
#include "http/apilimits.h"

#include <QByteArray>
#include <QJsonValue>

#include <optional>

namespace gw {

// Turns Anthropic's Messages API request (POST /v1/messages and /v1/messages/count_tokens) into
// the canonical model. Errors are 400s whose message starts with the field's path the way
// Anthropic words them ("messages.2.content.0.type: ..."), since the SDKs show only the message.
//
// What maps where: `system` (a string or text blocks) becomes system messages; a user turn's
// tool_result blocks become tool messages (before the turn's text and images, as Anthropic
// orders them); an assistant turn's thinking / redacted_thinking blocks keep their signatures
// (ChatMessage::thinkingBlocks) and its tool_use blocks become tool calls; cache_control marks
// the message, system block or tool it is on (CacheMark); `thinking` gives the canonical level
// plus Anthropic's own budget / adaptive form; `metadata` and unknown top-level fields are
// ignored.
class AnthropicDecoder
{
public:
    static std::optional<ChatRequest> messages(const QByteArray &body, ApiError &error,
                                               const ApiLimits &limits = {});
    // count_tokens: the same request without max_tokens.
    static std::optional<ChatRequest> countTokens(const QByteArray &body, ApiError &error,
                                                  const ApiLimits &limits = {});
};

} // namespace gw
