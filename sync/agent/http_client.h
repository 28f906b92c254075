// A small HTTP client over libcurl for the sync agent, with the timeouts a kiosk on a flaky link
// needs (libcurl's defaults wait minutes or forever). Failures are ksd::Result errors; the status
// code is returned as it came, never turned into success or failure by libcurl.
#pragma once

#include "ksd/result.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ksd::sync {

struct HttpOptions {
    long connect_timeout_s {10};
    // A transfer slower than low_speed_bytes per second for low_speed_time_s is a stall.
    long low_speed_bytes {64};
    long low_speed_time_s {30};
    long total_timeout_s {120};
    std::string ca_file; // empty: the system's CA store
    size_t max_body_bytes {8 * 1024 * 1024};
    long download_timeout_s {1800}; // the outer timeout of download(), a pack over a slow link
    // When set and true, a transfer in progress is aborted (the daemon's SIGTERM).
    std::atomic<bool> const* cancel {nullptr};
};

struct HttpResponse {
    long status {0};
    std::map<std::string, std::string> headers; // names in lower case; the last value wins
    std::string body;
    std::string header(std::string const& lower_name) const;
};

class HttpClient {
public:
    explicit HttpClient(HttpOptions options = {});
    ~HttpClient();
    HttpClient(HttpClient const&) = delete;
    HttpClient& operator=(HttpClient const&) = delete;

    // Sends one request; redirects are not followed (a 3xx comes back as a response, for the
    // caller to treat as a failure: it is usually a captive portal). An error is a transport
    // failure (connect, timeout, stall, TLS, body over the cap).
    Result<HttpResponse> request(std::string const& method, std::string const& url,
        std::vector<std::string> const& headers, std::string const& body = {});

    // A GET whose 200 or 206 body goes to the file at path (200: the file is truncated first;
    // 206: appended, for resuming). Other answers' bodies stay in the response, capped.
    Result<HttpResponse> download(
        std::string const& url, std::vector<std::string> const& headers, std::string const& path);

private:
    Result<HttpResponse> perform(std::string const& method, std::string const& url,
        std::vector<std::string> const& headers, std::string const& body, std::string const* path);
    struct Handle;
    std::unique_ptr<Handle> m_handle;
    HttpOptions m_options;
};

// curl_global_init; call once at program start before any thread is started.
void http_global_init();

} // namespace ksd::sync
