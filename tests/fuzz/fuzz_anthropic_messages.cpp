// libFuzzer target: Anthropic /v1/messages bodies (and count_tokens), then the token estimate
// and every provider's request encoder.
#include "fuzzsupport.h"

#include "api/anthropic/anthropicdecoder.h"
#include "api/anthropic/anthropicencoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    gw::ApiError error;
    gw::ApiLimits limits;
    limits.maxMessages = 64;
    const QByteArray body = fuzz::bytes(data, size);
    if (const auto request = gw::AnthropicDecoder::messages(body, error, limits)) {
        if (gw::AnthropicEncoder::estimateTokens(*request) < 1)
            fuzz::fail("a token estimate below 1");
        fuzz::translate(*request);
    } else if (error.message.isEmpty() || error.status < 400) {
        fuzz::fail("a refusal without an error status and a message");
    }
    if (!gw::AnthropicDecoder::countTokens(body, error, limits) && error.message.isEmpty())
        fuzz::fail("a count_tokens refusal without a message");
    return 0;
}
