#pragma once

#include "chat/adjustment.h"
#include "clientapp.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace gw {

// How much of each body a record keeps: enough to see what went wrong, and with the log's
// bounded size (kRecentRequests) it bounds the log's memory.
inline constexpr qsizetype kRecordBodyBytes = 4 * 1024;

// One line of the request log: filled in by the server (transport), the dialect (model,
// tokens) and the routing (provider), then published when the response has ended.
struct RequestRecord
{
    quint64 id = 0;
    int worker = 0; // which worker thread's server answered (0 … server.threads - 1)
    QDateTime started;
    QString client; // peer address
    QString method;
    QString path;
    QString dialect;                    // "ollama", "openai", "responses", "anthropic"
    ClientApp app = ClientApp::Unknown; // told from the User-Agent
    QString model;
    QString provider;
    QString upstreamModel;
    int status = 0;
    bool streamed = false;
    bool modelCall = false; // a chat or embedding went to a provider: usage and cost count it
    qint64 firstTokenMs = -1;
    qint64 durationMs = 0;
    qint64 promptTokens = -1;
    qint64 completionTokens = -1;
    qint64 cachedTokens = -1;     // input tokens read from a prompt cache (-1: not said)
    qint64 cacheWriteTokens = -1; // input tokens written to a prompt cache
    qint64 reasoningTokens = -1;  // output tokens spent on thinking
    double cost = -1;             // US dollars, set by the worker that answered; -1: no known price
    double saved = -1;            // what prompt caching saved, US dollars; -1: unknown
    QString error;                // the error a client saw, if any
    Adjustments adjustments;      // what the provider changed for the model's rules
    QByteArray requestBody;       // the first kRecordBodyBytes
    QByteArray responseBody;      // the first kRecordBodyBytes
    // Set by RequestLog::redacted once the bodies and the error are masked; every record the
    // Gateway publishes has it, and nothing downstream (file, window) masks again.
    bool redacted = false;
};

} // namespace gw
