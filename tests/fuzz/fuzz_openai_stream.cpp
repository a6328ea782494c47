// libFuzzer target: the OpenAI Chat Completions response decoder (SSE or one JSON body; HuggingFace
// and Azure use it too). First byte: JSON body or stream, and the split pattern. The simdjson
// reading of each chunk must give exactly the events the QJsonDocument reading gives.
#include "chateventdump.h"
#include "fuzzsupport.h"

#include "providers/openai/openaistreamdecoder.h"

namespace {

QList<gw::ChatEvent> decode(gw::OpenAiStreamDecoder::Json json, bool body, const QByteArray &in,
                            std::uint8_t pattern)
{
    gw::OpenAiStreamDecoder d(json);
    d.setJsonBody(body);
    QList<gw::ChatEvent> out;
    for (const QByteArray &piece : fuzz::split(in, pattern))
        out += d.feed(piece);
    out += d.finish();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const std::uint8_t mode = data[0];
    const QByteArray in = fuzz::bytes(data + 1, size - 1);
    gw::OpenAiStreamDecoder d;
    d.setJsonBody(mode & 1);
    fuzz::feedAndCheck(d, in, mode >> 1);
    using Json = gw::OpenAiStreamDecoder::Json;
    if (testing::dump(decode(Json::Fast, mode & 1, in, mode >> 1)) !=
        testing::dump(decode(Json::Qt, mode & 1, in, mode >> 1)))
        fuzz::fail("the simdjson and the QJsonDocument readings gave different events");
    return 0;
}
