#pragma once

#include "anthropicwire.h"
#include "net/upstreamcall.h"
#include "providers/provider.h"

#include <QNetworkRequest>

#include <memory>

namespace gw {

// type "anthropic": the Messages API. Options: "max_tokens" (default by model family),
// "send_sampling" (false for models that refuse temperature/top_p/top_k), "anthropic_beta",
// plus the shared "timeouts", "max_retries", "headers", "list_models".
class AnthropicProvider : public Provider
{
public:
    AnthropicProvider(ProviderSettings settings, NetworkPool &pool);

    ChatJob *chat(const ChatRequest &request, QObject *parent) override;
    void listModels(QObject *context, ModelsCallback done) override;

    static QString defaultBaseUrl() { return QStringLiteral("https://api.anthropic.com"); }
    static UpstreamErrorReader errorReader();

private:
    QNetworkRequest request(const QString &path) const;

    QString m_baseUrl;
    AnthropicOptions m_options;
    UpstreamOptions m_upstream;
    // The gateway's cache for this provider name (shared by every worker), else one of its own.
    std::shared_ptr<ThinkingCache> m_cache =
        m_settings.thinking ? m_settings.thinking : std::make_shared<ThinkingCache>();
};

} // namespace gw
