// libFuzzer target: OpenAI /v1/completions bodies, then every provider's request encoder.
#include "fuzzsupport.h"

#include "api/openai/openaidecoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    gw::ApiError error;
    if (const auto call = gw::OpenAiDecoder::completion(fuzz::bytes(data, size), error))
        fuzz::translate(call->request);
    else if (error.message.isEmpty() || error.status < 400)
        fuzz::fail("a refusal without an error status and a message");
    return 0;
}
