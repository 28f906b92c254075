// The real SMTP sink of the notification tests (Debian's python3-aiosmtpd running
// tests/sync/smtp_sink.py on a loopback port, each message a file), shared by test_notify.cpp and
// test_monev.cpp.
#pragma once

#include "fault_proxy.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <fcntl.h>
#include <filesystem>
#include <netinet/in.h>
#include <signal.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace ksd::test {

// A port nothing listens on now (the kernel's pick, released).
inline int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// Debian's python3-aiosmtpd is a module of Debian's Python, whatever python3 PATH finds first.
inline constexpr char const* system_python = "/usr/bin/python3";

inline bool have_aiosmtpd() {
    return run(std::string(system_python) + " -c 'import aiosmtpd' >/dev/null 2>&1") == 0;
}

// tests/sync/smtp_sink.py on 127.0.0.1:port, writing each message to dir/NNNN.eml.
class SmtpSink {
public:
    SmtpSink(std::string dir, int port)
        : m_dir(std::move(dir))
        , m_port(port) {
        std::filesystem::create_directories(m_dir);
        start();
    }
    ~SmtpSink() { stop(); }
    void start() {
        std::filesystem::remove(m_dir + "/ready");
        m_pid = ::fork();
        if (m_pid == 0) {
            std::string log = m_dir + "/sink.log";
            int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            std::string port = std::to_string(m_port);
            ::execl(system_python, system_python, KSD_SMTP_SINK, port.c_str(), m_dir.c_str(),
                static_cast<char*>(nullptr));
            ::_exit(127);
        }
        REQUIRE(wait_until([&] { return std::filesystem::exists(m_dir + "/ready"); }, 15000));
    }
    void stop() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
            m_pid = -1;
        }
    }
    // The messages received, oldest first.
    std::vector<std::string> messages() const {
        std::vector<std::string> names;
        for (auto const& e : std::filesystem::directory_iterator(m_dir))
            if (e.path().extension() == ".eml")
                names.push_back(e.path().string());
        std::sort(names.begin(), names.end());
        std::vector<std::string> out;
        for (auto const& n : names)
            out.push_back(slurp(n));
        return out;
    }
    std::string dir() const { return m_dir; }

private:
    std::string m_dir;
    int m_port;
    pid_t m_pid {-1};
};

} // namespace ksd::test
