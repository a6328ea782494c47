#pragma once

#include "chat/chatjob.h"
#include "http/responder.h"

#include <QObject>
#include <QTest>

namespace gwtest {

// True once the gateway holds no chat job and no responder: every answer has ended and its
// work behind it is gone (what the cancellation and leak tests wait for).
inline bool gatewayIdle(const QObject *gateway, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            return gateway->findChildren<gw::ChatJob *>().isEmpty() &&
                   gateway->findChildren<gw::Responder *>().isEmpty();
        },
        timeoutMs);
}

} // namespace gwtest
