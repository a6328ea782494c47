#pragma once

#include "providers/ssestreamdecoder.h"

#include <QJsonObject>

namespace gw {

// TGI's /generate_stream answer → canonical events: a token per event (special ones skipped),
// the counts and reason in the last event's "details"; or /generate's one JSON answer.
class TgiStreamDecoder : public SseStreamDecoder
{
protected:
    void onEvent(const SseEvent &event, QList<ChatEvent> &out) override;
    void onBody(const QByteArray &body, QList<ChatEvent> &out) override;
    void onEnd(QList<ChatEvent> &out) override;

private:
    void onObject(const QJsonObject &o, QList<ChatEvent> &out);
};

} // namespace gw
