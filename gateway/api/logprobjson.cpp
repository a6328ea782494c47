#include "logprobjson.h"

#include "jsonwriter.h"

#include <cmath>

namespace gw::json {
namespace {

void appendToken(QByteArray &out, const QString &token, double logprob)
{
    out += "{\"token\":";
    appendString(out, token);
    // JSON has no -Infinity: a token the provider rules out gets a very small number instead.
    out +=
        ",\"logprob\":" + QByteArray::number(std::isfinite(logprob) ? logprob : -9999.0, 'g', 17);
    out += ",\"bytes\":[";
    const QByteArray utf8 = token.toUtf8();
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        if (i)
            out += ',';
        out += QByteArray::number(uchar(utf8[i]));
    }
    out += ']';
}

void appendTop(QByteArray &out, const QList<TokenLogprob> &top)
{
    out += ",\"top_logprobs\":[";
    for (qsizetype i = 0; i < top.size(); ++i) {
        if (i)
            out += ',';
        appendToken(out, top[i].token, top[i].logprob);
        out += '}';
    }
    out += ']';
}

} // namespace

void appendOllamaLogprobs(QByteArray &out, const QList<Logprob> &logprobs)
{
    out += '[';
    for (qsizetype i = 0; i < logprobs.size(); ++i) {
        if (i)
            out += ',';
        appendToken(out, logprobs[i].token, logprobs[i].logprob);
        if (!logprobs[i].top.isEmpty()) // omitempty
            appendTop(out, logprobs[i].top);
        out += '}';
    }
    out += ']';
}

void appendLogprobArray(QByteArray &out, const QList<Logprob> &logprobs)
{
    out += '[';
    for (qsizetype i = 0; i < logprobs.size(); ++i) {
        if (i)
            out += ',';
        appendToken(out, logprobs[i].token, logprobs[i].logprob);
        appendTop(out, logprobs[i].top);
        out += '}';
    }
    out += ']';
}

void appendOpenAiLogprobs(QByteArray &out, const QList<Logprob> &logprobs)
{
    out += "{\"content\":";
    appendLogprobArray(out, logprobs);
    out += ",\"refusal\":null}";
}

} // namespace gw::json
