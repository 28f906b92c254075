// The real ksd-server for tests: started on 127.0.0.1 port 0, ready when its "listening on" log
// line has a port and the health endpoint answers. Shared by every test of tests/sync.
#pragma once

#include "ksd/number.h"
#include "test_db.h"
#include "test_support.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <httplib.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace ksd::test {

// Returns the port, or 0 when the server did not become ready within about 15 s.
inline int wait_for_server_ready(std::string const& log_path) {
    int port = 0;
    for (int i = 0; i < 200 && port == 0; ++i) {
        std::string log = slurp(log_path);
        auto pos = log.find("listening on http://127.0.0.1:");
        if (pos != std::string::npos && log.find('\n', pos) != std::string::npos)
            port = ksd::parse_leading_int<int>(std::string_view(log).substr(pos + 30)).value_or(0);
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (port == 0)
        return 0;
    httplib::Client c("127.0.0.1", port);
    for (int i = 0; i < 100; ++i) {
        auto r = c.Get("/api/v1/health");
        if (r && r->status == 200)
            return port;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
}

// The real ksd-server on 127.0.0.1 and a port the kernel picks, killed with SIGKILL when it goes
// out of scope. Shared by the server, agent, fault and whole-product tests.
class ServerProcess {
public:
    explicit ServerProcess(std::string db_path, std::string log_path, std::string config = {})
        : m_db(std::move(db_path))
        , m_log(std::move(log_path))
        , m_config(std::move(config)) {
        start();
    }
    ~ServerProcess() { kill9(); }
    ServerProcess(ServerProcess const&) = delete;
    ServerProcess& operator=(ServerProcess const&) = delete;
    // Started again after kill9() on the same database (on a new port).
    void start() {
        // A test still written for a SQLite file is not counted as a PostgreSQL pass.
        if (test_on_postgres() && !m_db.starts_with("postgres"))
            pg_detail::skip("this test's server database is a SQLite file (" + m_db + ")");
        std::remove(m_log.c_str());
        m_pid = ::fork();
        if (m_pid == 0) {
            int fd = ::open(m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            // On PostgreSQL the server's files (packs, USB key) go beside the log, in the test's
            // directory, as they go beside a SQLite file.
            std::string data_dir = std::filesystem::path(m_log).parent_path().string();
            std::vector<char const*> args {KSD_SERVER_BIN};
            if (!m_config.empty())
                args.insert(args.end(), {"--config", m_config.c_str()});
            if (m_db.starts_with("postgres"))
                args.insert(args.end(), {"--data-dir", data_dir.c_str()});
            args.insert(args.end(), {"--db", m_db.c_str(), "serve", "--listen", "127.0.0.1:0"});
            args.push_back(nullptr);
            ::execv(KSD_SERVER_BIN, const_cast<char* const*>(args.data()));
            ::_exit(127);
        }
        // Readiness: the "listening on" line, then a health answer.
        m_port = ksd::test::wait_for_server_ready(m_log);
        REQUIRE(m_port > 0);
    }
    // Sends sig and waits up to 10 s; returns the exit status, or -1 when it did not exit
    // normally, -2 on timeout.
    int stop(int sig) {
        signal(sig);
        return wait();
    }
    void signal(int sig) { ::kill(m_pid, sig); }
    void kill9() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
            m_pid = -1;
        }
    }
    int wait() {
        for (int i = 0; i < 200; ++i) {
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return -2;
    }
    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    std::string log() const { return slurp(m_log); }

private:
    std::string m_db;
    std::string m_log;
    std::string m_config;
    pid_t m_pid {-1};
    int m_port {0};
};

} // namespace ksd::test
