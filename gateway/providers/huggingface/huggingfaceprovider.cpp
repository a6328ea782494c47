#include "huggingfaceprovider.h"

#include "providers/providererror.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gw {
namespace {

QList<double> vector(const QJsonArray &a)
{
    QList<double> v;
    v.reserve(a.size());
    for (const QJsonValue &x : a)
        v.append(x.toDouble());
    return v;
}

QList<double> meanPool(const QJsonArray &tokens)
{
    QList<double> sum;
    for (const QJsonValue &t : tokens) {
        const QList<double> v = vector(t.toArray());
        if (sum.isEmpty())
            sum = QList<double>(v.size(), 0.0);
        for (qsizetype i = 0; i < v.size() && i < sum.size(); ++i)
            sum[i] += v[i];
    }
    for (double &x : sum)
        x /= qMax<qsizetype>(1, tokens.size());
    return sum;
}

class FeatureJob : public EmbedJob
{
public:
    FeatureJob(NetworkPool &pool, ProviderSettings s, EmbedRequest req, QNetworkRequest request,
               UpstreamOptions o, QObject *parent)
        : EmbedJob(parent), m_pool(pool), m_settings(std::move(s)), m_req(std::move(req)),
          m_request(std::move(request)), m_options(std::move(o))
    {}
    void start() override
    {
        const QByteArray body =
            QJsonDocument(
                QJsonObject{{QStringLiteral("inputs"), QJsonArray::fromStringList(m_req.inputs)},
                            {QStringLiteral("truncate"), m_req.truncate}})
                .toJson(QJsonDocument::Compact);
        UpstreamCall::collect(
            m_pool, m_request, "POST", body, m_options, this,
            [this](const QByteArray &answer, const UpstreamError *e) {
                if (!e)
                    return deliver(HuggingFaceProvider::parseFeatures(answer, m_req.inputs.size()));
                const ChatEvent ev = ProviderError::toEvent(m_settings, m_req.upstreamModel, *e,
                                                            OpenAiWire::errorMessage(e->body),
                                                            OpenAiWire::errorCode(e->body));
                EmbedResult r = EmbedResult::failure(ev.status, ev.text);
                r.retryAfterSeconds = ev.retryAfterSeconds;
                deliver(r);
            });
    }

private:
    NetworkPool &m_pool;
    ProviderSettings m_settings;
    EmbedRequest m_req;
    QNetworkRequest m_request;
    UpstreamOptions m_options;
};

} // namespace

EmbedResult HuggingFaceProvider::parseFeatures(const QByteArray &body, qsizetype inputs)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isArray())
        return EmbedResult::failure(
            502, QStringLiteral("the provider's feature extraction answer is not an array"));
    const QJsonArray a = doc.array();
    EmbedResult r;
    const auto depth = [](QJsonValue v) {
        int d = 0;
        while (v.isArray()) {
            ++d;
            v = v.toArray().first();
        }
        return d;
    };
    switch (depth(a)) {
    case 1: // one input, one vector
        r.vectors.append(vector(a));
        break;
    case 2: // one vector per input
        for (const QJsonValue &v : a)
            r.vectors.append(vector(v.toArray()));
        break;
    case 3: // one vector per token per input: pool them
        for (const QJsonValue &v : a)
            r.vectors.append(meanPool(v.toArray()));
        break;
    default:
        return EmbedResult::failure(
            502,
            QStringLiteral("the provider's feature extraction answer has an unexpected shape"));
    }
    if (r.vectors.size() != inputs)
        return EmbedResult::failure(502,
                                    QStringLiteral("the provider returned %1 vectors for %2 inputs")
                                        .arg(r.vectors.size())
                                        .arg(inputs));
    return r;
}

EmbedJob *HuggingFaceProvider::embed(const EmbedRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && needsKey()) {
        const ChatEvent e = ProviderError::missingKey(m_settings);
        return new FailedEmbedJob(e.status, e.text, parent);
    }
    QString url = m_settings.options.value(QLatin1StringView("embeddings_url")).toString();
    if (url.isEmpty()) {
        QString root = m_baseUrl;
        if (root.endsWith(u"/v1"))
            root.chop(3);
        url = root + QStringLiteral("/hf-inference/models/{model}/pipeline/feature-extraction");
    }
    url.replace(QStringLiteral("{model}"), req.upstreamModel);
    QNetworkRequest r = request(QString(), req.upstreamModel);
    r.setUrl(QUrl(url));
    return new FeatureJob(*m_pool, m_settings, req, r, m_upstream, parent);
}

} // namespace gw
