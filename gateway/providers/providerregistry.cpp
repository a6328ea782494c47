#include "providerregistry.h"

#include "anthropic/anthropicprovider.h"
#include "azure/azureopenaiprovider.h"
#include "echo/echoprovider.h"
#include "gemini/geminiprovider.h"
#include "huggingface/huggingfaceprovider.h"
#include "openai/openaiprovider.h"

#include <functional>

namespace gw {
namespace {

struct Entry
{
    const char *type;
    std::function<std::unique_ptr<Provider>(const ProviderSettings &, NetworkPool &)> make;
};

const std::vector<Entry> &table()
{
    static const std::vector<Entry> entries = {
        {"echo", [](const ProviderSettings &s,
                    NetworkPool &) { return std::make_unique<EchoProvider>(s); }},
        {"openai", [](const ProviderSettings &s,
                      NetworkPool &p) { return std::make_unique<OpenAiProvider>(s, p); }},
    };
    return entries;
}

} // namespace

QStringList ProviderRegistry::types()
{
    QStringList t;
    for (const Entry &e : table())
        t.append(QString::fromLatin1(e.type));
    return t;
}

std::unique_ptr<Provider> ProviderRegistry::create(const ProviderSettings &settings,
                                                   NetworkPool &pool)
{
    for (const Entry &e : table())
        if (settings.type == QLatin1StringView(e.type))
            return e.make(settings, pool);
    return nullptr;
}

} // namespace gw
