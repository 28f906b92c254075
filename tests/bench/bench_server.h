// The real ksd-server for a benchmark: quiet (warnings only on its log), on 127.0.0.1 and a port
// the kernel picks, killed with SIGKILL when it goes out of scope. port() is 0 when it did not
// start (the benchmark says so and goes on). Unlike the tests' ServerProcess it never REQUIREs.
#pragma once

#include "server_ready.h"

#include <csignal>
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace ksd::bench {

class BenchServer {
public:
    // data_dir: where a server on PostgreSQL keeps its files (--data-dir); empty for none.
    BenchServer(std::string const& db, std::string const& log, std::string const& data_dir = {}) {
        m_pid = ::fork();
        if (m_pid == 0) {
            int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::setenv("KSD_LOG_LEVEL", "warn", 1);
            std::vector<char const*> args {KSD_SERVER_BIN};
            if (!data_dir.empty())
                args.insert(args.end(), {"--data-dir", data_dir.c_str()});
            args.insert(args.end(), {"--db", db.c_str(), "serve", "--listen", "127.0.0.1:0"});
            args.push_back(nullptr);
            ::execv(KSD_SERVER_BIN, const_cast<char* const*>(args.data()));
            ::_exit(127);
        }
        m_port = ksd::test::wait_for_server_ready(log);
    }
    ~BenchServer() {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    BenchServer(BenchServer const&) = delete;
    BenchServer& operator=(BenchServer const&) = delete;
    int port() const { return m_port; }

private:
    pid_t m_pid {-1};
    int m_port {0};
};

} // namespace ksd::bench
