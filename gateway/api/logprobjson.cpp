#include "logprobjson.h"

#include "json/jsonwriter.h"

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

void appendLegacyLogprobs(QByteArray &out, const QList<Logprob> &logprobs, qint64 &offset)
{
    QByteArray tokens, values, top, offsets;
    for (qsizetype i = 0; i < logprobs.size(); ++i) {
        const Logprob &l = logprobs[i];
        const char *sep = i ? "," : "";
        tokens += sep;
        appendString(tokens, l.token);
        values += sep + QByteArray::number(std::isfinite(l.logprob) ? l.logprob : -9999.0, 'g', 17);
        top += sep;
        top += '{';
        for (qsizetype k = 0; k < l.top.size(); ++k) {
            if (k)
                top += ',';
            appendString(top, l.top[k].token);
            top += ':' + QByteArray::number(
                             std::isfinite(l.top[k].logprob) ? l.top[k].logprob : -9999.0, 'g', 17);
        }
        top += '}';
        offsets += sep + QByteArray::number(offset);
        offset += l.token.size();
    }
    out += "{\"tokens\":[" + tokens + "],\"token_logprobs\":[" + values + "],\"top_logprobs\":[" +
           top + "],\"text_offset\":[" + offsets + "]}";
}

void appendOpenAiLogprobs(QByteArray &out, const QList<Logprob> &logprobs)
{
    out += "{\"content\":";
    appendLogprobArray(out, logprobs);
    out += ",\"refusal\":null}";
}

} // namespace gw::json
