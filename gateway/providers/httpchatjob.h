#pragma once

#include "chat/chatjob.h"
#include "net/upstreamcall.h"
#include "provider.h"
#include "streamdecoder.h"
#include "upstreamerrorbody.h"

#include <functional>
#include <memory>

namespace gw {

// One streamed chat call to any provider: the upstream call, the provider's decoder, and the
// translation of failures into client errors. Providers differ only in the request they build,
// the decoder they pass and how their error bodies read.
class HttpChatJob : public ChatJob
{
    Q_OBJECT
public:
    using ErrorReader = UpstreamErrorReader;

    HttpChatJob(NetworkPool &pool, const ProviderSettings &settings, QString upstreamModel,
                QNetworkRequest request, QByteArray body, UpstreamOptions options,
                std::unique_ptr<StreamDecoder> decoder, ErrorReader errors, QObject *parent);
    void start() override;

private:
    void deliverAll(const QList<ChatEvent> &events);

    ProviderSettings m_settings;
    QString m_upstreamModel;
    UpstreamCall m_call;
    std::unique_ptr<StreamDecoder> m_decoder;
    ErrorReader m_errors;
};

} // namespace gw
