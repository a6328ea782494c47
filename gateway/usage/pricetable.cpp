#include "pricetable.h"

#include <QLatin1StringView>

namespace gw {
namespace {

struct Entry
{
    const char *family; // "openai", "anthropic", "gemini"
    const char *prefix; // of the upstream model id
    Price price;
};

// Per million tokens, US dollars, standard tier, as published on the providers' price pages
// (PriceTable::kDate). Gemini: prompts up to 200k tokens. Longest prefix wins, so dated ids
// (claude-sonnet-4-5-20250929, gpt-4o-2024-08-06) find their model.
constexpr Entry kPrices[] = {
    // OpenAI: cached input at the discounted rate; no charge for writing the cache.
    {"openai", "gpt-5.1", {1.25, 10.00, 0.125, 1.25}},
    {"openai", "gpt-5", {1.25, 10.00, 0.125, 1.25}},
    {"openai", "gpt-5-mini", {0.25, 2.00, 0.025, 0.25}},
    {"openai", "gpt-5-nano", {0.05, 0.40, 0.005, 0.05}},
    {"openai", "gpt-4.1", {2.00, 8.00, 0.50, 2.00}},
    {"openai", "gpt-4.1-mini", {0.40, 1.60, 0.10, 0.40}},
    {"openai", "gpt-4.1-nano", {0.10, 0.40, 0.025, 0.10}},
    {"openai", "gpt-4o", {2.50, 10.00, 1.25, 2.50}},
    {"openai", "gpt-4o-mini", {0.15, 0.60, 0.075, 0.15}},
    {"openai", "o1", {15.00, 60.00, 7.50, 15.00}},
    {"openai", "o3", {2.00, 8.00, 0.50, 2.00}},
    {"openai", "o3-mini", {1.10, 4.40, 0.55, 1.10}},
    {"openai", "o4-mini", {1.10, 4.40, 0.275, 1.10}},
    {"openai", "text-embedding-3-small", {0.02, 0, 0.02, 0.02}},
    {"openai", "text-embedding-3-large", {0.13, 0, 0.13, 0.13}},
    // Anthropic: cache reads at 0.1x, 5-minute cache writes at 1.25x the input price.
    {"anthropic", "claude-opus-4-5", {5.00, 25.00, 0.50, 6.25}},
    {"anthropic", "claude-opus-4-1", {15.00, 75.00, 1.50, 18.75}},
    {"anthropic", "claude-opus-4", {15.00, 75.00, 1.50, 18.75}},
    {"anthropic", "claude-sonnet-4-5", {3.00, 15.00, 0.30, 3.75}},
    {"anthropic", "claude-sonnet-4", {3.00, 15.00, 0.30, 3.75}},
    {"anthropic", "claude-3-7-sonnet", {3.00, 15.00, 0.30, 3.75}},
    {"anthropic", "claude-haiku-4-5", {1.00, 5.00, 0.10, 1.25}},
    {"anthropic", "claude-3-5-haiku", {0.80, 4.00, 0.08, 1.00}},
    {"anthropic", "claude-3-haiku", {0.25, 1.25, 0.03, 0.30}},
    // Gemini: implicit cache hits at the cached rate; explicit caches' storage is not counted.
    {"gemini", "gemini-3-pro", {2.00, 12.00, 0.20, 2.00}},
    {"gemini", "gemini-2.5-pro", {1.25, 10.00, 0.125, 1.25}},
    {"gemini", "gemini-2.5-flash", {0.30, 2.50, 0.03, 0.30}},
    {"gemini", "gemini-2.5-flash-lite", {0.10, 0.40, 0.01, 0.10}},
    {"gemini", "gemini-2.0-flash", {0.10, 0.40, 0.025, 0.10}},
    {"gemini", "gemini-2.0-flash-lite", {0.075, 0.30, 0.075, 0.075}},
};

// Which family of prices a provider type bills by.
QLatin1StringView family(const QString &type)
{
    if (type == u"openai" || type == u"azure")
        return QLatin1StringView("openai");
    if (type == u"anthropic")
        return QLatin1StringView("anthropic");
    if (type == u"gemini")
        return QLatin1StringView("gemini");
    return {};
}

} // namespace

std::optional<Price> PriceTable::builtIn(const QString &providerType, const QString &upstreamModel)
{
    if (providerType == u"echo" || providerType == u"ollama")
        return Price{}; // runs here or on the user's own machine
    const QLatin1StringView fam = family(providerType);
    if (fam.isEmpty())
        return std::nullopt;
    QString id = upstreamModel.trimmed().toLower();
    if (id.startsWith(u"models/")) // Gemini's resource names
        id.remove(0, 7);
    const Entry *best = nullptr;
    qsizetype bestLength = 0;
    for (const Entry &e : kPrices) {
        const QLatin1StringView prefix(e.prefix);
        if (fam != QLatin1StringView(e.family) || !id.startsWith(prefix) ||
            prefix.size() <= bestLength)
            continue;
        // A prefix ends at a boundary: o3 must not price o3x, nor claude-opus-4 price -45.
        if (id.size() > prefix.size() && id.at(prefix.size()).isLetterOrNumber())
            continue;
        best = &e;
        bestLength = prefix.size();
    }
    if (!best)
        return std::nullopt;
    return best->price;
}

std::optional<Price> PriceTable::resolve(const std::optional<Price> &builtIn,
                                         const ModelPrice &override)
{
    if (override.isEmpty())
        return builtIn;
    if (!builtIn && (!override.input || !override.output))
        return std::nullopt;
    Price p = builtIn.value_or(Price{});
    if (!builtIn) { // cached and cache-write rates default to the input price
        p.cachedInput = *override.input;
        p.cacheWrite = *override.input;
    }
    if (override.input)
        p.input = *override.input;
    if (override.output)
        p.output = *override.output;
    if (override.cachedInput)
        p.cachedInput = *override.cachedInput;
    if (override.cacheWrite)
        p.cacheWrite = *override.cacheWrite;
    return p;
}

std::optional<Price> PriceTable::forRequest(const Config &config, const QString &providerType,
                                            const QString &model, const QString &upstreamModel)
{
    const std::optional<Price> table = builtIn(providerType, upstreamModel);
    const QString key = modelNameKey(model);
    for (const ModelMapping &m : config.models)
        if (modelNameKey(m.name) == key)
            return resolve(table, m.price);
    return table;
}

Cost PriceTable::cost(const std::optional<Price> &price, const TokenCounts &t)
{
    Cost c;
    if (!price || t.input < 0 || t.output < 0)
        return c;
    const qint64 cached = qMax<qint64>(0, t.cachedRead);
    const qint64 written = qMax<qint64>(0, t.cacheWrite);
    const qint64 plain = qMax<qint64>(0, t.input - cached - written);
    c.cost = (double(plain) * price->input + double(cached) * price->cachedInput +
              double(written) * price->cacheWrite + double(t.output) * price->output) /
             1e6;
    if (t.cachedRead >= 0)
        c.saved = double(cached) * (price->input - price->cachedInput) / 1e6;
    return c;
}

} // namespace gw
