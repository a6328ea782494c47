#pragma once

#include "providers/openai/openaiprovider.h"

namespace gw {

// type "ollama": a real Ollama server (another port, another machine, or ollama.com with a
// key) behind the gateway, so its models appear next to the cloud ones. Speaks Ollama's native
// API upstream; base_url defaults to http://127.0.0.1:11434.
class OllamaProvider : public OpenAiProvider
{
public:
    OllamaProvider(ProviderSettings settings, NetworkPool &pool)
        : OpenAiProvider(std::move(settings), pool, QStringLiteral("http://127.0.0.1:11434"))
    {}
    ChatJob *chat(const ChatRequest &request, QObject *parent) override;
    EmbedJob *embed(const EmbedRequest &request, QObject *parent) override;
    void listModels(QObject *context, ModelsCallback done) override;
    bool fillsInTheMiddle() const override { return true; } // /api/generate with suffix
};

} // namespace gw
