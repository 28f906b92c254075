// The fault-injecting proxy; see fault_proxy.h.
#include "fault_proxy.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace ksd::test {

namespace {

using Clock = std::chrono::steady_clock;

// Finds the end of the HTTP head ("\r\n\r\n") in a byte stream and counts the body after it.
struct HeadScan {
    int matched {0};
    bool in_body {false};
    size_t body {0};
    // How many bytes of data may pass so that at most limit body bytes do; sets *cut when the
    // limit is reached inside data.
    size_t feed(char const* data, size_t n, size_t limit, bool* cut) {
        static constexpr char end[] = "\r\n\r\n";
        for (size_t i = 0; i < n; ++i) {
            if (in_body) {
                if (cut && body >= limit) {
                    *cut = true;
                    return i;
                }
                ++body;
                continue;
            }
            char c = data[i];
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
            if (matched == 4)
                in_body = true;
        }
        if (cut && in_body && body >= limit)
            *cut = true;
        return n;
    }
};

bool send_all(int fd, char const* data, size_t n) {
    while (n > 0) {
        ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        data += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

int connect_to(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

void sleep_ms(long ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

} // namespace

std::string raw_response(int status, std::string const& reason, std::vector<std::string> headers,
    std::string const& body) {
    std::string r = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
    for (auto const& h : headers)
        r += h + "\r\n";
    r += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    return r + body;
}

bool wait_until(std::function<bool()> const& pred, int timeout_ms) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < deadline) {
        if (pred())
            return true;
        sleep_ms(10);
    }
    return pred();
}

FaultProxy::FaultProxy(int target_port)
    : m_target_port(target_port) {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listen < 0)
        throw std::runtime_error("fault proxy: socket failed");
    int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0
        || ::listen(m_listen, 128) != 0
        || ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(m_listen);
        throw std::runtime_error("fault proxy: cannot listen");
    }
    m_port = ntohs(a.sin_port);
    m_acceptor = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
    m_stop = true;
    m_acceptor.join();
    ::close(m_listen);
    std::vector<std::thread> workers;
    {
        std::lock_guard lock(m_mutex);
        workers.swap(m_workers);
    }
    for (auto& w : workers)
        w.join();
}

void FaultProxy::set(FaultSettings settings) {
    std::lock_guard lock(m_mutex);
    m_settings = std::move(settings);
}

void FaultProxy::set_match(std::string match) {
    std::lock_guard lock(m_mutex);
    m_match = std::move(match);
}

void FaultProxy::set_target(int target_port) {
    m_target_port = target_port;
}

void FaultProxy::accept_loop() {
    while (!m_stop) {
        pollfd p {m_listen, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0)
            continue;
        int client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0)
            continue;
        int one = 1;
        ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ++m_connections;
        std::lock_guard lock(m_mutex);
        FaultSettings settings = m_settings;
        std::string match = m_match;
        if (!match.empty()) {
            // counted per matching request, in serve()
        } else if (m_settings.times > 0)
            --m_settings.times;
        else if (m_settings.times == 0)
            settings.fault = Fault::None;
        m_workers.emplace_back([this, client, settings, match] { serve(client, settings, match); });
    }
}

std::vector<std::string> FaultProxy::matched_heads() const {
    std::lock_guard lock(m_mutex);
    return m_matched_heads;
}

bool FaultProxy::claim_match() {
    std::lock_guard lock(m_mutex);
    if (m_settings.times > 0) {
        --m_settings.times;
        return true;
    }
    return m_settings.times < 0;
}

void FaultProxy::stall(int client) {
    char buf[16 * 1024];
    while (!m_stop) {
        pollfd p {client, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0)
            continue;
        ssize_t n = ::recv(client, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        m_request_body += static_cast<size_t>(n);
    }
    ::close(client);
}

void FaultProxy::respond(int client, FaultSettings const& settings) {
    char buf[16 * 1024];
    HeadScan head;
    auto deadline = Clock::now() + std::chrono::seconds(5);
    // The request head first (the body, if any, is read and dropped afterwards).
    while (!m_stop && !head.in_body && Clock::now() < deadline) {
        pollfd p {client, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0)
            continue;
        ssize_t n = ::recv(client, buf, sizeof buf, 0);
        if (n <= 0) {
            ::close(client);
            return;
        }
        m_bytes_up += static_cast<size_t>(n);
        head.feed(buf, static_cast<size_t>(n), 0, nullptr);
    }
    if (send_all(client, settings.response.data(), settings.response.size()))
        m_bytes_down += settings.response.size();
    ::shutdown(client, SHUT_WR);
    // Drain what the client still sends so that closing does not reset the connection.
    deadline = Clock::now() + std::chrono::seconds(2);
    while (!m_stop && Clock::now() < deadline) {
        pollfd p {client, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0)
            continue;
        if (::recv(client, buf, sizeof buf, 0) <= 0)
            break;
    }
    ::close(client);
}

void FaultProxy::serve(int client, FaultSettings settings, std::string const& match) {
    if (settings.fault == Fault::Respond)
        return respond(client, settings);
    if (settings.fault == Fault::Stall)
        return stall(client);
    int server = connect_to(m_target_port);
    if (server < 0) {
        ::close(client);
        return;
    }
    HeadScan up;
    HeadScan down;
    bool server_open = true;
    bool held = false;
    int held_generation = 0;
    char buf[16 * 1024];
    // With match: the request being answered matched (in_matched), and gets the fault
    // (armed); its head as far as seen; the end of the upstream data searched so far.
    bool const per_request = !match.empty();
    bool in_matched = false;
    bool armed = false;
    bool head_done = false;
    bool corrupted = false;
    std::string head;
    std::string carry;

    // Forwards data to fd with the latency or bandwidth fault; false when fd is gone.
    auto forward = [&](int fd, char const* data, size_t n, std::atomic<size_t>& counter) {
        if (settings.fault == Fault::Latency)
            sleep_ms(settings.latency_ms);
        if (settings.fault == Fault::Bandwidth && settings.bytes_per_s > 0) {
            size_t piece = std::max<size_t>(1, settings.bytes_per_s / 20);
            while (n > 0 && !m_stop) {
                size_t k = std::min(piece, n);
                if (!send_all(fd, data, k))
                    return false;
                counter += k;
                data += k;
                n -= k;
                std::this_thread::sleep_for(
                    std::chrono::microseconds(k * 1000000 / settings.bytes_per_s));
            }
            return true;
        }
        if (!send_all(fd, data, n))
            return false;
        counter += n;
        return true;
    };

    while (!m_stop) {
        if (held && m_release_generation != held_generation)
            break;
        pollfd p[2] = {{client, POLLIN, 0}, {server_open ? server : -1, POLLIN, 0}};
        if (::poll(p, 2, 50) <= 0)
            continue;
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::recv(client, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            size_t len = static_cast<size_t>(n);
            size_t before = up.body;
            if (settings.fault == Fault::CutRequest) {
                bool cut = false;
                size_t pass = up.feed(buf, len, settings.cut_after, &cut);
                m_request_body += up.body - before;
                forward(server, buf, pass, m_bytes_up);
                if (cut)
                    break;
                continue;
            }
            if (per_request) {
                std::string seen = carry + std::string(buf, len);
                if (in_matched && !head_done) {
                    head.append(buf, len);
                } else if (in_matched) {
                    in_matched = false; // the client sent its next request: that response ended
                }
                auto at = in_matched ? std::string::npos : seen.find(match);
                if (at != std::string::npos) {
                    in_matched = true;
                    armed = claim_match();
                    head_done = false;
                    corrupted = false;
                    head = seen.substr(at);
                    down = HeadScan {};
                }
                if (in_matched && !head_done) {
                    auto end = head.find("\r\n\r\n");
                    if (end != std::string::npos) {
                        head_done = true;
                        head.resize(end);
                        std::lock_guard lock(m_mutex);
                        m_matched_heads.push_back(head);
                    }
                }
                size_t keep = std::min(seen.size(), match.size());
                carry = seen.substr(seen.size() - keep);
            }
            up.feed(buf, len, 0, nullptr);
            if (settings.fault != Fault::None)
                m_request_body += up.body - before;
            if (server_open && !forward(server, buf, len, m_bytes_up))
                break;
        }
        if (server_open && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = ::recv(server, buf, sizeof buf, 0);
            if (n <= 0) {
                if (!held)
                    break;
                server_open = false; // keep the client waiting until released
                continue;
            }
            size_t len = static_cast<size_t>(n);
            if (settings.fault == Fault::DropResponse) {
                ++m_withheld;
                break;
            }
            if (settings.fault == Fault::HoldResponse) {
                if (!held) {
                    held = true;
                    held_generation = m_release_generation;
                    ++m_withheld;
                }
                continue;
            }
            if (per_request) {
                if (!in_matched) {
                    if (!forward(client, buf, len, m_bytes_down))
                        break;
                    continue;
                }
                size_t before = down.body;
                bool cut = false;
                size_t pass = len;
                if (armed && settings.fault == Fault::CutResponse) {
                    pass = down.feed(buf, len, settings.cut_after, &cut);
                } else if (armed && settings.fault == Fault::Corrupt && !corrupted) {
                    bool at = false;
                    size_t i = down.feed(buf, len, settings.cut_after, &at);
                    if (at && i < len) {
                        buf[i] = static_cast<char>(buf[i] ^ 0x5a);
                        corrupted = true;
                        down.feed(buf + i, len - i, 0, nullptr);
                    }
                } else {
                    down.feed(buf, len, 0, nullptr);
                }
                m_matched_body += down.body - before;
                if (!forward(client, buf, pass, m_bytes_down) || cut)
                    break;
                continue;
            }
            if (settings.fault == Fault::Corrupt) {
                bool at = false;
                size_t i = len;
                if (!corrupted)
                    i = down.feed(buf, len, settings.cut_after, &at);
                if (at && i < len) {
                    buf[i] = static_cast<char>(buf[i] ^ 0x5a);
                    corrupted = true;
                    down.feed(buf + i, len - i, 0, nullptr);
                }
                if (!forward(client, buf, len, m_bytes_down))
                    break;
                continue;
            }
            if (settings.fault == Fault::CutResponse) {
                bool cut = false;
                size_t pass = down.feed(buf, len, settings.cut_after, &cut);
                forward(client, buf, pass, m_bytes_down);
                if (cut)
                    break;
                continue;
            }
            if (!forward(client, buf, len, m_bytes_down))
                break;
        }
    }
    ::close(server);
    ::close(client);
}

} // namespace ksd::test
