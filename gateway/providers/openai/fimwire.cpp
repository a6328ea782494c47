#include "fimwire.h"

#include <QJsonArray>

namespace gw {

QUrl FimWire::url(const QString &baseUrl, const QString &configured)
{
    if (!configured.isEmpty())
        return QUrl(configured);
    QUrl base(baseUrl);
    const QString host = base.host();
    if (host == u"api.mistral.ai" || host == u"codestral.mistral.ai")
        return QUrl(baseUrl + QStringLiteral("/fim/completions"));
    if (host == u"api.deepseek.com") { // FIM is a beta feature there, under /beta only
        base.setPath(QStringLiteral("/beta/completions"));
        return base;
    }
    return QUrl(baseUrl + QStringLiteral("/completions"));
}

FimWire::Form FimWire::formOf(const QUrl &url)
{
    return url.path().endsWith(u"/fim/completions") ? Form::Mistral : Form::Completions;
}

QString FimWire::prompt(const ChatRequest &r)
{
    for (qsizetype i = r.messages.size() - 1; i >= 0; --i)
        if (r.messages[i].role == Role::User)
            return r.messages[i].content;
    return {};
}

QJsonObject FimWire::body(const ChatRequest &r, Form form, const OpenAiFlavor &flavor)
{
    const Sampling &s = r.sampling;
    QJsonObject body{{QStringLiteral("model"), r.upstreamModel},
                     {QStringLiteral("prompt"), prompt(r)},
                     {QStringLiteral("suffix"), r.suffix},
                     {QStringLiteral("stream"), true}};
    if (s.temperature)
        body.insert(QStringLiteral("temperature"), *s.temperature);
    if (s.topP)
        body.insert(QStringLiteral("top_p"), *s.topP);
    if (s.maxTokens)
        body.insert(QStringLiteral("max_tokens"), *s.maxTokens);
    if (!s.stop.isEmpty())
        body.insert(QStringLiteral("stop"), QJsonArray::fromStringList(s.stop.mid(0, 4)));
    if (form == Form::Mistral) {
        if (s.seed)
            body.insert(QStringLiteral("random_seed"), *s.seed);
        return body;
    }
    if (s.seed)
        body.insert(QStringLiteral("seed"), *s.seed);
    if (s.presencePenalty)
        body.insert(QStringLiteral("presence_penalty"), *s.presencePenalty);
    if (s.frequencyPenalty)
        body.insert(QStringLiteral("frequency_penalty"), *s.frequencyPenalty);
    if (flavor.streamUsage)
        body.insert(QStringLiteral("stream_options"),
                    QJsonObject{{QStringLiteral("include_usage"), true}});
    if (r.logprobs) // the Completions form: the number of top tokens per position
        body.insert(QStringLiteral("logprobs"), r.topLogprobs);
    return body;
}

} // namespace gw
