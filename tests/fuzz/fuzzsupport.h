#pragma once

// Shared by the libFuzzer targets: feeding a body to an incremental decoder in pieces whose
// sizes come from the input itself, so the fuzzer explores split points as well as content,
// and the checks a target makes beyond "no crash, no UB, no leak".

#include "chat/chatevent.h"
#include "chat/chatrequest.h"
#include "providers/anthropic/anthropicwire.h"
#include "providers/gemini/geminiwire.h"
#include "providers/ollama/ollamawire.h"
#include "providers/openai/openaiwire.h"
#include "providers/tgi/tgiwire.h"

#include <QByteArray>
#include <QList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace fuzz {

// Piece sizes for a split pattern: 0 = whole, else a repeating run of small sizes (1 byte at a
// time, odd sizes that cut CRLFs and UTF-8 sequences, a larger block).
inline QList<QByteArray> split(const QByteArray &body, std::uint8_t pattern)
{
    static const int sizes[][3] = {{0, 0, 0}, {1, 1, 1}, {2, 3, 5}, {7, 1, 13}, {64, 3, 1}};
    const auto &run = sizes[pattern % 5];
    QList<QByteArray> out;
    if (run[0] == 0) {
        out.append(body);
        return out;
    }
    qsizetype pos = 0;
    for (int i = 0; pos < body.size(); ++i) {
        const int n = run[i % 3];
        out.append(body.mid(pos, n));
        pos += n;
    }
    return out;
}

[[noreturn]] inline void fail(const char *what)
{
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    std::abort();
}

// A provider's events must end the answer: however broken the body, once it has ended there is
// a Finish or an Error (otherwise the client's request would hang).
template <typename Decoder>
void feedAndCheck(Decoder &d, const QByteArray &body, std::uint8_t pattern)
{
    bool terminal = false;
    const auto note = [&](const QList<gw::ChatEvent> &events) {
        for (const gw::ChatEvent &e : events)
            if (e.type == gw::ChatEvent::Type::Finish || e.type == gw::ChatEvent::Type::Error)
                terminal = true;
    };
    // Everything is fed, even after an error (where the job would stop reading), to reach
    // more of the decoder.
    for (const QByteArray &piece : split(body, pattern))
        note(d.feed(piece));
    note(d.finish());
    if (!terminal)
        fail("the decoder ended without a Finish or an Error event");
}

// A decoded request goes on to every provider's request encoder, as it would in the gateway: an
// inbound body the decoders accept must not break any of them either.
inline void translate(const gw::ChatRequest &request)
{
    gw::OpenAiFlavor flavor;
    gw::OpenAiWire::chatBody(request, flavor);
    flavor.maxCompletionTokens = flavor.sendTopK = true;
    flavor.streamUsage = false;
    gw::OpenAiWire::chatBody(request, flavor);
    gw::ThinkingCache cache;
    bool viaTool = false;
    gw::AnthropicWire::messagesBody(request, gw::AnthropicOptions{}, cache, &viaTool);
    gw::AnthropicOptions noSampling;
    noSampling.sendSampling = false;
    noSampling.defaultMaxTokens = 5;
    gw::AnthropicWire::messagesBody(request, noSampling, cache, &viaTool);
    gw::GeminiWire::generateBody(request, cache);
    gw::OllamaWire::chatBody(request);
    for (auto t : {gw::TgiWire::Template::ChatMl, gw::TgiWire::Template::Llama2,
                   gw::TgiWire::Template::Mistral, gw::TgiWire::Template::Zephyr})
        gw::TgiWire::generateBody(request, t, 1024);
}

inline QByteArray bytes(const std::uint8_t *data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace fuzz
