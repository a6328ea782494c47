#pragma once

#include "config/config.h"

#include <QString>

#include <optional>

namespace gw {

// What a model costs, per million tokens in US dollars. `cachedInput` and `cacheWrite` fall
// back to the input price where a provider has no separate one.
struct Price
{
    double input = 0;
    double output = 0;
    double cachedInput = 0;
    double cacheWrite = 0;

    bool operator==(const Price &) const = default;
};

// The tokens of one request, -1 where the provider did not say.
struct TokenCounts
{
    qint64 input = -1; // all input tokens, cached ones included
    qint64 output = -1;
    qint64 cachedRead = -1;
    qint64 cacheWrite = -1;
    qint64 reasoning = -1;
};

// A request's cost and what prompt caching saved, in dollars; unset when the price or the
// tokens are not known (never 0 for "unknown").
struct Cost
{
    std::optional<double> cost;
    std::optional<double> saved;
};

// The built-in prices of the well-known models (kDate says when they were taken from the
// providers' price pages), looked up by provider type and upstream model id (longest prefix),
// and the config's overrides on top.
class PriceTable
{
public:
    static constexpr const char *kDate = "2025-11-20";

    // The built-in price, or none for a model not in the table. Local providers (echo, ollama)
    // cost nothing.
    static std::optional<Price> builtIn(const QString &providerType, const QString &upstreamModel);
    // The override's fields over the built-in price; an override alone needs input and output.
    static std::optional<Price> resolve(const std::optional<Price> &builtIn,
                                        const ModelPrice &override);
    // The price of a request for `model` (the client's name) routed to `provider`/`upstreamModel`
    // under `config`: the mapping's override, then the built-in table.
    static std::optional<Price> forRequest(const Config &config, const QString &providerType,
                                           const QString &model, const QString &upstreamModel);

    static Cost cost(const std::optional<Price> &price, const TokenCounts &tokens);
};

} // namespace gw
