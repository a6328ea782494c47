#pragma once

#include "chatfailure.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gw {

struct EmbedRequest
{
    QString model;         // as the client sent it
    QString provider;      // routing result
    QString upstreamModel; // routing result
    QStringList inputs;
    std::optional<int> dimensions; // ask the provider for shorter vectors where it can
    bool truncate = true;          // false: inputs too long for the model are an error
};

// Vectors as the provider returned them (not normalised), or an error.
struct EmbedResult
{
    QList<QList<double>> vectors; // one per input, in input order
    qint64 promptTokens = -1;
    std::optional<ChatFailure> failure; // set when the call failed

    bool ok() const { return !failure; }
    static EmbedResult failed(ChatFailure f)
    {
        EmbedResult r;
        r.failure = std::move(f);
        return r;
    }
};

} // namespace gw
