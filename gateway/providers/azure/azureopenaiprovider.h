#pragma once

#include "providers/openai/openaiprovider.h"

namespace gw {

// type "azure-openai": Azure OpenAI deployments. base_url is the resource endpoint
// (https://NAME.openai.azure.com); the mapping's model is the deployment name; the key goes in
// the api-key header; option "api_version" (default 2024-10-21).
class AzureOpenAiProvider : public OpenAiProvider
{
public:
    AzureOpenAiProvider(ProviderSettings settings, NetworkPool &pool)
        : OpenAiProvider(std::move(settings), pool, QString())
    {
        m_flavor.maxCompletionTokens = true;
    }
    void listModels(QObject *, ModelsCallback done) override { done({}, std::nullopt); }
    bool fillsInTheMiddle() const override { return false; } // chat deployments only

protected:
    QNetworkRequest request(const QString &path, const QString &deployment) const override;
};

} // namespace gw
