#include "azureopenaiprovider.h"

#include <QUrlQuery>

namespace gw {

QNetworkRequest AzureOpenAiProvider::request(const QString &path, const QString &deployment) const
{
    QNetworkRequest r = OpenAiProvider::request(path, deployment);
    QUrl url(m_baseUrl + QStringLiteral("/openai/deployments/") + deployment + path);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("api-version"), m_providerOptions.apiVersion.isEmpty()
                                                      ? QStringLiteral("2024-10-21")
                                                      : m_providerOptions.apiVersion);
    url.setQuery(q);
    r.setUrl(url);
    r.setRawHeader("Authorization", QByteArray());
    r.setRawHeader("api-key", m_settings.apiKey.toUtf8());
    return r;
}

} // namespace gw
