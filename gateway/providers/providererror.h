#pragma once

#include "chat/chatfailure.h"
#include "net/upstreamerror.h"
#include "provider.h"
#include "upstreamerrorbody.h"

namespace gw {

// Classifies what went wrong with a provider into a ChatFailure: the cause, the status a client
// should see, the upstream's own code and words (any secret masked), Retry-After and attempts.
// It makes no sentences: the dialects word failures (api/failuretext).
class ProviderError
{
public:
    // A failed upstream call: transport trouble, a timeout, or an HTTP error with its body.
    static ChatFailure classify(const ProviderSettings &settings, const QString &upstreamModel,
                                const UpstreamError &error, const UpstreamErrorBody &body);
    // What an HTTP status and error body stand for; status 0: an error object in a 200 stream.
    static FailureCause causeOf(int httpStatus, const UpstreamErrorBody &body);
    // The status a client sees for a cause.
    static int statusOf(FailureCause cause);

    // An error object inside a 200 stream, as a decoder read it.
    static ChatFailure reported(const UpstreamErrorBody &body);
    // The upstream's 200 answer was unusable (malformed, cut short): what the gateway saw.
    static ChatFailure fault(const QString &detail,
                             FailureCause cause = FailureCause::UpstreamFault);
    // Adds what a decoder cannot know (provider, model) and masks secrets.
    static ChatFailure attribute(ChatFailure failure, const ProviderSettings &settings,
                                 const QString &upstreamModel);

    static ChatFailure missingKey(const ProviderSettings &settings);
    // `what` completes "provider 'NAME' …", e.g. "(type 'x') does not offer embeddings".
    static ChatFailure unsupported(const ProviderSettings &settings, const QString &what,
                                   int status = 400);
    static QString scrub(const ProviderSettings &settings, QString text);
};

} // namespace gw
