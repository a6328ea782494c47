#pragma once

#include "chat/chatevent.h"
#include "net/upstreamerror.h"
#include "provider.h"

namespace gw {

// Turns an upstream failure into the error a client sees: the right status, and a message that
// names the provider, the cause and the fix, with the upstream's own words kept and any secret
// masked.
class ProviderError
{
public:
    // upstreamMessage / upstreamCode: what the provider's error body said, already extracted.
    static ChatEvent toEvent(const ProviderSettings &settings, const QString &upstreamModel,
                             const UpstreamError &error, const QString &upstreamMessage,
                             const QString &upstreamCode);
    static ChatEvent missingKey(const ProviderSettings &settings);
    // For a provider whose stream carried an error object after HTTP 200.
    static ChatEvent inStream(const ProviderSettings &settings, const QString &message);
    static QString scrub(const ProviderSettings &settings, QString text);
};

} // namespace gw
