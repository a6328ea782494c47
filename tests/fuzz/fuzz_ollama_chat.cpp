// libFuzzer target: Ollama /api/chat bodies, then every provider's request encoder.
#include "fuzzsupport.h"

#include "api/ollama/ollamadecoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    gw::ApiError error;
    gw::ApiLimits limits;
    limits.maxMessages = 64;
    if (const auto call = gw::OllamaDecoder::chat(fuzz::bytes(data, size), error, limits))
        fuzz::translate(call->request);
    else if (error.message.isEmpty() || error.status != 400)
        fuzz::fail("a refusal without a 400 and a message");
    return 0;
}
