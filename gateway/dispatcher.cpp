#include "dispatcher.h"

#include "truncatingembedjob.h"

#include "chat/failedchatjob.h"
#include "fallbackchatjob.h"
#include "providers/providererror.h"

#include <QTimer>

namespace gw {

void Dispatcher::clearProviders()
{
    m_providers.clear();
    const QMutexLocker lock(&m_shared->mutex);
    m_shared->listedAt.clear();
    m_shared->discovered.clear();
    ++m_shared->discoveredVersion;
    m_discoveredVersion = m_shared->discoveredVersion;
}

void Dispatcher::applyDiscovered()
{
    const QMutexLocker lock(&m_shared->mutex);
    if (m_discoveredVersion == m_shared->discoveredVersion)
        return;
    m_discoveredVersion = m_shared->discoveredVersion;
    for (auto it = m_shared->discovered.cbegin(); it != m_shared->discovered.cend(); ++it)
        m_catalog.setDiscovered(it.key(), it.value());
}

void Dispatcher::setProvider(const QString &name, std::unique_ptr<Provider> provider)
{
    m_providers[name.toLower()] = std::move(provider);
}

Provider *Dispatcher::route(const QString &model, std::optional<ModelInfo> &info,
                            ChatFailure &failure) const
{
    info = m_catalog.resolve(model);
    if (!info) {
        failure.cause = FailureCause::ModelNotFound;
        failure.status = 404;
        failure.model = model;
        return nullptr;
    }
    const auto it = m_providers.find(info->provider.toLower());
    if (it == m_providers.end() || !it->second) {
        failure.cause = FailureCause::Unsupported;
        failure.status = 501;
        failure.provider = info->provider;
        failure.model = model;
        failure.detail = QStringLiteral("(type '%1') is not available in this build of llm-gateway")
                             .arg(info->providerType);
        return nullptr;
    }
    if (m_budgetCheck) {
        if (std::optional<ChatFailure> refused = m_budgetCheck(info->provider)) {
            failure = std::move(*refused);
            failure.model = model;
            return nullptr;
        }
    }
    return it->second.get();
}

ChatJob *Dispatcher::startChat(ChatRequest request, QObject *parent)
{
    // The chain follows fallbacks of fallbacks, each model once (a cycle ends it).
    QStringList chain{request.model};
    QStringList seen{modelNameKey(request.model)};
    for (qsizetype i = 0; i < chain.size(); ++i) {
        const auto info = m_catalog.resolve(chain.at(i));
        for (const QString &f : info ? info->fallbacks : QStringList()) {
            if (!seen.contains(modelNameKey(f))) {
                seen.append(modelNameKey(f));
                chain.append(f);
            }
        }
    }
    if (chain.size() > 1)
        return new FallbackChatJob(
            std::move(request), chain,
            [this](ChatRequest r, QObject *p) { return startOne(std::move(r), p); }, parent);
    return startOne(std::move(request), parent);
}

ChatJob *Dispatcher::startOne(ChatRequest request, QObject *parent)
{
    std::optional<ModelInfo> info;
    ChatFailure failure;
    Provider *provider = route(request.model, info, failure);
    if (!provider)
        return new FailedChatJob(failure, parent);
    request.provider = info->provider;
    request.upstreamModel = info->upstreamModel;
    if (!request.suffix.isEmpty() && !provider->fillsInTheMiddle())
        return new FailedChatJob(
            ProviderError::unsupported(
                provider->settings(),
                QStringLiteral("(type '%1') has no fill-in-the-middle endpoint; leave insert out "
                               "of the model's capabilities")
                    .arg(provider->settings().type),
                400),
            parent);
    if (request.logprobs && !provider->offersLogprobs())
        return new FailedChatJob(
            ProviderError::unsupported(
                provider->settings(),
                QStringLiteral("(type '%1') does not return log probabilities (logprobs)")
                    .arg(info->providerType),
                400),
            parent);
    return provider->chat(request, parent);
}

EmbedJob *Dispatcher::startEmbed(EmbedRequest request, QObject *parent)
{
    const auto info = m_catalog.resolve(request.model);
    // Providers that refuse long inputs get them cut and sent again when truncate is on; each
    // attempt is routed afresh (the providers may have been replaced in between).
    return new TruncatingEmbedJob(
        std::move(request), info ? info->contextLength : 0,
        [this](const EmbedRequest &r, QObject *p) { return startEmbedOnce(r, p); }, parent);
}

EmbedJob *Dispatcher::startEmbedOnce(EmbedRequest request, QObject *parent)
{
    std::optional<ModelInfo> info;
    ChatFailure failure;
    Provider *provider = route(request.model, info, failure);
    if (!provider)
        return new FailedEmbedJob(failure, parent);
    request.provider = info->provider;
    request.upstreamModel = info->upstreamModel;
    return provider->embed(request, parent);
}

void Dispatcher::refreshModels(QObject *context, std::function<void()> done)
{
    static constexpr int kFreshSeconds = 600;
    static constexpr int kMaxWaitMs = 5000;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    applyDiscovered();
    QList<Provider *> stale;
    {
        const QMutexLocker lock(&m_shared->mutex);
        for (const auto &[key, provider] : m_providers) {
            if (!provider->options().listModels.value_or(false))
                continue;
            const QDateTime at = m_shared->listedAt.value(key);
            if (!at.isValid() || at.secsTo(now) > kFreshSeconds) {
                stale.append(provider.get());
                // Marked at once, so concurrent listings (on any worker) do not each start a
                // fetch.
                m_shared->listedAt.insert(key, now);
            }
        }
    }
    if (stale.isEmpty())
        return done();
    auto remaining = std::make_shared<int>(int(stale.size()));
    auto fired = std::make_shared<bool>(false);
    const auto finish = [done, fired] {
        if (!*fired) {
            *fired = true;
            done();
        }
    };
    QTimer::singleShot(kMaxWaitMs, context, finish);
    for (Provider *p : std::as_const(stale)) {
        const QString name = p->settings().name;
        p->listModels(context,
                      [this, name, remaining, finish](const QStringList &ids,
                                                      const std::optional<ChatFailure> &failure) {
                          {
                              const QMutexLocker lock(&m_shared->mutex);
                              if (!failure) {
                                  m_shared->discovered.insert(name, ids);
                                  ++m_shared->discoveredVersion;
                              } else {
                                  m_shared->listedAt.remove(name.toLower()); // try again next time
                              }
                          }
                          applyDiscovered();
                          if (--*remaining == 0)
                              finish();
                      });
    }
}

QList<ChatBackend::Loaded> Dispatcher::loadedModels() const
{
    const QDateTime now = QDateTime::currentDateTime();
    QList<Loaded> out;
    const QMutexLocker lock(&m_shared->mutex);
    for (const Loaded &l : std::as_const(m_shared->loaded))
        if (l.expiresAt > now) {
            out.append(l);
            out.last().expiresAt = l.expiresAt.toLocalTime(); // /api/ps shows local time
        }
    return out;
}

void Dispatcher::touchModel(const QString &name, qint64 keepAliveSeconds)
{
    const QString key = modelNameKey(name);
    if (keepAliveSeconds == 0) {
        const QMutexLocker lock(&m_shared->mutex);
        m_shared->loaded.remove(key);
        return;
    }
    const auto info = m_catalog.resolve(name);
    if (!info)
        return;
    // In UTC: kept per request, so without the local time zone's conversions (~5 K
    // instructions); loadedModels() gives it in local time.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Negative keep_alive is "forever"; Ollama reports such models as expiring centuries away.
    const QDateTime expires =
        keepAliveSeconds < 0 ? now.addYears(292) : now.addSecs(keepAliveSeconds);
    const QMutexLocker lock(&m_shared->mutex);
    m_shared->loaded.insert(key, Loaded{*info, expires});
}

} // namespace gw
