#include "providerregistry.h"

#include "anthropic/anthropicprovider.h"
#include "azure/azureopenaiprovider.h"
#include "echo/echoprovider.h"
#include "gemini/geminiprovider.h"
#include "huggingface/huggingfaceprovider.h"
#include "ollama/ollamaprovider.h"
#include "openai/openaiprovider.h"
#include "tgi/tgiprovider.h"

#include <QUrl>

namespace gw {
namespace {

using KeyNeed = ProviderRegistry::KeyNeed;

struct Entry
{
    const char *type;
    std::unique_ptr<Provider> (*make)(const ProviderSettings &, NetworkPool &);
    KeyNeed key;
    const char *keyVariables[2]; // the type's own SDKs' variables, nullptr-padded
    bool variablesForAnyName;    // tried whatever the provider's name (not per service)
    bool canListModels;
    bool localByDefault; // its default base URL is on this machine (a local server)
};

template <typename P>
std::unique_ptr<Provider> make(const ProviderSettings &settings, NetworkPool &pool)
{
    return std::make_unique<P>(settings, pool);
}

// One line per provider type.
constexpr Entry kTable[] = {
    {"echo", &make<EchoProvider>, KeyNeed::Never, {}, false, true, true},
    {"openai", &make<OpenAiProvider>, KeyNeed::Remote, {"OPENAI_API_KEY"}, false, true, false},
    {"anthropic",
     &make<AnthropicProvider>,
     KeyNeed::Remote,
     {"ANTHROPIC_API_KEY"},
     false,
     true,
     false},
    {"gemini",
     &make<GeminiProvider>,
     KeyNeed::Remote,
     {"GEMINI_API_KEY", "GOOGLE_API_KEY"},
     false,
     true,
     false},
    {"huggingface",
     &make<HuggingFaceProvider>,
     KeyNeed::Remote,
     {"HUGGINGFACE_API_KEY", "HF_TOKEN"},
     true,
     true,
     false},
    {"ollama", &make<OllamaProvider>, KeyNeed::Remote, {}, false, true, true},
    {"azure-openai",
     &make<AzureOpenAiProvider>,
     KeyNeed::Remote,
     {"AZURE_OPENAI_API_KEY"},
     false,
     false,
     false},
    {"tgi",
     &make<TgiProvider>,
     KeyNeed::Remote,
     {"HUGGINGFACE_API_KEY", "HF_TOKEN"},
     true,
     false,
     true},
};

const Entry *entry(const QString &type)
{
    for (const Entry &e : kTable)
        if (type == QLatin1StringView(e.type))
            return &e;
    return nullptr;
}

} // namespace

QStringList ProviderRegistry::types()
{
    QStringList t;
    for (const Entry &e : kTable)
        t.append(QString::fromLatin1(e.type));
    return t;
}

ProviderRegistry::KeyNeed ProviderRegistry::keyNeed(const QString &type)
{
    const Entry *e = entry(type);
    return e ? e->key : KeyNeed::Remote;
}

bool ProviderRegistry::known(const QString &type)
{
    return entry(type) != nullptr;
}

std::unique_ptr<Provider> ProviderRegistry::create(const ProviderSettings &settings,
                                                   NetworkPool &pool)
{
    const Entry *e = entry(settings.type);
    return e ? e->make(settings, pool) : nullptr;
}

bool ProviderRegistry::checkOptions(const QString &type, JsonFields &options)
{
    Q_UNUSED(type); // every option has one type, whatever the provider
    ProviderOptions o;
    return ProviderOptions::read(options, o);
}

const QList<ProviderPreset> &ProviderRegistry::presets()
{
    static const QList<ProviderPreset> presets = {
        {"openai", "openai", "https://api.openai.com/v1", "OpenAI"},
        {"anthropic", "anthropic", "https://api.anthropic.com", "Anthropic"},
        {"gemini", "gemini", "https://generativelanguage.googleapis.com/v1beta", "Google Gemini"},
        {"huggingface", "huggingface", "https://router.huggingface.co/v1", "Hugging Face"},
        {"openrouter", "openai", "https://openrouter.ai/api/v1", "OpenRouter"},
        {"groq", "openai", "https://api.groq.com/openai/v1", "Groq"},
        {"deepseek", "openai", "https://api.deepseek.com/v1", "DeepSeek"},
        {"mistral", "openai", "https://api.mistral.ai/v1", "Mistral"},
        {"together", "openai", "https://api.together.xyz/v1", "Together AI"},
    };
    return presets;
}

const ProviderPreset *ProviderRegistry::preset(const QString &name)
{
    for (const ProviderPreset &p : presets())
        if (name.compare(QLatin1StringView(p.name), Qt::CaseInsensitive) == 0)
            return &p;
    return nullptr;
}

QString ProviderRegistry::baseUrl(const QString &name, const QString &type,
                                  const QString &configured)
{
    if (!configured.isEmpty())
        return configured;
    if (const ProviderPreset *p = preset(name); p && type == QLatin1StringView(p->type))
        return QString::fromLatin1(p->baseUrl);
    return {};
}

bool ProviderRegistry::needsKey(const QString &type, const QString &baseUrl,
                                std::optional<bool> requiresKey)
{
    const Entry *e = entry(type);
    if (e && e->key == KeyNeed::Never)
        return false;
    if (requiresKey)
        return *requiresKey;
    // LM Studio, vLLM, llama.cpp, a local Ollama and friends on this machine or the LAN usually
    // need none. An empty URL is the type's default.
    if (baseUrl.isEmpty())
        return !(e && e->localByDefault);
    return !OpenAiProvider::isLocal(QUrl(baseUrl));
}

QStringList ProviderRegistry::keyVariables(const QString &name, const QString &type)
{
    QString base;
    for (const QChar c : name)
        base += c.isLetterOrNumber() ? c.toUpper() : QChar(u'_');
    QStringList names{base + QStringLiteral("_API_KEY")};
    const Entry *e = entry(type);
    // A provider named after a preset whose type differs (e.g. "groq" of type openai) must not
    // pick up OPENAI_API_KEY: the type's variables only when the provider carries the type's
    // own name, or for types whose variables are not per service.
    if (!e || (!e->variablesForAnyName && name.compare(type, Qt::CaseInsensitive) != 0))
        return names;
    for (const char *v : e->keyVariables)
        if (v && !names.contains(QLatin1StringView(v)))
            names.append(QString::fromLatin1(v));
    return names;
}

bool ProviderRegistry::canListModels(const QString &type)
{
    const Entry *e = entry(type);
    return e && e->canListModels;
}

} // namespace gw
