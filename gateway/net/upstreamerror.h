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

    // Tls: what was wrong, where Qt's certificate checks or the handshake say so.
    enum class TlsFault {
        Other,            // anything else (e.g. no common protocol version or cipher)
        UntrustedIssuer,  // no trusted root for the chain (private CA, self-signed)
        Expired,          // the certificate has expired or is not valid yet
        WrongHost,        // the certificate does not name the host in base_url
        HandshakeRefused, // the server broke off the handshake (e.g. it wants a client cert)
    };

    Kind kind = Kind::Connect;
    TlsFault tlsFault = TlsFault::Other;
    int httpStatus = 0; // Http
    QByteArray body;    // Http: the upstream's error body
    int retryAfterSeconds = 0;
    QString message;  // what happened, in words, without the provider's name
    int attempts = 1; // how many times it was tried
};

} // namespace gw
