#pragma once

#include <QByteArray>
#include <QString>

namespace gw {

// Why an upstream request failed, in terms a provider can turn into a client-facing error.
struct UpstreamError
{
    enum class Kind {
        Connect,  // refused, unreachable, proxy refused
        Dns,      // host not found
        Tls,      // handshake or certificate failure
        Timeout,  // connect, first byte or idle timeout
        Reset,    // connection closed in the middle of the response
        Http,     // the upstream answered with a non-2xx status
        Canceled, // we aborted it
    };

    Kind kind = Kind::Connect;
    int httpStatus = 0; // Http
    QByteArray body;    // Http: the upstream's error body
    int retryAfterSeconds = 0;
    QString message;  // what happened, in words, without the provider's name
    int attempts = 1; // how many times it was tried
};

} // namespace gw
