#pragma once

#include "net/upstreamcall.h"
#include "openaiwire.h"
#include "providers/httpchatjob.h"
#include "providers/provider.h"

#include <QNetworkRequest>

namespace gw {

// type "openai": api.openai.com and every OpenAI-compatible service (OpenRouter, Groq,
// DeepSeek, Mistral, Together, LM Studio, vLLM, llama.cpp) through its base_url.
// Options: "headers" {name: value} sent with every request (e.g. OpenRouter's HTTP-Referer),
// "send_top_k", "max_tokens_field" ("max_tokens" | "max_completion_tokens"),
// "requires_key" (default: true unless the server is on this machine or a private network),
// "timeouts" {"connect_ms", "first_byte_ms", "idle_ms"}, "max_retries", "fim_url" (where
// fill-in-the-middle requests go; see FimWire for the defaults).
class OpenAiProvider : public Provider
{
public:
    OpenAiProvider(ProviderSettings settings, NetworkPool &pool)
        : OpenAiProvider(std::move(settings), pool, defaultBaseUrl())
    {}

    bool offersLogprobs() const override { return true; }
    ChatJob *chat(const ChatRequest &request, QObject *parent) override;
    EmbedJob *embed(const EmbedRequest &request, QObject *parent) override;
    void listModels(QObject *context, ModelsCallback done) override;
    bool fillsInTheMiddle() const override { return true; }

    static QString defaultBaseUrl() { return QStringLiteral("https://api.openai.com/v1"); }
    QString baseUrl() const { return m_baseUrl; }

    // Shared with providers that speak the same format (HuggingFace's router, Azure).
    static UpstreamOptions upstreamOptions(const ProviderOptions &options);
    // OpenAI-style error bodies, which also cover HF/TGI's {"error": "..."} and Anthropic's.
    static UpstreamErrorReader errorReader();
    static bool isLocal(const QUrl &url);

protected:
    // For services that speak this format under another default address.
    OpenAiProvider(ProviderSettings settings, NetworkPool &pool, const QString &defaultBase);
    virtual QNetworkRequest request(const QString &path, const QString &upstreamModel) const;
    QNetworkRequest requestTo(const QUrl &url) const;
    // A request with a suffix: the service's FIM endpoint (FimWire), not chat.
    ChatJob *fillInTheMiddle(const ChatRequest &request, QObject *parent);
    bool needsKey() const;

    QString m_baseUrl;
    QNetworkRequest m_chatRequest; // request("/chat/completions"), made in the constructor
    OpenAiFlavor m_flavor;
    UpstreamOptions m_upstream;
};

} // namespace gw
