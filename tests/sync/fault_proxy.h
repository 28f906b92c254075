// A small fault-injecting TCP proxy for the sync fault tests and benchmarks (tc netem is not
// available here). It runs in the test process: one thread accepts on 127.0.0.1 and a port the
// kernel picks, one thread per connection forwards to the target port on 127.0.0.1, injecting the
// fault set when the connection was accepted. It can also answer by itself with a fixed raw
// HTTP response (a captive portal, an overloaded proxy), without any target.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ksd::test {

enum class Fault {
    None, // pass-through
    Latency, // every chunk is forwarded latency_ms late, in both directions
    Stall, // the connection is accepted, the request read and thrown away, nothing ever answered
    CutRequest, // the connection is cut after cut_after bytes of the request body
    CutResponse, // the connection is cut after cut_after bytes of the response body
    DropResponse, // the request reaches the server; its response (sent only after the server's
                  // commit) is thrown away and the client's connection closed
    HoldResponse, // as DropResponse, but the client's connection stays open, unanswered, until
                  // release_held() (or the client goes away)
    Bandwidth, // at most bytes_per_s in each direction
    Respond, // answers every request with `response` (raw HTTP) without a target
    Corrupt, // the response body byte at offset cut_after is altered (bits flipped), the rest
             // forwarded unchanged
};

struct FaultSettings {
    Fault fault {Fault::None};
    int latency_ms {0};
    size_t cut_after {0};
    size_t bytes_per_s {0};
    std::string response; // for Respond: status line, headers, blank line, body
    // How many connections (counted from now) get the fault; later ones pass through.
    // Negative: all of them.
    int times {-1};
};

// A raw HTTP/1.1 response with Content-Length and Connection: close; headers are "Name: value"
// lines without the line end.
std::string raw_response(int status, std::string const& reason, std::vector<std::string> headers,
    std::string const& body);

class FaultProxy {
public:
    // target_port 0: no target (only the Respond and Stall faults make sense then).
    explicit FaultProxy(int target_port = 0);
    ~FaultProxy();
    FaultProxy(FaultProxy const&) = delete;
    FaultProxy& operator=(FaultProxy const&) = delete;

    void set(FaultSettings settings);
    // The fault set next applies only to the responses to requests whose head contains match
    // (e.g. "GET /api/v1/content/pack"), on connections the client may reuse for other requests
    // (keep-alive, no pipelining); other requests pass through. For CutResponse and Corrupt;
    // `times` then counts such requests instead of connections. Call before set(); empty: off.
    void set_match(std::string match);
    void set_target(int target_port); // e.g. a restarted server on a new port
    int port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // Bytes forwarded client -> server and server -> client (headers included): the wire.
    size_t bytes_up() const { return m_bytes_up; }
    size_t bytes_down() const { return m_bytes_down; }
    int connections() const { return m_connections; }
    // Server responses that were dropped or are being held (the server had committed).
    int responses_withheld() const { return m_withheld; }
    // Request body bytes seen from clients on connections with a fault.
    size_t request_body_bytes() const { return m_request_body; }
    // Closes the client connections whose responses are held.
    void release_held() { ++m_release_generation; }
    // With set_match(): the heads of the requests that matched (those that got the fault and those
    // past `times`), and the response body bytes forwarded to the client for them.
    std::vector<std::string> matched_heads() const;
    size_t matched_body_bytes() const { return m_matched_body; }

private:
    void accept_loop();
    void serve(int client, FaultSettings settings, std::string const& match);
    void respond(int client, FaultSettings const& settings);
    void stall(int client);
    bool claim_match(); // one matched request: true when it gets the fault (counts `times`)

    int m_listen {-1};
    int m_port {0};
    std::atomic<bool> m_stop {false};
    std::atomic<size_t> m_bytes_up {0};
    std::atomic<size_t> m_bytes_down {0};
    std::atomic<int> m_connections {0};
    std::atomic<int> m_withheld {0};
    std::atomic<size_t> m_request_body {0};
    std::atomic<int> m_release_generation {0};
    std::atomic<size_t> m_matched_body {0};
    mutable std::mutex m_mutex; // guards m_settings, m_workers and m_matched_heads
    std::vector<std::string> m_matched_heads;
    FaultSettings m_settings;
    std::string m_match;
    std::atomic<int> m_target_port {0};
    std::vector<std::thread> m_workers;
    std::thread m_acceptor;
};

// Polls pred every 10 ms until it holds or timeout_ms passed; returns its last value.
bool wait_until(std::function<bool()> const& pred, int timeout_ms);

} // namespace ksd::test
