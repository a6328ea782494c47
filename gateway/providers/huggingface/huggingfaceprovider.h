#pragma once

#include "providers/openai/openaiprovider.h"

namespace gw {

// type "huggingface": the Inference Providers router, which speaks Chat Completions (model ids
// "org/model" or "org/model:provider", passed through verbatim), sharing the OpenAI provider's
// code; embeddings through hf-inference feature extraction (option "embeddings_url" points
// elsewhere, "{model}" is replaced).
class HuggingFaceProvider : public OpenAiProvider
{
public:
    HuggingFaceProvider(ProviderSettings settings, NetworkPool &pool)
        : OpenAiProvider(std::move(settings), pool,
                         QStringLiteral("https://router.huggingface.co/v1"))
    {}
    EmbedJob *embed(const EmbedRequest &request, QObject *parent) override;
    bool fillsInTheMiddle() const override { return false; } // the router has no /completions
};

} // namespace gw
