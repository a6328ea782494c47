// libFuzzer target: a real Ollama's NDJSON response decoder. First byte: JSON body or stream, and
// the split pattern.
#include "fuzzsupport.h"

#include "providers/ollama/ollamastreamdecoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const std::uint8_t mode = data[0];
    gw::OllamaStreamDecoder d;
    d.setJsonBody(mode & 1);
    fuzz::feedAndCheck(d, fuzz::bytes(data + 1, size - 1), mode >> 1);
    return 0;
}
