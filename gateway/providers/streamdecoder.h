#pragma once

#include "chat/chatevent.h"

#include <QByteArray>
#include <QList>

namespace gw {

// A provider's response body → canonical events, fed piece by piece as it arrives.
class StreamDecoder
{
public:
    virtual ~StreamDecoder() = default;
    // The upstream answered with one JSON document instead of a stream.
    virtual void setJsonBody(bool json) = 0;
    virtual QList<ChatEvent> feed(const QByteArray &bytes) = 0;
    virtual QList<ChatEvent> finish() = 0; // the body has ended
};

} // namespace gw
