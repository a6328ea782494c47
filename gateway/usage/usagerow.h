#pragma once

#include "usage/pricetable.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace gw {

// One finished request in the usage database.
struct UsageRow
{
    QDateTime time; // when the request started
    QString client;
    QString dialect;
    QString model; // the name the client asked for
    QString provider;
    QString upstreamModel;
    int status = 0;
    TokenCounts tokens; // -1: the provider did not say
    qint64 durationMs = 0;
    std::optional<double> cost;  // unset: no known price (or no token counts)
    std::optional<double> saved; // what prompt caching saved, in dollars
};

// The figures of a group of requests (a model, a provider, a day, or all of them). Token sums
// are -1 when no request of the group had a count ("unknown", never 0).
struct UsageTotal
{
    QString key; // the model, the provider, the day (yyyy-MM-dd) or empty for all
    qint64 requests = 0;
    qint64 input = -1;
    qint64 output = -1;
    qint64 cachedRead = -1;
    qint64 cacheWrite = -1;
    qint64 reasoning = -1;
    std::optional<double> cost;  // of the priced requests; unset when none was priced
    qint64 unpriced = 0;         // requests without a known cost
    std::optional<double> saved; // by prompt caching
};

// Cost per day and provider, for the chart.
struct DailyCost
{
    QDate day; // local time
    QString provider;
    double cost = 0;
};

} // namespace gw
