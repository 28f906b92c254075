// The staff dashboard's core: routes under /staff/ on the server's httplib instance, each request
// authenticated by a server-side session, authorised by role, POSTs checked for their CSRF token
// and Origin, and answered with a page rendered inside the layout. Pages never touch SQL: they
// call the store_*.h functions with Page::db.
#pragma once

#include "api.h"

#include "../sql.h"
#include "ksd/date.h"
#include "ksd/taxonomy.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksd::server::web {

using ksd::Lang;

enum class Role { Viewer, Responder, Editor, Admin };
// Read: requests, kiosks, content (contacts masked). SeeContacts: phone and e-mail unmasked.
// Respond: reply, status, notes, assignment. EditContent: content and canned replies.
// Admin: users, kiosks (enrol, revoke), settings, audit log.
enum class Permission { Read, SeeContacts, Respond, EditContent, Admin };
bool allows(Role, Permission);
std::string_view role_code(Role); // "viewer", "responder", "editor", "admin"
std::optional<Role> parse_role(std::string_view);
std::string_view role_name(Role, Lang); // "Penanggap" ...

struct StaffUser {
    int64_t id {0};
    std::string name;
    std::string full_name;
    Role role {Role::Viewer};
};

struct WebConfig {
    // The address staff type, e.g. https://ksd.example.go.id: POSTs must come from this origin,
    // and an https URL makes the session cookie __Host- prefixed and Secure. Empty: the Host
    // header's http origin (plain HTTP on loopback or a LAN, for tests and trials).
    std::string public_url;
    Zone zone; // the office's (time_zone): WIB by default
    int session_idle_s {1800};
    int session_max_s {43200};
    int sla_days {3};
    std::vector<std::string> holidays; // "YYYY-MM-DD"
    int screen_dead_after_s {300};
    std::string secret_key; // minisign secret key for publishing content
    std::string public_key;
    std::string content_dir;
    std::string db_path;
    // Where the server's own files go: beside a SQLite file (its path), or data_dir/server for
    // PostgreSQL (main.cpp, files_base).
    std::string files_base;
    // Behind nginx on the same machine every peer is 127.0.0.1: then the client's address is
    // nginx's X-Real-IP header (which nginx overwrites), read only from a loopback peer.
    bool trust_proxy {false};
    std::string usb_key; // issue 14: the USB export key file (usb_import.h)
};

class Page {
public:
    Page(httplib::Request const& req, httplib::Response& res, Conn& db, StaffUser const& user,
        Lang lang, int64_t now, WebConfig const& config, std::string const& address,
        std::string const& csrf);

    httplib::Request const& req;
    httplib::Response& res;
    Conn& db;
    StaffUser const& user;
    Lang lang;
    int64_t now;
    WebConfig const& config;
    std::string const& address; // the peer's address, from the socket

    std::string t(std::string_view key) const;
    std::string time(int64_t unix_s) const; // "Senin, 30 Nov 2026 09.15"
    std::string date(int64_t unix_s) const; // "30 Nov 2026"
    bool can(Permission) const;
    std::string param(std::string const& name) const; // query or form field, "" when absent
    std::string const& csrf() const { return m_csrf; }

    // Renders templates/<name>.mustache inside the layout. data gets: t (the language's strings),
    // csrf, user {name, full_name, role}, can {read, contacts, respond, content, admin},
    // lang ("id"/"en"), nav_<section> = true for the current section (from the path).
    void render(std::string_view name, nlohmann::json data, std::string const& title);
    // Without the layout (an htmx partial); data gets the same keys.
    void fragment(std::string_view name, nlohmann::json data);
    void redirect(std::string const& to); // 303 See Other
    // A calm error page with the message; status 4xx/5xx.
    void fail(int status, std::string const& message);
    // A failed store call: 503 (Retry-After) when the database is busy, else 500; logged.
    void fail(Error const&);
    // Appends to the audit log; a failure is logged (the action itself already happened).
    void audit(std::string_view action, std::string_view target, std::string_view detail);

    nlohmann::json base_data() const;
    // Adds base_data()'s keys that data does not set itself.
    void add_base_data(nlohmann::json& data) const;

private:
    std::string m_csrf;
};

using Handler = std::function<void(Page&)>;

class Site {
public:
    Site(httplib::Server& server, DbPool& pool, WebConfig config);
    Site(Site const&) = delete;
    Site& operator=(Site const&) = delete;

    // pattern: an httplib regex route, e.g. R"(/staff/requests/([0-9a-f-]{36}))".
    void get(std::string const& pattern, Permission, Handler);
    // The form field `csrf` (or the header X-CSRF-Token) must equal the session's token and the
    // Origin (or Referer) must be the site's before the handler runs; 403 otherwise.
    void post(std::string const& pattern, Permission, Handler);

    WebConfig const& config() const { return m_config; }
    DbPool& pool() { return m_pool; }
    httplib::Server& server() { return m_server; }

    // The cookie's name: __Host-ksd_session when public_url is https (the prefix needs Secure,
    // which a browser drops on plain http), ksd_session otherwise, with the same attributes.
    std::string cookie_name() const;
    bool secure() const;
    // Whether a POST came from our own pages (Origin, else Referer).
    bool same_origin(httplib::Request const&) const;

private:
    void route(bool post, std::string const& pattern, Permission, Handler);
    httplib::Server& m_server;
    DbPool& m_pool;
    WebConfig m_config;
};

// Serves the staff dashboard on server (routes, static files, error pages). The returned Site
// must outlive the server's listening.
std::unique_ptr<Site> install_staff(httplib::Server& server, DbPool& pool, WebConfig config);

// Passwords: Argon2id (libsodium crypto_pwhash_str, interactive limits).
Result<std::string> hash_password(std::string const& password);
bool verify_password(std::string const& hash, std::string const& password);
// Why a password is too weak (in lang), or empty when it is acceptable.
std::string weak_password_reason(std::string const& password, std::string const& user, Lang);

// Shared by the core's files: a random token (32 bytes, base64url), the hash a session is kept
// by, a cookie's value, the security headers of every staff answer.
std::string new_token();
std::string token_hash(std::string_view token);
std::string cookie_value(httplib::Request const&, std::string const& name);
// Staff: the dashboard's pages (its own script, htmx). Public: the status page a visitor opens
// from a QR code: no script at all, no referrer, no caching, not indexed.
enum class HeaderPolicy { Staff, Public };
void security_headers(httplib::Response&, HeaderPolicy = HeaderPolicy::Staff);
// The client's address: the socket's peer, or nginx's X-Real-IP when trust_proxy is set and the
// peer is loopback. Login delays per address and the audit log use it.
std::string client_address(httplib::Request const&, WebConfig const&);

// Calm HTML for errors outside a session (404, 503), in Bahasa Indonesia and English.
std::string plain_error_page(int status);

// Areas install their pages (one file each).
void install_auth_pages(Site&);
void install_admin_pages(Site&);
void install_fleet_pages(Site&);
void install_detail_pages(Site&); // pages_detail.cpp: a request, canned replies
void install_content_pages(Site&); // pages_content.cpp
void install_inbox_pages(Site&); // pages_inbox.cpp: /staff/requests and its export
// pages_status.cpp (issue 11): the public status page /t and /t/CODE, outside /staff/, no session.
void install_status_pages(Site&);
// pages_skm.cpp (issue 14): the satisfaction survey's index, yearly report and CSV exports.
void install_skm_pages(Site&);
void install_monev_pages(Site&); // pages_monev.cpp (issue 14): evaluations and the to-do list
// pages_usb.cpp (issue 14): import of a kiosk's queue export from USB, the acknowledgement.
void install_usb_pages(Site&);

} // namespace ksd::server::web
