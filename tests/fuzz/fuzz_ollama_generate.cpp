// libFuzzer target: Ollama /api/generate bodies, then every provider's request encoder.
#include "fuzzsupport.h"

#include "api/ollama/ollamadecoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    gw::ApiError error;
    if (const auto call = gw::OllamaDecoder::generate(fuzz::bytes(data, size), error))
        fuzz::translate(call->request);
    else if (error.message.isEmpty() || error.status != 400)
        fuzz::fail("a refusal without a 400 and a message");
    return 0;
}
