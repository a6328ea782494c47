#pragma once

#include <QHostAddress>
#include <QtGlobal>

namespace gw {

// Listening sockets for N worker threads, each with its own socket on the same address and
// port: bound with SO_REUSEPORT, so the kernel spreads new connections over them (Linux hashes
// each connection to one socket of the group). Made with ::socket/setsockopt/bind/listen and
// handed to a QTcpServer with setSocketDescriptor (HttpServer::listenOnDescriptor).
namespace reuseport {

// Whether this system balances connections over SO_REUSEPORT sockets (Linux); elsewhere the
// gateway runs one worker.
bool balances();

struct Socket
{
    qintptr fd = -1;    // -1 on failure
    quint16 port = 0;   // the port bound (the one the kernel chose when 0 was asked for)
    bool inUse = false; // failed because something else listens there
    QString error;      // strerror of the failure
};

// A non-blocking listening socket with SO_REUSEADDR and SO_REUSEPORT. QHostAddress::Any is
// dual-stack (IPv6 with IPv4-mapped addresses), as in QTcpServer.
Socket listen(const QHostAddress &host, quint16 port, int backlog);

// Whether something already holds host:port: binds a socket without SO_REUSEPORT and closes
// it. Without this a second llm-gateway of the same user would join the first one's group
// and take half its connections instead of failing with "address already in use". Free when
// the answer's error is empty.
Socket probe(const QHostAddress &host, quint16 port);

} // namespace reuseport
} // namespace gw
