// The benchmark's measuring client (a measurement program, not a test): plain POSIX sockets and
// epoll, so that it costs as little as possible of the machine it shares with what it measures.
//
//   llmgw_benchclient stream --port P --path PATH --body JSON [--conns C] [--repeat R]
//                            [--expect N] [--warmup W]
//     C connections, each sending R streaming requests one after another (keep-alive). Every
//     content chunk from the fake upstream carries its send time ("T<ns>", CLOCK_MONOTONIC), so
//     each received line gives the chunk's delivery latency; the first one gives the time to
//     first chunk from the request's send. The first W requests of each connection are not
//     counted. A request is good when its status is 200, its end marker arrived (`data: [DONE]`
//     or `"done":true`), it carried no error and, with --expect, exactly N chunks. Prints one
//     line: key=value pairs (microseconds).
//
//   llmgw_benchclient requests --port P --path PATH --body JSON [--repeat N]
//     N non-streaming requests one after another on one keep-alive connection (for counting
//     instructions per request under callgrind). A request is good when its status is 200 and
//     its whole body arrived without an error. Prints the same line as stream.
//
//   Both take --header "Name: value" (repeatable), sent with every request, and --timeout-ms T:
//   give up when nothing happens for T ms (default 30 000).
//
//   llmgw_benchclient startup --port P [--runs N] -- COMMAND [ARGS...]
//     Starts COMMAND N times; each time measures launch → the port accepting a connection, then
//     stops it with SIGTERM. Prints the median and each run in milliseconds.
//
//   llmgw_benchclient wait-port --port P [--timeout-ms T]
//     Waits until the port accepts a connection (exit status 1 after T ms, default 10 000).
//
//   llmgw_benchclient free-port
//     Prints a loopback port that was free a moment ago.

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

long long nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int connectTo(int port, bool nonBlocking)
{
    const int fd =
        ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0), 0);
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 &&
        errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

double percentile(std::vector<long long> &v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(p / 100.0 * double(v.size())));
    return double(v[i]) / 1000.0; // ns → µs
}

struct Conn
{
    int fd = -1;
    int done = 0; // requests finished on this connection
    std::string out;
    // The response being read.
    bool inHeaders = true;
    std::string head;
    int status = 0;
    bool chunked = false;
    long long contentLeft = -1; // Content-Length body, or -1
    bool closeDelimited = false;
    std::string chunkBuf;    // undecoded chunked bytes
    long long chunkLeft = 0; // data bytes left in the current chunk; 0: a size line is next
    int crlfLeft = 0;
    bool lastChunk = false;
    std::string line;
    long long sentNs = 0;
    long long firstNs = 0;
    int chunks = 0;
    bool endSeen = false;
    bool errorSeen = false;
    bool streaming = false; // headers seen, end not yet
    std::vector<long long> lat;
};

struct Stream
{
    int port = 0;
    std::string request;
    int conns = 1, repeat = 1, expect = 0, warmup = 0;
    int idleMs = 30000;       // give up after this long without any event
    bool wholeBodies = false; // requests mode: a complete 200 answer is good, no end marker
    int epoll = -1;
    std::vector<Conn> c;
    std::vector<long long> ttft, chunkLat;
    long long ok = 0, bad = 0;
    int open = 0, peakOpen = 0;
    int active = 0;
    std::string firstError;

    void send(Conn &k)
    {
        const int fd = k.fd, done = k.done;
        k = Conn{};
        k.fd = fd;
        k.done = done;
        k.out = request;
        k.sentNs = nowNs();
        flush(k);
    }

    void flush(Conn &k)
    {
        while (!k.out.empty()) {
            const ssize_t n = ::send(k.fd, k.out.data(), k.out.size(), MSG_NOSIGNAL);
            if (n > 0) {
                k.out.erase(0, size_t(n));
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            break; // EAGAIN (or error: the read side will see it)
        }
        epoll_event ev{};
        ev.events = k.out.empty() ? uint32_t(EPOLLIN) : uint32_t(EPOLLIN | EPOLLOUT);
        ev.data.u32 = uint32_t(&k - c.data());
        epoll_ctl(epoll, EPOLL_CTL_MOD, k.fd, &ev);
    }

    void onLine(Conn &k, std::string_view l, long long at)
    {
        if (l.find("\"error\"") != std::string_view::npos) {
            k.errorSeen = true;
            if (firstError.empty())
                firstError = std::string(l.substr(0, 300));
        }
        if (l.find("[DONE]") != std::string_view::npos ||
            l.find("\"done\":true") != std::string_view::npos)
            k.endSeen = true;
        for (size_t p = l.find("\"T"); p != std::string_view::npos; p = l.find("\"T", p + 2)) {
            if (p + 2 >= l.size() || l[p + 2] < '0' || l[p + 2] > '9')
                continue;
            const long long sent = std::atoll(std::string(l.substr(p + 2, 24)).c_str());
            if (k.firstNs == 0)
                k.firstNs = at;
            ++k.chunks;
            k.lat.push_back(at - sent);
            break;
        }
    }

    void body(Conn &k, std::string_view bytes, long long at)
    {
        for (char ch : bytes) {
            if (ch == '\n') {
                onLine(k, k.line, at);
                k.line.clear();
            } else {
                k.line += ch;
            }
        }
    }

    // Feeds received bytes; returns true when the response is complete.
    bool feed(Conn &k, std::string_view data, long long at)
    {
        if (k.inHeaders) {
            k.head.append(data);
            const size_t end = k.head.find("\r\n\r\n");
            if (end == std::string::npos)
                return false;
            k.inHeaders = false;
            const std::string rest = k.head.substr(end + 4);
            k.head.resize(end);
            const size_t sp = k.head.find(' ');
            k.status = sp == std::string::npos ? 0 : std::atoi(k.head.c_str() + sp + 1);
            std::string lower = k.head;
            for (char &ch : lower)
                ch = char(std::tolower(static_cast<unsigned char>(ch)));
            k.chunked = lower.find("transfer-encoding: chunked") != std::string::npos;
            if (const size_t cl = lower.find("content-length:"); cl != std::string::npos)
                k.contentLeft = std::atoll(lower.c_str() + cl + 15);
            k.closeDelimited = !k.chunked && k.contentLeft < 0;
            k.streaming = true;
            if (++open > peakOpen)
                peakOpen = open;
            data = {};
            if (!rest.empty())
                return feed(k, rest, at);
            return k.contentLeft == 0;
        }
        if (k.contentLeft >= 0) {
            const size_t take = std::min(data.size(), size_t(k.contentLeft));
            body(k, data.substr(0, take), at);
            k.contentLeft -= (long long)take;
            if (k.contentLeft == 0) {
                if (!k.line.empty())
                    onLine(k, k.line, at);
                k.endSeen = true; // a whole JSON body has no end marker of its own
                return true;
            }
            return false;
        }
        if (k.closeDelimited) {
            body(k, data, at);
            return false;
        }
        k.chunkBuf.append(data);
        const std::string_view buf(k.chunkBuf);
        size_t pos = 0;
        bool complete = false;
        while (!complete) {
            if (k.crlfLeft > 0) { // the CRLF after a chunk's data
                const size_t take = std::min(size_t(k.crlfLeft), buf.size() - pos);
                pos += take;
                k.crlfLeft -= int(take);
                if (k.crlfLeft > 0)
                    break;
                complete = k.lastChunk;
                continue;
            }
            if (k.chunkLeft > 0) { // data: delivered as it comes, its receive time matters
                const size_t take = std::min(size_t(k.chunkLeft), buf.size() - pos);
                if (take == 0)
                    break;
                body(k, buf.substr(pos, take), at);
                pos += take;
                k.chunkLeft -= (long long)take;
                if (k.chunkLeft == 0)
                    k.crlfLeft = 2;
                continue;
            }
            const size_t eol = buf.find("\r\n", pos);
            if (eol == std::string_view::npos)
                break;
            k.chunkLeft = std::strtoll(k.chunkBuf.c_str() + pos, nullptr, 16);
            pos = eol + 2;
            if (k.chunkLeft == 0) { // the last chunk (no trailers expected)
                k.lastChunk = true;
                k.crlfLeft = 2;
            }
        }
        k.chunkBuf.erase(0, pos);
        if (complete && !k.line.empty())
            onLine(k, k.line, at);
        return complete;
    }

    void finishResponse(Conn &k, bool complete)
    {
        if (k.streaming)
            --open;
        k.streaming = false;
        const bool good = complete && k.status == 200 && (k.endSeen || wholeBodies) &&
                          !k.errorSeen && (expect == 0 || k.chunks == expect);
        if (!good && firstError.empty()) {
            char why[200];
            std::snprintf(why, sizeof why, "status %d, end %d, chunks %d of %d, %s", k.status,
                          int(k.endSeen), k.chunks, expect,
                          complete ? "complete" : "connection lost");
            firstError = why;
        }
        if (k.done >= warmup) {
            good ? ++ok : ++bad;
            if (good) {
                ttft.push_back(k.firstNs - k.sentNs);
                chunkLat.insert(chunkLat.end(), k.lat.begin(), k.lat.end());
            }
        }
        ++k.done;
    }

    void reopen(Conn &k)
    {
        epoll_ctl(epoll, EPOLL_CTL_DEL, k.fd, nullptr);
        ::close(k.fd);
        k.fd = connectTo(port, true);
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT;
        ev.data.u32 = uint32_t(&k - c.data());
        epoll_ctl(epoll, EPOLL_CTL_ADD, k.fd, &ev);
    }

    int run()
    {
        epoll = epoll_create1(EPOLL_CLOEXEC);
        c.resize(size_t(conns));
        for (Conn &k : c) {
            k.fd = connectTo(port, true);
            if (k.fd < 0) {
                std::fprintf(stderr, "benchclient: cannot connect to port %d\n", port);
                return 1;
            }
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLOUT;
            ev.data.u32 = uint32_t(&k - c.data());
            epoll_ctl(epoll, EPOLL_CTL_ADD, k.fd, &ev);
        }
        for (Conn &k : c)
            send(k);
        active = conns;
        const long long started = nowNs();
        std::vector<epoll_event> events(1024);
        char buf[65536];
        while (active > 0) {
            const int n = epoll_wait(epoll, events.data(), int(events.size()), idleMs);
            if (n == 0) {
                std::fprintf(stderr, "benchclient: nothing for %d ms, giving up\n", idleMs);
                for (Conn &k : c)
                    if (k.done < repeat)
                        finishResponse(k, false), k.done = repeat;
                break;
            }
            for (int i = 0; i < n; ++i) {
                Conn &k = c[events[size_t(i)].data.u32];
                if (k.done >= repeat)
                    continue;
                if ((events[size_t(i)].events & EPOLLOUT) && !k.out.empty())
                    flush(k);
                if (!(events[size_t(i)].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                    continue;
                bool complete = false, lost = false;
                for (;;) {
                    const ssize_t r = ::recv(k.fd, buf, sizeof buf, 0);
                    if (r > 0) {
                        if (feed(k, std::string_view(buf, size_t(r)), nowNs())) {
                            complete = true;
                            break;
                        }
                        continue;
                    }
                    if (r < 0 && errno == EINTR)
                        continue;
                    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                        break;
                    lost = true;
                    break;
                }
                if (lost && k.closeDelimited && !k.inHeaders) {
                    if (!k.line.empty())
                        onLine(k, k.line, nowNs());
                    complete = true;
                }
                if (!complete && !lost)
                    continue;
                finishResponse(k, complete);
                if (k.done >= repeat) {
                    --active;
                    continue;
                }
                if (lost || k.closeDelimited ||
                    k.head.find("onnection: close") != std::string::npos)
                    reopen(k);
                send(k);
            }
        }
        const double seconds = double(nowNs() - started) / 1e9;
        std::printf("ok=%lld errors=%lld seconds=%.3f peak_open=%d chunks=%zu "
                    "ttft_p50=%.1f ttft_p99=%.1f chunk_p50=%.1f chunk_p99=%.1f\n",
                    ok, bad, seconds, peakOpen, chunkLat.size(), percentile(ttft, 50),
                    percentile(ttft, 99), percentile(chunkLat, 50), percentile(chunkLat, 99));
        if (!firstError.empty() && bad > 0)
            std::fprintf(stderr, "benchclient: first failure: %s\n", firstError.c_str());
        return bad == 0 ? 0 : 1;
    }
};

bool portOpen(int port)
{
    const int fd = connectTo(port, false);
    if (fd < 0)
        return false;
    ::close(fd);
    return true;
}

int startup(int port, int runs, char **cmd)
{
    std::vector<long long> ms;
    for (int r = 0; r < runs; ++r) {
        if (portOpen(port)) {
            std::fprintf(stderr, "benchclient: port %d is already in use\n", port);
            return 1;
        }
        const long long t0 = nowNs();
        const pid_t pid = fork();
        if (pid == 0) {
            const int devnull = ::open("/dev/null", O_WRONLY);
            dup2(devnull, 2);
            execvp(cmd[0], cmd);
            _exit(127);
        }
        long long took = -1;
        while (nowNs() - t0 < 10000000000LL) {
            if (portOpen(port)) {
                took = nowNs() - t0;
                break;
            }
            int status;
            if (waitpid(pid, &status, WNOHANG) == pid) {
                std::fprintf(stderr, "benchclient: %s exited before listening\n", cmd[0]);
                return 1;
            }
            usleep(200);
        }
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
        if (took < 0) {
            std::fprintf(stderr, "benchclient: %s did not listen within 10 s\n", cmd[0]);
            return 1;
        }
        ms.push_back(took);
    }
    std::vector<long long> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    std::printf("startup_ms_median=%.1f runs=", double(sorted[sorted.size() / 2]) / 1e6);
    for (size_t i = 0; i < ms.size(); ++i)
        std::printf("%s%.1f", i ? "," : "", double(ms[i]) / 1e6);
    std::printf("\n");
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        std::fprintf(stderr, "usage: see the comment at the top of benchclient.cpp\n");
        return 2;
    }
    const std::string mode = argv[1];
    Stream s;
    std::string path = "/v1/chat/completions", body, headers;
    int runs = 5, timeoutMs = -1;
    char **cmd = nullptr;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--port")
            s.port = std::atoi(next().c_str());
        else if (a == "--path")
            path = next();
        else if (a == "--body")
            body = next();
        else if (a == "--conns")
            s.conns = std::atoi(next().c_str());
        else if (a == "--repeat")
            s.repeat = std::atoi(next().c_str());
        else if (a == "--expect")
            s.expect = std::atoi(next().c_str());
        else if (a == "--warmup")
            s.warmup = std::atoi(next().c_str());
        else if (a == "--header")
            headers += next() + "\r\n";
        else if (a == "--runs")
            runs = std::atoi(next().c_str());
        else if (a == "--timeout-ms")
            timeoutMs = std::atoi(next().c_str());
        else if (a == "--") {
            cmd = argv + i + 1;
            break;
        } else {
            std::fprintf(stderr, "benchclient: unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    if (s.port <= 0 && mode != "free-port") {
        std::fprintf(stderr, "benchclient: --port is required\n");
        return 2;
    }
    if (mode == "free-port") {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
            getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
            return 1;
        std::printf("%d\n", ntohs(addr.sin_port));
        ::close(fd);
        return 0;
    }
    if (mode == "wait-port") {
        const long long t0 = nowNs();
        const long long limitMs = timeoutMs < 0 ? 10000 : timeoutMs;
        while (!portOpen(s.port)) {
            if (nowNs() - t0 > limitMs * 1000000LL)
                return 1;
            usleep(1000);
        }
        return 0;
    }
    if (mode == "startup") {
        if (!cmd || !*cmd) {
            std::fprintf(stderr, "benchclient: startup needs -- COMMAND\n");
            return 2;
        }
        return startup(s.port, runs, cmd);
    }
    if (mode == "requests") {
        s.conns = 1;
        s.wholeBodies = true;
    } else if (mode != "stream") {
        std::fprintf(stderr, "benchclient: unknown mode %s\n", mode.c_str());
        return 2;
    }
    if (timeoutMs > 0)
        s.idleMs = timeoutMs;
    s.repeat += s.warmup;
    s.request = "POST " + path +
                " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                "Authorization: Bearer bench\r\n" +
                headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return s.run();
}
