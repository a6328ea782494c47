#pragma once

#include "chat/chatfailure.h"
#include "chat/chatjob.h"
#include "chat/chatrequest.h"
#include "chat/embedjob.h"
#include "provideroptions.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace gw {

class NetworkPool;
class ThinkingCache;

// What a provider is built from: its config entry plus the key the secret store found.
struct ProviderSettings
{
    QString name;
    QString type;
    QString baseUrl;      // empty: the type's default
    QString apiKey;       // empty when none was found
    QString keySource;    // where the key came from, for messages ("OPENAI_API_KEY", "keychain")
    QStringList keyHints; // environment variables that would supply it, for messages
    QJsonObject options;
    // Anthropic's thinking blocks and Gemini's thought signatures by tool call id: one per
    // provider name, shared by the workers' copies of the provider; empty: the provider keeps
    // its own.
    std::shared_ptr<ThinkingCache> thinking;
};

// One upstream service. Canonical request in, canonical events out.
class Provider
{
public:
    explicit Provider(ProviderSettings settings, NetworkPool *pool = nullptr)
        : m_settings(std::move(settings)), m_pool(pool),
          m_providerOptions(ProviderOptions::of(m_settings.options))
    {}
    virtual ~Provider() = default;
    Provider(const Provider &) = delete;
    Provider &operator=(const Provider &) = delete;

    const ProviderSettings &settings() const { return m_settings; }
    const ProviderOptions &options() const { return m_providerOptions; }

    // Whether the provider can return log probabilities; the dispatcher refuses requests for
    // them (a 400) to those that cannot.
    virtual bool offersLogprobs() const { return false; }
    // A job that is not started yet; request.upstreamModel names the provider's model.
    virtual ChatJob *chat(const ChatRequest &request, QObject *parent) = 0;
    // Providers without an embeddings endpoint keep this default, which says so.
    virtual EmbedJob *embed(const EmbedRequest &request, QObject *parent)
    {
        Q_UNUSED(request);
        ChatFailure f;
        f.cause = FailureCause::Unsupported;
        f.status = 400;
        f.provider = m_settings.name;
        f.detail = QStringLiteral("(type '%1') does not offer embeddings").arg(m_settings.type);
        return new FailedEmbedJob(std::move(f), parent);
    }

    // Whether a request with a suffix (fill-in-the-middle) has an endpoint here; the dispatcher
    // refuses it for the others rather than let a chat answer ignore the suffix.
    virtual bool fillsInTheMiddle() const { return false; }

    // The provider's own model ids, for listing as provider/model. Calls `done` once, later,
    // with the ids or the failure; `context` going away cancels it. Default: nothing to list.
    using ModelsCallback =
        std::function<void(const QStringList &ids, const std::optional<ChatFailure> &failure)>;
    virtual void listModels(QObject *context, ModelsCallback done)
    {
        Q_UNUSED(context);
        done({}, std::nullopt);
    }

protected:
    ProviderSettings m_settings;
    NetworkPool *m_pool;
    ProviderOptions m_providerOptions; // m_settings.options, typed
};

} // namespace gw
