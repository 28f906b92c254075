// The server's connection layer: our own reader takes each request off the socket, with limits on
// header size, header count, body size and time, before cpp-httplib parses and routes it.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace ksd::server {

// Debian's cpp-httplib 0.11.4 is a compiled library (libcpp-httplib.so): its CPPHTTPLIB_* macros
// were fixed when Debian built it, so defining them here changes nothing. It reads a header line
// of any length into memory, any number of header lines, a chunked body or a body without length
// of any size, restarts its read timeout on every recv, and blocks one of its 8 worker threads
// per connection while waiting for bytes. So no request reaches it before it is complete.
struct HttpLimits {
    size_t max_header_bytes {16 * 1024}; // request line and headers together
    size_t max_header_count {64};
    size_t max_body_bytes {1 << 20}; // on the wire, also for chunked bodies (decoded size)
    size_t max_connections {
        256}; // open at once; an idle one (never a body) is closed for a new one
    size_t max_buffered_bytes {64 << 20}; // bodies being received, all connections together
    int workers {8}; // threads running complete requests (database, response)
    std::chrono::milliseconds header_timeout {10000}; // first byte of a request to its blank line
    std::chrono::milliseconds body_timeout {60000}; // blank line to the body's last byte
    std::chrono::milliseconds keep_alive_timeout {5000}; // idle between two requests
    std::chrono::milliseconds write_timeout {30000}; // one send without progress
    size_t keep_alive_max_requests {100};
};

// A JSON error body for the answers this layer sends itself (431, 408, 413, 400, 503).
using ErrorBody = std::string (*)(std::string_view code, std::string_view message);

// An httplib::Server whose connections are read by one epoll thread, which hands only complete,
// size-checked requests to a pool of workers. Slow or idle clients hold a few KiB and no thread.
class GuardedServer : public httplib::Server {
public:
    GuardedServer(HttpLimits limits, ErrorBody error_body);
    ~GuardedServer() override;
    GuardedServer(GuardedServer const&) = delete;
    GuardedServer& operator=(GuardedServer const&) = delete;
    // After listen_after_bind() returned (stop()): finishes the requests already started, closes
    // idle connections, joins the threads.
    void drain();

    class Engine;

private:
    bool process_and_close_socket(socket_t sock) override;
    std::unique_ptr<Engine> m_engine;
};

// Request head checks (also tested on their own). The block is the request line and header lines,
// each ending in CRLF, without the final blank line.
struct RequestHead {
    int status {0}; // 0 when acceptable; otherwise the status to answer with and close
    std::string code; // error code and message when status != 0
    std::string message;
    std::string text; // request line and the headers httplib may see, each with CRLF
    enum class Body { None, Length, Chunked } body {Body::None};
    size_t length {0}; // Body::Length
    bool expect_continue {false};
};
RequestHead parse_request_head(std::string_view block, HttpLimits const& limits);

} // namespace ksd::server
