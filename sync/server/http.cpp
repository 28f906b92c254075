// The server's connection layer (see http.h): one epoll thread reads every connection until its
// request is complete and within limits, then a worker runs httplib's parsing and routing on the
// buffered bytes and writes the answer; a kept-alive connection goes back to the epoll thread.
#include "http.h"

#include "api.h"
#include "ksd/log.h"
#include "ksd/number.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace ksd::server {

using Clock = std::chrono::steady_clock;

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x))
            == std::tolower(static_cast<unsigned char>(y));
    });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// RFC 9110 token characters: a header name with anything else (a space before the colon, say)
// is refused, since proxies and httplib could read it differently.
bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c))
            || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
    });
}

char const* reason_phrase(int status) {
    switch (status) {
    case 400:
        return "Bad Request";
    case 408:
        return "Request Timeout";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    }
    return "Error";
}

// Decodes a chunked body as its bytes arrive, keeping only the undecoded rest.
class ChunkDecoder {
public:
    enum class Step { More, Done, Bad, TooBig };
    // Takes what it can from the front of raw (leaving what follows the body), appends data.
    // Framing may take at most max plus max_framing bytes on the wire (1-byte chunks take 6).
    Step feed(std::string& raw, std::string& out, size_t max) {
        size_t pos = 0;
        Step step = decode(raw, pos, out, max);
        raw.erase(0, pos); // once per call: erasing per chunk was quadratic
        m_wire += pos;
        if (step == Step::More && m_wire + raw.size() > max + max_framing(max))
            return Step::TooBig;
        return step;
    }

private:
    static size_t max_framing(size_t max) { return max + 64 * 1024; }

    Step decode(std::string const& raw, size_t& pos, std::string& out, size_t max) {
        for (;;) {
            std::string_view rest(raw.data() + pos, raw.size() - pos);
            switch (m_state) {
            case State::Size: {
                auto eol = rest.find("\r\n");
                if (eol == std::string_view::npos)
                    return rest.size() > max_line ? Step::Bad : Step::More;
                if (eol > max_line)
                    return Step::Bad;
                std::string_view line = rest.substr(0, eol);
                auto size = ksd::parse_int<size_t>(trim(line.substr(0, line.find(';'))), 16);
                if (!size)
                    return Step::Bad;
                pos += eol + 2;
                if (*size == 0) {
                    m_state = State::Trailers;
                    break;
                }
                if (*size > max - out.size())
                    return Step::TooBig;
                m_remaining = *size;
                m_state = State::Data;
                break;
            }
            case State::Data: {
                size_t take = std::min(m_remaining, rest.size());
                out.append(rest.data(), take);
                pos += take;
                m_remaining -= take;
                if (m_remaining > 0)
                    return Step::More;
                m_state = State::DataEnd;
                break;
            }
            case State::DataEnd:
                if (rest.size() < 2)
                    return Step::More;
                if (rest.substr(0, 2) != "\r\n")
                    return Step::Bad;
                pos += 2;
                m_state = State::Size;
                break;
            case State::Trailers: {
                auto eol = rest.find("\r\n");
                if (eol == std::string_view::npos)
                    return rest.size() > max_line ? Step::Bad : Step::More;
                m_trailer_bytes += eol + 2;
                if (m_trailer_bytes > max_line)
                    return Step::Bad;
                pos += eol + 2;
                if (eol == 0)
                    return Step::Done; // trailers are dropped
                break;
            }
            }
        }
    }

    // A chunk-size line with its extensions, and all trailers together.
    static constexpr size_t max_line = 1024;
    enum class State { Size, Data, DataEnd, Trailers };
    State m_state {State::Size};
    size_t m_remaining {0};
    size_t m_trailer_bytes {0};
    size_t m_wire {0}; // bytes of the body taken so far, framing included
};

// Whether the request line names a route that reads a compressed body through a content reader
// (api.cpp), which inflates it within a limit. Exact paths: httplib routes only these there.
bool decodes_within_limit(std::string_view request_line) {
    auto sp = request_line.find(' ');
    if (sp == std::string_view::npos || request_line.substr(0, sp) != "POST")
        return false;
    auto target = request_line.substr(sp + 1);
    target = target.substr(0, target.find(' '));
    target = target.substr(0, target.find('?'));
    return target == "/api/v1/tickets" || target == "/api/v1/heartbeat" || target == "/api/v1/skm";
}

std::string address_text(sockaddr_storage const& a, int& port) {
    char text[INET6_ADDRSTRLEN] = "";
    if (a.ss_family == AF_INET) {
        auto const& in = reinterpret_cast<sockaddr_in const&>(a);
        ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
        port = ntohs(in.sin_port);
    } else if (a.ss_family == AF_INET6) {
        auto const& in6 = reinterpret_cast<sockaddr_in6 const&>(a);
        ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
        port = ntohs(in6.sin6_port);
    }
    return text;
}

} // namespace

RequestHead parse_request_head(std::string_view block, HttpLimits const& limits) {
    RequestHead h;
    auto refuse = [&h](int status, std::string code, std::string message) {
        h.status = status;
        h.code = std::move(code);
        h.message = std::move(message);
        h.text.clear();
        return h;
    };
    std::optional<size_t> length;
    bool chunked = false;
    bool encoded = false;
    std::string_view request_line;
    size_t count = 0;
    bool first = true;
    while (!block.empty()) {
        auto eol = block.find("\r\n");
        if (eol == std::string_view::npos)
            return refuse(400, "bad_request", "a request line without CRLF");
        std::string_view line = block.substr(0, eol);
        block.remove_prefix(eol + 2);
        if (line.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
            return refuse(400, "bad_request", "a bare CR, LF or NUL in the request head");
        if (first) {
            first = false;
            if (line.empty())
                return refuse(400, "bad_request", "an empty request line");
            request_line = line;
            h.text.append(line).append("\r\n");
            continue;
        }
        if (++count > limits.max_header_count)
            return refuse(431, "header_too_large",
                "more than " + std::to_string(limits.max_header_count) + " header lines");
        if (line[0] == ' ' || line[0] == '\t')
            return refuse(400, "bad_request", "a folded header line");
        auto colon = line.find(':');
        std::string_view name = line.substr(0, colon);
        if (colon == std::string_view::npos || !is_token(name))
            return refuse(400, "bad_request", "a header line without a valid name");
        std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "Content-Length")) {
            auto v = ksd::parse_int<size_t>(value);
            if (!v || (length && *length != *v))
                return refuse(400, "bad_request", "Content-Length: not one exact number");
            length = v;
            continue; // put back below, once
        }
        if (iequals(name, "Transfer-Encoding")) {
            if (chunked || !iequals(value, "chunked"))
                return refuse(400, "bad_request", "Transfer-Encoding: only chunked is accepted");
            chunked = true;
            continue; // the body is handed on decoded, with a Content-Length
        }
        if (iequals(name, "Expect")) {
            if (!iequals(value, "100-continue"))
                return refuse(400, "bad_request", "Expect: only 100-continue is known");
            h.expect_continue = true; // answered here, when the head is accepted
            continue;
        }
        if (iequals(name, "Content-Encoding") && !iequals(value, "identity"))
            encoded = true;
        // httplib adds these from the socket after the client's own, so a client's copy would be
        // the first one read: dropped.
        if (iequals(name, "REMOTE_ADDR") || iequals(name, "REMOTE_PORT")
            || iequals(name, "LOCAL_ADDR") || iequals(name, "LOCAL_PORT"))
            continue;
        h.text.append(line).append("\r\n");
    }
    if (chunked && length)
        return refuse(400, "bad_request", "both Content-Length and Transfer-Encoding");
    // httplib inflates a compressed body whole into memory, without any limit, on every route
    // without a content reader; only the upload routes read it through one, within a limit.
    if (encoded && !decodes_within_limit(request_line))
        return refuse(415, "unsupported_media_type",
            "Content-Encoding is accepted only on POST /api/v1/tickets, /api/v1/heartbeat and "
            "/api/v1/skm");
    if (chunked) {
        h.body = RequestHead::Body::Chunked;
    } else if (length && *length > 0) {
        if (*length > limits.max_body_bytes)
            return refuse(413, "payload_too_large",
                "the body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
        h.body = RequestHead::Body::Length;
        h.length = *length;
    }
    return h;
}

namespace {

// One client connection, owned by the epoll thread or by one worker at a time.
struct HttpConn {
    int fd {-1};
    std::string peer;
    int peer_port {0};
    std::string local;
    int local_port {0};
    std::string buf; // received and not yet used
    Clock::time_point since; // when it last started waiting; the oldest is closed first
    Clock::time_point deadline;
    size_t served {0};
    enum class Phase { Idle, Head, Body, Draining } phase {Phase::Idle};
    size_t scanned {0}; // bytes of buf already searched for the blank line
    RequestHead head;
    std::string body;
    ChunkDecoder chunks;
    size_t reserved {0}; // share of max_buffered_bytes
    size_t discarded {0};
};

// What httplib reads and writes: the complete request from memory, the answer to the socket.
class BufferedStream : public httplib::Stream {
public:
    BufferedStream(
        HttpConn const& conn, std::string const& input, std::chrono::milliseconds timeout)
        : m_conn(conn)
        , m_in(input)
        , m_timeout_ms(static_cast<int>(timeout.count())) { }
    bool is_readable() const override { return m_pos < m_in.size(); }
    bool is_writable() const override {
        pollfd p {m_conn.fd, POLLOUT, 0};
        return ::poll(&p, 1, m_timeout_ms) > 0 && !(p.revents & (POLLERR | POLLHUP));
    }
    ssize_t read(char* ptr, size_t size) override {
        size_t n = std::min(size, m_in.size() - m_pos);
        std::memcpy(ptr, m_in.data() + m_pos, n);
        m_pos += n;
        return static_cast<ssize_t>(n);
    }
    // Writes are gathered and sent in pieces of up to 64 KiB, so that a small answer leaves in
    // one segment instead of a header segment and a body segment the client's delayed ACK holds.
    ssize_t write(char const* ptr, size_t size) override {
        if (m_failed)
            return -1;
        m_out.append(ptr, size);
        if (m_out.size() >= out_chunk && !flush())
            return -1;
        return static_cast<ssize_t>(size);
    }
    bool flush() {
        size_t done = 0;
        while (done < m_out.size() && !m_failed) {
            ssize_t n = ::send(m_conn.fd, m_out.data() + done, m_out.size() - done, MSG_NOSIGNAL);
            if (n > 0) {
                done += static_cast<size_t>(n);
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                pollfd p {m_conn.fd, POLLOUT, 0};
                if (::poll(&p, 1, m_timeout_ms) <= 0)
                    m_failed = true; // no progress within write_timeout: a reader gone quiet
            } else {
                m_failed = true;
            }
        }
        m_out.clear();
        return !m_failed;
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = m_conn.peer;
        port = m_conn.peer_port;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = m_conn.local;
        port = m_conn.local_port;
    }
    socket_t socket() const override { return m_conn.fd; }
    bool failed() const { return m_failed; }

private:
    HttpConn const& m_conn;
    std::string const& m_in;
    size_t m_pos {0};
    int m_timeout_ms;
    bool m_failed {false};
    static constexpr size_t out_chunk = 64 * 1024;
    std::string m_out;
};

// httplib hands each accepted socket to its task queue; ours passes it on at once.
class HandOver : public httplib::TaskQueue {
public:
    void enqueue(std::function<void()> fn) override { fn(); }
    void shutdown() override { }
};

} // namespace

class GuardedServer::Engine {
public:
    Engine(GuardedServer& server, HttpLimits limits, ErrorBody error_body)
        : m_server(server)
        , m_limits(limits)
        , m_error_body(error_body) {
        m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
        m_wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        epoll_event ev {};
        ev.events = EPOLLIN;
        ev.data.fd = m_wake;
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev);
        m_reactor = std::thread([this] { reactor(); });
        for (int i = 0; i < std::max(1, m_limits.workers); ++i)
            m_workers.emplace_back([this] { worker(); });
    }
    ~Engine() {
        drain();
        ::close(m_epoll);
        ::close(m_wake);
    }

    void adopt(int fd) {
        auto c = std::make_unique<HttpConn>();
        c->fd = fd;
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        int one = 1; // answers are written whole (BufferedStream), so Nagle only adds delay
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_storage a {};
        socklen_t len = sizeof a;
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            c->peer = address_text(a, c->peer_port);
        len = sizeof a;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            c->local = address_text(a, c->local_port);
        c->since = Clock::now();
        // A new connection must start its request as soon as one in progress must finish it.
        c->deadline = c->since + m_limits.header_timeout;
        give_to_reactor(std::move(c));
    }

    void drain() {
        if (m_drained.exchange(true))
            return;
        m_stopping = true;
        wake();
        if (m_reactor.joinable())
            m_reactor.join();
        m_jobs_cv.notify_all();
        for (auto& t : m_workers)
            t.join();
    }

private:
    void wake() {
        uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(m_wake, &one, sizeof one);
    }

    void give_to_reactor(std::unique_ptr<HttpConn> c) {
        {
            std::lock_guard lock(m_mutex);
            if (!m_reactor_done) {
                m_incoming.push_back(std::move(c));
                c = nullptr;
            }
        }
        if (c)
            close_fd(*c);
        else
            wake();
    }

    void close_fd(HttpConn& c) {
        release(c);
        ::shutdown(c.fd, SHUT_RDWR);
        ::close(c.fd);
        c.fd = -1;
    }

    void release(HttpConn& c) {
        m_buffered -= c.reserved;
        c.reserved = 0;
    }

    // --- the epoll thread ---

    void reactor() {
        epoll_event events[64];
        for (;;) {
            std::vector<std::unique_ptr<HttpConn>> incoming;
            {
                std::lock_guard lock(m_mutex);
                incoming.swap(m_incoming);
            }
            for (auto& c : incoming)
                add(std::move(c));
            if (m_stopping) {
                // Idle connections go; requests already started may finish, within a few
                // seconds of the stop (a slow body would otherwise hold it for body_timeout).
                if (!m_stop_by)
                    m_stop_by = Clock::now() + stop_grace;
                for (auto& [fd, c] : m_conns)
                    c->deadline = std::min(c->deadline, *m_stop_by);
                std::vector<int> idle;
                for (auto const& [fd, c] : m_conns)
                    if (c->phase == HttpConn::Phase::Idle && c->buf.empty())
                        idle.push_back(fd);
                for (int fd : idle)
                    close_conn(fd);
                std::lock_guard lock(m_mutex);
                if (m_conns.empty() && m_incoming.empty()) {
                    m_reactor_done = true;
                    break;
                }
            }
            auto now = Clock::now();
            auto next = now + std::chrono::seconds(1);
            for (auto const& [fd, c] : m_conns)
                next = std::min(next, c->deadline);
            int wait_ms = static_cast<int>(
                std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count());
            int n = ::epoll_wait(m_epoll, events, 64, std::max(0, wait_ms) + 1);
            for (int i = 0; i < n; ++i) {
                int fd = events[i].data.fd;
                if (fd == m_wake) {
                    uint64_t v;
                    [[maybe_unused]] auto r = ::read(m_wake, &v, sizeof v);
                    continue;
                }
                if (m_conns.count(fd))
                    on_readable(fd);
            }
            now = Clock::now();
            std::vector<int> expired;
            for (auto const& [fd, c] : m_conns)
                if (c->deadline <= now)
                    expired.push_back(fd);
            for (int fd : expired)
                on_deadline(fd);
        }
        m_jobs_cv.notify_all();
    }

    void add(std::unique_ptr<HttpConn> c) {
        if (m_conns.size() >= m_limits.max_connections) {
            // Full: an answered or idle connection makes room, else one still sending its head
            // (the one waiting longest); a body being received is never closed for a newcomer,
            // which is refused instead.
            auto rank = [](HttpConn const& k) {
                switch (k.phase) {
                case HttpConn::Phase::Draining:
                    return 0;
                case HttpConn::Phase::Idle:
                    return 1;
                case HttpConn::Phase::Head:
                    return 2;
                case HttpConn::Phase::Body:
                    return 3;
                }
                return 3;
            };
            auto victim = std::min_element(
                m_conns.begin(), m_conns.end(), [&](auto const& a, auto const& b) {
                    int ra = rank(*a.second), rb = rank(*b.second);
                    return ra != rb ? ra < rb : a.second->since < b.second->since;
                });
            // Logged once a minute at most: under a flood this would be every accept.
            if (Clock::now() - m_last_full_log > std::chrono::minutes(1)) {
                m_last_full_log = Clock::now();
                log::warn("http",
                    "connection limit (" + std::to_string(m_limits.max_connections)
                        + ") reached: closing idle connections, refusing new ones while all "
                          "are receiving bodies");
            }
            if (rank(*victim->second) == 3) {
                close_fd(*c);
                return;
            }
            close_conn(victim->first);
        }
        int fd = c->fd;
        epoll_event ev {};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.fd = fd;
        if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0) {
            close_fd(*c);
            return;
        }
        m_conns.emplace(fd, std::move(c));
        advance(fd); // a kept-alive connection may have the next request buffered already
    }

    void close_conn(int fd) {
        auto it = m_conns.find(fd);
        if (it == m_conns.end())
            return;
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        close_fd(*it->second);
        m_conns.erase(it);
    }

    void on_readable(int fd) {
        char tmp[16384];
        for (;;) {
            auto it = m_conns.find(fd);
            if (it == m_conns.end())
                return;
            HttpConn& c = *it->second;
            size_t want = sizeof tmp;
            if (c.phase == HttpConn::Phase::Idle || c.phase == HttpConn::Phase::Head)
                want = std::min(want,
                    m_limits.max_header_bytes + 1
                        - std::min(c.buf.size(), m_limits.max_header_bytes));
            ssize_t n = ::recv(fd, tmp, want, 0);
            if (n == 0) {
                close_conn(fd); // the client went away; nothing to answer
                return;
            }
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    close_conn(fd);
                return;
            }
            if (c.phase == HttpConn::Phase::Draining) {
                c.discarded += static_cast<size_t>(n);
                if (c.discarded > (1u << 20))
                    close_conn(fd);
                continue;
            }
            c.buf.append(tmp, static_cast<size_t>(n));
            if (!advance(fd))
                return;
        }
    }

    // Moves the connection on with what it has received; false when it left the epoll thread's
    // reading (answered, closed or handed to a worker).
    bool advance(int fd) {
        HttpConn& c = *m_conns.at(fd);
        auto now = Clock::now();
        if (c.phase == HttpConn::Phase::Idle && !c.buf.empty()) {
            c.phase = HttpConn::Phase::Head;
            c.deadline = now + m_limits.header_timeout;
            c.since = now;
        }
        if (c.phase == HttpConn::Phase::Head) {
            auto end = c.buf.find("\r\n\r\n", c.scanned >= 3 ? c.scanned - 3 : 0);
            if (end == std::string::npos || end + 4 > m_limits.max_header_bytes) {
                c.scanned = c.buf.size();
                if (c.buf.size() > m_limits.max_header_bytes) {
                    refuse(fd, 431, "header_too_large",
                        "the request line and headers are longer than "
                            + std::to_string(m_limits.max_header_bytes) + " bytes");
                    return false;
                }
                return true;
            }
            c.head = parse_request_head(std::string_view(c.buf).substr(0, end + 2), m_limits);
            c.buf.erase(0, end + 4);
            c.scanned = 0;
            if (c.head.status != 0) {
                refuse(fd, c.head.status, c.head.code, c.head.message);
                return false;
            }
            if (c.head.body == RequestHead::Body::None) {
                hand_off(fd);
                return false;
            }
            // Room for the declared body at once (no doubling copies); the budget is charged
            // below as its bytes arrive, so heads alone cannot take it.
            if (c.head.body == RequestHead::Body::Length)
                c.buf.reserve(c.head.length);
            c.phase = HttpConn::Phase::Body;
            c.deadline = now + m_limits.body_timeout;
            if (c.head.expect_continue) {
                static constexpr char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
                [[maybe_unused]] auto n
                    = ::send(fd, cont, sizeof cont - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            }
        }
        if (c.phase == HttpConn::Phase::Body) {
            size_t held = c.buf.size() + c.body.size();
            if (held > c.reserved) {
                if (m_buffered + (held - c.reserved) > m_limits.max_buffered_bytes) {
                    refuse(fd, 503, "busy", "too many uploads at once; retry after Retry-After");
                    return false;
                }
                m_buffered += held - c.reserved;
                c.reserved = held;
            }
            if (c.head.body == RequestHead::Body::Length) {
                if (c.buf.size() < c.head.length)
                    return true;
                if (c.buf.size() == c.head.length) {
                    c.body.swap(c.buf); // nothing follows: no copy
                    std::string().swap(c.buf);
                } else {
                    c.body = c.buf.substr(0, c.head.length);
                    c.buf.erase(0, c.head.length);
                    c.buf.shrink_to_fit();
                }
                hand_off(fd);
                return false;
            }
            switch (c.chunks.feed(c.buf, c.body, m_limits.max_body_bytes)) {
            case ChunkDecoder::Step::More:
                return true;
            case ChunkDecoder::Step::Done:
                c.buf.shrink_to_fit();
                hand_off(fd);
                return false;
            case ChunkDecoder::Step::Bad:
                refuse(fd, 400, "bad_request", "malformed chunked body");
                return false;
            case ChunkDecoder::Step::TooBig:
                refuse(fd, 413, "payload_too_large",
                    "the body is larger than " + std::to_string(m_limits.max_body_bytes)
                        + " bytes");
                return false;
            }
        }
        return c.phase != HttpConn::Phase::Draining;
    }

    void on_deadline(int fd) {
        HttpConn& c = *m_conns.at(fd);
        switch (c.phase) {
        case HttpConn::Phase::Idle:
        case HttpConn::Phase::Draining:
            close_conn(fd);
            return;
        case HttpConn::Phase::Head:
        case HttpConn::Phase::Body:
            refuse(fd, 408, "request_timeout", "the request did not arrive in time");
            return;
        }
    }

    // Answers with an error and closes after reading (and dropping) what the client still sends,
    // so that the answer is not lost to a reset.
    void refuse(int fd, int status, std::string const& code, std::string const& message) {
        HttpConn& c = *m_conns.at(fd);
        release(c);
        std::string body = m_error_body(code, message);
        std::string answer = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status)
            + "\r\nContent-Type: application/json\r\nKSD-Protocol: "
            + std::to_string(protocol_version) + "\r\nCache-Control: no-store\r\n"
            + (status == 503 ? "Retry-After: " + std::to_string(busy_retry_after_s) + "\r\n" : "")
            + "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n"
            + body;
        [[maybe_unused]] auto n
            = ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        ::shutdown(fd, SHUT_WR);
        log::debug("http", c.peer + ": " + std::to_string(status) + " " + code); // floods at info
        c.phase = HttpConn::Phase::Draining;
        c.buf.clear();
        c.buf.shrink_to_fit();
        c.body.clear();
        c.body.shrink_to_fit();
        c.deadline = Clock::now() + std::chrono::seconds(2);
    }

    void hand_off(int fd) {
        auto it = m_conns.find(fd);
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        auto c = std::move(it->second);
        m_conns.erase(it);
        {
            std::lock_guard lock(m_mutex);
            m_jobs.push_back(std::move(c));
        }
        m_jobs_cv.notify_one();
    }

    // --- workers ---

    void worker() {
        for (;;) {
            std::unique_ptr<HttpConn> c;
            {
                std::unique_lock lock(m_mutex);
                m_jobs_cv.wait(lock, [&] { return !m_jobs.empty() || m_reactor_done; });
                if (m_jobs.empty())
                    return;
                c = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
            run(std::move(c));
        }
    }

    void run(std::unique_ptr<HttpConn> c) {
        std::string input = std::move(c->head.text);
        input += "Content-Length: " + std::to_string(c->body.size()) + "\r\n\r\n";
        input.reserve(input.size() + c->body.size());
        input += c->body;
        // Not `= std::string()`: libstdc++'s move from an empty (local) string keeps the old
        // buffer, so each kept-alive connection held its last body (1 MiB) while idle.
        std::string().swap(c->body);
        c->head = RequestHead();
        release(*c);
        bool last = m_stopping || c->served + 1 >= m_limits.keep_alive_max_requests;
        bool closed = false;
        BufferedStream stream(*c, input, m_limits.write_timeout);
        bool ok = m_server.process_request(stream, last, closed, [](httplib::Request& req) {
            // The content route answers Range itself (416, one range or the whole pack).
            req.ranges.clear();
        });
        stream.flush();
        c->served++;
        if (!ok || last || closed || stream.failed() || m_stopping) {
            close_fd(*c);
            return;
        }
        c->phase = HttpConn::Phase::Idle;
        c->buf.shrink_to_fit(); // an idle connection keeps no body-sized buffer
        c->chunks = ChunkDecoder();
        c->since = Clock::now();
        c->deadline = c->since + m_limits.keep_alive_timeout;
        give_to_reactor(std::move(c));
    }

    GuardedServer& m_server;
    HttpLimits const m_limits;
    ErrorBody m_error_body;
    int m_epoll {-1};
    int m_wake {-1};
    std::atomic<bool> m_stopping {false};
    std::atomic<bool> m_drained {false};
    std::atomic<size_t> m_buffered {0};
    std::mutex m_mutex; // guards m_incoming, m_jobs, m_reactor_done
    std::vector<std::unique_ptr<HttpConn>> m_incoming;
    std::deque<std::unique_ptr<HttpConn>> m_jobs;
    bool m_reactor_done {false};
    std::condition_variable m_jobs_cv;
    std::unordered_map<int, std::unique_ptr<HttpConn>> m_conns; // the epoll thread's only
    Clock::time_point m_last_full_log {};
    static constexpr std::chrono::seconds stop_grace {3};
    std::optional<Clock::time_point> m_stop_by; // the epoll thread's only
    std::thread m_reactor;
    std::vector<std::thread> m_workers;
};

GuardedServer::GuardedServer(HttpLimits limits, ErrorBody error_body)
    : m_engine(std::make_unique<Engine>(*this, limits, error_body)) {
    new_task_queue = [] { return new HandOver; };
    set_payload_max_length(limits.max_body_bytes);
    // Only for the Keep-Alive header httplib writes; the engine applies the limits.
    set_keep_alive_max_count(limits.keep_alive_max_requests);
    set_keep_alive_timeout(
        std::chrono::duration_cast<std::chrono::seconds>(limits.keep_alive_timeout).count());
}

GuardedServer::~GuardedServer() {
    m_engine->drain();
}

void GuardedServer::drain() {
    m_engine->drain();
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
    m_engine->adopt(sock);
    return true;
}

} // namespace ksd::server
