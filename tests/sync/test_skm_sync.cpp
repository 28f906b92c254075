// The satisfaction survey's delivery and server (issue 14) on the real binaries: ksd-sync sends
// the kiosk's survey responses to the real ksd-server over loopback (through the tests' fault
// proxy where a fault is wanted): exactly one copy per id even when the answer is lost and the
// agent sends again; a record the server refuses is quarantined on the device without blocking
// the others; the API's checks; the index by period and kiosk on the dashboard; the CSV.
#include "fault_proxy.h"
#include "server_ready.h"
#include "staff_client.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "ksd/csv.h"
#include "ksd/device_db.h"
#include "ksd/skm.h"
#include "ksd/tickets.h"

#include "sla.h"
#include "store.h"
#include "store_skm.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <set>

using namespace ksd::test;
using nlohmann::json;

namespace {

constexpr char const* viewer_pw = "Sungai-Batang-42";

ksd::SkmInput survey(std::array<int, ksd::skm_element_count> a, std::string gender = "") {
    ksd::SkmInput in;
    in.answers = a;
    in.respondent.gender = std::move(gender);
    return in;
}

// The shared kiosk with its survey responses.
struct SurveyKiosk : SyncKiosk {
    std::vector<ksd::SkmResponse> responses;
    void make_responses(int n) {
        auto db = ksd::open_device_db(device_db);
        REQUIRE(db.ok());
        for (int i = 0; i < n; ++i) {
            auto r = ksd::save_skm_response(*db,
                survey({4, 3, 3, 4, 3, 4, 4, 3, i % 4 + 1}, i % 2 ? "f" : "m"), "kiosk-1",
                ksd::WallClock {now_s(), true});
            REQUIRE(r.ok());
            responses.push_back(*r);
        }
    }
    void sql(std::string const& statement) {
        auto db = ksd::open_device_db(device_db);
        REQUIRE(db.ok());
        REQUIRE(db->exec(statement).ok());
    }
    void make_surveys_due() { sql("UPDATE skm_responses SET next_attempt_at = 0"); }
    // id -> rows on the server.
    std::map<std::string, int> server_skm() {
        std::map<std::string, int> out;
        auto db = ksd::server::open_conn(server_db);
        REQUIRE(db.ok());
        auto st = db->prepare("SELECT id, count(*) FROM skm_responses GROUP BY id");
        REQUIRE(st.ok());
        while (true) {
            auto row = st->step();
            REQUIRE(row.ok());
            if (!*row)
                break;
            out[st->column_text(0)] = int(st->column_int64(1));
        }
        return out;
    }
    int64_t device_skm(std::string const& where = "true") {
        auto db = ksd::open_device_db(device_db);
        REQUIRE(db.ok());
        auto st = db->prepare("SELECT count(*) FROM skm_responses WHERE " + where);
        REQUIRE(st.ok());
        REQUIRE(st->step().ok());
        return st->column_int64(0);
    }
    // Every response is on the server once and none is left on the device, except those
    // expected in quarantine.
    void verify(std::set<std::string> const& quarantined = {}) {
        auto on_server = server_skm();
        std::set<std::string> expected;
        for (auto const& r : responses)
            if (!quarantined.count(r.id))
                expected.insert(r.id);
        std::set<std::string> got;
        for (auto const& [id, n] : on_server) {
            got.insert(id);
            CHECK(n == 1);
        }
        CHECK(got == expected);
        CHECK(device_skm() == int64_t(quarantined.size()));
        CHECK(device_skm("state = 'quarantined'") == int64_t(quarantined.size()));
    }
};

json record(std::string const& kiosk = "kiosk-1") {
    return {{"id", ksd::generate_uuid_v4()}, {"kiosk_id", kiosk}, {"created_at", 1796004900},
        {"clock_trusted", true}, {"form_version", ksd::skm_form_version},
        {"answers", {4, 3, 3, 4, 3, 4, 4, 3, 2}}, {"gender", "f"}, {"age_band", "30-39"},
        {"education", "s1"}, {"occupation", ""}, {"lang", "id"}};
}

httplib::Result post_skm(int port, std::string const& token, json const& body) {
    httplib::Client c("127.0.0.1", port);
    c.set_bearer_token_auth(token.c_str());
    return c.Post("/api/v1/skm", body.dump(), "application/json");
}

} // namespace

TEST_CASE("skm: the agent sends survey responses with the tickets and deletes them once stored",
    "[skm]") {
    SurveyKiosk k;
    k.make_tickets(2);
    k.make_responses(5);
    ServerProcess server(k.server_db, k.dir / "server.log");
    auto status = k.agent("status");
    CHECK(status.text.find("survey_waiting 5\n") != std::string::npos);
    auto out = k.sync("http://127.0.0.1:" + std::to_string(server.port()));
    INFO(out.text);
    CHECK(out.status == 0);
    CHECK(out.text.find("5 survey response(s) delivered") != std::string::npos);
    k.verify();
    CHECK(k.server_count() == 2); // the tickets went in the same pass
    status = k.agent("status");
    CHECK(status.text.find("survey_waiting 0\n") != std::string::npos);
}

TEST_CASE("skm: the answer is lost after the server stored them: sent again, one copy each",
    "[skm][faults]") {
    SurveyKiosk k;
    k.make_responses(4);
    ServerProcess server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    // No ticket is due, so the pass's first connection is the survey upload.
    SECTION("dropped") {
        proxy.set({Fault::DropResponse, 0, 0, 0, {}, 1});
    }
    SECTION("cut after 20 bytes of the answer's body") {
        proxy.set({Fault::CutResponse, 0, 20, 0, {}, 1});
    }
    auto first = k.sync(proxy.url());
    INFO(first.text);
    CHECK(first.status == 2);
    CHECK(k.server_skm().size() == 4); // the server had committed
    CHECK(k.device_skm("state = 'queued' AND attempts = 1 AND next_attempt_at > 0") == 4);
    k.make_surveys_due();
    auto again = k.sync(proxy.url());
    INFO(again.text);
    CHECK(again.status == 0);
    k.verify();
}

TEST_CASE("skm: a 500, a captive portal's page or garbage loses nothing and quarantines nothing",
    "[skm][faults]") {
    SurveyKiosk k;
    k.make_responses(3);
    ServerProcess server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    SECTION("500 from the server") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(500, "Internal Server Error",
                {"KSD-Protocol: 1", "Content-Type: application/json"},
                R"({"protocol":1,"error":{"code":"internal","message":"x"}})"),
            1});
    }
    SECTION("a portal's 200 page") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(200, "OK", {"Content-Type: text/html"}, "<html>Login Wi-Fi</html>"), 1});
    }
    SECTION("a 400 page of a box on the way") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(400, "Bad Request", {"Content-Type: text/html"}, "<html>400</html>"), 1});
    }
    SECTION("the answer's bytes damaged") {
        proxy.set({Fault::Corrupt, 0, 30, 0, {}, 1});
    }
    auto first = k.sync(proxy.url());
    INFO(first.text);
    CHECK(first.status == 2);
    CHECK(k.device_skm("state = 'queued' AND attempts = 1") == 3);
    CHECK(k.device_skm("state = 'quarantined'") == 0);
    k.make_surveys_due();
    auto again = k.sync(proxy.url());
    INFO(again.text);
    CHECK(again.status == 0);
    k.verify();
}

TEST_CASE(
    "skm: a record the server refuses is quarantined with its reason, the others flow", "[skm]") {
    SurveyKiosk k;
    k.make_responses(4);
    // A response of an older kiosk program, with a form this server does not know.
    std::string const bad = k.responses[1].id;
    k.sql("UPDATE skm_responses SET form_version = 'skm-1999' WHERE id = '" + bad + "'");
    ServerProcess server(k.server_db, k.dir / "server.log");
    auto out = k.sync("http://127.0.0.1:" + std::to_string(server.port()));
    INFO(out.text);
    CHECK(out.status == 0);
    k.verify({bad});
    auto status = k.agent("status");
    INFO(status.text);
    CHECK(status.text.find("survey_waiting 1\n") != std::string::npos);
    CHECK(status.text.find("survey_quarantined 1\n") != std::string::npos);
    CHECK(status.text.find("survey " + bad + ": invalid: form_version: 'skm-1999' is not a form")
        != std::string::npos);
    // Staff release it; still refused, still kept.
    auto requeue = k.agent("requeue");
    CHECK(requeue.text.find("released 1 quarantined survey response(s)") != std::string::npos);
    CHECK(k.device_skm("state = 'queued'") == 1);
}

TEST_CASE("skm: the API checks every field, answers duplicates and conflicts by id", "[skm]") {
    SyncKiosk k;
    ServerProcess server(k.server_db, k.dir / "server.log");
    json good = record();
    auto first = post_skm(server.port(), k.token, {{"responses", {good}}});
    REQUIRE(first);
    CHECK(first->status == 200);
    auto answer = json::parse(first->body);
    CHECK(answer["kind"] == "skm_results");
    CHECK(answer["results"][0]["result"] == "created");
    CHECK(answer["results"][0]["made_at"] == 1796004900);
    CHECK(answer["results"][0]["made_at_estimated"] == false);

    struct Case {
        char const* what;
        std::function<void(json&)> change;
        char const* reason;
    };
    std::vector<Case> const cases {
        {"a value of 5", [](json& r) { r["answers"][3] = 5; }, "answers: U4 must be an integer"},
        {"a value of -1", [](json& r) { r["answers"][0] = -1; }, "answers: U1 must be"},
        {"a value of 2.5", [](json& r) { r["answers"][0] = 2.5; }, "answers: U1 must be"},
        {"eight answers", [](json& r) { r["answers"].erase(0); }, "answers: must be a list of 9"},
        {"nothing answered",
            [](json& r) {
                r["answers"] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
            },
            "answers: no element is answered"},
        {"an unknown gender", [](json& r) { r["gender"] = "x"; }, "gender: unknown code 'x'"},
        {"an unknown education", [](json& r) { r["education"] = "phd"; }, "education: unknown"},
        {"an unknown form", [](json& r) { r["form_version"] = "skm-2030"; }, "form_version:"},
        {"no form", [](json& r) { r.erase("form_version"); }, "form_version: missing"},
        {"an upper-case id", [](json& r) { r["id"] = "0F8E2C1A-3B4D-4E5F-8A9B-0C1D2E3F4A5B"; },
            "id: must be a lower-case UUID"},
        {"created_at as text", [](json& r) { r["created_at"] = "1796004900"; }, "created_at:"},
        {"clock_trusted as 1", [](json& r) { r["clock_trusted"] = 1; }, "clock_trusted:"},
        {"lang de", [](json& r) { r["lang"] = "de"; }, "lang:"},
    };
    json batch = json::array();
    for (auto const& c : cases) {
        json r = record();
        c.change(r);
        batch.push_back(r);
    }
    json ok = record();
    batch.push_back(ok);
    json conflict = good;
    conflict["answers"][0] = 1;
    batch.push_back(conflict);
    batch.push_back(good); // a repeat of the first upload
    auto mixed = post_skm(server.port(), k.token, {{"responses", batch}});
    REQUIRE(mixed);
    CHECK(mixed->status == 207);
    auto results = json::parse(mixed->body)["results"];
    REQUIRE(results.size() == cases.size() + 3);
    for (size_t i = 0; i < cases.size(); ++i) {
        INFO(cases[i].what << ": " << results[i].dump());
        CHECK(results[i]["result"] == "invalid");
        CHECK(results[i]["reason"].get<std::string>().rfind(cases[i].reason, 0) == 0);
    }
    CHECK(results[cases.size()]["result"] == "created");
    CHECK(results[cases.size() + 1]["result"] == "conflict");
    CHECK(results[cases.size() + 2]["result"] == "duplicate");
    CHECK(results[cases.size() + 2]["received_at"] == answer["results"][0]["received_at"]);

    // Another kiosk's record: refused whole, nothing stored.
    auto other = post_skm(server.port(), k.token, {{"responses", {record("kiosk-9")}}});
    REQUIRE(other);
    CHECK(other->status == 403);
    CHECK(other->body.find("kiosk_mismatch") != std::string::npos);
    auto shape = post_skm(server.port(), k.token, {{"answers", json::array()}});
    REQUIRE(shape);
    CHECK(shape->status == 400);
    CHECK(shape->body.find("responses: missing or not an array") != std::string::npos);

    auto db = ksd::server::open_conn(k.server_db);
    REQUIRE(db.ok());
    auto st = db->prepare("SELECT count(*), sum(u1) FROM skm_responses");
    REQUIRE(st.ok());
    REQUIRE(st->step().ok());
    CHECK(st->column_int64(0) == 2);
    CHECK(st->column_int64(1) == 8); // the conflicting copy did not replace the first
}

TEST_CASE("skm: an untrusted kiosk clock is placed at the server's receipt", "[skm]") {
    SyncKiosk k;
    ServerProcess server(k.server_db, k.dir / "server.log");
    json r = record();
    r["clock_trusted"] = false;
    r["created_at"] = 86400; // 1970
    int64_t const before = now_s();
    auto a = post_skm(server.port(), k.token, {{"responses", {r}}});
    REQUIRE(a);
    auto result = json::parse(a->body)["results"][0];
    CHECK(result["made_at_estimated"] == true);
    CHECK(result["made_at"].get<int64_t>() >= before);
    CHECK(result["made_at"] == result["received_at"]);
}

TEST_CASE("skm: periods and kiosk filters choose the responses the index counts", "[skm]") {
    using namespace ksd::server;
    int const wib = 420;
    // Months, quarters and years in the office's zone (WIB, UTC+7).
    auto nov = parse_skm_period("month", "2026-11", 0, wib);
    REQUIRE(nov);
    CHECK(nov->from == local_day_start(ksd::Date {2026, 11, 1}, wib));
    CHECK(nov->to == local_day_start(ksd::Date {2026, 12, 1}, wib));
    auto q4 = parse_skm_period("quarter", "2026-Q4", 0, wib);
    REQUIRE(q4);
    CHECK(q4->from == local_day_start(ksd::Date {2026, 10, 1}, wib));
    CHECK(q4->to == local_day_start(ksd::Date {2027, 1, 1}, wib));
    auto year = parse_skm_period("year", "2026", 0, wib);
    REQUIRE(year);
    CHECK(year->key() == "2026");
    CHECK(skm_period_step(*nov, 2, wib).key() == "2027-01");
    CHECK(skm_period_step(*q4, -4, wib).key() == "2025-Q4");
    for (auto [kind, at] : {std::pair {"month", "2026-13"}, std::pair {"month", "2026-1"},
             std::pair {"quarter", "2026-Q5"}, std::pair {"year", "26"}, std::pair {"week", "2026"},
             std::pair {"year", "2026-11"}})
        CHECK_FALSE(parse_skm_period(kind, at, 0, wib));

    ksd::test::TempDir dir;
    auto db = open_store(ksd::test::server_db(dir));
    REQUIRE(db.ok());
    // kiosk-1: two in November (one at 23:30 WIB on 30 November, still November), one in
    // October; kiosk-2: one in November.
    int64_t const nov_end = local_day_start(ksd::Date {2026, 12, 1}, wib);
    auto rec = [](std::string kiosk, int64_t at, int value) {
        json r = record(kiosk);
        r["created_at"] = at;
        r["answers"] = {value, value, value, value, value, value, value, value, value};
        return r;
    };
    auto stored = ingest_skm(*db,
        {rec("kiosk-1", nov->from + 3600, 4), rec("kiosk-1", nov_end - 1800, 2),
            rec("kiosk-1", nov->from - 60, 1), rec("kiosk-2", nov->from + 7200, 3)},
        nov_end + 86400);
    REQUIRE(stored.ok());
    auto index_of = [&](SkmFilter const& f) {
        auto t = skm_tally(*db, f);
        REQUIRE(t.ok());
        return ksd::skm_index(*t);
    };
    auto all_nov = index_of({nov->from, nov->to, ""});
    CHECK(all_nov.respondents == 3);
    CHECK(all_nov.ikm == 75.0); // (4 + 2 + 3) / 3 = 3 on every element
    auto k1_nov = index_of({nov->from, nov->to, "kiosk-1"});
    CHECK(k1_nov.respondents == 2);
    CHECK(k1_nov.ikm == 75.0);
    auto k2_nov = index_of({nov->from, nov->to, "kiosk-2"});
    CHECK(k2_nov.respondents == 1);
    auto k1_q4 = index_of({q4->from, q4->to, "kiosk-1"});
    CHECK(k1_q4.respondents == 3);
    CHECK(k1_q4.ikm == Approx((4 + 2 + 1) / 3.0 * 25).epsilon(0.001));
    CHECK(index_of({year->from, year->to, "kiosk-3"}).empty);
}

TEST_CASE(
    "skm: the dashboard shows the index with its grade, filters, report and CSV", "[skm][web]") {
    SyncKiosk k;
    std::string const token2 = k.add_kiosk("kiosk-2");
    REQUIRE(add_staff_user(k.server_db, "budi", "viewer", viewer_pw) == 0);
    ServerProcess server(k.server_db, k.dir / "server.log");
    // This month: kiosk-1 the worked example of test_skm_index.cpp (IKM 84.26, B); kiosk-2 one
    // response of all 2 (50.00, D).
    std::vector<std::array<int, 9>> const example {{4, 4, 4, 4, 4, 4, 4, 4, 4},
        {3, 3, 3, 4, 3, 3, 4, 3, 3}, {3, 2, 3, 4, 3, 3, 3, 2, 3}, {4, 3, 0, 4, 3, 4, 4, 3, 2}};
    json batch = json::array();
    for (auto const& a : example) {
        json r = record();
        r["created_at"] = now_s();
        r["answers"] = a;
        batch.push_back(r);
    }
    batch[0]["gender"] = "m";
    REQUIRE(post_skm(server.port(), k.token, {{"responses", batch}})->status == 200);
    json two = record("kiosk-2");
    two["created_at"] = now_s();
    two["answers"] = {2, 2, 2, 2, 2, 2, 2, 2, 2};
    REQUIRE(post_skm(server.port(), token2, {{"responses", {two}}})->status == 200);

    StaffClient staff(server.port());
    REQUIRE(staff.login("budi", viewer_pw) == 303);
    auto k1 = staff.get("/staff/skm?period=month&kiosk=kiosk-1");
    REQUIRE(k1.status == 200);
    CHECK(k1.body.find("id=\"skm-ikm\">84,26<") != std::string::npos);
    CHECK(k1.body.find("B · Baik") != std::string::npos);
    CHECK(k1.body.find("id=\"skm-respondents\">4<") != std::string::npos);
    CHECK(k1.body.find("<svg") != std::string::npos);
    CHECK(k1.body.find("class=\"chart-bar\"") != std::string::npos);
    CHECK(k1.body.find("3,33") != std::string::npos); // U3's NRR, 10/3
    auto all = staff.get("/staff/skm?period=month");
    REQUIRE(all.status == 200);
    CHECK(all.body.find("id=\"skm-respondents\">5<") != std::string::npos);
    // Each kiosk's own index beside the whole.
    std::regex const kiosk1_row(
        R"(kiosk=kiosk-1">kiosk-1</a></td><td[^>]*>4</td><td[^>]*>84,26</td><td[^>]*>B · Baik<)");
    CHECK(std::regex_search(all.body, kiosk1_row));
    std::regex const kiosk2_row(
        R"(kiosk=kiosk-2">kiosk-2</a></td><td[^>]*>1</td><td[^>]*>50,00</td><td[^>]*>D · Tidak Baik<)");
    CHECK(std::regex_search(all.body, kiosk2_row));
    CHECK(k1.body.find("id=\"skm-kiosks\"") == std::string::npos); // one kiosk chosen
    auto k2 = staff.get("/staff/skm?period=year&kiosk=kiosk-2");
    REQUIRE(k2.status == 200);
    CHECK(k2.body.find("id=\"skm-ikm\">50,00<") != std::string::npos);
    CHECK(k2.body.find("D · Tidak Baik") != std::string::npos);
    auto last_year = staff.get("/staff/skm?period=year&at=2020&kiosk=kiosk-1");
    REQUIRE(last_year.status == 200);
    CHECK(last_year.body.find("id=\"skm-empty\"") != std::string::npos);
    CHECK(staff.get("/staff/skm?period=month&at=2026-13").status == 400);
    CHECK(staff.get("/staff/skm?period=week").status == 400);
    CHECK(staff.get("/staff/skm?kiosk=%3Cscript%3E").status == 400);

    auto report = staff.get("/staff/skm/report?kiosk=kiosk-1&year="
        + std::to_string(
            ksd::server::skm_period_of(ksd::server::SkmPeriodKind::Year, now_s(), 420).year));
    REQUIRE(report.status == 200);
    CHECK(report.body.find("id=\"skm-report-table\"") != std::string::npos);
    CHECK(report.body.find("id=\"skm-ikm\">84,26<") != std::string::npos);
    CHECK(report.body.find("NRR tertimbang") != std::string::npos);
    CHECK(report.body.find("Kinerja unit pelayanan") != std::string::npos);
    CHECK(report.body.find("0,389") != std::string::npos); // U1: 3.5 / 9

    auto csv = staff.get("/staff/skm/responses.csv?period=month");
    REQUIRE(csv.status == 200);
    CHECK(csv.header("Content-Type").find("text/csv") == 0);
    CHECK(csv.body.rfind("\xEF\xBB\xBF", 0) == 0);
    auto table = ksd::csv::parse(csv.body.substr(3), ';');
    CHECK(table.problems.empty());
    auto const& lines = table.records;
    REQUIRE(lines.size() == 6); // the head and five responses
    CHECK(lines[0].fields[4] == "U1");
    CHECK(lines[0].fields[12] == "U9");
    int empty_cells = 0;
    for (size_t i = 1; i < lines.size(); ++i)
        for (size_t c = 4; c < 13; ++c)
            empty_cells += lines[i].fields[c].empty();
    CHECK(empty_cells == 1); // the skipped U3 is an empty cell, not 0
    auto comma = staff.get("/staff/skm/responses.csv?period=month&kiosk=kiosk-2&sep=comma");
    REQUIRE(comma.status == 200);
    CHECK(comma.body.find("kiosk-2,2,2,2") != std::string::npos);
    auto index_csv = staff.get("/staff/skm/index.csv?period=month&kiosk=kiosk-1");
    REQUIRE(index_csv.status == 200);
    CHECK(index_csv.body.find("IKM;;;;;84,26") != std::string::npos);
    CHECK(index_csv.body.find("B Baik") != std::string::npos);
}

TEST_CASE("skm: responses made under another device.id wait, reported as a configuration error",
    "[skm]") {
    SurveyKiosk k;
    {
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        REQUIRE(ksd::save_skm_response(
            *db, survey({4, 4, 4, 4, 4, 4, 4, 4, 4}), "kiosk-x", ksd::WallClock {now_s(), true})
                    .ok());
    }
    ServerProcess server(k.server_db, k.dir / "server.log");
    auto out = k.sync("http://127.0.0.1:" + std::to_string(server.port()));
    INFO(out.text);
    CHECK(out.status == 3);
    CHECK(
        out.text.find("survey responses were made with device.id 'kiosk-x'") != std::string::npos);
    CHECK(k.device_skm("state = 'queued' AND attempts = 0") == 1);
    CHECK(k.server_skm().empty());
}
