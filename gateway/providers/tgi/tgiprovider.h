#pragma once

#include "providers/openai/openaiprovider.h"

namespace gw {

// type "tgi": a self-hosted text-generation-inference server or Inference Endpoint
// (base_url = its root, e.g. https://NAME.endpoints.huggingface.cloud). Options: "template"
// (chatml, llama2, mistral, zephyr; default from the model name), "max_new_tokens" (default
// 1024: TGI's own default is a handful of tokens). Keys: HUGGINGFACE_API_KEY / HF_TOKEN.
class TgiProvider : public OpenAiProvider
{
public:
    TgiProvider(ProviderSettings settings, NetworkPool &pool)
        : OpenAiProvider(std::move(settings), pool, QStringLiteral("http://127.0.0.1:8080"))
    {}
    bool offersLogprobs() const override { return false; }
    ChatJob *chat(const ChatRequest &request, QObject *parent) override;
    EmbedJob *embed(const EmbedRequest &request, QObject *parent) override;
    void listModels(QObject *, ModelsCallback done) override { done({}, std::nullopt); }
};

} // namespace gw
