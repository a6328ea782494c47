// libFuzzer target: OpenAI Responses API bodies (POST /v1/responses), then every provider's
// request encoder, and the response object built from what the request echoes.
// (fuzz_responses.cpp is another target: the providers' non-streamed response parsers.)
#include "fuzzsupport.h"

#include "api/responses/responsesdecoder.h"
#include "api/responses/responsesencoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    gw::ApiError error;
    gw::ApiLimits limits;
    limits.maxMessages = 64;
    if (const auto call = gw::ResponsesDecoder::decode(fuzz::bytes(data, size), error, limits)) {
        fuzz::translate(call->request);
        gw::ResponsesEncoder::response({"resp_fuzz", 0, call->request.model}, call->echo,
                                       QStringLiteral("completed"), {});
    } else if (error.message.isEmpty() || error.status < 400) {
        fuzz::fail("a refusal without an error status and a message");
    }
    return 0;
}
