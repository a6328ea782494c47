#pragma once

// Every field of a list of chat events as text, for comparing two decoders' output exactly
// (tst_openaiwire, fuzz_openai_stream).

#include "chat/chatevent.h"

#include <QJsonDocument>
#include <QList>
#include <QString>

namespace testing {

inline QString dump(const QList<gw::ChatEvent> &events)
{
    QString s;
    const auto num = [](double d) { return QString::number(d, 'g', 17); };
    for (const gw::ChatEvent &e : events) {
        s += QStringLiteral("type=%1 text=[%2]").arg(int(e.type)).arg(e.text);
        for (const gw::Logprob &l : e.logprobs) {
            s += QStringLiteral(" lp=[%1]%2").arg(l.token, num(l.logprob));
            for (const gw::TokenLogprob &t : l.top)
                s += QStringLiteral(" top=[%1]%2").arg(t.token, num(t.logprob));
        }
        s += QStringLiteral(" call=[%1][%2][%3]%4")
                 .arg(e.toolCall.id, e.toolCall.name,
                      QString::fromUtf8(
                          QJsonDocument(e.toolCall.arguments).toJson(QJsonDocument::Compact)))
                 .arg(e.toolCall.index);
        s += QStringLiteral(" tokens=%1/%2/%3/%4/%5 finish=%6 stop=[%7] sig=[%8] red=[%9]")
                 .arg(e.promptTokens)
                 .arg(e.completionTokens)
                 .arg(e.cachedTokens)
                 .arg(e.cacheWriteTokens)
                 .arg(e.reasoningTokens)
                 .arg(int(e.finish))
                 .arg(e.stopSequence, e.signature, e.redacted);
        const gw::ChatFailure &f = e.failure;
        s += QStringLiteral(" fail=%1/%2/[%3][%4]%5[%6][%7][%8]%9\n")
                 .arg(int(f.cause))
                 .arg(f.status)
                 .arg(f.provider, f.model)
                 .arg(f.upstreamStatus)
                 .arg(f.upstreamCode, f.upstreamMessage, f.detail)
                 .arg(f.retryAfterSeconds);
    }
    return s;
}

} // namespace testing
