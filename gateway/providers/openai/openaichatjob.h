#pragma once

#include "chat/chatjob.h"
#include "net/upstreamcall.h"
#include "openaistreamdecoder.h"
#include "providers/provider.h"

namespace gw {

class NetworkPool;

// One Chat Completions call: always streamed upstream (one code path, early first tokens and
// idle timeouts), decoded into canonical events.
class OpenAiChatJob : public ChatJob
{
    Q_OBJECT
public:
    OpenAiChatJob(NetworkPool &pool, const ProviderSettings &settings, QString upstreamModel,
                  QNetworkRequest request, QByteArray body, UpstreamOptions options,
                  QObject *parent);
    void start() override;

private:
    void deliverAll(const QList<ChatEvent> &events);

    ProviderSettings m_settings;
    QString m_upstreamModel;
    UpstreamCall m_call;
    OpenAiStreamDecoder m_decoder;
};

} // namespace gw
