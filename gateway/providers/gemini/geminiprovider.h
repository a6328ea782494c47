#pragma once

#include "net/upstreamcall.h"
#include "providers/provider.h"
#include "providers/thinkingcache.h"

#include <QNetworkRequest>

#include <memory>

namespace gw {

// type "gemini": the Gemini API (generateContent / streamGenerateContent?alt=sse on v1beta,
// key in x-goog-api-key), embeddings through batchEmbedContents, models from /models.
class GeminiProvider : public Provider
{
public:
    GeminiProvider(ProviderSettings settings, NetworkPool &pool);

    bool offersLogprobs() const override { return true; }
    ChatJob *chat(const ChatRequest &request, QObject *parent) override;
    EmbedJob *embed(const EmbedRequest &request, QObject *parent) override;
    void listModels(QObject *context, ModelsCallback done) override;

    static QString defaultBaseUrl()
    {
        return QStringLiteral("https://generativelanguage.googleapis.com/v1beta");
    }

private:
    QNetworkRequest request(const QString &path) const;

    QString m_baseUrl;
    UpstreamOptions m_upstream;
    // The gateway's cache for this provider name (shared by every worker), else one of its own.
    std::shared_ptr<ThinkingCache> m_signatures =
        m_settings.thinking ? m_settings.thinking : std::make_shared<ThinkingCache>();
};

} // namespace gw
