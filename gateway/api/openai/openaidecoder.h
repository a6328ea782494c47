#pragma once

#include "api/apierror.h"
#include "chat/chatrequest.h"
#include "chat/embedrequest.h"
#include "http/apilimits.h"

#include <QByteArray>

#include <optional>

namespace gw {

// A decoded /v1/chat/completions or /v1/completions request.
struct OpenAiCall
{
    ChatRequest request;
    bool includeUsage = false; // stream_options.include_usage: one more chunk with the usage
};

// A decoded /v1/embeddings request.
struct OpenAiEmbedCall
{
    EmbedRequest request;
    bool base64 = false; // encoding_format "base64": little-endian float32 bytes
};

// Turns the OpenAI wire format into the canonical model. Errors are 400s whose message names
// the offending field by its JSON path ("messages[2].content must be ..."), since OpenAI SDKs
// show the message and nothing else.
class OpenAiDecoder
{
public:
    static std::optional<OpenAiCall> chat(const QByteArray &body, ApiError &error,
                                          const ApiLimits &limits = {});
    static std::optional<OpenAiCall> completion(const QByteArray &body, ApiError &error);
    static std::optional<OpenAiEmbedCall> embeddings(const QByteArray &body, ApiError &error);
};

} // namespace gw
