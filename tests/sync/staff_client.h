// A staff member's browser for C++ tests of the dashboard: logs in to the real ksd-server over
// loopback HTTP, keeps the session cookie, and sends every POST with the form's CSRF token and
// the Origin a browser would send. Users are made with the real `ksd-server user add`.
#pragma once

#include "test_support.h"

#include <catch2/catch.hpp>
#include <httplib.h>

#include <string>
#include <utility>
#include <vector>

namespace ksd::test {

// Adds a dashboard user with the real CLI (password on stdin); returns its exit status.
inline int add_staff_user(std::string const& db, std::string const& name, std::string const& role,
    std::string const& password) {
    return run("printf '%s\\n' '" + password + "' | " KSD_SERVER_BIN " --db '" + db + "' user add "
        + name + " --role " + role + " >/dev/null 2>&1");
}

struct StaffAnswer {
    int status {0};
    std::string body;
    httplib::Headers headers;
    std::string header(std::string const& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

class StaffClient {
public:
    explicit StaffClient(int port)
        : m_port(port)
        , m_client("127.0.0.1", port) {
        m_client.set_read_timeout(30, 0);
    }
    std::string origin() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // Logs in; returns the status of the login POST (303 on success).
    int login(std::string const& user, std::string const& password) {
        httplib::Headers h {{"Origin", origin()}};
        auto r = m_client.Post(
            "/staff/login", h, httplib::Params {{"username", user}, {"password", password}});
        if (!r)
            return 0;
        auto cookie = r->get_header_value("Set-Cookie");
        if (r->status == 303 && !cookie.empty())
            m_cookie = cookie.substr(0, cookie.find(';'));
        if (r->status == 303)
            refresh_csrf();
        return r->status;
    }

    StaffAnswer get(std::string const& path, httplib::Headers extra = {}) {
        extra.emplace("Cookie", m_cookie);
        return answer(m_client.Get(path.c_str(), extra));
    }

    // A form POST with the session's CSRF token (unless with_csrf is false) and our Origin.
    StaffAnswer post(std::string const& path, httplib::Params form = {}, bool with_csrf = true,
        std::string const& origin_header = "") {
        if (with_csrf)
            form.emplace("csrf", m_csrf);
        httplib::Headers h {
            {"Cookie", m_cookie}, {"Origin", origin_header.empty() ? origin() : origin_header}};
        return answer(m_client.Post(path.c_str(), h, form));
    }

    // A multipart POST (file uploads) with the CSRF token as a field.
    StaffAnswer post_multipart(std::string const& path, httplib::MultipartFormDataItems items) {
        items.push_back({"csrf", m_csrf, "", ""});
        httplib::Headers h {{"Cookie", m_cookie}, {"Origin", origin()}};
        return answer(m_client.Post(path.c_str(), h, items));
    }

    std::string const& csrf() const { return m_csrf; }
    std::string const& cookie() const { return m_cookie; }

    // Reads the CSRF token from a page's <meta name="csrf-token">.
    void refresh_csrf() {
        auto page = get("/staff/users");
        if (page.status != 200)
            page = get("/staff/requests");
        if (page.status != 200)
            page = get("/staff/login");
        std::string const tag = "name=\"csrf-token\" content=\"";
        auto at = page.body.find(tag);
        if (at != std::string::npos)
            m_csrf = page.body.substr(
                at + tag.size(), page.body.find('"', at + tag.size()) - at - tag.size());
    }

private:
    static StaffAnswer answer(httplib::Result const& r) {
        StaffAnswer a;
        if (!r)
            return a;
        a.status = r->status;
        a.body = r->body;
        a.headers = r->headers;
        return a;
    }
    int m_port;
    httplib::Client m_client;
    std::string m_cookie;
    std::string m_csrf;
};

} // namespace ksd::test
