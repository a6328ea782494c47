// libFuzzer target: the non-streamed response parsers: embeddings, model lists and error bodies of
// every provider. First byte: which one.
#include "fuzzsupport.h"

#include "providers/huggingface/huggingfacewire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray body = fuzz::bytes(data + 1, size - 1);
    switch (data[0] % 10) {
    case 0:
        gw::OpenAiWire::parseEmbeddings(body);
        break;
    case 1:
        gw::OpenAiWire::parseModels(body);
        break;
    case 2:
        gw::OpenAiWire::errorBody(body);
        gw::AnthropicWire::errorBody(body);
        gw::OllamaWire::errorBody(body);
        break;
    case 3:
        gw::GeminiWire::parseBatchEmbed(body);
        break;
    case 4:
        gw::GeminiWire::parseModels(body);
        break;
    case 5:
        gw::GeminiWire::errorBody(body);
        break;
    case 6:
        gw::HuggingFaceWire::parseFeatures(body, 1 + (data[0] >> 4));
        break;
    case 7:
        gw::OllamaWire::parseEmbed(body);
        break;
    case 8:
        gw::OllamaWire::parseTags(body);
        break;
    default: {
        // Every parser on the same bytes.
        gw::OpenAiWire::parseEmbeddings(body);
        gw::GeminiWire::parseBatchEmbed(body);
        gw::HuggingFaceWire::parseFeatures(body, 2);
        gw::OllamaWire::parseEmbed(body);
    }
    }
    return 0;
}
