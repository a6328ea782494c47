#include "reuseportlistener.h"

#include <cerrno>
#include <cstring>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace gw::reuseport {

bool balances()
{
#if defined(Q_OS_LINUX) && defined(SO_REUSEPORT)
    return true;
#else
    return false;
#endif
}

#if defined(Q_OS_LINUX) && defined(SO_REUSEPORT)
namespace {

Socket failed(int fd, int error)
{
    if (fd >= 0)
        ::close(fd);
    Socket s;
    s.inUse = error == EADDRINUSE;
    s.error = QString::fromLocal8Bit(std::strerror(error));
    return s;
}

// A bound socket (not yet listening), or the failure.
Socket bound(const QHostAddress &host, quint16 port, bool reusePort)
{
    const bool any = host == QHostAddress(QHostAddress::Any);
    const bool v6 = any || host.protocol() == QAbstractSocket::IPv6Protocol;
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return failed(-1, errno);
    const int on = 1;
    const int off = 0;
    // Restarting while old connections sit in TIME_WAIT must work (QTcpServer does the same).
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        (reusePort && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0))
        return failed(fd, errno);
    int rc = -1;
    if (v6) {
        if (::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, any ? &off : &on, sizeof on) != 0)
            return failed(fd, errno);
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(port);
        const Q_IPV6ADDR ip =
            any ? QHostAddress(QHostAddress::AnyIPv6).toIPv6Address() : host.toIPv6Address();
        std::memcpy(&a.sin6_addr, &ip, sizeof ip);
        a.sin6_scope_id = host.scopeId().toUInt();
        rc = ::bind(fd, reinterpret_cast<const sockaddr *>(&a), sizeof a);
    } else {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(host.toIPv4Address());
        rc = ::bind(fd, reinterpret_cast<const sockaddr *>(&a), sizeof a);
    }
    if (rc != 0)
        return failed(fd, errno);
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&local), &length) != 0)
        return failed(fd, errno);
    Socket s;
    s.fd = fd;
    s.port = ntohs(local.ss_family == AF_INET6
                       ? reinterpret_cast<const sockaddr_in6 *>(&local)->sin6_port
                       : reinterpret_cast<const sockaddr_in *>(&local)->sin_port);
    return s;
}

} // namespace

Socket listen(const QHostAddress &host, quint16 port, int backlog)
{
    Socket s = bound(host, port, true);
    if (s.fd >= 0 && ::listen(int(s.fd), backlog) != 0)
        return failed(int(s.fd), errno);
    return s;
}

Socket probe(const QHostAddress &host, quint16 port)
{
    Socket s = bound(host, port, false);
    if (s.fd >= 0) {
        ::close(int(s.fd));
        s.fd = -1; // free: error() stays empty
    }
    return s;
}

#else

Socket listen(const QHostAddress &, quint16, int)
{
    Socket s;
    s.error = QStringLiteral("SO_REUSEPORT is not available here");
    return s;
}

Socket probe(const QHostAddress &, quint16)
{
    return listen({}, 0, 0);
}

#endif

} // namespace gw::reuseport
