#include "huggingfacewire.h"

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

} // namespace

QJsonObject HuggingFaceWire::featuresBody(const EmbedRequest &request)
{
    return {{QStringLiteral("inputs"), QJsonArray::fromStringList(request.inputs)},
            {QStringLiteral("truncate"), request.truncate}};
}

EmbedResult HuggingFaceWire::parseFeatures(const QByteArray &body, qsizetype inputs)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isArray())
        return EmbedResult::failed(ProviderError::fault(
            QStringLiteral("the provider's feature extraction answer is not an array")));
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
        return EmbedResult::failed(ProviderError::fault(
            QStringLiteral("the provider's feature extraction answer has an unexpected shape")));
    }
    if (r.vectors.size() != inputs)
        return EmbedResult::failed(
            ProviderError::fault(QStringLiteral("the provider returned %1 vectors for %2 inputs")
                                     .arg(r.vectors.size())
                                     .arg(inputs)));
    return r;
}

} // namespace gw
