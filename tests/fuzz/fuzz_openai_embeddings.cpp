// libFuzzer target: OpenAI /v1/embeddings bodies, then the providers' embedding request encoders.
#include "fuzzsupport.h"

#include "api/openai/openaidecoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    gw::ApiError error;
    if (const auto call = gw::OpenAiDecoder::embeddings(fuzz::bytes(data, size), error)) {
        const gw::EmbedRequest &e = call->request;
        gw::OpenAiWire::embedBody(e);
        gw::OllamaWire::embedBody(e);
        gw::GeminiWire::batchEmbedBody(e.model, e.inputs, e.dimensions);
    } else if (error.message.isEmpty() || error.status < 400) {
        fuzz::fail("a refusal without an error status and a message");
    }
    return 0;
}
