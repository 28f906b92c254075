// The fleet (issue 10): the kiosk state classifier, the heartbeat history in a real SQLite file,
// enrolment, the SVG charts and QR code, and `kiosk list` of the real ksd-server after real
// heartbeats over loopback.
#include "ksd/number.h"
#include "server_ready.h"
#include "staff_client.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "fleet_enrol.h"
#include "fleet_health.h"
#include "fleet_svg.h"
#include "store_fleet.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <limits>
#include <regex>

using namespace ksd::test;
using namespace ksd::server;
using nlohmann::json;

namespace {
// A coordinate of the SVG; NaN (every comparison fails) when it is not a number.
double number(std::string const& s) {
    return ksd::parse_double(s).value_or(std::numeric_limits<double>::quiet_NaN());
}

constexpr int64_t t0 = 1795000000; // 2026-11-18

KioskHealth classify(int64_t last, json const& hb, int64_t now, int64_t revoked = 0) {
    return classify_kiosk({t0 - 86400, last, revoked, &hb}, now);
}

std::string iso(int64_t t) {
    return std::to_string(t);
}

// Every x,y the chart draws: polyline points and circle centres.
std::vector<std::pair<double, double>> drawn_points(std::string const& svg) {
    std::vector<std::pair<double, double>> out;
    std::regex polyline(R"re(<polyline[^>]*points="([^"]*)")re");
    for (std::sregex_iterator it(svg.begin(), svg.end(), polyline), end; it != end; ++it) {
        std::string pts = (*it)[1];
        std::regex pair(R"(([-0-9.]+),([-0-9.]+))");
        for (std::sregex_iterator p(pts.begin(), pts.end(), pair); p != end; ++p)
            out.emplace_back(number((*p)[1]), number((*p)[2]));
    }
    std::regex circle(R"re(<circle[^>]*cx="([-0-9.]+)" cy="([-0-9.]+)")re");
    for (std::sregex_iterator it(svg.begin(), svg.end(), circle), end; it != end; ++it)
        out.emplace_back(number((*it)[1]), number((*it)[2]));
    return out;
}

size_t count_of(std::string const& s, std::string const& what) {
    size_t n = 0;
    for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1))
        ++n;
    return n;
}

ksd::server::Conn open_db(std::string const& path) {
    auto db = open_store(path);
    REQUIRE(db.ok());
    return db.release_value();
}

int64_t history_rows(ksd::server::Conn& db, std::string const& kiosk) {
    auto st = db.prepare("SELECT count(*) FROM kiosk_heartbeats WHERE kiosk_id = ?1");
    REQUIRE(st.ok());
    st->bind(1, kiosk);
    REQUIRE(st->step().ok());
    return st->column_int64(0);
}

} // namespace

TEST_CASE("fleet: a kiosk's state from its last heartbeat") {
    json const good {{"last_frame_at", t0 - 30}, {"sent_at", t0}, {"clock_trusted", true}};
    CHECK(classify(t0, good, t0 + 60).state == KioskState::Online);
    // Offline after three heartbeat intervals (15 min) without one; exactly 15 min is not yet.
    CHECK(classify(t0, good, t0 + 900).state == KioskState::Online);
    auto off = classify(t0, good, t0 + 901);
    CHECK(off.state == KioskState::Offline);
    CHECK(off.since == t0);
    // Screen dead: heartbeats arrive, the last frame is older than 300 s on the kiosk's clock.
    json dead {{"last_frame_at", t0 - 301}, {"sent_at", t0}, {"clock_trusted", true}};
    auto d = classify(t0, dead, t0 + 10);
    CHECK(d.state == KioskState::ScreenDead);
    CHECK(d.since == t0 - 301);
    json fresh {{"last_frame_at", t0 - 300}, {"sent_at", t0}, {"clock_trusted", true}};
    CHECK(classify(t0, fresh, t0 + 10).state == KioskState::Online);
    // A kiosk clock three hours behind: its frame is fresh on its own clock, not dead.
    json behind {{"last_frame_at", t0 - 3 * 3600 - 20}, {"sent_at", t0 - 3 * 3600},
        {"clock_trusted", false}};
    auto b = classify(t0, behind, t0 + 10);
    CHECK(b.state == KioskState::ClockUntrusted);
    CHECK(b.clock_untrusted);
    // No frame ever reported: the kiosk app never drew one.
    json noframe {{"sent_at", t0}, {"clock_trusted", true}};
    auto nf = classify(t0, noframe, t0 + 10);
    CHECK(nf.state == KioskState::ScreenDead);
    CHECK(nf.since == 0);
    // Without sent_at the server's arrival time is the reference.
    CHECK(
        classify(t0, json {{"last_frame_at", t0 - 400}}, t0 + 10).state == KioskState::ScreenDead);
    // Dead screen and untrusted clock: the worse state, the clock flagged beside it.
    json both {{"last_frame_at", t0 - 1000}, {"sent_at", t0}, {"clock_trusted", false}};
    auto bt = classify(t0, both, t0 + 10);
    CHECK(bt.state == KioskState::ScreenDead);
    CHECK(bt.clock_untrusted);
    CHECK(state_words_en(bt, &iso)
        == "layar mati (screen dead) since " + std::to_string(t0 - 1000) + ", clock untrusted");
    // Never seen and revoked.
    json empty = json::object();
    auto never = classify(0, empty, t0);
    CHECK(never.state == KioskState::NeverSeen);
    CHECK(never.since == t0 - 86400);
    auto rev = classify(t0, both, t0 + 10, t0 + 5);
    CHECK(rev.state == KioskState::Revoked);
    CHECK(rev.since == t0 + 5);
    CHECK(state_words_en(rev, &iso) == "revoked " + std::to_string(t0 + 5));
    // A heartbeat body that is not an object (a damaged row) is no crash.
    json junk = json::array({1, 2});
    CHECK(classify(t0, junk, t0 + 10).state == KioskState::ScreenDead);
    CHECK(state_words_en(off, &iso) == "offline since " + std::to_string(t0));
}

TEST_CASE("fleet: kiosks sorted worst first") {
    struct K {
        std::string id;
        KioskHealth h;
    };
    std::vector<K> ks {{"a-online", {KioskState::Online, t0, false}},
        {"b-revoked", {KioskState::Revoked, t0, false}},
        {"c-clock", {KioskState::ClockUntrusted, t0, true}},
        {"d-dead", {KioskState::ScreenDead, t0 - 100, false}},
        {"e-off-recent", {KioskState::Offline, t0 - 1000, false}},
        {"f-off-long", {KioskState::Offline, t0 - 90000, false}},
        {"g-never", {KioskState::NeverSeen, t0, false}},
        {"h-dead-long", {KioskState::ScreenDead, t0 - 5000, false}},
        {"i-online", {KioskState::Online, t0, false}}};
    sort_worst_first(
        ks, [](K const& k) -> KioskHealth const& { return k.h; },
        [](K const& k) -> std::string const& { return k.id; });
    std::vector<std::string> order;
    for (auto const& k : ks)
        order.push_back(k.id);
    CHECK(order
        == std::vector<std::string> {"f-off-long", "e-off-recent", "h-dead-long", "d-dead",
            "g-never", "c-clock", "a-online", "i-online", "b-revoked"});
}

TEST_CASE("fleet: heartbeat history kept, pruned by age and bounded per kiosk") {
    TempDir dir;
    auto db = open_db(ksd::test::server_db(dir));
    REQUIRE(add_kiosk(db, "k1", t0).ok());
    REQUIRE(add_kiosk(db, "k2", t0).ok());
    json hb {{"queue", {{"queued", 3}, {"sending", 1}, {"quarantined", 9}}},
        {"oldest_unsent_age_s", -5}, {"disk_free_bytes", 12000000000LL}, {"last_frame_at", t0 - 10},
        {"sent_at", t0}, {"clock_trusted", false}, {"content_version", 20261123},
        {"app_version", "1.2.3"}, {"last_error", "connect <timeout>"}};
    // Through store_heartbeat, as the API calls it: the kiosk row and the history together.
    REQUIRE(store_heartbeat(db, "k1", hb, t0).ok());
    REQUIRE(store_heartbeat(db, "k1", json::object(), t0 + 300).ok());
    auto h = heartbeat_history(db, "k1", t0 - 10, t0 + 1000);
    REQUIRE(h.ok());
    REQUIRE(h->size() == 2);
    auto const& s = (*h)[0];
    CHECK(s.at == t0);
    CHECK(s.queue_depth == 4);
    CHECK(s.oldest_unsent_age_s == -5);
    CHECK(s.disk_free_bytes == 12000000000LL);
    CHECK(s.last_frame_at == t0 - 10);
    CHECK(s.sent_at == t0);
    CHECK(s.clock_trusted == false);
    CHECK(s.content_version == 20261123);
    CHECK(s.app_version == "1.2.3");
    CHECK(s.last_error == "connect <timeout>");
    // Fields not sent are absent, not zero.
    auto const& e = (*h)[1];
    CHECK_FALSE(e.queue_depth.has_value());
    CHECK_FALSE(e.disk_free_bytes.has_value());
    CHECK_FALSE(e.clock_trusted.has_value());
    CHECK(e.last_error.empty());

    // Older than 30 days: gone with the next heartbeat of any kiosk.
    REQUIRE(store_heartbeat(db, "k2", hb, t0 + heartbeat_keep_s + 1).ok());
    CHECK(history_rows(db, "k1") == 1);
    CHECK(history_rows(db, "k2") == 1);

    // A kiosk sending too often keeps only its newest rows; the other kiosk is untouched.
    HeartbeatRetention small {heartbeat_keep_s, 50};
    int64_t base = t0 + heartbeat_keep_s + 10;
    for (int i = 0; i < 120; ++i)
        REQUIRE(record_heartbeat(db, "k2", hb, base + i, small).ok());
    CHECK(history_rows(db, "k2") == 50);
    CHECK(history_rows(db, "k1") == 1);
    auto kept = heartbeat_history(db, "k2", 0, base + 1000);
    REQUIRE(kept.ok());
    CHECK(kept->front().at == base + 70);
    CHECK(kept->back().at == base + 119);
}

TEST_CASE("fleet: enrolment makes an id from the name, a working token and keeps the place") {
    TempDir dir;
    auto db = open_db(ksd::test::server_db(dir));
    CHECK(kiosk_id_from_name("Lobi Kantor Bupati") == "lobi-kantor-bupati");
    CHECK(kiosk_id_from_name("  Ruang #2 (Lt. 3)  ") == "ruang-2-lt-3");
    CHECK(kiosk_id_from_name("Ruang Tunggu Dinas Pekerjaan Umum dan Penataan Ruang")
        == "ruang-tunggu-dinas-pekerjaan-umum-dan-pe");
    CHECK(kiosk_id_from_name("ꦧꦸꦥꦠꦶ") == "kiosk");

    auto first = enrol_kiosk(db, " Lobi Kantor Bupati ", "Jl. Merdeka 1, lantai 1", t0);
    REQUIRE(first.ok());
    CHECK(first->id == "lobi-kantor-bupati");
    CHECK(first->token.rfind("lobi-kantor-bupati.", 0) == 0);
    auto who = authenticate(db, first->token);
    REQUIRE(who.ok());
    CHECK(*who == std::optional<std::string> {"lobi-kantor-bupati"});
    auto second = enrol_kiosk(db, "Lobi kantor bupati", "", t0);
    REQUIRE(second.ok());
    CHECK(second->id == "lobi-kantor-bupati-2");
    auto row = find_fleet_kiosk(db, "lobi-kantor-bupati");
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    CHECK((*row)->name == "Lobi Kantor Bupati");
    CHECK((*row)->location == "Jl. Merdeka 1, lantai 1");
    CHECK((*row)->kiosk.created_at == t0);

    // Bad input is refused with what is wrong, and nothing is stored.
    auto empty = enrol_kiosk(db, "   ", "x", t0);
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().message == "name: must not be empty");
    auto ctrl = enrol_kiosk(db, "a\nb", "", t0);
    REQUIRE_FALSE(ctrl.ok());
    CHECK(ctrl.error().message == "name: contains a control character");
    auto bad_utf8 = enrol_kiosk(db, "ok", "\xff", t0);
    REQUIRE_FALSE(bad_utf8.ok());
    CHECK(bad_utf8.error().message == "location: not valid UTF-8");
    auto long_name = enrol_kiosk(db, std::string(81, 'a'), "", t0);
    REQUIRE_FALSE(long_name.ok());
    auto all = list_fleet(db);
    REQUIRE(all.ok());
    CHECK(all->size() == 2);

    REQUIRE(set_kiosk_place(db, "lobi-kantor-bupati-2", "Lobi Timur", "Gedung B").ok());
    CHECK_FALSE(set_kiosk_place(db, "nope", "x", "").ok());
}

TEST_CASE("fleet: the kiosk's config lines and QR code") {
    auto lines = kiosk_config_lines("kiosk-7", "kiosk-7.abc123", "https://ksd.example.go.id/");
    CHECK(lines
        == "# /etc/ksd/ksd-sync.toml\n[server]\nurl = \"https://ksd.example.go.id\"\n"
           "token_file = \"/etc/ksd/sync-token\"\n\n"
           "# /etc/ksd/sync-token (this line only; chmod 600)\nkiosk-7.abc123\n\n"
           "# /boot/firmware/ksd-kiosk.toml\n[device]\nid = \"kiosk-7\"\n");
    // That ksd-sync accepts them is checked with ksd-sync itself below.
    CHECK(toml_string("a\"b\\c\n") == "\"a\\\"b\\\\c\\u000A\"");
    auto qr = qr_code_svg(lines, 256, "QR <kiosk-7>");
    REQUIRE(qr.ok());
    CHECK(qr->rfind("<svg ", 0) == 0);
    CHECK(qr->find("QR &lt;kiosk-7&gt;") != std::string::npos);
    CHECK(qr->find("<kiosk-7>") == std::string::npos);
    CHECK(qr->find("<script") == std::string::npos);
    // Three finder patterns: rows of 7 dark modules at the top left (with the quiet zone of 4).
    CHECK(qr->find("M4 4h7v1h-7z") != std::string::npos);
    CHECK(count_of(*qr, "h7v1h-7z") >= 6);
    CHECK_FALSE(qr_code_svg(std::string(8000, 'x'), 256, "too long").ok());
}

TEST_CASE("fleet: ksd-sync reads the enrolment's config lines") {
    TempDir dir;
    std::string lines = kiosk_config_lines("kiosk-7", "kiosk-7.abc", "http://127.0.0.1:9");
    // Only the ksd-sync file: the part up to the token file's heading.
    std::string sync_part = lines.substr(0, lines.find("\n# /etc/ksd/sync-token"));
    auto pos = sync_part.find("/etc/ksd/sync-token");
    REQUIRE(pos != std::string::npos);
    sync_part.replace(pos, std::string("/etc/ksd/sync-token").size(), dir / "token");
    // A top-level key goes before the first table.
    spit(dir / "ksd-sync.toml", "db = \"" + (dir / "device.db") + "\"\n" + sync_part);
    spit(dir / "token", "kiosk-7.abc\n");
    // One pass against a closed port: the config is accepted (no "unknown key" or parse error),
    // the token read, and the failure is the connection.
    auto out = capture(sync_bin + " --config " + shq(dir / "ksd-sync.toml") + " --once 2>&1");
    INFO(out.text);
    CHECK(out.status == 2);
    CHECK(out.text.find("cannot read a token") == std::string::npos);
    CHECK(out.text.find("ksd-sync.toml:") == std::string::npos);
}

TEST_CASE("fleet: a line chart's shape, bounds and escaping") {
    ChartSpec spec;
    spec.title = "Antrean <script>alert(1)</script> & \"x\"";
    spec.from = t0;
    spec.to = t0 + 7 * 86400;
    spec.ticks = {{t0 + 86400, "Sen <1>"}, {t0 + 2 * 86400, "Sel"}};
    spec.y_label = [](double v) { return std::to_string(int(v)) + " <b>"; };
    std::vector<ChartPoint> pts;
    for (int i = 0; i < 100; ++i)
        pts.push_back({t0 + i * 300, double(i % 7)});
    pts.push_back({t0 - 1, 1000}); // outside: left out (else the scale would show it)
    auto svg = line_chart_svg(pts, spec);
    auto drawn = drawn_points(svg);
    CHECK(drawn.size() == 100);
    for (auto [x, y] : drawn) {
        CHECK(x >= chart_left);
        CHECK(x <= spec.width - chart_right);
        CHECK(y >= chart_top);
        CHECK(y <= spec.height - chart_bottom);
    }
    // The top of the scale is the largest value shown: 6 (the 1000 outside the range is not).
    CHECK(svg.find(">6 &lt;b&gt;</text>") != std::string::npos);
    // Nothing typed or given arrives as markup.
    CHECK(svg.find("<script") == std::string::npos);
    CHECK(svg.find("<b>") == std::string::npos);
    CHECK(svg.find("<1>") == std::string::npos);
    CHECK(
        svg.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;") != std::string::npos);
    CHECK(svg.find("style=") == std::string::npos);
    CHECK(svg.find(" on") == std::string::npos);

    // A gap longer than gap_s (the kiosk was offline) breaks the line; a lone point is a dot.
    std::vector<ChartPoint> gappy {
        {t0, 1}, {t0 + 300, 2}, {t0 + 5000, 3}, {t0 + 20000, 4}, {t0 + 20300, 5}};
    auto g = line_chart_svg(gappy, spec);
    CHECK(count_of(g, "<polyline") == 2);
    CHECK(count_of(g, "<circle") == 1);
    CHECK(drawn_points(g).size() == 5);

    // 7 days of heartbeats every minute: at most max_points, the worst of each bucket kept.
    std::vector<ChartPoint> many;
    for (int64_t t = spec.from; t <= spec.to; t += 60)
        many.push_back({t, t == t0 + 3 * 86400 ? 999.0 : 1.0});
    auto m = line_chart_svg(many, spec);
    CHECK(drawn_points(m).size() == spec.max_points);
    CHECK(m.find(">999 &lt;b&gt;</text>") != std::string::npos);
    spec.keep = KeepInBucket::Min;
    for (auto& p : many)
        p.value = p.at == t0 + 3 * 86400 ? 0.5 : 5.0;
    auto mn = line_chart_svg(many, spec);
    double lowest = 0;
    for (auto [x, y] : drawn_points(mn))
        lowest = std::max(lowest, y);
    CHECK(lowest > spec.height - chart_bottom - 15); // the 0.5 dip is drawn near the bottom

    // No points: the frame and labels only.
    auto none = line_chart_svg({}, spec);
    CHECK(drawn_points(none).empty());
    CHECK(none.find("</svg>") != std::string::npos);
}

TEST_CASE("fleet: online periods from heartbeat times") {
    // Every 5 min for an hour, a 2-hour silence, then 3 heartbeats.
    std::vector<int64_t> times;
    for (int i = 0; i <= 12; ++i)
        times.push_back(t0 + i * 300);
    for (int i = 0; i < 3; ++i)
        times.push_back(t0 + 3 * 3600 + i * 300);
    auto p = online_periods(times, 900, t0 - 3600, t0 + 86400);
    REQUIRE(p.size() == 2);
    CHECK(p[0].from == t0);
    CHECK(p[0].to == t0 + 3600 + 300);
    CHECK(p[1].from == t0 + 3 * 3600);
    CHECK(p[1].to == t0 + 3 * 3600 + 900);
    // Clipped to the range.
    auto clipped = online_periods(times, 900, t0 + 600, t0 + 1200);
    REQUIRE(clipped.size() == 1);
    CHECK(clipped[0].from == t0 + 600);
    CHECK(clipped[0].to == t0 + 1200);

    ChartSpec spec;
    spec.title = "Online";
    spec.from = t0 - 3600;
    spec.to = t0 + 86400;
    auto svg = periods_svg(p, spec);
    CHECK(count_of(svg, "class=\"chart-online\"") == 2);
    std::regex rect(R"re(class="chart-online" x="([-0-9.]+)" y="[-0-9.]+" width="([-0-9.]+)")re");
    for (std::sregex_iterator it(svg.begin(), svg.end(), rect), end; it != end; ++it) {
        double x = number((*it)[1]), w = number((*it)[2]);
        CHECK(x >= chart_left);
        CHECK(x + w <= spec.width - chart_right + 0.05);
    }
}

TEST_CASE("fleet: kiosk list shows layar mati for real heartbeats with an old last_frame_at") {
    TempDir dir;
    std::string db = ksd::test::server_db(dir);
    auto cli = [&](std::string const& args) {
        return capture(server_bin + " --db " + shq(db) + " " + args);
    };
    auto add = [&](std::string const& id) {
        auto out = cli("kiosk add " + id + " 2>/dev/null");
        REQUIRE(out.status == 0);
        return out.text.substr(0, out.text.find('\n'));
    };
    std::string dead = add("kiosk-dead"), ok = add("kiosk-ok");
    add("kiosk-new");
    ServerProcess server(db, dir / "server.log");
    auto post = [&](std::string const& token, json const& body) {
        httplib::Client c("127.0.0.1", server.port());
        c.set_bearer_token_auth(token.c_str());
        auto r = c.Post("/api/v1/heartbeat", body.dump(), "application/json");
        REQUIRE(r);
        CHECK(r->status == 200);
    };
    int64_t now = now_s();
    post(dead,
        {{"kiosk_id", "kiosk-dead"}, {"last_frame_at", now - 3600}, {"sent_at", now},
            {"clock_trusted", true}});
    post(ok,
        {{"kiosk_id", "kiosk-ok"}, {"last_frame_at", now - 20}, {"sent_at", now},
            {"clock_trusted", true}});
    auto list = cli("kiosk list");
    REQUIRE(list.status == 0);
    INFO(list.text);
    // Worst first: the dead screen, then the kiosk never seen, then the healthy one.
    auto p_dead = list.text.find("kiosk-dead\tlayar mati (screen dead) since ");
    auto p_new = list.text.find("kiosk-new\tnever seen (no heartbeat yet)\tnever\t");
    auto p_ok = list.text.find("kiosk-ok\tonline\t");
    REQUIRE(p_dead != std::string::npos);
    REQUIRE(p_new != std::string::npos);
    REQUIRE(p_ok != std::string::npos);
    CHECK(p_dead < p_new);
    CHECK(p_new < p_ok);
    // Both heartbeats went into the history.
    auto conn = open_db(db);
    CHECK(history_rows(conn, "kiosk-dead") == 1);
    CHECK(history_rows(conn, "kiosk-ok") == 1);
}

namespace {

std::string between(std::string const& text, std::string const& open, std::string const& close) {
    auto a = text.find(open);
    if (a == std::string::npos)
        return {};
    a += open.size();
    auto b = text.find(close, a);
    return b == std::string::npos ? std::string() : text.substr(a, b - a);
}

// The row of the fleet table for kiosk id.
std::string table_row(std::string const& page, std::string const& id) {
    return between(page, "data-kiosk=\"" + id + "\">", "</tr>");
}

int post_heartbeat(int port, std::string const& token, json const& body) {
    httplib::Client c("127.0.0.1", port);
    c.set_bearer_token_auth(token.c_str());
    auto r = c.Post("/api/v1/heartbeat", body.dump(), "application/json");
    return r ? r->status : 0;
}

} // namespace

TEST_CASE("fleet page: enrol a kiosk, its token works, layar mati shown, revoke is audited") {
    TempDir dir;
    std::string db = ksd::test::server_db(dir);
    REQUIRE(add_staff_user(db, "ana", "admin", "Teluk-Kiambang-7") == 0);
    REQUIRE(add_staff_user(db, "budi", "viewer", "Sungai-Batang-42") == 0);
    ServerProcess server(db, dir / "server.log");
    StaffClient admin(server.port());
    REQUIRE(admin.login("ana", "Teluk-Kiambang-7") == 303);

    // Enrol: the token is in the answer once, with the config lines and a QR code.
    auto enrolled = admin.post(
        "/staff/kiosks", {{"name", "Lobi <Bupati>"}, {"location", "Gedung A & B, lantai 1"}});
    REQUIRE(enrolled.status == 200);
    CHECK(enrolled.header("Cache-Control") == "no-store");
    std::string token = between(enrolled.body, "<pre id=\"kiosk-token\">", "</pre>");
    INFO(enrolled.body);
    REQUIRE(token.rfind("lobi-bupati.", 0) == 0);
    std::string lines = between(enrolled.body, "<pre id=\"kiosk-config\">", "</pre>");
    CHECK(lines.find("url = &quot;http://127.0.0.1:" + std::to_string(server.port()) + "&quot;")
        != std::string::npos);
    CHECK(lines.find(token) != std::string::npos);
    CHECK(lines.find("id = &quot;lobi-bupati&quot;") != std::string::npos);
    CHECK(enrolled.body.find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\"")
        != std::string::npos);
    CHECK(enrolled.body.find("Lobi &lt;Bupati&gt;") != std::string::npos);
    CHECK(enrolled.body.find("Lobi <Bupati>") == std::string::npos);

    // The new kiosk's token, used for real: a heartbeat whose last frame is an hour old.
    int64_t now = now_s();
    REQUIRE(post_heartbeat(server.port(), token,
                {{"kiosk_id", "lobi-bupati"}, {"last_frame_at", now - 3600}, {"sent_at", now},
                    {"clock_trusted", true}, {"queue", {{"queued", 2}, {"sending", 1}}},
                    {"oldest_unsent_age_s", 7200}, {"disk_free_bytes", int64_t {5} << 29},
                    {"content_version", 20261123080000}, {"app_version", "0.9.1"},
                    {"last_error", "connect <timeout>"}})
        == 200);
    // A healthy kiosk added on the command line.
    auto added = capture(server_bin + " --db " + shq(db) + " kiosk add kiosk-ok 2>/dev/null");
    std::string ok_token = added.text.substr(0, added.text.find('\n'));
    REQUIRE(post_heartbeat(server.port(), ok_token,
                {{"last_frame_at", now - 5}, {"sent_at", now}, {"clock_trusted", true}})
        == 200);

    // A newer pack is published (as `content publish` records it): the kiosk's is not the latest.
    {
        auto conn = open_db(db);
        REQUIRE(add_content(conn, {20261124090000, "/nonexistent.pack", 1, "00", "sig", now}).ok());
    }
    // The viewer sees the table (Read), worst first, the dead screen in words.
    StaffClient viewer(server.port());
    REQUIRE(viewer.login("budi", "Sungai-Batang-42") == 303);
    auto table = viewer.get("/staff/kiosks");
    REQUIRE(table.status == 200);
    auto dead_row = table_row(table.body, "lobi-bupati");
    INFO(dead_row);
    CHECK(dead_row.find("Layar mati sejak ") != std::string::npos);
    CHECK(dead_row.find("badge-bad") != std::string::npos);
    CHECK(dead_row.find("3 permohonan belum terkirim") != std::string::npos);
    CHECK(dead_row.find("tertua dibuat 2 jam lalu") != std::string::npos);
    CHECK(dead_row.find("2,5 GB") != std::string::npos);
    CHECK(dead_row.find("20261123080000 <span class=\"badge badge-warn\">belum terbaru</span>")
        != std::string::npos);
    CHECK(dead_row.find("terbit: 20261124090000") != std::string::npos);
    CHECK(table_row(table.body, "kiosk-ok").find("tanpa paket konten") != std::string::npos);
    CHECK(dead_row.find("0.9.1") != std::string::npos);
    CHECK(dead_row.find("connect &lt;timeout&gt;") != std::string::npos);
    CHECK(dead_row.find("Gedung A &amp; B, lantai 1") != std::string::npos);
    CHECK(table_row(table.body, "kiosk-ok").find("Berjalan baik") != std::string::npos);
    CHECK(
        table.body.find("data-kiosk=\"lobi-bupati\"") < table.body.find("data-kiosk=\"kiosk-ok\""));
    // The part htmx reloads every minute: the counts and the table, without the layout.
    auto part = viewer.get("/staff/kiosks?part=table");
    REQUIRE(part.status == 200);
    CHECK(part.body.rfind("<div id=\"fleet-live\" hx-get=\"/staff/kiosks?part=table\"", 0) == 0);
    CHECK(table_row(part.body, "lobi-bupati").find("Layar mati sejak ") != std::string::npos);
    CHECK(part.body.find("<html") == std::string::npos);
    // No enrol form for a viewer, and a forged enrolment with a valid token is refused (403).
    CHECK(table.body.find("action=\"/staff/kiosks\"") == std::string::npos);
    std::string viewer_csrf = between(table.body, "name=\"csrf-token\" content=\"", "\"");
    REQUIRE_FALSE(viewer_csrf.empty());
    auto forged = viewer.post("/staff/kiosks", {{"name", "X"}, {"csrf", viewer_csrf}}, false);
    CHECK(forged.status == 403);

    // The kiosk's page has its charts.
    auto detail = viewer.get("/staff/kiosks/lobi-bupati");
    REQUIRE(detail.status == 200);
    CHECK(count_of(detail.body, "<svg xmlns") == 3);
    CHECK(count_of(detail.body, "class=\"chart-dot\"") == 2); // one heartbeat: queue and disk
    CHECK(count_of(detail.body, "class=\"chart-online\"") == 1);
    CHECK(viewer.get("/staff/kiosks/nope").status == 404);

    // Bad input: a clear message, nothing stored.
    auto bad = admin.post("/staff/kiosks", {{"name", "  "}, {"location", ""}});
    CHECK(bad.status == 400);
    CHECK(bad.body.find("Nama anjungan wajib diisi") != std::string::npos);

    // Revoke: a confirmation page first (GET changes nothing), then the POST.
    auto confirm = admin.get("/staff/kiosks/lobi-bupati/revoke");
    REQUIRE(confirm.status == 200);
    CHECK(confirm.body.find("Ya, cabut") != std::string::npos);
    CHECK(post_heartbeat(server.port(), token, json::object()) == 200);
    CHECK(viewer.post("/staff/kiosks/lobi-bupati/revoke", {{"csrf", viewer_csrf}}, false).status
        == 403);
    auto revoked = admin.post("/staff/kiosks/lobi-bupati/revoke");
    CHECK(revoked.status == 303);
    CHECK(post_heartbeat(server.port(), token, json::object()) == 401);
    auto after = viewer.get("/staff/kiosks");
    CHECK(table_row(after.body, "lobi-bupati").find("Dicabut") != std::string::npos);

    // Both audited once.
    auto conn = open_db(db);
    auto st = conn.prepare("SELECT action, target, user_name FROM audit WHERE action LIKE "
                           "'kiosk_%' ORDER BY id");
    REQUIRE(st.ok());
    std::vector<std::string> audit;
    while (*st->step())
        audit.push_back(st->column_text(0) + " " + st->column_text(1) + " " + st->column_text(2));
    CHECK(audit
        == std::vector<std::string> {
            "kiosk_enrol lobi-bupati ana", "kiosk_revoke lobi-bupati ana"});
}

TEST_CASE("fleet: a kiosk asleep by its office hours is layar tidur, not layar mati") {
    // The classifier: the sleep mark is fresh (within screen_dead_after_s of sent_at) and newer
    // than the last frame.
    json asleep {{"last_frame_at", t0 - 3600}, {"screen_asleep_at", t0 - 40}, {"sent_at", t0},
        {"clock_trusted", true}};
    auto a = classify(t0, asleep, t0 + 10);
    CHECK(a.state == KioskState::ScreenAsleep);
    CHECK(a.since == t0 - 3600); // its last frame: about when the screen went dark
    CHECK(state_words_en(a, &iso)
        == "layar tidur (screen asleep outside office hours) since " + std::to_string(t0 - 3600));
    // A stale mark (the app stopped turning while dark) is a dead screen again.
    json stale {{"last_frame_at", t0 - 3600}, {"screen_asleep_at", t0 - 301}, {"sent_at", t0}};
    CHECK(classify(t0, stale, t0 + 10).state == KioskState::ScreenDead);
    // A mark older than the last frame is no sleep (the screen was lit after it).
    json woke {{"last_frame_at", t0 - 20}, {"screen_asleep_at", t0 - 60}, {"sent_at", t0}};
    CHECK(classify(t0, woke, t0 + 10).state == KioskState::Online);
    // Asleep needs no visit: after the kiosks with problems, before the revoked.
    CHECK(severity(KioskState::ScreenAsleep) > severity(KioskState::ScreenDead));
    CHECK(severity(KioskState::ScreenAsleep) > severity(KioskState::Online));
    CHECK(severity(KioskState::ScreenAsleep) < severity(KioskState::Revoked));
}

TEST_CASE("fleet: the sleep mark goes from the device database through ksd-sync to the dashboard") {
    SyncKiosk k;
    REQUIRE(add_staff_user(k.server_db, "budi", "viewer", "Sungai-Batang-42") == 0);
    std::string dead_token = k.add_kiosk("kiosk-dead");
    int64_t now = now_s();
    {
        // As the kiosk app leaves them at night: its last frame an hour ago, before the office
        // closed, and its screen's sleep mark, refreshed every minute while dark.
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        REQUIRE(ksd::set_state(*db, "kiosk.last_frame_at", std::to_string(now - 3600)).ok());
        REQUIRE(ksd::set_state(*db, ksd::screen_asleep_key, std::to_string(now - 30)).ok());
    }
    ServerProcess server(k.server_db, k.dir / "server.log");
    auto synced = k.sync("http://127.0.0.1:" + std::to_string(server.port()));
    INFO(synced.text);
    REQUIRE(synced.status == 0);
    // Another kiosk whose screen really is dark: no mark, the same old frame.
    REQUIRE(post_heartbeat(server.port(), dead_token,
                {{"kiosk_id", "kiosk-dead"}, {"last_frame_at", now - 3600}, {"sent_at", now},
                    {"clock_trusted", true}})
        == 200);

    auto list = k.server_cli("kiosk list");
    INFO(list.text);
    CHECK(list.text.find("kiosk-1\tlayar tidur (screen asleep outside office hours) since ")
        != std::string::npos);
    CHECK(list.text.find("kiosk-dead\tlayar mati (screen dead) since ") != std::string::npos);

    StaffClient viewer(server.port());
    REQUIRE(viewer.login("budi", "Sungai-Batang-42") == 303);
    auto table = viewer.get("/staff/kiosks");
    REQUIRE(table.status == 200);
    auto row = table_row(table.body, "kiosk-1");
    INFO(row);
    CHECK(row.find("Layar tidur (di luar jam layanan)") != std::string::npos);
    CHECK(row.find("Layar mati") == std::string::npos);
    CHECK(row.find("badge-bad") == std::string::npos);
    CHECK(table_row(table.body, "kiosk-dead").find("Layar mati sejak ") != std::string::npos);
    // Counted as running, not as needing a visit.
    CHECK(table.body.find("data-kiosk=\"kiosk-dead\"") < table.body.find("data-kiosk=\"kiosk-1\""));
    auto detail = viewer.get("/staff/kiosks/kiosk-1");
    REQUIRE(detail.status == 200);
    CHECK(detail.body.find("Layar tidur (di luar jam layanan)") != std::string::npos);

    // The kiosk wakes (the mark cleared, a fresh frame): online again after the next pass.
    {
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        REQUIRE(ksd::set_state(*db, ksd::screen_asleep_key, "").ok());
        REQUIRE(ksd::set_state(*db, "kiosk.last_frame_at", std::to_string(now_s())).ok());
    }
    REQUIRE(k.sync("http://127.0.0.1:" + std::to_string(server.port())).status == 0);
    auto after = k.server_cli("kiosk list");
    INFO(after.text);
    CHECK(
        after.text.find("kiosk-1\tonline") != std::string::npos); // "online, clock untrusted" here
}
