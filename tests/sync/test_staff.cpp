// The staff dashboard's core against the real ksd-server: login, growing delays kept across a
// restart, sessions (idle, logout), CSRF and Origin, roles, security headers, the audit log, and
// the embedded templates and strings.
#include "server_ready.h"
#include "staff_client.h"
#include "test_support.h"

#include "ksd/files.h"
#include "ksd/number.h"
#include "store.h"
#include "store_staff.h"
#include "web/embedded.h"
#include "web/format.h"
#include "web/render.h"
#include "web/site.h"

#include <sodium.h>

#include <catch2/catch.hpp>
#include <set>

using namespace ksd;
using namespace ksd::test;
using namespace ksd::server::web;

namespace {

constexpr char const* admin_pw = "Teluk-Kiambang-7";
constexpr char const* viewer_pw = "Sungai-Batang-42";

struct Dashboard {
    TempDir dir;
    std::string db = ksd::test::server_db(dir);
    Dashboard() {
        REQUIRE(add_staff_user(db, "ana", "admin", admin_pw) == 0);
        REQUIRE(add_staff_user(db, "budi", "viewer", viewer_pw) == 0);
    }
};

int64_t sql_int(std::string const& db, std::string const& sql) {
    auto out = db_sql(db, sql);
    return ksd::parse_leading_int<int64_t>(out.text).value_or(-1);
}

} // namespace

TEST_CASE("staff: times are written the Indonesian way in the office's zone", "[staff]") {
    // 2026-11-30 02:15 UTC is Monday 09.15 in WIB.
    int64_t t = 1796004900;
    CHECK(format_time(t, Lang::Id, ksd::Zone {}) == "Senin, 30 Nov 2026 09.15");
    CHECK(format_time(t, Lang::En, ksd::Zone {}) == "Monday, 30 Nov 2026 09:15");
    CHECK(format_time(t, Lang::Id, ksd::Zone {540}) == "Senin, 30 Nov 2026 11.15");
    // 17.30 UTC on Sunday is already Monday in WIB.
    CHECK(format_time(1795973400, Lang::Id, ksd::Zone {}) == "Senin, 30 Nov 2026 00.30");
    CHECK(format_date(t, Lang::Id, ksd::Zone {}) == "30 Nov 2026");
    CHECK(format_time(0, Lang::Id, ksd::Zone {}) == "-");
    CHECK(format_ago(t - 300, t, Lang::Id) == "5 menit lalu");
    CHECK(format_ago(t - 7200, t, Lang::En) == "2 hours ago");
    CHECK(format_bytes(int64_t {5} << 29, Lang::Id) == "2,5 GB");
    CHECK(parse_local_date("2026-11-30", ksd::Zone {}) == 1795971600);
    CHECK(parse_local_date("30/11/2026", ksd::Zone {}) == -1);
}

TEST_CASE("staff: contacts are masked for roles that may not see them", "[staff]") {
    CHECK(mask_phone("081234567890") == "0812****7890");
    CHECK(mask_phone("+62 812-3456-7890") == "+62 81*-****-7890");
    CHECK(mask_phone("12345") == "***45");
    CHECK(mask_email("budi.santoso@example.com") == "b***@example.com");
    CHECK(mask_email("\xc3\xa9tienne@example.fr") == "\xc3\xa9***@example.fr");
    CHECK(mask_email("") == "");
    CHECK(allows(Role::Viewer, Permission::Read));
    CHECK_FALSE(allows(Role::Viewer, Permission::SeeContacts));
    CHECK_FALSE(allows(Role::Viewer, Permission::Respond));
    CHECK(allows(Role::Responder, Permission::Respond));
    CHECK_FALSE(allows(Role::Responder, Permission::EditContent));
    CHECK(allows(Role::Editor, Permission::EditContent));
    CHECK_FALSE(allows(Role::Editor, Permission::Admin));
    CHECK(allows(Role::Admin, Permission::Admin));
}

TEST_CASE("staff: every string a template uses exists in both languages", "[staff]") {
    CHECK(ui_string_problems().empty());
    for (auto const& p : ui_string_problems())
        UNSCOPED_INFO(p);
    // Every {{t.key}}, {{#t.key}} ... in the templates (scanned by hand: <regex> trips a false
    // -Wmaybe-uninitialized of GCC 12 at -O2).
    int templates = 0;
    std::set<std::string> missing;
    for (auto const& f : embedded_files()) {
        if (!f.name.starts_with("templates/"))
            continue;
        ++templates;
        std::string_view text = f.data;
        for (size_t at = text.find("{{"); at != std::string_view::npos;
             at = text.find("{{", at + 2)) {
            size_t k = at + 2;
            if (k < text.size() && (text[k] == '#' || text[k] == '^' || text[k] == '/'))
                ++k;
            if (text.substr(k, 2) != "t.")
                continue;
            size_t end = text.find("}}", k);
            if (end == std::string_view::npos)
                continue;
            std::string key(text.substr(k + 2, end - k - 2));
            if (!ui_strings(Lang::Id).contains(key) || !ui_strings(Lang::En).contains(key))
                missing.insert(std::string(f.name) + ": t." + key);
        }
    }
    CHECK(templates >= 5);
    for (auto const& m : missing)
        UNSCOPED_INFO(m);
    CHECK(missing.empty());
    // Every template parses.
    for (auto const& f : embedded_files()) {
        if (!f.name.starts_with("templates/"))
            continue;
        std::string name(f.name.substr(10, f.name.size() - 10 - 9));
        auto r = render_template(name, nlohmann::json::object());
        INFO(name);
        CHECK(r.ok());
    }
}

TEST_CASE("staff: templates escape what people typed", "[staff]") {
    auto r = render_template(
        "error", {{"message", "<script>alert(1)</script><img src=x onerror=alert(2)>"}});
    REQUIRE(r.ok());
    CHECK(r->find("<script>") == std::string::npos);
    CHECK(r->find("<img") == std::string::npos);
    CHECK(r->find("&lt;script&gt;") != std::string::npos);
}

TEST_CASE("staff: the first user is made on the command line, weak passwords refused", "[staff]") {
    TempDir dir;
    std::string db = ksd::test::server_db(dir);
    {
        ServerProcess server(db, dir / "log");
        httplib::Client c("127.0.0.1", server.port());
        c.set_read_timeout(30, 0); // as StaffClient: Argon2id takes seconds under qemu-user
        auto page = c.Get("/staff/login");
        REQUIRE(page);
        CHECK(page->status == 200);
        CHECK(page->body.find("user add NAMA --role admin") != std::string::npos);
        // Not logged in: pages send to the login, keeping where they wanted to go.
        auto inbox = c.Get("/staff/users");
        REQUIRE(inbox);
        CHECK(inbox->status == 303);
        CHECK(inbox->get_header_value("Location") == "/staff/login?next=/staff/users");
    }
    CHECK(add_staff_user(db, "ana", "admin", "pendek") != 0);
    CHECK(add_staff_user(db, "ana", "admin", "aaaaaaaaaaaa") != 0);
    CHECK(add_staff_user(db, "ana", "admin", "ana-ana-ana-2026") != 0);
    CHECK(add_staff_user(db, "ana", "boss", admin_pw) != 0);
    CHECK(add_staff_user(db, "ana", "admin", admin_pw) == 0);
    CHECK(add_staff_user(db, "ANA", "viewer", viewer_pw) != 0); // names are unique in any case
    auto hash = db_sql(db, "SELECT password_hash FROM users");
    CHECK(hash.text.starts_with("$argon2id$"));
    CHECK(sql_int(db, "SELECT count(*) FROM audit WHERE action = 'user_add_cli'") == 1);
}

TEST_CASE("staff: login, cookie attributes, logout ends the session on the server", "[staff]") {
    Dashboard d;
    ServerProcess server(d.db, d.dir / "log");
    StaffClient ana(server.port());
    REQUIRE(ana.login("ana", admin_pw) == 303);
    CHECK(ana.cookie().starts_with("ksd_session="));
    auto users = ana.get("/staff/users");
    CHECK(users.status == 200);
    CHECK(users.body.find("budi") != std::string::npos);
    // Security headers: no inline script may run, no framing.
    auto csp = users.header("Content-Security-Policy");
    CHECK(csp.find("script-src 'self'") != std::string::npos);
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(users.header("Cache-Control") == "no-store");
    CHECK(users.header("KSD-Protocol").empty());

    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(30, 0); // as StaffClient: Argon2id takes seconds under qemu-user
    auto login = c.Post("/staff/login", httplib::Headers {{"Origin", ana.origin()}},
        httplib::Params {{"username", "budi"}, {"password", viewer_pw}});
    REQUIRE(login);
    auto cookie = login->get_header_value("Set-Cookie");
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    CHECK(cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(cookie.find("Path=/") != std::string::npos);
    CHECK(cookie.find("Secure") == std::string::npos); // plain http here: see the https case

    auto logout = ana.post("/staff/logout");
    CHECK(logout.status == 303);
    // The same cookie is worth nothing now.
    CHECK(ana.get("/staff/users").status == 303);
    CHECK(sql_int(d.db, "SELECT count(*) FROM audit WHERE action IN ('login', 'logout')") == 3);
}

TEST_CASE("staff: behind https the cookie is __Host- and Secure", "[staff]") {
    Dashboard d;
    std::string config = d.dir / "server.toml";
    REQUIRE(write_file_atomic(config, "public_url = \"https://ksd.example.go.id/\"\n").ok());
    ServerProcess server(d.db, d.dir / "log", config);
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(30, 0); // as StaffClient: Argon2id takes seconds under qemu-user
    auto login = c.Post("/staff/login", httplib::Headers {{"Origin", "https://ksd.example.go.id"}},
        httplib::Params {{"username", "ana"}, {"password", admin_pw}});
    REQUIRE(login);
    CHECK(login->status == 303);
    auto cookie = login->get_header_value("Set-Cookie");
    CHECK(cookie.starts_with("__Host-ksd_session="));
    CHECK(cookie.find("; Secure") != std::string::npos);
    // The Host header is not the public origin: a form from http://127.0.0.1 is refused.
    auto other = c.Post("/staff/login", httplib::Headers {{"Origin", "http://127.0.0.1"}},
        httplib::Params {{"username", "ana"}, {"password", admin_pw}});
    REQUIRE(other);
    CHECK(other->status == 403);
}

TEST_CASE("staff: a form without its CSRF token or from another origin is refused", "[staff]") {
    Dashboard d;
    ServerProcess server(d.db, d.dir / "log");
    StaffClient ana(server.port());
    REQUIRE(ana.login("ana", admin_pw) == 303);
    REQUIRE_FALSE(ana.csrf().empty());
    httplib::Params add {{"name", "citra"}, {"role", "viewer"}, {"password", "Pulau-Burung-99"}};
    auto no_token = ana.post("/staff/users", add, false);
    CHECK(no_token.status == 403);
    CHECK(no_token.body.find("kedaluwarsa") != std::string::npos);
    auto wrong_token = ana.post("/staff/users",
        {{"name", "citra"}, {"role", "viewer"}, {"password", "Pulau-Burung-99"}, {"csrf", "x"}},
        false);
    CHECK(wrong_token.status == 403);
    auto evil_origin = ana.post("/staff/users", add, true, "http://evil.example");
    CHECK(evil_origin.status == 403);
    CHECK(sql_int(d.db, "SELECT count(*) FROM users WHERE name = 'citra'") == 0);
    // GET changes nothing: there is no GET route that adds.
    CHECK(ana.get("/staff/users?name=citra&role=viewer&password=Pulau-Burung-99").status == 200);
    CHECK(sql_int(d.db, "SELECT count(*) FROM users WHERE name = 'citra'") == 0);
    auto ok = ana.post("/staff/users", add);
    CHECK(ok.status == 303);
    CHECK(sql_int(d.db, "SELECT count(*) FROM users WHERE name = 'citra'") == 1);
    CHECK(sql_int(d.db, "SELECT count(*) FROM audit WHERE action = 'user_add' AND target = 'citra'")
        == 1);
}

TEST_CASE("staff: a viewer is refused the admin pages", "[staff]") {
    Dashboard d;
    ServerProcess server(d.db, d.dir / "log");
    StaffClient budi(server.port());
    REQUIRE(budi.login("budi", viewer_pw) == 303);
    CHECK(budi.get("/staff/users").status == 403);
    CHECK(budi.get("/staff/audit").status == 403);
    budi.refresh_csrf();
    auto post = budi.post(
        "/staff/users", {{"name", "x"}, {"role", "admin"}, {"password", "Pulau-Burung-99"}});
    CHECK(post.status == 403);
    CHECK(sql_int(d.db, "SELECT count(*) FROM users WHERE role = 'admin'") == 1);
}

TEST_CASE("staff: wrong passwords slow down per account, also after a restart", "[staff]") {
    Dashboard d;
    auto server = std::make_unique<ServerProcess>(d.db, d.dir / "log");
    StaffClient c(server->port());
    // Three free mistakes, then delays of 2, 4, 8 ... seconds. Wrong passwords (each after the
    // previous delay has passed, as a slow machine may take longer than 2 s between two
    // requests) until the delay is 8 s: then even the right password waits.
    auto lock_left = [&] {
        return sql_int(d.db,
            "SELECT coalesce(max(locked_until - "
                + std::to_string(static_cast<int64_t>(std::time(nullptr)))
                + "), 0) FROM login_throttle "
                  "WHERE key = 'user:ana'");
    };
    int failures = 0;
    while (lock_left() < 6 && failures < 8) {
        std::this_thread::sleep_for(std::chrono::seconds(std::max<int64_t>(0, lock_left() + 1)));
        CHECK(c.login("ana", "salah-sandi-123") == 401);
        ++failures;
    }
    CHECK(failures == 6);
    CHECK(c.login("ana", admin_pw) == 429); // even the right password waits
    auto until = sql_int(d.db, "SELECT locked_until FROM login_throttle WHERE key = 'user:ana'");
    CHECK(until > 0);
    // The delay is kept in the database: a restarted server still makes the account wait.
    server->kill9();
    server = std::make_unique<ServerProcess>(d.db, d.dir / "log");
    StaffClient again(server->port());
    if (sql_int(d.db,
            "SELECT locked_until - " + std::to_string(static_cast<int64_t>(std::time(nullptr)))
                + " FROM login_throttle WHERE key = 'user:ana'")
        > 0)
        CHECK(again.login("ana", admin_pw) == 429);
    // An unknown name gets the same words as a wrong password.
    httplib::Client raw("127.0.0.1", server->port());
    raw.set_read_timeout(30, 0); // as StaffClient: Argon2id takes seconds under qemu-user
    auto unknown = raw.Post("/staff/login", httplib::Headers {{"Origin", again.origin()}},
        httplib::Params {{"username", "nobody"}, {"password", "salah-sandi-123"}});
    REQUIRE(unknown);
    CHECK(unknown->status == 401);
    CHECK(unknown->body.find("Nama pengguna atau kata sandi salah.") != std::string::npos);
    // The other account is not slowed by ana's mistakes.
    StaffClient budi(server->port());
    CHECK(budi.login("budi", viewer_pw) == 303);
    CHECK(sql_int(d.db, "SELECT count(*) FROM audit WHERE action = 'login_failed'") >= 5);
}

TEST_CASE("staff: an idle session ends after the idle timeout", "[staff]") {
    Dashboard d;
    ServerProcess server(d.db, d.dir / "log");
    StaffClient ana(server.port());
    REQUIRE(ana.login("ana", admin_pw) == 303);
    CHECK(ana.get("/staff/users").status == 200);
    // 31 minutes of idleness (the default limit is 30), written as the server would have seen it.
    REQUIRE(db_sql(d.db, "UPDATE sessions SET last_seen_at = last_seen_at - 1860").status == 0);
    CHECK(ana.get("/staff/users").status == 303);
    CHECK(sql_int(d.db, "SELECT count(*) FROM sessions") == 0);
    // A page's own polling (KSD-Poll) does not keep a session alive: 20 idle minutes, a poll,
    // then 11 more idle minutes end it.
    REQUIRE(ana.login("ana", admin_pw) == 303);
    REQUIRE(db_sql(d.db, "UPDATE sessions SET last_seen_at = last_seen_at - 1200").status == 0);
    CHECK(ana.get("/staff/users", {{"KSD-Poll", "1"}, {"HX-Request", "true"}}).status == 200);
    REQUIRE(db_sql(d.db, "UPDATE sessions SET last_seen_at = last_seen_at - 660").status == 0);
    CHECK(ana.get("/staff/users").status == 303);
    // And the absolute limit (12 hours) however active.
    REQUIRE(ana.login("ana", admin_pw) == 303);
    REQUIRE(db_sql(d.db, "UPDATE sessions SET created_at = created_at - 43300").status == 0);
    CHECK(ana.get("/staff/users").status == 303);
}

TEST_CASE("staff: the audit log is append-only", "[staff]") {
    Dashboard d;
    auto db = server::open_store(d.db);
    REQUIRE(db.ok());
    CHECK(db->exec("UPDATE audit SET user_name = 'x'").ok() == false);
    CHECK(db->exec("DELETE FROM audit").ok() == false);
    CHECK(sql_int(d.db, "SELECT count(*) FROM audit") == 2);
}

TEST_CASE("staff: admins manage users, a disabled user is logged out", "[staff]") {
    Dashboard d;
    ServerProcess server(d.db, d.dir / "log");
    StaffClient ana(server.port());
    REQUIRE(ana.login("ana", admin_pw) == 303);
    StaffClient budi(server.port());
    REQUIRE(budi.login("budi", viewer_pw) == 303);
    CHECK(budi.get("/staff/").header("Location") == "/staff/requests");
    auto budi_id = sql_int(d.db, "SELECT id FROM users WHERE name = 'budi'");
    auto id = std::to_string(budi_id);
    CHECK(ana.post("/staff/users/" + id + "/role", {{"role", "responder"}}).status == 303);
    CHECK(sql_int(d.db, "SELECT count(*) FROM users WHERE name = 'budi' AND role = 'responder'")
        == 1);
    CHECK(ana.post("/staff/users/" + id + "/password", {{"password", "short"}}).status == 400);
    CHECK(ana.post("/staff/users/" + id + "/disable").status == 303);
    CHECK(budi.get("/staff/").header("Location").starts_with("/staff/login"));
    CHECK(budi.login("budi", viewer_pw) == 401);
    CHECK(ana.post("/staff/users/" + id + "/enable").status == 303);
    CHECK(ana.post("/staff/users/" + id + "/password", {{"password", "Kuala-Enok-2026"}}).status
        == 303);
    CHECK(budi.login("budi", "Kuala-Enok-2026") == 303);
    // An admin cannot lock themselves out.
    auto ana_id = std::to_string(sql_int(d.db, "SELECT id FROM users WHERE name = 'ana'"));
    CHECK(ana.post("/staff/users/" + ana_id + "/disable").status == 400);
    auto audit = ana.get("/staff/audit?action=user_role");
    CHECK(audit.status == 200);
    CHECK(audit.body.find("viewer -&gt; responder") != std::string::npos);
}

TEST_CASE("staff: static files are served from the binary, htmx is the pinned one", "[staff]") {
    Dashboard d;
    ServerProcess server(d.db, d.dir / "log");
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(30, 0); // as StaffClient: Argon2id takes seconds under qemu-user
    auto css = c.Get("/staff/static/style.css");
    REQUIRE(css);
    CHECK(css->status == 200);
    CHECK(css->get_header_value("Content-Type").starts_with("text/css"));
    auto js = c.Get("/staff/static/htmx.min.js");
    REQUIRE(js);
    CHECK(js->status == 200);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<unsigned char const*>(js->body.data()), js->body.size());
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    // The hash README.md gives for htmx 2.0.11.
    CHECK(std::string(hex) == "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717");
    auto missing = c.Get("/staff/static/nothing.js");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(missing->get_header_value("Content-Type").starts_with("text/html"));
    // The API keeps its JSON errors.
    auto api = c.Get("/api/v1/nothing");
    REQUIRE(api);
    CHECK(api->status == 404);
    CHECK(api->body.find("\"not_found\"") != std::string::npos);
}

TEST_CASE("staff: behind nginx the client's address comes from X-Real-IP, only when configured",
    "[staff]") {
    Dashboard d;
    auto failed_from = [&](std::string const& config_text) {
        std::string config = d.dir / "server.toml";
        REQUIRE(write_file_atomic(config, config_text).ok());
        ServerProcess server(d.db, d.dir / "log", config);
        httplib::Client c("127.0.0.1", server.port());
        c.set_read_timeout(30, 0); // as StaffClient: Argon2id takes seconds under qemu-user
        auto r = c.Post("/staff/login",
            httplib::Headers {{"Origin", "http://127.0.0.1:" + std::to_string(server.port())},
                {"X-Real-IP", "203.0.113.7"}},
            httplib::Params {{"username", "ana"}, {"password", "salah-sandi-123"}});
        REQUIRE(r);
        CHECK(r->status == 401);
        return db_sql(d.db,
            "SELECT address FROM audit WHERE action = 'login_failed' ORDER BY id DESC LIMIT 1")
            .text;
    };
    CHECK(failed_from("trust_proxy = false\n").starts_with("127.0.0.1"));
    CHECK(failed_from("trust_proxy = true\n").starts_with("203.0.113.7"));
}
