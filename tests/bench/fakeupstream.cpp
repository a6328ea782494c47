// A zero-delay fake OpenAI upstream for the benchmark: one thread, epoll, plain POSIX sockets,
// so that it is never what limits a measurement (a Qt server would share the gateway's costs).
//
// It speaks what the gateway's OpenAI provider speaks: POST /v1/chat/completions with the real
// Chat Completions JSON (non-streaming: one chat.completion object with Content-Length;
// streaming: chunked SSE, one `data: {...}\n\n` event per chunk, then `data: [DONE]`).
//
// The upstream model name sets the shape of a stream, so the gateway can pick it per request
// through `openai/<model>` routing:
//   c<N>  N content chunks (default 8)
//   i<U>  U microseconds between chunks (default 0: all at once)
//   b<N>  barrier: after the first (role) chunk, wait until N streams are open at once (or 20 s)
// e.g. "c500i1000" = 500 chunks, one per millisecond. Every content chunk carries its send time,
// CLOCK_MONOTONIC in nanoseconds, as the text "T<ns> " so a client on this machine can compute
// the per-chunk delivery latency through any dialect.
//
// GET /stats answers {"requests":R,"open_streams":O,"peak_streams":P}; POST /reset zeroes the
// counters and the peak; "connections" counts the connections accepted. Usage:
// llmgw_fakeupstream [--port P] [--tls CERT KEY] (0 = any; prints "port P"). With --tls it
// speaks HTTPS (HTTP/1.1; OpenSSL on the same non-blocking sockets) for the TLS row.

#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace {

long long nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct Stream
{
    bool active = false;
    int chunksLeft = 0;
    long long intervalNs = 0;
    long long nextNs = 0;
    int barrier = 0;
    long long barrierDeadlineNs = 0;
    std::string model;
};

struct Conn
{
    int fd = -1;
    SSL *ssl = nullptr; // --tls
    std::string in;
    std::string out;
    bool wantClose = false;
    bool writing = false; // EPOLLOUT armed
    Stream stream;
};

int g_epoll = -1;
SSL_CTX *g_tls = nullptr;
long long g_accepted = 0;
std::unordered_map<int, Conn> g_conns;
long long g_requests = 0;
int g_openStreams = 0;
int g_peakStreams = 0;

void setInterest(Conn &c, bool out)
{
    if (c.writing == out)
        return;
    c.writing = out;
    epoll_event ev{};
    ev.events = out ? uint32_t(EPOLLIN | EPOLLOUT) : uint32_t(EPOLLIN);
    ev.data.fd = c.fd;
    epoll_ctl(g_epoll, EPOLL_CTL_MOD, c.fd, &ev);
}

void closeConn(int fd)
{
    auto it = g_conns.find(fd);
    if (it == g_conns.end())
        return;
    if (it->second.stream.active)
        --g_openStreams;
    epoll_ctl(g_epoll, EPOLL_CTL_DEL, fd, nullptr);
    if (it->second.ssl)
        SSL_free(it->second.ssl);
    ::close(fd);
    g_conns.erase(it);
}

// Writes what is queued; false when the connection is gone.
bool flush(Conn &c)
{
    while (!c.out.empty()) {
        if (c.ssl) {
            const int n = SSL_write(c.ssl, c.out.data(), int(c.out.size()));
            if (n > 0) {
                c.out.erase(0, size_t(n));
                continue;
            }
            const int e = SSL_get_error(c.ssl, n);
            if (e == SSL_ERROR_WANT_WRITE) {
                setInterest(c, true);
                return true;
            }
            if (e == SSL_ERROR_WANT_READ) // renegotiation: wait for input (always armed)
                return true;
            return false;
        }
        const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n > 0) {
            c.out.erase(0, size_t(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            setInterest(c, true);
            return true;
        }
        return false;
    }
    setInterest(c, false);
    if (c.wantClose && !c.stream.active) {
        ::shutdown(c.fd, SHUT_WR);
        return false;
    }
    return true;
}

void appendChunk(std::string &out, std::string_view data)
{
    char head[24];
    const int n = std::snprintf(head, sizeof head, "%zx\r\n", data.size());
    out.append(head, size_t(n));
    out.append(data);
    out.append("\r\n");
}

std::string chunkJson(const std::string &model, std::string_view delta, std::string_view finish)
{
    std::string s = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
                    "\"created\":1700000000,\"model\":\"";
    s += model;
    s += "\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":";
    s += delta;
    s += ",\"logprobs\":null,\"finish_reason\":";
    s += finish;
    s += "}]}\n\n";
    return s;
}

// Queues the stream's next event(s); returns false when the stream has ended.
void streamStep(Conn &c, long long now)
{
    Stream &s = c.stream;
    if (s.barrier > 0) {
        if (g_openStreams < s.barrier && now < s.barrierDeadlineNs)
            return;
        s.barrier = 0;
    }
    while (s.chunksLeft > 0 && now >= s.nextNs) {
        char text[64];
        std::snprintf(text, sizeof text, "{\"content\":\"T%lld \"}", nowNs());
        appendChunk(c.out, chunkJson(s.model, text, "null"));
        --s.chunksLeft;
        s.nextNs += s.intervalNs;
        if (s.intervalNs > 0)
            break; // one event per wake-up, each written on its own
    }
    if (s.chunksLeft == 0) {
        appendChunk(c.out, chunkJson(s.model, "{}", "\"stop\""));
        appendChunk(c.out, "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
                           "\"created\":1700000000,\"model\":\"" +
                               s.model +
                               "\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
                               "\"completion_tokens\":9,\"total_tokens\":14}}\n\n");
        appendChunk(c.out, "data: [DONE]\n\n");
        c.out.append("0\r\n\r\n");
        s.active = false;
        --g_openStreams;
    }
}

std::string jsonString(std::string_view body, std::string_view key)
{
    std::string needle(1, '"');
    needle.append(key);
    needle.push_back('"');
    size_t p = body.find(needle);
    if (p == std::string_view::npos)
        return {};
    p = body.find('"', body.find(':', p + needle.size()) + 1);
    if (p == std::string_view::npos)
        return {};
    const size_t e = body.find('"', p + 1);
    return e == std::string_view::npos ? std::string() : std::string(body.substr(p + 1, e - p - 1));
}

bool jsonTrue(std::string_view body, std::string_view key)
{
    std::string needle(1, '"');
    needle.append(key);
    needle.push_back('"');
    size_t p = body.find(needle);
    if (p == std::string_view::npos)
        return false;
    p = body.find(':', p + needle.size());
    if (p == std::string_view::npos)
        return false;
    ++p;
    while (p < body.size() && (body[p] == ' ' || body[p] == '\n' || body[p] == '\t'))
        ++p;
    return body.substr(p, 4) == "true";
}

long long modelParam(const std::string &model, char key, long long fallback)
{
    for (size_t i = 0; i + 1 < model.size(); ++i)
        if (model[i] == key && model[i + 1] >= '0' && model[i + 1] <= '9')
            return std::atoll(model.c_str() + i + 1);
    return fallback;
}

void respond(Conn &c, int status, std::string_view type, std::string_view body)
{
    char head[256];
    const int n =
        std::snprintf(head, sizeof head,
                      "HTTP/1.1 %d %s\r\nContent-Type: %.*s\r\nContent-Length: "
                      "%zu\r\n%s\r\n",
                      status, status == 200 ? "OK" : "Not Found", int(type.size()), type.data(),
                      body.size(), c.wantClose ? "Connection: close\r\n" : "");
    c.out.append(head, size_t(n));
    c.out.append(body);
}

void handle(Conn &c, std::string_view method, std::string_view path, std::string_view body)
{
    ++g_requests;
    if (path == "/stats") {
        char b[160];
        const int n = std::snprintf(b, sizeof b,
                                    "{\"requests\":%lld,\"open_streams\":%d,\"peak_streams\":%d,"
                                    "\"connections\":%lld}\n",
                                    g_requests - 1, g_openStreams, g_peakStreams, g_accepted);
        --g_requests;
        respond(c, 200, "application/json", std::string_view(b, size_t(n)));
        return;
    }
    if (path == "/reset" && method == "POST") {
        g_requests = 0;
        g_peakStreams = g_openStreams;
        respond(c, 200, "application/json", "{}\n");
        return;
    }
    if (path != "/v1/chat/completions" || method != "POST") {
        respond(c, 404, "application/json",
                "{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\"}}");
        return;
    }
    std::string model = jsonString(body, "model");
    if (model.empty() || model.size() > 100 || model.find('\\') != std::string::npos)
        model = "bench";
    if (!jsonTrue(body, "stream")) {
        const std::string answer =
            "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
            "\"model\":\"" +
            model +
            "\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"message\":{\"role\":"
            "\"assistant\",\"content\":\"Hello! How can I help you today?\",\"refusal\":null},"
            "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,"
            "\"completion_tokens\":9,\"total_tokens\":18}}";
        respond(c, 200, "application/json", answer);
        return;
    }
    c.out.append("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                 "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n");
    if (c.wantClose)
        c.out.append("Connection: close\r\n");
    c.out.append("\r\n");
    appendChunk(
        c.out,
        chunkJson(model, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null"));
    Stream &s = c.stream;
    s = Stream{};
    s.active = true;
    s.model = model;
    s.chunksLeft = int(modelParam(model, 'c', 8));
    s.intervalNs = modelParam(model, 'i', 0) * 1000;
    s.barrier = int(modelParam(model, 'b', 0));
    const long long now = nowNs();
    s.nextNs = now; // the first content chunk at once: time to first chunk is pure overhead
    s.barrierDeadlineNs = now + 20000000000LL;
    ++g_openStreams;
    if (g_openStreams > g_peakStreams)
        g_peakStreams = g_openStreams;
    streamStep(c, now);
}

bool iequalsPrefix(std::string_view s, std::string_view prefix)
{
    if (s.size() < prefix.size())
        return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i])
            return false;
    return true;
}

// Parses and answers complete requests in c.in; false on a malformed one.
bool process(Conn &c)
{
    while (!c.stream.active) {
        const size_t end = c.in.find("\r\n\r\n");
        if (end == std::string::npos)
            return c.in.size() < 64 * 1024;
        const std::string_view head(c.in.data(), end);
        const size_t sp1 = head.find(' ');
        const size_t sp2 = head.find(' ', sp1 + 1);
        const size_t eol = head.find("\r\n");
        if (sp1 == std::string_view::npos || sp2 == std::string_view::npos)
            return false;
        const bool http10 = head.substr(sp2 + 1, eol - sp2 - 1) == "HTTP/1.0";
        size_t length = 0;
        bool close = http10;
        size_t p = eol;
        while (p != std::string_view::npos && p < head.size()) {
            const size_t next = head.find("\r\n", p + 2);
            const std::string_view line =
                head.substr(p + 2, (next == std::string_view::npos ? head.size() : next) - p - 2);
            if (iequalsPrefix(line, "content-length:"))
                length = size_t(std::atoll(std::string(line.substr(15)).c_str()));
            else if (iequalsPrefix(line, "connection:")) {
                std::string v(line.substr(11));
                for (char &ch : v)
                    ch = char(std::tolower(static_cast<unsigned char>(ch)));
                if (v.find("close") != std::string::npos)
                    close = true;
                else if (v.find("keep-alive") != std::string::npos)
                    close = false;
            }
            p = next;
        }
        if (c.in.size() < end + 4 + length)
            return true;
        c.wantClose = close;
        const std::string request = c.in.substr(0, end + 4 + length);
        c.in.erase(0, end + 4 + length);
        const std::string_view r(request);
        handle(c, r.substr(0, sp1), r.substr(sp1 + 1, sp2 - sp1 - 1), r.substr(end + 4));
        if (c.wantClose)
            return true;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    int port = 0;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc)
            port = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--tls") == 0 && i + 2 < argc) {
            g_tls = SSL_CTX_new(TLS_server_method());
            SSL_CTX_set_mode(g_tls,
                             SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
            if (SSL_CTX_use_certificate_chain_file(g_tls, argv[i + 1]) != 1 ||
                SSL_CTX_use_PrivateKey_file(g_tls, argv[i + 2], SSL_FILETYPE_PEM) != 1) {
                ERR_print_errors_fp(stderr);
                return 1;
            }
            i += 2;
        }
    }
    std::signal(SIGPIPE, SIG_IGN);
    const int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(lfd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
        ::listen(lfd, 4096) != 0) {
        std::perror("fakeupstream: listen");
        return 1;
    }
    socklen_t len = sizeof addr;
    getsockname(lfd, reinterpret_cast<sockaddr *>(&addr), &len);
    std::printf("port %d\n", ntohs(addr.sin_port));
    std::fflush(stdout);

    g_epoll = epoll_create1(EPOLL_CLOEXEC);
    epoll_event lev{};
    lev.events = EPOLLIN;
    lev.data.fd = lfd;
    epoll_ctl(g_epoll, EPOLL_CTL_ADD, lfd, &lev);

    const int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    epoll_event tev{};
    tev.events = EPOLLIN;
    tev.data.fd = tfd;
    epoll_ctl(g_epoll, EPOLL_CTL_ADD, tfd, &tev);

    std::vector<epoll_event> events(1024);
    std::vector<int> gone;
    char buf[65536];
    for (;;) {
        // Sleep until the next paced chunk is due (or a barrier may have opened).
        long long wakeNs = -1;
        const long long now = nowNs();
        for (auto &[fd, c] : g_conns) {
            if (!c.stream.active)
                continue;
            long long due = c.stream.barrier > 0 ? now + 1000000 : c.stream.nextNs;
            if (wakeNs < 0 || due < wakeNs)
                wakeNs = due;
        }
        // A timerfd wakes us at the exact nanosecond (epoll_wait's timeout is in milliseconds).
        itimerspec its{};
        if (wakeNs >= 0) {
            const long long at = wakeNs <= now ? now + 1000 : wakeNs;
            its.it_value.tv_sec = time_t(at / 1000000000LL);
            its.it_value.tv_nsec = long(at % 1000000000LL);
        }
        timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, nullptr);
        const int n = epoll_wait(g_epoll, events.data(), int(events.size()), -1);
        if (n < 0 && errno != EINTR) {
            std::perror("fakeupstream: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; ++i) {
            const int fd = events[size_t(i)].data.fd;
            if (fd == tfd) {
                uint64_t expirations;
                [[maybe_unused]] const ssize_t r = ::read(tfd, &expirations, sizeof expirations);
                continue;
            }
            if (fd == lfd) {
                for (;;) {
                    const int cfd = ::accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (cfd < 0)
                        break;
                    setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    Conn &c = g_conns[cfd];
                    c.fd = cfd;
                    ++g_accepted;
                    if (g_tls) {
                        c.ssl = SSL_new(g_tls);
                        SSL_set_fd(c.ssl, cfd);
                        SSL_set_accept_state(c.ssl); // the handshake runs inside SSL_read
                    }
                    epoll_event ev{};
                    ev.events = EPOLLIN;
                    ev.data.fd = cfd;
                    epoll_ctl(g_epoll, EPOLL_CTL_ADD, cfd, &ev);
                }
                continue;
            }
            auto it = g_conns.find(fd);
            if (it == g_conns.end())
                continue;
            Conn &c = it->second;
            bool alive = true;
            if ((events[size_t(i)].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) ||
                (c.ssl && !SSL_is_init_finished(c.ssl))) {
                while (c.ssl) {
                    const int r = SSL_read(c.ssl, buf, sizeof buf);
                    if (r > 0) {
                        c.in.append(buf, size_t(r));
                        continue;
                    }
                    const int e = SSL_get_error(c.ssl, r);
                    if (e == SSL_ERROR_WANT_READ)
                        break;
                    if (e == SSL_ERROR_WANT_WRITE) { // handshake output pending
                        setInterest(c, true);
                        break;
                    }
                    alive = false; // closed, or a failed handshake
                    break;
                }
                while (!c.ssl) {
                    const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
                    if (r > 0) {
                        c.in.append(buf, size_t(r));
                        continue;
                    }
                    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                        break;
                    if (r < 0 && errno == EINTR)
                        continue;
                    alive = false; // EOF or error: the client is gone
                    break;
                }
                if (alive)
                    alive = process(c);
            }
            if (alive)
                alive = flush(c);
            if (!alive)
                closeConn(fd);
        }
        // Paced streams whose next chunk is due.
        const long long t = nowNs();
        gone.clear();
        for (auto &[fd, c] : g_conns) {
            if (!c.stream.active)
                continue;
            streamStep(c, t);
            bool alive = true;
            if (!c.stream.active && !c.wantClose)
                alive = process(c); // a pipelined next request
            if (alive)
                alive = flush(c);
            if (!alive)
                gone.push_back(fd);
        }
        for (int fd : gone)
            closeConn(fd);
    }
}
