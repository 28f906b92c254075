// Sessions, roles, CSRF and Origin checks, page rendering and the layout (see site.h).
#include "web/site.h"

#include "store.h"
#include "store_staff.h"
#include "web/embedded.h"
#include "web/format.h"
#include "web/render.h"

#include "ksd/log.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

namespace ksd::server::web {

namespace {

int64_t now_s() {
    return static_cast<int64_t>(std::time(nullptr));
}

std::string url_encode(std::string_view s) {
    static char const hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

bool constant_time_equal(std::string const& a, std::string const& b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The origin (scheme://host[:port]) of a URL.
std::string origin_of(std::string const& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos)
        return {};
    auto path = url.find('/', scheme + 3);
    return path == std::string::npos ? url : url.substr(0, path);
}

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

struct Authenticated {
    SessionRow session;
    UserRow user;
};

// The session of the request's cookie, when it is valid, not expired and its user active.
Result<std::optional<Authenticated>> authenticate(Conn& db, httplib::Request const& req,
    std::string const& cookie, WebConfig const& config, int64_t now) {
    std::string token = cookie_value(req, cookie);
    if (token.empty() || token.size() > 100)
        return std::optional<Authenticated> {};
    std::string hash = token_hash(token);
    TRY_RESULT(auto session, find_session(db, hash));
    if (!session)
        return std::optional<Authenticated> {};
    if (now - session->last_seen_at > config.session_idle_s
        || now - session->created_at > config.session_max_s) {
        TRY_VOID(delete_session(db, hash));
        return std::optional<Authenticated> {};
    }
    TRY_RESULT(auto user, find_user_by_id(db, session->user_id));
    if (!user || user->disabled_at != 0)
        return std::optional<Authenticated> {};
    // A page's own polling (htmx, marked KSD-Poll) is not a person's activity: an inbox left open
    // on a desk still ends after the idle timeout.
    if (!req.has_header("KSD-Poll"))
        TRY_VOID(touch_session(db, hash, now));
    return std::optional<Authenticated> {Authenticated {std::move(*session), std::move(*user)}};
}

std::string section_of(std::string const& path) {
    // "/staff/requests/..." -> "requests"
    std::string rest = path.substr(std::min(path.size(), std::string("/staff/").size()));
    auto slash = rest.find_first_of("/?.");
    return slash == std::string::npos ? rest : rest.substr(0, slash);
}

std::string content_type_of(std::string_view name) {
    if (name.ends_with(".css"))
        return "text/css; charset=utf-8";
    if (name.ends_with(".js"))
        return "text/javascript; charset=utf-8";
    if (name.ends_with(".svg"))
        return "image/svg+xml";
    if (name.ends_with(".png"))
        return "image/png";
    if (name.ends_with(".ico"))
        return "image/x-icon";
    return "application/octet-stream";
}

} // namespace

std::string new_token() {
    std::array<unsigned char, 32> bytes {};
    randombytes_buf(bytes.data(), bytes.size());
    std::string out(
        sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
        sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return out;
}

std::string token_hash(std::string_view token) {
    std::array<unsigned char, crypto_generichash_BYTES> h {};
    crypto_generichash(h.data(), h.size(), reinterpret_cast<unsigned char const*>(token.data()),
        token.size(), nullptr, 0);
    return std::string(reinterpret_cast<char const*>(h.data()), h.size());
}

std::string cookie_value(httplib::Request const& req, std::string const& name) {
    std::string header = req.get_header_value("Cookie");
    size_t at = 0;
    while (at < header.size()) {
        size_t end = header.find(';', at);
        if (end == std::string::npos)
            end = header.size();
        std::string_view part(header.data() + at, end - at);
        while (!part.empty() && part.front() == ' ')
            part.remove_prefix(1);
        if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=')
            return std::string(part.substr(name.size() + 1));
        at = end + 1;
    }
    return {};
}

void security_headers(httplib::Response& res, HeaderPolicy policy) {
    // No inline script or style anywhere: what a visitor typed can never run, even if a
    // template forgot to escape it. (httplib adds a header again on each set_header, so each
    // header is set once, here.)
    switch (policy) {
    case HeaderPolicy::Staff:
        res.set_header("Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        res.set_header("Referrer-Policy", "same-origin");
        break;
    case HeaderPolicy::Public:
        res.set_header("Content-Security-Policy",
            "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        // The code is in the address: it must not travel to another site.
        res.set_header("Referrer-Policy", "no-referrer");
        res.set_header("X-Robots-Tag", "noindex");
        break;
    }
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
}

std::string client_address(httplib::Request const& req, WebConfig const& config) {
    bool loopback = req.remote_addr == "127.0.0.1" || req.remote_addr == "::1"
        || req.remote_addr.starts_with("::ffff:127.");
    if (config.trust_proxy && loopback && req.has_header("X-Real-IP")) {
        std::string ip = req.get_header_value("X-Real-IP");
        if (!ip.empty() && ip.size() <= 45
            && ip.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos)
            return ip;
    }
    return req.remote_addr;
}

bool allows(Role role, Permission p) {
    switch (role) {
    case Role::Admin:
        return true;
    case Role::Editor:
        switch (p) {
        case Permission::Read:
        case Permission::EditContent:
            return true;
        case Permission::SeeContacts:
        case Permission::Respond:
        case Permission::Admin:
            return false;
        }
        return false;
    case Role::Responder:
        switch (p) {
        case Permission::Read:
        case Permission::SeeContacts:
        case Permission::Respond:
            return true;
        case Permission::EditContent:
        case Permission::Admin:
            return false;
        }
        return false;
    case Role::Viewer:
        return p == Permission::Read;
    }
    return false;
}

std::string_view role_code(Role r) {
    switch (r) {
    case Role::Viewer:
        return "viewer";
    case Role::Responder:
        return "responder";
    case Role::Editor:
        return "editor";
    case Role::Admin:
        return "admin";
    }
    return "viewer";
}

std::optional<Role> parse_role(std::string_view s) {
    for (Role r : {Role::Viewer, Role::Responder, Role::Editor, Role::Admin})
        if (role_code(r) == s)
            return r;
    return std::nullopt;
}

std::string_view role_name(Role r, Lang lang) {
    bool id = lang == Lang::Id;
    switch (r) {
    case Role::Viewer:
        return id ? "Pembaca" : "Viewer";
    case Role::Responder:
        return id ? "Penjawab" : "Responder";
    case Role::Editor:
        return id ? "Penyunting konten" : "Content editor";
    case Role::Admin:
        return "Admin"; // the same word in both languages
    }
    return "";
}

Page::Page(httplib::Request const& req_, httplib::Response& res_, Conn& db_, StaffUser const& user_,
    Lang lang_, int64_t now_, WebConfig const& config_, std::string const& address_,
    std::string const& csrf)
    : req(req_)
    , res(res_)
    , db(db_)
    , user(user_)
    , lang(lang_)
    , now(now_)
    , config(config_)
    , address(address_)
    , m_csrf(csrf) {
}

std::string Page::t(std::string_view key) const {
    return ui_string(key, lang);
}

std::string Page::time(int64_t unix_s) const {
    return format_time(unix_s, lang, config.zone);
}

std::string Page::date(int64_t unix_s) const {
    return format_date(unix_s, lang, config.zone);
}

bool Page::can(Permission p) const {
    return allows(user.role, p);
}

std::string Page::param(std::string const& name) const {
    if (req.has_param(name))
        return req.get_param_value(name);
    if (req.is_multipart_form_data() && req.has_file(name))
        return req.get_file_value(name).content;
    return {};
}

nlohmann::json Page::base_data() const {
    nlohmann::json d;
    d["t"] = ui_strings(lang);
    d["csrf"] = m_csrf;
    d["user"]
        = {{"name", user.name}, {"full_name", user.full_name.empty() ? user.name : user.full_name},
            {"role", std::string(role_name(user.role, lang))}};
    d["can"] = {{"read", can(Permission::Read)}, {"contacts", can(Permission::SeeContacts)},
        {"respond", can(Permission::Respond)}, {"content", can(Permission::EditContent)},
        {"admin", can(Permission::Admin)}};
    d["lang"] = std::string(lang_code(lang));
    d["lang_en"] = lang == Lang::En;
    d["zone"] = config.zone.label();
    d["nav_" + section_of(req.path)] = true;
    d["back"] = req.method == "GET" ? req.target : std::string("/staff/");
    return d;
}

void Page::add_base_data(nlohmann::json& data) const {
    auto base = base_data();
    for (auto& [k, v] : base.items())
        if (!data.contains(k))
            data[k] = v;
}

void Page::render(std::string_view name, nlohmann::json data, std::string const& title) {
    add_base_data(data);
    auto body = render_template(name, data);
    if (!body) {
        log::error("staff", body.error().message);
        fail(500, t("error_internal"));
        return;
    }
    data["content"] = *body;
    data["title"] = title;
    auto page = render_template("layout", data);
    if (!page) {
        log::error("staff", page.error().message);
        res.status = 500;
        res.set_content(plain_error_page(500), "text/html; charset=utf-8");
        return;
    }
    res.set_content(*page, "text/html; charset=utf-8");
}

void Page::fragment(std::string_view name, nlohmann::json data) {
    add_base_data(data);
    auto body = render_template(name, data);
    if (!body) {
        log::error("staff", body.error().message);
        res.status = 500;
        res.set_content(t("error_internal"), "text/plain; charset=utf-8");
        return;
    }
    res.set_content(*body, "text/html; charset=utf-8");
}

void Page::redirect(std::string const& to) {
    res.status = 303;
    res.set_header("Location", to);
    // An htmx request follows the redirect itself; tell it to load the page as a whole.
    if (req.has_header("HX-Request"))
        res.set_header("HX-Location", to);
}

void Page::fail(int status, std::string const& message) {
    nlohmann::json data;
    data["status"] = status;
    data["message"] = message;
    auto base = base_data();
    for (auto& [k, v] : base.items())
        data[k] = v;
    auto body = render_template("error", data);
    data["content"] = body ? *body : message;
    data["title"] = t("error_title");
    auto page = render_template("layout", data);
    res.status = status;
    res.set_content(page ? *page : plain_error_page(status), "text/html; charset=utf-8");
}

void Page::fail(Error const& e) {
    log::error("staff", req.method + " " + req.path + ": " + e.message);
    if (is_busy(e)) {
        res.set_header("Retry-After", std::to_string(busy_retry_after_s));
        fail(503, t("error_busy"));
        return;
    }
    fail(500, t("error_internal"));
}

void Page::audit(std::string_view action, std::string_view target, std::string_view detail) {
    AuditEntry e;
    e.at = now;
    e.user_id = user.id;
    e.user_name = user.name;
    e.address = address;
    e.action = std::string(action);
    e.target = std::string(target);
    e.detail = std::string(detail);
    if (auto r = append_audit(db, e); !r)
        log::error("staff", "audit " + e.action + ": " + r.error().message);
}

Site::Site(httplib::Server& server, DbPool& pool, WebConfig config)
    : m_server(server)
    , m_pool(pool)
    , m_config(std::move(config)) {
}

std::string Site::cookie_name() const {
    return secure() ? "__Host-ksd_session" : "ksd_session";
}

bool Site::secure() const {
    return m_config.public_url.starts_with("https://");
}

bool Site::same_origin(httplib::Request const& req) const {
    std::string expected = m_config.public_url.empty() ? "http://" + req.get_header_value("Host")
                                                       : origin_of(m_config.public_url);
    expected = lower(expected);
    if (req.has_header("Origin"))
        return lower(req.get_header_value("Origin")) == expected;
    // Browsers send Origin with every POST; Referer is the fallback of older ones.
    std::string referer = lower(req.get_header_value("Referer"));
    return referer.starts_with(expected + "/");
}

void Site::get(std::string const& pattern, Permission p, Handler h) {
    route(false, pattern, p, std::move(h));
}

void Site::post(std::string const& pattern, Permission p, Handler h) {
    route(true, pattern, p, std::move(h));
}

void Site::route(bool post, std::string const& pattern, Permission perm, Handler handler) {
    auto run = [this, post, perm, handler = std::move(handler)](
                   httplib::Request const& req, httplib::Response& res) {
        security_headers(res);
        res.set_header("Cache-Control", "no-store");
        auto lease = m_pool.take();
        if (!lease) {
            log::error("staff", lease.error().message);
            res.status = 503;
            res.set_header("Retry-After", std::to_string(busy_retry_after_s));
            res.set_content(plain_error_page(503), "text/html; charset=utf-8");
            return;
        }
        Conn& db = lease->db();
        int64_t now = now_s();
        auto auth = authenticate(db, req, cookie_name(), m_config, now);
        if (!auth) {
            log::error("staff", auth.error().message);
            res.status = is_busy(auth.error()) ? 503 : 500;
            res.set_content(plain_error_page(res.status), "text/html; charset=utf-8");
            return;
        }
        if (!*auth) {
            std::string next = req.path;
            if (!post && !req.params.empty())
                next = req.target;
            std::string to = "/staff/login?next=" + url_encode(next);
            if (req.has_header("HX-Request")) {
                res.status = 401;
                res.set_header("HX-Redirect", to);
                return;
            }
            res.status = 303;
            res.set_header("Location", to);
            return;
        }
        UserRow const& u = (*auth)->user;
        auto role = parse_role(u.role);
        StaffUser user {u.id, u.name, u.full_name, role.value_or(Role::Viewer)};
        Lang lang = u.lang == "en" ? Lang::En : Lang::Id;
        std::string const address = client_address(req, m_config);
        Page page(req, res, db, user, lang, now, m_config, address, (*auth)->session.csrf);
        if (post) {
            std::string token = req.has_param("csrf") ? req.get_param_value("csrf")
                                                      : req.get_header_value("X-CSRF-Token");
            if (req.is_multipart_form_data() && req.has_file("csrf"))
                token = req.get_file_value("csrf").content;
            if (!constant_time_equal(token, (*auth)->session.csrf) || !same_origin(req)) {
                log::warn(
                    "staff", "refused " + req.path + " from " + address + ": CSRF token or Origin");
                page.fail(403, page.t("error_csrf"));
                return;
            }
        }
        if (!allows(user.role, perm)) {
            page.fail(403, page.t("error_forbidden"));
            return;
        }
        handler(page);
    };
    if (post)
        m_server.Post(pattern, run);
    else
        m_server.Get(pattern, run);
}

std::unique_ptr<Site> install_staff(httplib::Server& server, DbPool& pool, WebConfig config) {
    auto site = std::make_unique<Site>(server, pool, std::move(config));
    server.Get(R"(/staff/static/([A-Za-z0-9_.-]+))",
        [](httplib::Request const& req, httplib::Response& res) {
            auto const* f = find_embedded("static/" + req.matches[1].str());
            if (!f) {
                res.status = 404;
                res.set_content(plain_error_page(404), "text/html; charset=utf-8");
                return;
            }
            res.set_header("X-Content-Type-Options", "nosniff");
            res.set_header("Cache-Control", "public, max-age=3600");
            res.set_content(std::string(f->data), content_type_of(f->name));
        });
    server.Get("/staff", [](httplib::Request const&, httplib::Response& res) {
        res.status = 303;
        res.set_header("Location", "/staff/");
    });
    install_auth_pages(*site);
    install_admin_pages(*site);
    install_fleet_pages(*site);
    install_detail_pages(*site);
    install_content_pages(*site);
    install_inbox_pages(*site);
    install_status_pages(*site);
    install_skm_pages(*site);
    install_monev_pages(*site);
    install_usb_pages(*site);
    return site;
}

Result<std::string> hash_password(std::string const& password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE)
        != 0)
        return make_error("out of memory while hashing the password");
    return std::string(out);
}

bool verify_password(std::string const& hash, std::string const& password) {
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES)
        return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string weak_password_reason(std::string const& password, std::string const& user, Lang lang) {
    bool id = lang == Lang::Id;
    if (password.size() < 10)
        return id ? "Kata sandi paling sedikit 10 karakter."
                  : "A password has at least 10 characters.";
    if (password.size() > 128)
        return id ? "Kata sandi paling banyak 128 karakter."
                  : "A password has at most 128 characters.";
    std::string low = lower(password);
    std::string distinct = low;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (distinct.size() < 5)
        return id ? "Kata sandi terlalu mudah ditebak: gunakan lebih banyak karakter berbeda."
                  : "The password is too easy to guess: use more different characters.";
    if (!user.empty() && low.find(lower(user)) != std::string::npos)
        return id ? "Kata sandi tidak boleh memuat nama pengguna."
                  : "The password must not contain the user name.";
    static char const* const common[] = {"password", "12345", "qwerty", "bismillah", "indonesia",
        "admin", "sayang", "rahasia", "merdeka", "abc123", "iloveyou", "sekretariat", "katasandi"};
    for (auto const* c : common)
        if (low.find(c) != std::string::npos)
            return id
                ? "Kata sandi memuat kata yang sering dipakai (" + std::string(c)
                    + "): pilih yang lain."
                : "The password contains a common word (" + std::string(c) + "): choose another.";
    return {};
}

std::string plain_error_page(int status) {
    std::string id;
    std::string en;
    switch (status) {
    case 404:
        id = "Halaman tidak ditemukan.";
        en = "Page not found.";
        break;
    case 503:
        id = "Server sedang sibuk. Coba lagi sebentar lagi.";
        en = "The server is busy. Please try again shortly.";
        break;
    default:
        id = "Terjadi gangguan pada server. Coba lagi sebentar lagi.";
        en = "Something went wrong on the server. Please try again shortly.";
    }
    return "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
           "content=\"width=device-width, initial-scale=1\"><title>Anjungan KSD</title>"
           "<link rel=\"stylesheet\" href=\"/staff/static/style.css\"></head><body><main "
           "class=\"page\"><div class=\"card\"><h1>"
        + id + "</h1><p lang=\"en\" class=\"muted\">" + en
        + "</p><p><a class=\"btn\" href=\"/staff/\">Kembali ke dasbor</a></p></div></main></body>"
          "</html>";
}

} // namespace ksd::server::web

namespace ksd::server {

std::string web_error_page(int status) {
    return web::plain_error_page(status);
}

} // namespace ksd::server
