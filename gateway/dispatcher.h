#pragma once

#include "chat/chatbackend.h"
#include "config/modelcatalog.h"
#include "providers/provider.h"

#include <QDateTime>
#include <QHash>
#include <QMutex>

#include <functional>

#include <memory>
#include <unordered_map>

namespace gw {

// What every worker thread's dispatcher must see alike, whichever connection asks: the models
// loaded for /api/ps and the model lists fetched from providers (listed once for all workers).
// One short lock per use; not on the path of a chat request.
struct DispatcherShared
{
    QMutex mutex;
    QHash<QString, ChatBackend::Loaded> loaded; // by modelNameKey
    QHash<QString, QDateTime> listedAt;         // by lower-case provider name
    QHash<QString, QStringList> discovered;     // by provider name: the ids it listed
    quint64 discoveredVersion = 0;              // bumped on each change of `discovered`
};

// Where the inbound dialects meet the providers: resolves a model name through the catalog and
// hands the request to the provider that serves it.
class Dispatcher : public ChatBackend
{
public:
    Dispatcher() = default;

    // Shares /api/ps and the fetched model lists with other dispatchers (one per worker
    // thread); by default a dispatcher has its own.
    void setShared(std::shared_ptr<DispatcherShared> shared) { m_shared = std::move(shared); }

    void setCatalog(ModelCatalog catalog) { m_catalog = std::move(catalog); }
    // Asked before each request with the provider's name: a failure (a hard budget used up)
    // refuses the request.
    using BudgetCheck = std::function<std::optional<ChatFailure>(const QString &provider)>;
    void setBudgetCheck(BudgetCheck check) { m_budgetCheck = std::move(check); }
    // Takes ownership; replaces any provider of the same name.
    void setProvider(const QString &name, std::unique_ptr<Provider> provider);
    void clearProviders();

    QList<ModelInfo> models() const override { return m_catalog.models(); }
    void refreshModels(QObject *context, std::function<void()> done) override;
    std::optional<ModelInfo> findModel(const QString &name) const override
    {
        return m_catalog.resolve(name);
    }
    ChatJob *startChat(ChatRequest request, QObject *parent) override;
    ChatJob *startOne(ChatRequest request, QObject *parent); // no fallbacks
    EmbedJob *startEmbed(EmbedRequest request, QObject *parent) override;
    EmbedJob *startEmbedOnce(EmbedRequest request, QObject *parent); // no truncation retry
    QList<Loaded> loadedModels() const override;
    void touchModel(const QString &name, qint64 keepAliveSeconds) override;

private:
    // The provider serving `model`, or the failure that says why there is none (no such model,
    // a provider type not built, or its budget used up).
    Provider *route(const QString &model, std::optional<ModelInfo> &info,
                    ChatFailure &failure) const;

    ModelCatalog m_catalog;
    BudgetCheck m_budgetCheck;
    std::unordered_map<QString, std::unique_ptr<Provider>> m_providers; // by lower-case name
    // Takes the lists other dispatchers fetched into the catalog.
    void applyDiscovered();

    std::shared_ptr<DispatcherShared> m_shared = std::make_shared<DispatcherShared>();
    quint64 m_discoveredVersion = 0; // of m_shared->discovered, as in m_catalog
};

} // namespace gw
