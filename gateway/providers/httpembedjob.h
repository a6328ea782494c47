#pragma once

#include "chat/embedjob.h"
#include "net/upstreamcall.h"
#include "provider.h"
#include "upstreamerrorbody.h"

#include <QNetworkRequest>

#include <functional>

namespace gw {

// One embeddings call to any provider, in one or more batches sent one after the other; the
// vectors come back in input order. Providers differ only in the bodies they build, how an
// answer parses and how their error bodies read.
class HttpEmbedJob : public EmbedJob
{
    Q_OBJECT
public:
    // One batch's answer → its vectors (or a failure); `batch` indexes the bodies.
    using Parser = std::function<EmbedResult(const QByteArray &answer, qsizetype batch)>;

    HttpEmbedJob(NetworkPool &pool, const ProviderSettings &settings, QString upstreamModel,
                 QNetworkRequest request, QList<QByteArray> bodies, UpstreamOptions options,
                 Parser parse, UpstreamErrorReader errors, QObject *parent);
    void start() override;

private:
    void next();
    void onAnswer(const QByteArray &answer, const UpstreamError *error);

    NetworkPool &m_pool;
    ProviderSettings m_settings;
    QString m_upstreamModel;
    QNetworkRequest m_request;
    QList<QByteArray> m_bodies;
    UpstreamOptions m_options;
    Parser m_parse;
    UpstreamErrorReader m_errors;
    qsizetype m_batch = 0;
    EmbedResult m_result;
};

} // namespace gw
