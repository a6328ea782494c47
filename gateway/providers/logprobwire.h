#pragma once

#include "chat/logprob.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace gw {

// The token list that OpenAI's choices[].logprobs.content and Ollama's logprobs both send:
// [{"token","logprob","bytes","top_logprobs":[{"token","logprob","bytes"}]}].
inline QList<Logprob> tokenLogprobs(const QJsonArray &tokens)
{
    QList<Logprob> out;
    for (const QJsonValue &v : tokens) {
        const QJsonObject t = v.toObject();
        Logprob l{t.value(QLatin1StringView("token")).toString(),
                  t.value(QLatin1StringView("logprob")).toDouble(),
                  {}};
        for (const QJsonValue &c : t.value(QLatin1StringView("top_logprobs")).toArray())
            l.top.append({c.toObject().value(QLatin1StringView("token")).toString(),
                          c.toObject().value(QLatin1StringView("logprob")).toDouble()});
        out.append(std::move(l));
    }
    return out;
}

} // namespace gw
