#include "modelcatalog.h"

#include "knownmodels.h"

#include <QUrl>

namespace gw {

static const ProviderConfig kEchoProvider{QStringLiteral("echo"), QStringLiteral("echo"), {}, {}};

ModelCatalog::ModelCatalog(const Config &config, const QDateTime &modifiedAt)
    : m_config(config), m_modifiedAt(modifiedAt)
{
    bool haveEcho = false;
    for (const ModelMapping &m : config.models) {
        const ProviderConfig *p = config.provider(m.provider);
        m_models.append(
            describe(m.name, p ? *p : kEchoProvider, m.model, m.contextLength, m.capabilities));
        m_models.last().fallbacks = m.fallbacks;
        haveEcho = haveEcho || modelNameKey(m.name) == u"echo";
    }
    // The echo model needs no key and no network: a fresh install can test a client with it.
    if (!haveEcho)
        m_models.append(
            describe(QStringLiteral("echo"), kEchoProvider, QStringLiteral("echo"), 0, {}));
}

ModelInfo ModelCatalog::describe(const QString &name, const ProviderConfig &provider,
                                 const QString &model, qint64 contextLength,
                                 const QStringList &capabilities) const
{
    const KnownModel known = KnownModels::lookup(model);
    ModelInfo info;
    info.name = name;
    info.provider = provider.name;
    info.providerType = provider.type;
    info.upstreamModel = model;
    info.family = KnownModels::clientFamily(model, known.family);
    info.capabilities = capabilities.isEmpty() ? known.capabilities : capabilities;
    // Fill-in-the-middle goes through the OpenAI-compatible Completions / FIM endpoints or a real
    // Ollama's /api/generate; other provider types have neither (the HF router, Azure's chat
    // deployments), so a coder model there does not claim insert unless the mapping says so.
    if (capabilities.isEmpty() && provider.type != u"openai" && provider.type != u"ollama")
        info.capabilities.removeAll(QStringLiteral("insert"));
    info.contextLength = contextLength > 0 ? contextLength : known.contextLength;
    info.embeddingLength = known.embeddingLength;
    info.modifiedAt = m_modifiedAt;
    info.maxOutputTokens = KnownModels::outputLimit(model);
    // Every provider but the built-in echo runs the model elsewhere: say where, as Ollama does
    // for its cloud models, so clients (the Ollama VS Code extension) stop treating it as a
    // local model with a small window. Only scheme, host and port: never a path or query.
    if (provider.type != u"echo") {
        const QUrl base(provider.baseUrl);
        if (base.isValid() && !base.host().isEmpty())
            info.remoteHost = base.adjusted(QUrl::RemovePath | QUrl::RemoveQuery |
                                            QUrl::RemoveFragment | QUrl::RemoveUserInfo)
                                  .toString();
    }
    return info;
}

std::optional<ModelInfo> ModelCatalog::resolve(const QString &name) const
{
    const QString key = modelNameKey(name);
    if (key.isEmpty())
        return std::nullopt;
    for (const ModelInfo &m : m_models)
        if (modelNameKey(m.name) == key)
            return m;
    // provider/model: the rest may itself contain '/' and ':' (HuggingFace ids).
    const qsizetype slash = key.indexOf(u'/');
    if (slash > 0) {
        const QString providerName = name.trimmed().left(slash);
        QString model = name.trimmed().mid(slash + 1);
        if (model.endsWith(u":latest", Qt::CaseInsensitive))
            model.chop(7);
        const ProviderConfig *p = m_config.provider(providerName);
        if (!p && providerName.compare(u"echo", Qt::CaseInsensitive) == 0)
            p = &kEchoProvider;
        if (p && !model.isEmpty())
            return describe(p->name + u'/' + model, *p, model, 0, {});
    }
    return std::nullopt;
}

void ModelCatalog::setDiscovered(const QString &provider, const QStringList &modelIds)
{
    const ProviderConfig *p = m_config.provider(provider);
    if (!p)
        return;
    const QString prefix = p->name + u'/';
    m_models.removeIf([&](const ModelInfo &m) { return m.name.startsWith(prefix); });
    for (const QString &id : modelIds)
        m_models.append(describe(prefix + id, *p, id, 0, {}));
}

} // namespace gw
