#include "huggingfaceprovider.h"

#include "huggingfacewire.h"
#include "providers/httpembedjob.h"
#include "providers/providererror.h"

#include <QJsonDocument>

namespace gw {

EmbedJob *HuggingFaceProvider::embed(const EmbedRequest &req, QObject *parent)
{
    if (m_settings.apiKey.isEmpty() && needsKey())
        return new FailedEmbedJob(ProviderError::missingKey(m_settings), parent);
    QString url = m_providerOptions.embeddingsUrl;
    if (url.isEmpty()) {
        QString root = m_baseUrl;
        if (root.endsWith(u"/v1"))
            root.chop(3);
        url = root + QStringLiteral("/hf-inference/models/{model}/pipeline/feature-extraction");
    }
    url.replace(QStringLiteral("{model}"), req.upstreamModel);
    QNetworkRequest r = request(QString(), req.upstreamModel);
    r.setUrl(QUrl(url));
    return new HttpEmbedJob(
        *m_pool, m_settings, req.upstreamModel, r,
        {QJsonDocument(HuggingFaceWire::featuresBody(req)).toJson(QJsonDocument::Compact)},
        m_upstream,
        [n = req.inputs.size()](const QByteArray &answer, qsizetype) {
            return HuggingFaceWire::parseFeatures(answer, n);
        },
        errorReader(), parent);
}

} // namespace gw
