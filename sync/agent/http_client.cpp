// libcurl wrapper for the sync agent; see http_client.h.
#include "http_client.h"

#include <curl/curl.h>

#include "ksd/number.h"
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace ksd::sync {

namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Transfer {
    HttpResponse* response;
    size_t max_body;
    bool too_large {false};
    long status {0}; // of the last status line seen
    std::string const* file_path {nullptr}; // download(): where a 200/206 body goes
    FILE* file {nullptr};
    bool file_error {false};
    ~Transfer() {
        if (file)
            std::fclose(file);
    }
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * count;
    if (t->file_path && (t->status == 200 || t->status == 206)) {
        if (!t->file) {
            t->file = std::fopen(t->file_path->c_str(), t->status == 200 ? "wb" : "ab");
            if (!t->file) {
                t->file_error = true;
                return 0;
            }
        }
        if (std::fwrite(data, 1, n, t->file) != n) {
            t->file_error = true;
            return 0;
        }
        return n;
    }
    if (t->response->body.size() + n > t->max_body) {
        t->too_large = true;
        return 0; // makes libcurl abort with CURLE_WRITE_ERROR
    }
    t->response->body.append(data, n);
    return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * count;
    std::string line(data, n);
    // A new status line (e.g. after "100 Continue") starts a new header block.
    if (line.rfind("HTTP/", 0) == 0) {
        t->response->headers.clear();
        auto space = line.find(' ');
        // "HTTP/1.1 200 OK": the three digits after the first space; 0 when unreadable.
        std::string_view rest = space == std::string::npos
            ? std::string_view {}
            : std::string_view(line).substr(space + 1, 3);
        t->status = ksd::parse_int<long>(rest).value_or(0);
        return n;
    }
    auto colon = line.find(':');
    if (colon == std::string::npos)
        return n;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    auto first = value.find_first_not_of(" \t");
    auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
    t->response->headers[name] = value;
    return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto const* cancel = static_cast<std::atomic<bool> const*>(user);
    return cancel && cancel->load() ? 1 : 0;
}

} // namespace

struct HttpClient::Handle {
    std::unique_ptr<CURL, CurlDeleter> curl;
};

std::string HttpResponse::header(std::string const& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

void http_global_init() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

HttpClient::HttpClient(HttpOptions options)
    : m_handle(std::make_unique<Handle>())
    , m_options(std::move(options)) {
    m_handle->curl.reset(curl_easy_init());
}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::request(std::string const& method, std::string const& url,
    std::vector<std::string> const& headers, std::string const& body) {
    return perform(method, url, headers, body, nullptr);
}

Result<HttpResponse> HttpClient::download(
    std::string const& url, std::vector<std::string> const& headers, std::string const& path) {
    return perform("GET", url, headers, {}, &path);
}

Result<HttpResponse> HttpClient::perform(std::string const& method, std::string const& url,
    std::vector<std::string> const& headers, std::string const& body, std::string const* path) {
    CURL* c = m_handle->curl.get();
    if (!c)
        return Error {"cannot initialise libcurl"};
    // The handle is reused for connection reuse; options of the previous request are cleared.
    curl_easy_reset(c);
    HttpResponse response;
    Transfer transfer {&response, m_options.max_body_bytes};
    transfer.file_path = path;
    char error_buffer[CURL_ERROR_SIZE] = {0};

    std::unique_ptr<curl_slist, SlistDeleter> list;
    for (auto const& h : headers) {
        curl_slist* next = curl_slist_append(list.get(), h.c_str());
        if (!next)
            return Error {"out of memory building headers"};
        (void)list.release();
        list.reset(next);
    }

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
    // Signals for timeouts do not mix with threads; the agent also never wants SIGPIPE.
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, m_options.connect_timeout_s);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, m_options.low_speed_bytes);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, m_options.low_speed_time_s);
    curl_easy_setopt(
        c, CURLOPT_TIMEOUT, path ? m_options.download_timeout_s : m_options.total_timeout_s);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPINTVL, 15L);
    // A redirect is never followed: a captive portal answers with one.
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.ca_file.empty())
        curl_easy_setopt(c, CURLOPT_CAINFO, m_options.ca_file.c_str());
    if (!path)
        curl_easy_setopt(
            c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(m_options.max_body_bytes));
    if (m_options.cancel) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, m_options.cancel);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    if (method == "POST") {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else if (method != "GET") {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    }

    CURLcode rc = curl_easy_perform(c);
    if (transfer.file) {
        bool flushed = std::fflush(transfer.file) == 0 && ::fsync(::fileno(transfer.file)) == 0;
        std::fclose(transfer.file);
        transfer.file = nullptr;
        if (!flushed)
            transfer.file_error = true;
    }
    if (transfer.file_error)
        return Error {"cannot write " + *path};
    if (transfer.too_large)
        return Error {"response body over " + std::to_string(m_options.max_body_bytes)
            + " bytes from " + url};
    if (rc != CURLE_OK) {
        std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(rc);
        return Error {method + " " + url + ": " + detail};
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

} // namespace ksd::sync
