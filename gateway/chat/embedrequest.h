#pragma once

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
    int status = 0; // error: HTTP status for the client
    QString error;
    int retryAfterSeconds = 0;

    bool ok() const { return error.isEmpty(); }
    static EmbedResult failure(int status, QString message)
    {
        EmbedResult r;
        r.status = status;
        r.error = std::move(message);
        return r;
    }
};

} // namespace gw
