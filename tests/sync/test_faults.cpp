// The fault matrix of issue 5 (../shared/brief/reliability.md): the real ksd-server and the real
// ksd-sync over loopback, with our fault-injecting proxy between them (tc netem is not available
// here). After each fault: every ticket created on the kiosk is on the server exactly once (the
// sets of ids are compared), quarantined ones show their reason, and the kiosk database passes
// integrity_check.
#include "fault_proxy.h"
#include "server_ready.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "ksd/db.h"
#include "ksd/device_db.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ksd::test;
using nlohmann::json;

namespace {

// Runs what follows under libfaketime with spec ("1970-01-02 00:00:00", "-f '+0 x10'"). Under
// ASan (scripts/test.sh asan) the preloaded libfaketime comes before ASan's runtime, which ASan
// refuses unless told that this is fine. FAKETIME_DONT_FAKE_MONOTONIC=0: the monotonic clock
// (libcurl's low-speed timer) is faked too; libfaketime does so by default on amd64 but not on
// arm64, where a stall then took its full 30 real seconds.
std::string faketime(std::string const& spec) {
    return "env FAKETIME_DONT_FAKE_MONOTONIC=0 "
           "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:verify_asan_link_order=0\" faketime "
        + spec + " ";
}

// Waits for a child; returns its exit status, -1 when killed, -2 after timeout_ms.
int wait_child(pid_t pid, int timeout_ms) {
    int status = 0;
    bool done = wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout_ms);
    if (!done)
        return -2;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

using Server = ksd::test::ServerProcess;

// The shared kiosk (sync_kiosk.h) with what only the fault matrix needs.
struct Kiosk : SyncKiosk {
    // Starts ksd-sync --once in the background, its output in agent.log.
    pid_t spawn(std::string const& url, std::string const& extra = {}) {
        std::string command
            = "exec " + agent_args(url, extra) + " >>" + shq(dir / "agent.log") + " 2>&1";
        pid_t pid = ::fork();
        if (pid == 0) {
            ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        REQUIRE(pid > 0);
        return pid;
    }
    // id -> number of rows on the server (read-only).
    std::map<std::string, int> server_ids() {
        std::map<std::string, int> out;
        auto db = ksd::server::open_conn(server_db);
        REQUIRE(db.ok());
        auto st = db->prepare("SELECT id, count(*) FROM tickets GROUP BY id");
        REQUIRE(st.ok());
        while (true) {
            auto row = st->step();
            REQUIRE(row.ok());
            if (!*row)
                break;
            out[st->column_text(0)] = static_cast<int>(st->column_int64(1));
        }
        return out;
    }
    std::string integrity() {
        auto db = ksd::Db::open(device_db, ksd::OpenMode::ReadOnly);
        REQUIRE(db.ok());
        auto st = db->prepare("PRAGMA integrity_check");
        REQUIRE(st.ok());
        auto row = st->step();
        REQUIRE(row.ok());
        return st->column_text(0);
    }
    // The invariants after every fault: the kiosk's tickets and the server's are the same set,
    // each once; every ticket is acknowledged except those expected in quarantine, which show
    // their reason in `ksd-sync status`; the device database is intact.
    void verify(std::set<std::string> const& quarantined = {}) {
        std::set<std::string> kiosk_ids;
        for (auto const& t : tickets)
            kiosk_ids.insert(t.id);
        auto on_server = server_ids();
        std::set<std::string> server_set;
        for (auto const& [id, n] : on_server) {
            server_set.insert(id);
            CHECK(n == 1);
        }
        CHECK(server_set == kiosk_ids);
        auto status = agent("status");
        INFO(status.text);
        CHECK(status.status == 0);
        CHECK(status.text.find("queued 0\n") != std::string::npos);
        CHECK(status.text.find(
                  "acknowledged " + std::to_string(tickets.size() - quarantined.size()) + "\n")
            != std::string::npos);
        CHECK(status.text.find("quarantined " + std::to_string(quarantined.size()) + "\n")
            != std::string::npos);
        for (auto const& t : tickets) {
            auto d = device_ticket(t.id);
            if (quarantined.count(t.id)) {
                CHECK(d.state == ksd::DeliveryState::Quarantined);
                CHECK(status.text.find(t.code + ": " + d.last_error) != std::string::npos);
            } else {
                CHECK(d.state == ksd::DeliveryState::Acknowledged);
            }
        }
        CHECK(integrity() == "ok");
    }
    // Nothing was delivered: every ticket still queued, its attempt and error recorded, due later.
    void check_retry_recorded(std::string const& expected_error, int64_t before) {
        for (auto const& t : tickets) {
            auto d = device_ticket(t.id);
            CHECK(d.state == ksd::DeliveryState::Queued);
            CHECK(d.attempts == 1);
            CHECK(d.last_error.find(expected_error) != std::string::npos);
            CHECK(d.next_attempt_at > before);
        }
    }
};

} // namespace

TEST_CASE("faults: kill -9 of the agent after the server committed, before its local commit") {
    Kiosk k;
    k.make_tickets(4);
    Server server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    // The server commits and answers; the proxy holds the answer, the agent waits for it.
    proxy.set({Fault::HoldResponse, 0, 0, 0, {}, 1});
    pid_t agent = k.spawn(proxy.url());
    REQUIRE(wait_until([&] { return proxy.responses_withheld() >= 1; }, 20000));
    for (auto const& t : k.tickets)
        CHECK(k.server_rows(t.id) == 1);
    ::kill(agent, SIGKILL);
    CHECK(wait_child(agent, 10000) == -1);
    proxy.release_held();
    for (auto const& t : k.tickets)
        CHECK(k.device_ticket(t.id).state == ksd::DeliveryState::Queued);

    // The restarted agent sends them again: duplicates, one row each.
    auto out = k.sync(proxy.url());
    INFO(out.text);
    CHECK(out.status == 0);
    CHECK(out.text.find("(duplicate") != std::string::npos);
    CHECK(out.text.find("(created") == std::string::npos);
    k.verify();
}

TEST_CASE("faults: the response is lost after the server committed, or cut mid-body") {
    Kiosk k;
    k.make_tickets(3);
    Server server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    SECTION("dropped") {
        proxy.set({Fault::DropResponse, 0, 0, 0, {}, 1});
    }
    SECTION("cut after 20 bytes of the response body") {
        proxy.set({Fault::CutResponse, 0, 20, 0, {}, 1});
    }
    int64_t before = now_s();
    auto first = k.sync(proxy.url());
    INFO(first.text);
    CHECK(first.status == 2);
    k.check_retry_recorded("", before);
    for (auto const& t : k.tickets)
        CHECK(k.server_rows(t.id) == 1); // the server had committed
    k.make_due();
    auto again = k.sync(proxy.url());
    INFO(again.text);
    CHECK(again.status == 0);
    CHECK(again.text.find("(duplicate") != std::string::npos);
    k.verify();
}

TEST_CASE("faults: the upload is cut mid-body: nothing stored, the retry delivers") {
    Kiosk k;
    k.make_tickets(30);
    Server server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    proxy.set({Fault::CutRequest, 0, 200, 0, {}, 1});
    int64_t before = now_s();
    auto first = k.sync(proxy.url());
    INFO(first.text);
    CHECK(first.status == 2);
    k.check_retry_recorded("", before);
    CHECK(k.server_ids().empty());
    k.make_due();
    auto again = k.sync(proxy.url());
    INFO(again.text);
    CHECK(again.status == 0);
    k.verify();
}

TEST_CASE("faults: kill -9 of the server mid-batch, restarted on the same database") {
    Kiosk k;
    k.make_tickets(200);
    auto server = std::make_unique<Server>(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server->port());
    bool committed = false;
    SECTION("while the body is still arriving") {
        // Slow link: the body takes a few seconds, the server dies half-way.
        proxy.set({Fault::Bandwidth, 0, 0, 4000, {}, 1});
        pid_t agent = k.spawn(proxy.url(), " --batch 200");
        REQUIRE(wait_until([&] { return proxy.request_body_bytes() > 2000; }, 20000));
        server->kill9();
        CHECK(wait_child(agent, 30000) == 2);
    }
    SECTION("after its commit, before the answer left") {
        committed = true;
        proxy.set({Fault::HoldResponse, 0, 0, 0, {}, 1});
        pid_t agent = k.spawn(proxy.url(), " --batch 200");
        REQUIRE(wait_until([&] { return proxy.responses_withheld() >= 1; }, 20000));
        server->kill9();
        proxy.release_held();
        CHECK(wait_child(agent, 30000) == 2);
    }
    CHECK(k.server_ids().size() == (committed ? 200u : 0u));
    for (auto const& t : k.tickets)
        CHECK(k.device_ticket(t.id).state == ksd::DeliveryState::Queued);
    server = std::make_unique<Server>(k.server_db, k.dir / "server2.log");
    proxy.set_target(server->port());
    k.make_due();
    auto out = k.sync(proxy.url());
    INFO(out.text);
    auto out2 = k.sync(proxy.url()); // batches of 100: a second pass for the rest
    INFO(out2.text);
    CHECK(out2.status == 0);
    k.verify();
}

TEST_CASE("faults: 500, 503 and 429 with Retry-After, a captive portal, a redirect") {
    Kiosk k;
    k.make_tickets(2);
    Server server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    std::string const envelope_500 = R"({"protocol":1,"error":{"code":"internal","message":"x"}})";
    std::string expected_error;
    int64_t min_delay = 1;
    int64_t max_delay = 30; // the first backoff step
    SECTION("500 from the server") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(500, "Internal Server Error",
                {"KSD-Protocol: 1", "Content-Type: application/json"}, envelope_500)});
        expected_error = "HTTP 500";
    }
    SECTION("500 from a proxy in between") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(500, "Internal Server Error", {"Content-Type: text/html"},
                "<html>Proxy Error</html>")});
        expected_error = "HTTP 500";
    }
    SECTION("503 with Retry-After in seconds") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(503, "Service Unavailable", {"Retry-After: 120"}, "maintenance")});
        expected_error = "HTTP 503";
        min_delay = max_delay = 120;
    }
    SECTION("503 with Retry-After as an HTTP-date") {
        std::time_t at = std::time(nullptr) + 300;
        std::tm tm {};
        gmtime_r(&at, &tm);
        char date[64];
        std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(503, "Service Unavailable", {std::string("Retry-After: ") + date}, "")});
        expected_error = "HTTP 503";
        min_delay = 298;
        max_delay = 300;
    }
    SECTION("503 with a garbage Retry-After: the ordinary backoff") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(503, "Service Unavailable", {"Retry-After: soon-ish"}, "")});
        expected_error = "HTTP 503";
    }
    SECTION("503 with a huge Retry-After: clamped") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(503, "Service Unavailable", {"Retry-After: 99999999"}, "")});
        expected_error = "HTTP 503";
        min_delay = max_delay = 900;
    }
    SECTION("429 with Retry-After in seconds") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(429, "Too Many Requests", {"Retry-After: 60"}, "slow down")});
        expected_error = "HTTP 429";
        min_delay = max_delay = 60;
    }
    SECTION("a captive portal's 200 page") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(200, "OK", {"Content-Type: text/html"},
                "<html><body><form>Login Wi-Fi Gratis</form></body></html>")});
        expected_error = "not the KSD server's answer";
    }
    SECTION("a redirect to a login page") {
        proxy.set({Fault::Respond, 0, 0, 0,
            raw_response(302, "Found", {"Location: http://login.example/portal"}, "")});
        expected_error = "redirect";
    }
    int64_t before = now_s();
    auto out = k.sync(proxy.url());
    int64_t after = now_s();
    INFO(out.text);
    CHECK(out.status == 2);
    CHECK(k.server_ids().empty());
    k.check_retry_recorded(expected_error, before);
    for (auto const& t : k.tickets) {
        auto d = k.device_ticket(t.id);
        CHECK(d.next_attempt_at >= before + min_delay);
        CHECK(d.next_attempt_at <= after + max_delay);
    }
    // The real server comes back: everything is delivered once.
    proxy.set({});
    k.make_due();
    auto again = k.sync(proxy.url());
    INFO(again.text);
    CHECK(again.status == 0);
    k.verify();
}

TEST_CASE("faults: a server whose database stays locked answers 503 busy, the agent waits") {
    Kiosk k;
    k.make_tickets(3);
    std::string config = k.dir / "server.toml";
    spit(config, "busy_timeout_ms = 200\n");
    Server server(k.server_db, k.dir / "server.log", config);
    int64_t before = now_s();
    {
        auto holder = ksd::server::open_conn(k.server_db);
        REQUIRE(holder.ok());
        auto lock = ksd::server::Tx::begin(*holder); // the write lock, on either engine
        REQUIRE(lock.ok());
        auto out = k.sync(server.url());
        INFO(out.text);
        CHECK(out.status == 2);
    }
    int64_t after = now_s();
    k.check_retry_recorded("HTTP 503 busy", before);
    for (auto const& t : k.tickets) {
        auto d = k.device_ticket(t.id);
        CHECK(d.next_attempt_at >= before + 5); // the server's Retry-After
        CHECK(d.next_attempt_at <= after + 5);
    }
    CHECK(k.server_ids().empty());
    k.make_due();
    auto again = k.sync(server.url());
    INFO(again.text);
    CHECK(again.status == 0);
    k.verify();
}

TEST_CASE("faults: the same batch posted five times in parallel makes one row per ticket") {
    Kiosk k;
    k.make_tickets(3);
    Server server(k.server_db, k.dir / "server.log");
    SECTION("five HTTP posts at once") {
        json tickets = json::array();
        for (auto const& t : k.tickets)
            tickets.push_back(ticket_json(t));
        std::string body = json {{"tickets", tickets}}.dump();
        std::vector<std::thread> posts;
        std::vector<json> answers(5);
        std::atomic<int> ready {0};
        for (int i = 0; i < 5; ++i)
            posts.emplace_back([&, i] {
                httplib::Client c("127.0.0.1", server.port());
                c.set_read_timeout(30);
                c.set_bearer_token_auth(k.token.c_str());
                ++ready;
                while (ready < 5)
                    std::this_thread::yield();
                auto r = c.Post("/api/v1/tickets", body, "application/json");
                if (r && r->status == 200)
                    answers[i] = json::parse(r->body, nullptr, false);
            });
        for (auto& p : posts)
            p.join();
        std::map<std::string, std::map<std::string, int>> results; // id -> result -> count
        for (auto const& a : answers) {
            REQUIRE(a.is_object());
            for (auto const& r : a["results"])
                ++results[r["id"].get<std::string>()][r["result"].get<std::string>()];
        }
        for (auto const& t : k.tickets) {
            CHECK(results[t.id]["created"] == 1);
            CHECK(results[t.id]["duplicate"] == 4);
        }
    }
    SECTION("five agents at once on the same kiosk database") {
        std::vector<pid_t> agents;
        for (int i = 0; i < 5; ++i)
            agents.push_back(k.spawn(server.url()));
        for (auto pid : agents)
            CHECK(wait_child(pid, 60000) == 0);
    }
    for (auto const& t : k.tickets)
        CHECK(k.server_rows(t.id) == 1);
    auto out = k.sync(server.url());
    INFO(out.text);
    CHECK(out.status == 0);
    k.verify();
}

TEST_CASE("faults: the same id with other content is quarantined, the others are delivered") {
    Kiosk k;
    k.make_tickets(4);
    Server server(k.server_db, k.dir / "server.log");
    auto const& t = k.tickets[1];
    json other = ticket_json(t);
    other["question"] = "Pertanyaan lain dengan id yang sama";
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(30);
    c.set_bearer_token_auth(k.token.c_str());
    auto r = c.Post("/api/v1/tickets", json {{"tickets", {other}}}.dump(), "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);

    auto out = k.sync(server.url());
    INFO(out.text);
    CHECK(out.status == 0);
    auto q = k.device_ticket(t.id);
    CHECK(q.last_error.rfind("conflict: ", 0) == 0);
    CHECK(q.input.question == t.input.question); // the kiosk keeps its data
    auto stored = capture(server_bin + " --db " + shq(k.server_db) + " tickets show " + t.id);
    CHECK(stored.text.find("Pertanyaan lain") != std::string::npos); // and the server its own
    k.verify({t.id});
    // Never retried automatically: another pass leaves it alone.
    auto again = k.sync(server.url());
    CHECK(again.text.find("sending") == std::string::npos);
    CHECK(k.device_ticket(t.id).attempts == q.attempts);
}

TEST_CASE("faults: a clock at 1970 (faketime) still delivers") {
    if (!have_tool("faketime")) {
        WARN("SKIPPED: faketime is not installed");
        return;
    }
    Kiosk k;
    Server server(k.server_db, k.dir / "server.log");
    // libfaketime really reaches the binary (not only the shell).
    auto probe = capture(faketime("'1970-01-02 00:00:00'") + sync_bin + " --db "
        + shq(k.dir / "probe.db") + " status");
    REQUIRE(probe.status == 0);
    CHECK(probe.text.find("oldest_unsent_age_s 0") != std::string::npos);
    SECTION("a Pi without RTC: kiosk and agent both at 1970, the clock untrusted") {
        k.make_tickets(3, "kiosk-1", ksd::WallClock {86400 + 60, false});
    }
    SECTION("tickets made at the right time, then the clock jumped back to 1970") {
        k.make_tickets(3);
    }
    int64_t const started = now_s();
    auto out = k.sync(server.url(), {}, faketime("'1970-01-02 00:00:00'"));
    INFO(out.text);
    CHECK(out.status == 0);
    k.verify();
    for (auto const& t : k.tickets) {
        auto shown = capture(server_bin + " --db " + shq(k.server_db) + " tickets show " + t.id);
        CHECK(shown.text.find("created_at: " + std::to_string(t.created_at)) != std::string::npos);
        CHECK(shown.text.find(std::string("clock_trusted: ") + (t.clock_trusted ? "true" : "false"))
            != std::string::npos);
        // The acknowledgement time is the server's (issue 11), not the agent's 1970.
        CHECK(k.device_ticket(t.id).acknowledged_at >= started);
    }
}

TEST_CASE("faults: latency and a narrow link still deliver") {
    Kiosk k;
    k.make_tickets(20);
    Server server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    SECTION("300 ms latency each way") {
        proxy.set({Fault::Latency, 300, 0, 0, {}});
    }
    SECTION("2 kB/s each way") {
        proxy.set({Fault::Bandwidth, 0, 0, 2000, {}});
    }
    auto out = k.sync(proxy.url());
    INFO(out.text);
    CHECK(out.status == 0);
    k.verify();
}

TEST_CASE("faults: a stalled link is cut by the agent's low-speed limit and retried later") {
    if (!have_tool("faketime")) {
        WARN("SKIPPED: faketime is not installed");
        return;
    }
    Kiosk k;
    k.make_tickets(2);
    Server server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    proxy.set({Fault::Stall, 0, 0, 0, {}, 1});
    // The agent's stall limit is 30 s without progress; libfaketime runs its clocks (wall and
    // monotonic) 10x faster so that the test takes about 3 s.
    int64_t before = now_s();
    auto t0 = std::chrono::steady_clock::now();
    auto out = k.sync(proxy.url(), {}, faketime("-f '+0 x10'"));
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    INFO(out.text);
    CHECK(out.status == 2);
    CHECK(seconds < 20);
    CHECK(k.server_ids().empty());
    k.check_retry_recorded("", before);
    k.make_due();
    auto again = k.sync(proxy.url());
    INFO(again.text);
    CHECK(again.status == 0);
    k.verify();
}

// A failed attempt at the right time stores its next attempt on the wall clock; after the clock
// jumps back to 1970 (a Pi without RTC rebooted, NTP not reachable) that time lies 56 years ahead,
// and the ticket must still be sent.
TEST_CASE("faults: a failed attempt, then the clock jumps back to 1970: still delivered") {
    if (!have_tool("faketime")) {
        WARN("SKIPPED: faketime is not installed");
        return;
    }
    Kiosk k;
    k.make_tickets(2);
    Server server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    proxy.set({Fault::Respond, 0, 0, 0,
        raw_response(503, "Service Unavailable", {"Retry-After: 60"}, ""), 1});
    REQUIRE(k.sync(proxy.url()).status == 2);
    auto out = k.sync(proxy.url(), {}, faketime("'1970-01-02 00:00:00'"));
    INFO(out.text);
    CHECK(out.status == 0);
    k.verify();
}

namespace {

std::string const content_bin = KSD_CONTENT_BIN;
std::string const pack_request = "GET /api/v1/content/pack";

std::vector<std::string> dir_names(std::string const& dir) {
    std::vector<std::string> out;
    for (auto const& e : std::filesystem::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// A kiosk with the build's demo pack installed at kiosk/ksd.pack and a server where it is
// registered; packs are built from the project's content and signed with the demo key.
struct ContentKiosk : Kiosk {
    std::string demo = std::string(KSD_BINARY_DIR) + "/demo";
    std::string pub = demo + "/ksd-demo.pub";
    std::string pack_dir = dir / "kiosk";
    std::string target = dir / "kiosk/ksd.pack";
    std::string old_bytes;

    ContentKiosk() {
        std::filesystem::create_directories(pack_dir);
        std::filesystem::copy_file(demo + "/ksd-demo.pack", target);
        std::filesystem::copy_file(demo + "/ksd-demo.pack.minisig", target + ".minisig");
        old_bytes = slurp(target);
    }
    std::string make_pack(std::string const& name, int64_t version) {
        std::string pack = dir / name;
        REQUIRE(
            run(content_bin + " build " + shq(std::string(KSD_SOURCE_DIR) + "/content") + " -o "
                + shq(pack) + " --content-version " + std::to_string(version) + " >/dev/null 2>&1")
            == 0);
        REQUIRE(run(content_bin + " sign " + shq(pack) + " -s " + shq(demo + "/ksd-demo.key")
                    + " >/dev/null 2>&1")
            == 0);
        return pack;
    }
    void publish(std::string const& pack) {
        auto out = capture(server_bin + " --db " + shq(server_db) + " content publish " + shq(pack)
            + " --public-key " + shq(pub));
        INFO(out.text);
        REQUIRE(out.status == 0);
    }
    // ksd-sync --once with the kiosk's pack and key; extra options before --once.
    Output sync_content(std::string const& url, std::string const& extra = {}) {
        return capture("timeout 60 "
            + agent_args(url, " --pack " + shq(target) + " --public-key " + shq(pub) + extra));
    }
    std::string server_db_text(std::string const& sql) {
        auto db = ksd::server::open_conn(server_db);
        REQUIRE(db.ok());
        auto st = db->prepare(sql);
        REQUIRE(st.ok());
        auto row = st->step();
        REQUIRE(row.ok());
        REQUIRE(*row);
        return st->column_text(0);
    }
    void server_db_exec(std::string const& sql) {
        auto db = ksd::server::open_conn(server_db);
        REQUIRE(db.ok());
        REQUIRE(db->exec(sql).ok());
    }
};

} // namespace

TEST_CASE("faults: a pack download cut mid-body is resumed with a Range request, then swapped in") {
    ContentKiosk k;
    std::string pack = k.make_pack("new.pack", 29990101000000);
    std::string const bytes = slurp(pack);
    k.publish(pack);
    Server server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    size_t const cut = bytes.size() / 3;
    proxy.set_match(pack_request);
    proxy.set({Fault::CutResponse, 0, cut, 0, {}, 1});

    auto first = k.sync_content(proxy.url());
    INFO(first.text);
    CHECK(first.text.find("downloading pack 29990101000000 (" + std::to_string(bytes.size()))
        != std::string::npos);
    CHECK(first.text.find("installed") == std::string::npos);
    CHECK(proxy.matched_body_bytes() == cut);
    // The old pack is untouched; the part received stays for the resume.
    CHECK(slurp(k.target) == k.old_bytes);
    CHECK(dir_names(k.pack_dir)
        == std::vector<std::string> {"ksd.pack", "ksd.pack.download", "ksd.pack.minisig"});
    CHECK(slurp(k.target + ".download") == bytes.substr(0, cut));
    CHECK(k.integrity() == "ok");

    auto second = k.sync_content(proxy.url());
    INFO(second.text);
    CHECK(second.status == 0);
    CHECK(second.text.find("resuming the download of pack 29990101000000 at " + std::to_string(cut)
              + " of " + std::to_string(bytes.size()))
        != std::string::npos);
    CHECK(second.text.find("pack 29990101000000 installed") != std::string::npos);
    // On the wire: the second request asked for the rest only, and only the rest came.
    auto heads = proxy.matched_heads();
    REQUIRE(heads.size() == 2);
    CHECK(heads[0].find("Range:") == std::string::npos);
    CHECK(heads[1].find("Range: bytes=" + std::to_string(cut) + "-") != std::string::npos);
    CHECK(proxy.matched_body_bytes() == bytes.size());
    // Verified and swapped in, nothing left beside it.
    CHECK(slurp(k.target) == bytes);
    CHECK(slurp(k.target + ".minisig") == slurp(pack + ".minisig"));
    CHECK(dir_names(k.pack_dir) == std::vector<std::string> {"ksd.pack", "ksd.pack.minisig"});
    CHECK(run(content_bin + " verify " + shq(k.target) + " -p " + shq(k.pub) + " >/dev/null 2>&1")
        == 0);
    CHECK(
        capture(content_bin + " info " + shq(k.target)).text.find("content version: 29990101000000")
        != std::string::npos);
    CHECK(k.integrity() == "ok");
}

TEST_CASE("faults: a tampered or an older pack is refused, the kiosk keeps its pack") {
    ContentKiosk k;
    std::string expected;
    bool refused_for_good = false;
    std::unique_ptr<Server> server;
    std::unique_ptr<FaultProxy> proxy;
    auto start = [&] {
        server = std::make_unique<Server>(k.server_db, k.dir / "server.log");
        proxy = std::make_unique<FaultProxy>(server->port());
    };
    SECTION("a byte of the pack altered on the wire") {
        std::string pack = k.make_pack("new.pack", 29990101000000);
        k.publish(pack);
        start();
        proxy->set_match(pack_request);
        proxy->set({Fault::Corrupt, 0, slurp(pack).size() / 2, 0, {}, -1});
        expected = "content: downloaded pack 29990101000000 does not match its size or SHA-256";
    }
    SECTION("the server's stored pack corrupted on its disk") {
        std::string pack = k.make_pack("new.pack", 29990101000000);
        k.publish(pack);
        std::string stored = k.server_db_text("SELECT path FROM content_packs");
        std::string b = slurp(stored);
        REQUIRE(b.size() > 1000);
        b[b.size() / 2] = static_cast<char>(b[b.size() / 2] ^ 0x5a);
        spit(stored, b);
        start();
        expected = "content: downloaded pack 29990101000000 does not match its size or SHA-256";
    }
    SECTION("an older pack announced as a newer version (the server's database altered)") {
        std::string pack = k.make_pack("old.pack", 20000101000000);
        k.publish(pack);
        k.server_db_exec("UPDATE content_packs SET version = 29990101000000");
        start();
        expected = "content: pack 29990101000000 pack refused: version 20000101000000 is not newer "
                   "than 20261122170000";
        refused_for_good = true;
    }
    auto out = k.sync_content(proxy->url());
    INFO(out.text);
    CHECK(out.status == 0); // tickets are not affected
    CHECK(out.text.find("downloading pack 29990101000000") != std::string::npos);
    CHECK(out.text.find(expected) != std::string::npos);
    CHECK(out.text.find("installed") == std::string::npos);
    CHECK(slurp(k.target) == k.old_bytes);
    CHECK(dir_names(k.pack_dir) == std::vector<std::string> {"ksd.pack", "ksd.pack.minisig"});
    CHECK(
        capture(content_bin + " info " + shq(k.target)).text.find("content version: 20261122170000")
        != std::string::npos);
    CHECK(k.integrity() == "ok");
    // The next run: a refused pack is not fetched again, a damaged download is tried again from
    // the start (and fails the same way), the old pack still in place.
    auto again = k.sync_content(proxy->url());
    INFO(again.text);
    if (refused_for_good) {
        CHECK(again.text.find("downloading") == std::string::npos);
        CHECK(again.text.find("was refused before") != std::string::npos);
    } else {
        CHECK(again.text.find("resuming") == std::string::npos);
        CHECK(again.text.find(expected) != std::string::npos);
    }
    CHECK(slurp(k.target) == k.old_bytes);
    CHECK(dir_names(k.pack_dir) == std::vector<std::string> {"ksd.pack", "ksd.pack.minisig"});
    CHECK(k.integrity() == "ok");
}

TEST_CASE("faults: an older pack published as such is not downloaded, and that is logged") {
    ContentKiosk k;
    k.publish(k.make_pack("old.pack", 20000101000000));
    Server server(k.server_db, k.dir / "server.log");
    std::string config = k.dir / "sync.toml";
    spit(config, "log_level = \"debug\"\n");
    auto out = capture("timeout 60 " + sync_bin + " --config " + shq(config) + " --db "
        + shq(k.device_db) + " --server " + shq(server.url()) + " --token " + shq(k.token)
        + " --pack " + shq(k.target) + " --public-key " + shq(k.pub) + " --once");
    INFO(out.text);
    CHECK(out.status == 0);
    CHECK(out.text.find("downloading") == std::string::npos);
    CHECK(out.text.find("content: pack 20261122170000 is up to date (server has 20000101000000)")
        != std::string::npos);
    CHECK(slurp(k.target) == k.old_bytes);
    CHECK(dir_names(k.pack_dir) == std::vector<std::string> {"ksd.pack", "ksd.pack.minisig"});
    CHECK(k.integrity() == "ok");
}
