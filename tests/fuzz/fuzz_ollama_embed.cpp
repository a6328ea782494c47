// libFuzzer target: Ollama /api/embed and legacy /api/embeddings bodies, then the providers'
// embedding request encoders.
#include "fuzzsupport.h"

#include "api/ollama/ollamadecoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray body = fuzz::bytes(data, size);
    gw::ApiError error;
    for (const auto &e :
         {gw::OllamaDecoder::embed(body, error), gw::OllamaDecoder::embeddings(body, error)}) {
        if (e) {
            gw::OpenAiWire::embedBody(*e);
            gw::OllamaWire::embedBody(*e);
            gw::GeminiWire::batchEmbedBody(e->model, e->inputs, e->dimensions);
        } else if (error.message.isEmpty()) {
            fuzz::fail("a refusal without a message");
        }
    }
    return 0;
}
