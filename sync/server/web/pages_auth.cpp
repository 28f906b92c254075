// Logging in and out, and the language switch. Wrong passwords slow down per account and per
// address (delays kept in the database); the answer never says whether the account exists.
#include "web/site.h"

#include "store_staff.h"
#include "web/format.h"
#include "web/render.h"

#include "ksd/log.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <ctime>

namespace ksd::server::web {

namespace {

// Free attempts before the delays start, and the longest delay.
constexpr int free_failures_user = 3;
constexpr int free_failures_address = 10;
constexpr int64_t max_delay_s = 15 * 60;

int64_t now_s() {
    return static_cast<int64_t>(std::time(nullptr));
}

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A hash to verify against when the account does not exist, so that the answer takes as long.
std::string const& dummy_hash() {
    static std::string const h = [] {
        auto r = hash_password("dummy password for timing");
        return r ? *r : std::string();
    }();
    return h;
}

// Only our own pages are a place to go after login (no open redirect).
std::string safe_next(std::string const& next) {
    if (next.starts_with("/staff/") && !next.starts_with("//")
        && next.find('\\') == std::string::npos && next.find("://") == std::string::npos
        && next.size() < 2000)
        return next;
    return "/staff/";
}

Lang lang_of(httplib::Request const& req) {
    return req.has_param("lang") && req.get_param_value("lang") == "en" ? Lang::En : Lang::Id;
}

void render_login(httplib::Response& res, Lang lang, std::string const& next,
    std::string const& user, std::string const& error, int64_t users, std::string const& db_path) {
    nlohmann::json d;
    d["t"] = ui_strings(lang);
    d["lang"] = std::string(lang_code(lang));
    d["lang_en"] = lang == Lang::En;
    d["next"] = next;
    d["user_name"] = user;
    d["error"] = error;
    d["no_users"] = users == 0;
    d["first_user_command"] = "ksd-server --db "
        + (db_path.empty() ? std::string("DB") : redact_target(db_path))
        + " user add NAMA --role admin";
    auto body = render_template("login", d);
    d["content"] = body ? *body : std::string();
    d["title"] = ui_string("login_title", lang);
    d["bare"] = true;
    auto page = render_template("layout", d);
    security_headers(res);
    res.set_header("Cache-Control", "no-store");
    res.set_content(page ? *page : plain_error_page(500), "text/html; charset=utf-8");
}

std::string wait_message(int64_t seconds, Lang lang) {
    int64_t minutes = (seconds + 59) / 60;
    if (lang == Lang::Id)
        return seconds < 60 ? "Terlalu banyak percobaan yang salah. Coba lagi dalam "
                + std::to_string(seconds) + " detik."
                            : "Terlalu banyak percobaan yang salah. Coba lagi dalam "
                + std::to_string(minutes) + " menit.";
    return seconds < 60
        ? "Too many wrong attempts. Try again in " + std::to_string(seconds) + " seconds."
        : "Too many wrong attempts. Try again in " + std::to_string(minutes) + " minutes.";
}

} // namespace

void install_auth_pages(Site& site) {
    auto& server = site.server();
    server.Get("/staff/login", [&site](httplib::Request const& req, httplib::Response& res) {
        auto lease = site.pool().take();
        if (!lease) {
            res.status = 503;
            res.set_content(plain_error_page(503), "text/html; charset=utf-8");
            return;
        }
        auto users = count_users(lease->db());
        render_login(res, lang_of(req), safe_next(req.get_param_value("next")), "", "",
            users ? *users : 1, site.config().db_path);
    });

    server.Post("/staff/login", [&site](httplib::Request const& req, httplib::Response& res) {
        Lang lang = lang_of(req);
        std::string next = safe_next(req.get_param_value("next"));
        std::string name = req.get_param_value("username");
        std::string password = req.get_param_value("password");
        if (name.size() > 64)
            name.resize(64);
        if (!site.same_origin(req)) {
            res.status = 403;
            render_login(res, lang, next, "", ui_string("error_csrf", lang), 1, "");
            res.status = 403;
            return;
        }
        auto lease = site.pool().take();
        if (!lease) {
            res.status = 503;
            res.set_content(plain_error_page(503), "text/html; charset=utf-8");
            return;
        }
        Conn& db = lease->db();
        int64_t now = now_s();
        std::string const user_key = "user:" + lower(name);
        std::string const address = client_address(req, site.config());
        std::string const addr_key = "addr:" + address;
        auto fail = [&](Error const& e) {
            log::error("staff", "login: " + e.message);
            res.status = 500;
            res.set_content(plain_error_page(500), "text/html; charset=utf-8");
        };
        auto by_user = get_throttle(db, user_key);
        auto by_addr = get_throttle(db, addr_key);
        if (!by_user || !by_addr)
            return fail(!by_user ? by_user.error() : by_addr.error());
        int64_t locked_until = std::max(by_user->locked_until, by_addr->locked_until);
        if (locked_until > now) {
            res.set_header("Retry-After", std::to_string(locked_until - now));
            render_login(res, lang, next, name, wait_message(locked_until - now, lang), 1, "");
            res.status = 429;
            return;
        }
        auto user = find_user(db, name);
        if (!user)
            return fail(user.error());
        bool active = *user && (*user)->disabled_at == 0;
        bool ok
            = verify_password(active ? (*user)->password_hash : dummy_hash(), password) && active;
        if (!ok) {
            auto u = record_failure(db, user_key, now, free_failures_user, max_delay_s);
            auto a = record_failure(db, addr_key, now, free_failures_address, max_delay_s);
            if (!u || !a)
                return fail(!u ? u.error() : a.error());
            AuditEntry e;
            e.at = now;
            e.user_name = name;
            e.address = address;
            e.action = "login_failed";
            e.target = name;
            e.detail = "failure " + std::to_string(u->failures);
            if (auto r = append_audit(db, e); !r)
                log::error("staff", r.error().message);
            int64_t wait = std::max(u->locked_until, a->locked_until) - now;
            std::string msg = ui_string("login_wrong", lang);
            if (wait > 0)
                msg += " " + wait_message(wait, lang);
            render_login(res, lang, next, name, msg, 1, "");
            res.status = 401;
            return;
        }
        UserRow const& u = **user;
        if (crypto_pwhash_str_needs_rehash(u.password_hash.c_str(),
                crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE)
            != 0) {
            if (auto h = hash_password(password))
                (void)set_user_password(db, u.id, *h);
        }
        if (auto r = clear_throttle(db, user_key); !r)
            return fail(r.error());
        std::string token = new_token();
        SessionRow s;
        s.token_hash = token_hash(token);
        s.user_id = u.id;
        s.csrf = new_token();
        s.created_at = now;
        s.last_seen_at = now;
        s.address = address;
        if (auto r = create_session(db, s); !r)
            return fail(r.error());
        (void)prune_sessions(
            db, now - site.config().session_idle_s, now - site.config().session_max_s);
        AuditEntry e;
        e.at = now;
        e.user_id = u.id;
        e.user_name = u.name;
        e.address = address;
        e.action = "login";
        e.target = u.name;
        if (auto r = append_audit(db, e); !r)
            log::error("staff", r.error().message);
        // The cookie lives as long as the session may (absolute limit); the idle limit is
        // enforced on the server.
        std::string cookie = site.cookie_name() + "=" + token
            + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
            + std::to_string(site.config().session_max_s) + (site.secure() ? "; Secure" : "");
        security_headers(res);
        res.set_header("Set-Cookie", cookie);
        res.status = 303;
        res.set_header("Location", next);
    });

    site.post("/staff/logout", Permission::Read, [&site](Page& p) {
        std::string token = cookie_value(p.req, site.cookie_name());
        if (auto r = delete_session(p.db, token_hash(token)); !r)
            return p.fail(r.error());
        p.audit("logout", p.user.name, "");
        p.res.set_header("Set-Cookie",
            site.cookie_name() + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
                + (site.secure() ? "; Secure" : ""));
        p.redirect("/staff/login");
    });

    site.post("/staff/lang", Permission::Read, [](Page& p) {
        std::string to = p.param("to") == "en" ? "en" : "id";
        if (auto r = set_user_lang(p.db, p.user.id, to); !r)
            return p.fail(r.error());
        p.redirect(safe_next(p.param("back")));
    });

    site.get("/staff/", Permission::Read, [](Page& p) { p.redirect("/staff/requests"); });
}

} // namespace ksd::server::web
