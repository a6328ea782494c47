#pragma once

#include <QList>
#include <QString>

namespace gw {

// One candidate token and its log probability.
struct TokenLogprob
{
    QString token;
    double logprob = 0.0;
    bool operator==(const TokenLogprob &) const = default;
};

// One generated token with its log probability and, when asked for, the most likely tokens at
// its position (Ollama's Logprob, OpenAI's logprobs.content[], Gemini's chosen and top
// candidates). The dialects add the token's UTF-8 bytes themselves.
struct Logprob
{
    QString token;
    double logprob = 0.0;
    QList<TokenLogprob> top;
    bool operator==(const Logprob &) const = default;
};

} // namespace gw
