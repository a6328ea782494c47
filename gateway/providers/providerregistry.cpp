#include "providerregistry.h"

#include "anthropic/anthropicprovider.h"
#include "azure/azureopenaiprovider.h"
#include "echo/echoprovider.h"
#include "gemini/geminiprovider.h"
#include "huggingface/huggingfaceprovider.h"
#include "ollama/ollamaprovider.h"
#include "openai/openaiprovider.h"
#include "tgi/tgiprovider.h"

namespace gw {
namespace {

struct Entry
{
    const char *type;
    std::unique_ptr<Provider> (*make)(const ProviderSettings &, NetworkPool &);
};

template <typename P>
std::unique_ptr<Provider> make(const ProviderSettings &settings, NetworkPool &pool)
{
    return std::make_unique<P>(settings, pool);
}

// One line per provider type.
constexpr Entry kTable[] = {
    {"echo", &make<EchoProvider>},
    {"openai", &make<OpenAiProvider>},
    {"anthropic", &make<AnthropicProvider>},
    {"gemini", &make<GeminiProvider>},
    {"huggingface", &make<HuggingFaceProvider>},
    {"ollama", &make<OllamaProvider>},
    {"azure-openai", &make<AzureOpenAiProvider>},
    {"tgi", &make<TgiProvider>},
};

} // namespace

bool ProviderRegistry::checkOptions(const QString &type, JsonFields &options)
{
    Q_UNUSED(type); // every option has one type, whatever the provider
    ProviderOptions o;
    return ProviderOptions::read(options, o);
}

QStringList ProviderRegistry::types()
{
    QStringList t;
    for (const Entry &e : kTable)
        t.append(QString::fromLatin1(e.type));
    return t;
}

std::unique_ptr<Provider> ProviderRegistry::create(const ProviderSettings &settings,
                                                   NetworkPool &pool)
{
    for (const Entry &e : kTable)
        if (settings.type == QLatin1StringView(e.type))
            return e.make(settings, pool);
    return nullptr;
}

} // namespace gw
