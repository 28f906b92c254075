// Waiting for a ksd-server started on 127.0.0.1 port 0: read the port from its "listening on"
// log line, then wait for a health answer. Shared by the server and agent tests.
#pragma once

#include "test_support.h"

#include <chrono>
#include <cstdlib>
#include <httplib.h>
#include <string>
#include <thread>

namespace ksd::test {

// Returns the port, or 0 when the server did not become ready within about 15 s.
inline int wait_for_server_ready(std::string const& log_path) {
    int port = 0;
    for (int i = 0; i < 200 && port == 0; ++i) {
        std::string log = slurp(log_path);
        auto pos = log.find("listening on http://127.0.0.1:");
        if (pos != std::string::npos && log.find('\n', pos) != std::string::npos)
            port = std::atoi(log.c_str() + pos + 30);
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

} // namespace ksd::test
