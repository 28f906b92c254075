// End-to-end tests of the sync agent: the real ksd-sync binary against the real ksd-server (or a
// fake server that misbehaves) on loopback, and unit tests of the backoff timing.
#include "server_ready.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "backoff.h"

#include "ksd/db.h"
#include "ksd/device_db.h"
#include "ksd/skm.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>
#include <zlib.h>

using namespace ksd::test;
using nlohmann::json;

namespace {

using AgentServer = ksd::test::ServerProcess;

// A misbehaving server on 127.0.0.1 (captive portal, overload) answering with handler.
class FakeServer {
public:
    explicit FakeServer(httplib::Server::Handler handler) {
        m_server.Get(".*", handler);
        m_server.Post(".*", handler);
        m_port = m_server.bind_to_any_port("127.0.0.1");
        REQUIRE(m_port > 0);
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        for (int i = 0; i < 200 && !m_server.is_running(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        REQUIRE(m_server.is_running());
    }
    ~FakeServer() {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
    httplib::Server m_server;
    std::thread m_thread;
    int m_port {0};
};

// A loopback port nothing listens on: bound by the kernel, then closed.
int closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    ::close(fd);
    return ntohs(a.sin_port);
}

using Kiosk = SyncKiosk;

size_t occurrences(std::string const& text, std::string const& needle) {
    size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
        ++n;
    return n;
}

} // namespace

TEST_CASE("backoff grows exponentially with full jitter and is capped") {
    using namespace ksd::sync;
    CHECK(backoff_delay(1, 0.0) == 1);
    CHECK(backoff_delay(1, 0.999) == 30);
    CHECK(backoff_delay(2, 0.999) == 60);
    CHECK(backoff_delay(3, 0.5) == 61);
    CHECK(backoff_delay(6, 0.999) == 900);
    CHECK(backoff_delay(1000, 0.999) == 900);
    CHECK(backoff_delay(1000, 0.0) == 1);
    for (int attempts = 1; attempts < 70; ++attempts)
        for (double r : {0.0, 0.3, 0.7, 0.99999, 1.0}) {
            auto d = backoff_delay(attempts, r);
            CHECK(d >= backoff_min_s);
            CHECK(d <= backoff_cap_s);
        }
}

TEST_CASE("Retry-After in seconds or as an HTTP-date is clamped, garbage is ignored") {
    using namespace ksd::sync;
    int64_t now = 1795439215;
    CHECK(parse_retry_after("120", now) == 120);
    CHECK(parse_retry_after(" 120 ", now) == 120);
    CHECK(parse_retry_after("0", now) == 1);
    CHECK(parse_retry_after("86400", now) == 900);
    CHECK(parse_retry_after("99999999999999999999999", now) == 900);
    // 1795439215 is Mon, 23 Nov 2026 13:06:55 GMT.
    CHECK(parse_retry_after("Mon, 23 Nov 2026 13:07:55 GMT", now) == 60);
    CHECK(parse_retry_after("Mon, 23 Nov 2026 13:00:00 GMT", now) == 1);
    CHECK(parse_retry_after("Mon, 30 Nov 2026 10:00:00 GMT", now) == 900);
    CHECK_FALSE(parse_retry_after("", now).has_value());
    CHECK_FALSE(parse_retry_after("soon", now).has_value());
    CHECK_FALSE(parse_retry_after("-5", now).has_value());
    CHECK_FALSE(parse_retry_after("12abc", now).has_value());
    // Found by the agent fuzz target: only line-end characters once threw std::invalid_argument
    // out of the sync pass (the agent aborted).
    CHECK_FALSE(parse_retry_after("\r\n", now).has_value());
    CHECK_FALSE(parse_retry_after(" \r", now).has_value());
}

TEST_CASE("ksd-sync delivers every ticket once, and a second pass sends nothing") {
    Kiosk k;
    k.make_tickets(3);
    AgentServer server(k.server_db, k.dir / "server.log");
    int64_t before = now_s();
    auto out = k.sync(server.url());
    INFO(out.text);
    CHECK(out.status == 0);
    auto list = k.server_cli("tickets list");
    REQUIRE(list.status == 0);
    for (auto const& t : k.tickets) {
        auto d = k.device_ticket(t.id);
        CHECK(d.state == ksd::DeliveryState::Acknowledged);
        CHECK(d.server_status == "Baru");
        CHECK(d.acknowledged_at >= before);
        CHECK(d.acknowledged_at <= now_s());
        CHECK(d.last_error.empty());
        CHECK(occurrences(list.text, t.code) == 1);
        CHECK(k.server_rows(t.id) == 1);
    }

    auto again = k.sync(server.url());
    INFO(again.text);
    CHECK(again.status == 0);
    CHECK(again.text.find("sending") == std::string::npos);
    list = k.server_cli("tickets list");
    for (auto const& t : k.tickets) {
        CHECK(occurrences(list.text, t.code) == 1);
        CHECK(k.server_rows(t.id) == 1);
        CHECK(k.device_ticket(t.id).attempts == 0);
    }
}

TEST_CASE("ksd-sync brings staff replies and status changes into the device database") {
    Kiosk k;
    k.make_tickets(2);
    AgentServer server(k.server_db, k.dir / "server.log");
    REQUIRE(k.sync(server.url()).status == 0);
    auto const& t = k.tickets[0];
    REQUIRE(k.server_cli("tickets reply " + t.code + " 'Silakan datang hari Senin.'").status == 0);
    REQUIRE(k.server_cli("tickets status " + t.code + " Selesai").status == 0);
    auto out = k.sync(server.url());
    INFO(out.text);
    CHECK(out.status == 0);
    auto d = k.device_ticket(t.id);
    CHECK(d.staff_reply == "Silakan datang hari Senin.");
    CHECK(d.server_status == "Selesai");
    auto other = k.device_ticket(k.tickets[1].id);
    CHECK(other.staff_reply.empty());
    CHECK(other.server_status == "Baru");
    // The cursor moved: a further pass applies nothing new.
    auto again = k.sync(server.url());
    CHECK(again.text.find("updates applied 0") != std::string::npos);
}

TEST_CASE("a ticket whose id the server holds with other content is quarantined") {
    Kiosk k;
    k.make_tickets(3);
    AgentServer server(k.server_db, k.dir / "server.log");
    // The first ticket reaches the server with another name (as if changed after a send).
    auto const& t = k.tickets[0];
    json other {{"id", t.id}, {"code", t.code}, {"kiosk_id", t.kiosk_id},
        {"created_at", t.created_at}, {"clock_trusted", t.clock_trusted}, {"sequence", t.sequence},
        {"category", t.input.category}, {"topic", t.input.topic}, {"sector", ""},
        {"name", "Orang Lain"}, {"phone", t.input.phone}, {"email", ""}, {"organisation", ""},
        {"question", t.input.question}, {"lang", "id"},
        {"consent_version", t.input.consent_version}};
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(30);
    c.set_bearer_token_auth(k.token.c_str());
    auto r = c.Post("/api/v1/tickets", json {{"tickets", {other}}}.dump(), "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);

    auto out = k.sync(server.url());
    INFO(out.text);
    auto q = k.device_ticket(t.id);
    CHECK(q.state == ksd::DeliveryState::Quarantined);
    CHECK(q.last_error.rfind("conflict: ", 0) == 0);
    CHECK(q.input.name == "Pengunjung 0"); // the kiosk's data is kept
    for (size_t i = 1; i < k.tickets.size(); ++i)
        CHECK(k.device_ticket(k.tickets[i].id).state == ksd::DeliveryState::Acknowledged);
    CHECK(k.server_rows(t.id) == 1);

    auto status = capture(sync_bin + " --db " + shq(k.device_db) + " status");
    INFO(status.text);
    CHECK(status.status == 0);
    CHECK(status.text.find("queued 0\n") != std::string::npos);
    CHECK(status.text.find("acknowledged 2\n") != std::string::npos);
    CHECK(status.text.find("quarantined 1\n") != std::string::npos);
    CHECK(status.text.find(t.code + ": conflict") != std::string::npos);
}

TEST_CASE("with no server the tickets stay queued with a later retry time") {
    Kiosk k;
    k.make_tickets(2);
    int64_t before = now_s();
    auto out = k.sync("http://127.0.0.1:" + std::to_string(closed_port()));
    INFO(out.text);
    CHECK(out.status == 2);
    for (auto const& t : k.tickets) {
        auto d = k.device_ticket(t.id);
        CHECK(d.state == ksd::DeliveryState::Queued);
        CHECK(d.attempts == 1);
        CHECK_FALSE(d.last_error.empty());
        CHECK(d.next_attempt_at > before);
        CHECK(d.next_attempt_at <= now_s() + 30);
    }
    auto status = capture(sync_bin + " --db " + shq(k.device_db) + " status");
    CHECK(status.text.find("queued 2\n") != std::string::npos);
}

TEST_CASE("ksd-sync takes url and token from ksd.toml over sync.toml, the command line over both") {
    Kiosk k;
    k.make_tickets(2);
    AgentServer server(k.server_db, k.dir / "server.log");
    spit(k.dir / "sync.toml",
        "[server]\nurl = \"https://elsewhere.invalid\"\ntoken_file = \"/nonexistent\"\n");
    spit(k.dir / "ksd.toml",
        "[kiosk]\nid = \"kiosk-1\"\n[server]\nurl = \"" + server.url() + "\"\ntoken = \"" + k.token
            + "\"\n");
    std::string const base = "timeout 60 " + sync_bin + " --config " + shq(k.dir / "sync.toml")
        + " --technician-config " + shq(k.dir / "ksd.toml") + " --db " + shq(k.device_db);
    // --server on the command line beats ksd.toml: a closed port, so nothing is delivered.
    auto cli
        = capture(base + " --server http://127.0.0.1:" + std::to_string(closed_port()) + " --once");
    INFO(cli.text);
    CHECK(cli.status == 2);
    CHECK(k.server_count() == 0);
    CHECK(cli.text.find("technician's file " + k.dir / "ksd.toml" + " read") != std::string::npos);
    k.make_due();
    auto out = capture(base + " --once");
    INFO(out.text);
    CHECK(out.status == 0);
    CHECK(k.server_count() == 2);
}

TEST_CASE("ksd-sync exits 78 on a bad ksd.toml or sync.toml, logging file, line and key") {
    TempDir dir;
    spit(dir / "ksd.toml",
        "[kiosk]\nid = \"kiosk-1\"\n[server]\nurl = \"http://ksd.example.go.id\"\n"
        "token = \"kiosk-2.00\"\n");
    auto bad = capture(sync_bin + " --technician-config " + shq(dir / "ksd.toml") + " --db "
        + shq(dir / "d.db") + " --once");
    INFO(bad.text);
    CHECK(bad.status == 78);
    CHECK(bad.text.find("error sync: " + dir / "ksd.toml" + ":4: key 'server.url': ")
        != std::string::npos);
    CHECK(bad.text.find("error sync: " + dir / "ksd.toml" + ":5: key 'server.token': ")
        != std::string::npos);
    // status reads only the database: it works while the technician fixes the file.
    CHECK(capture(sync_bin + " --technician-config " + shq(dir / "ksd.toml") + " --db "
              + shq(dir / "d.db") + " status")
              .status
        == 0);
    spit(dir / "sync.toml", "[sync]\nbatch_size = 0\n");
    auto bad_sync = capture(sync_bin + " --config " + shq(dir / "sync.toml") + " --db "
        + shq(dir / "d.db") + " --once");
    INFO(bad_sync.text);
    CHECK(bad_sync.status == 78);
    CHECK(bad_sync.text.find(dir / "sync.toml" + ":2: key 'sync.batch_size'") != std::string::npos);
}

TEST_CASE("a captive portal's 200 page, a redirect or a foreign answer is not an acknowledgement") {
    Kiosk k;
    k.make_tickets(2);
    std::string expected;
    std::unique_ptr<FakeServer> fake;
    SECTION("200 text/html") {
        expected = "not the KSD server's answer";
        fake = std::make_unique<FakeServer>([](httplib::Request const&, httplib::Response& res) {
            res.set_content("<html><body>Login Wi-Fi</body></html>", "text/html");
        });
    }
    SECTION("302 to a login page") {
        expected = "redirect";
        fake = std::make_unique<FakeServer>([](httplib::Request const&, httplib::Response& res) {
            res.status = 302;
            res.set_header("Location", "http://login.example/");
        });
    }
    SECTION("the envelope without a result for the tickets") {
        expected = "no result for this ticket";
        fake = std::make_unique<FakeServer>([](httplib::Request const&, httplib::Response& res) {
            res.set_header("KSD-Protocol", "1");
            res.set_content(
                R"({"protocol":1,"kind":"ticket_results","server_time":1,"results":[]})",
                "application/json");
        });
    }
    SECTION("the right body without the KSD-Protocol header") {
        expected = "not the KSD server's answer";
        fake
            = std::make_unique<FakeServer>([](httplib::Request const& req, httplib::Response& res) {
                  json results = json::array();
                  auto body = json::parse(req.body, nullptr, false);
                  (void)body; // gzip: the ids cannot be echoed; a fixed result is enough here
                  res.set_content(
                      R"({"protocol":1,"kind":"ticket_results","results":[]})", "application/json");
              });
    }
    SECTION("the envelope of another kind, or an error without its error object") {
        // These once crashed the agent (nlohmann's const operator[] on a missing key).
        expected = "unexpected answer";
        fake
            = std::make_unique<FakeServer>([](httplib::Request const& req, httplib::Response& res) {
                  res.status = req.method == "POST" ? 200 : 500;
                  res.set_header("KSD-Protocol", "1");
                  res.set_content(
                      R"({"protocol":1,"kind":"heartbeat_ack","results":{}})", "application/json");
              });
    }
    REQUIRE(fake);
    auto out = k.sync(fake->url());
    INFO(out.text);
    CHECK(out.status == 2);
    for (auto const& t : k.tickets) {
        auto d = k.device_ticket(t.id);
        CHECK(d.state == ksd::DeliveryState::Queued);
        CHECK(d.attempts == 1);
        CHECK(d.last_error.find(expected) != std::string::npos);
    }
}

TEST_CASE("503 with Retry-After: 120 sets the next attempt 120 s ahead") {
    Kiosk k;
    k.make_tickets(1);
    FakeServer overloaded([](httplib::Request const&, httplib::Response& res) {
        res.status = 503;
        res.set_header("Retry-After", "120");
        res.set_content("maintenance", "text/plain");
    });
    int64_t before = now_s();
    auto out = k.sync(overloaded.url());
    int64_t after = now_s();
    INFO(out.text);
    CHECK(out.status == 2);
    auto d = k.device_ticket(k.tickets[0].id);
    CHECK(d.state == ksd::DeliveryState::Queued);
    CHECK(d.attempts == 1);
    CHECK(d.next_attempt_at >= before + 120);
    CHECK(d.next_attempt_at <= after + 120);
    CHECK(d.last_error.find("HTTP 503") != std::string::npos);
}

namespace {

std::string device_state(std::string const& device_db, std::string const& key) {
    auto db = ksd::open_device_db(device_db);
    REQUIRE(db.ok());
    auto v = ksd::get_state(*db, key);
    REQUIRE(v.ok());
    return v->value_or("");
}

std::string gunzip(std::string const& data) {
    z_stream z {};
    REQUIRE(inflateInit2(&z, 15 + 32) == Z_OK);
    std::string out;
    char buf[16384];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    return out;
}

// A child process (the daemon) with its output in a log file.
class Daemon {
public:
    Daemon(std::vector<std::string> args, std::string log)
        : m_log(std::move(log)) {
        m_pid = ::fork();
        if (m_pid == 0) {
            int fd = ::open(m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            std::vector<char*> argv;
            for (auto& a : args)
                argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
    }
    ~Daemon() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    // Waits up to timeout for the log to contain text.
    bool wait_for_log(std::string const& text, std::chrono::milliseconds timeout) {
        auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end) {
            if (slurp(m_log).find(text) != std::string::npos)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    // SIGTERM, then the exit status (or -1 when it did not exit within timeout).
    int terminate(std::chrono::milliseconds timeout) {
        ::kill(m_pid, SIGTERM);
        auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end) {
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return -1;
    }
    std::string log() const { return slurp(m_log); }

private:
    std::string m_log;
    pid_t m_pid {-1};
};

} // namespace

TEST_CASE("the daemon sends a ticket and survey answers saved while it runs within 2 s and exits "
          "on SIGTERM") {
    Kiosk k;
    k.make_tickets(1);
    AgentServer server(k.server_db, k.dir / "server.log");
    Daemon d({sync_bin, "--db", k.device_db, "--server", server.url(), "--token", k.token},
        k.dir / "sync.log");
    REQUIRE(d.wait_for_log("next pass in", std::chrono::seconds(20)));
    INFO(d.log());
    CHECK(k.device_ticket(k.tickets[0].id).state == ksd::DeliveryState::Acknowledged);
    CHECK(d.log().find("(idle)") != std::string::npos);

    k.make_tickets(1);
    auto queued_at = std::chrono::steady_clock::now();
    bool delivered = false;
    while (!delivered && std::chrono::steady_clock::now() - queued_at < std::chrono::seconds(2)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        delivered = k.device_ticket(k.tickets[1].id).state == ksd::DeliveryState::Acknowledged;
    }
    INFO(d.log());
    CHECK(delivered);
    CHECK(k.server_rows(k.tickets[1].id) == 1);
    CHECK(d.log().find("a ticket was queued: trying now") != std::string::npos);
    // Survey answers saved meanwhile go at once too: delivered, they leave the device.
    auto device = ksd::open_device_db(k.device_db).release_value();
    ksd::SkmInput answers;
    answers.answers = {4, 4, 3, 3, 4, 4, 4, 3, 4};
    REQUIRE(ksd::save_skm_response(device, answers, "kiosk-1", {std::time(nullptr), true}).ok());
    auto passes = [&d] {
        std::string log = d.log();
        size_t n = 0;
        for (auto at = log.find("next pass in"); at != std::string::npos;
             at = log.find("next pass in", at + 1))
            ++n;
        return n;
    };
    size_t const passes_before = passes();
    auto saved_at = std::chrono::steady_clock::now();
    bool sent = false;
    while (!sent && std::chrono::steady_clock::now() - saved_at < std::chrono::seconds(2)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        sent = ksd::skm_responses_waiting(device).value() == 0;
    }
    INFO(d.log());
    CHECK(sent);
    CHECK(d.log().find("survey answers were saved: trying now") != std::string::npos);
    // The pass goes on after the answers (updates, heartbeat): SIGTERM in the middle of it would
    // record the aborted request as the last result (seen on a loaded machine), so the test
    // waits for the pass's end.
    auto pass_end = std::chrono::steady_clock::now();
    while (passes() <= passes_before
        && std::chrono::steady_clock::now() - pass_end < std::chrono::seconds(10))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(d.terminate(std::chrono::seconds(5)) == 0);
    CHECK(device_state(k.device_db, "sync.last_result") == "ok: 0 sent, 1 survey answer(s) sent");
    CHECK_FALSE(device_state(k.device_db, "sync.last_success_at").empty());
    // The heartbeat reached the server.
    auto list = k.server_cli("kiosk list");
    INFO(list.text);
    CHECK(list.text.find("kiosk-1\t") != std::string::npos);
    CHECK(list.text.find("never") == std::string::npos);
}

TEST_CASE("the daemon backs off on the monotonic clock while the server is down") {
    Kiosk k;
    k.make_tickets(1);
    Daemon d({sync_bin, "--db", k.device_db, "--server",
                 "http://127.0.0.1:" + std::to_string(closed_port()), "--token", k.token},
        k.dir / "sync.log");
    REQUIRE(d.wait_for_log("next pass in", std::chrono::seconds(20)));
    INFO(d.log());
    CHECK(d.log().find("(backoff, failure 1)") != std::string::npos);
    CHECK(d.terminate(std::chrono::seconds(5)) == 0);
    CHECK(device_state(k.device_db, "sync.last_result").rfind("error: ", 0) == 0);
    CHECK(device_state(k.device_db, "sync.last_success_at").empty());
    CHECK_FALSE(device_state(k.device_db, "sync.last_attempt_at").empty());
}

TEST_CASE("a ticket with a next attempt absurdly far ahead (a clock that was wrong) is tried") {
    Kiosk k;
    k.make_tickets(2);
    {
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        REQUIRE(db->exec("UPDATE tickets SET next_attempt_at = 4070908800, attempts = 3").ok());
    }
    AgentServer server(k.server_db, k.dir / "server.log");
    auto out = k.sync(server.url());
    INFO(out.text);
    CHECK(out.status == 0);
    for (auto const& t : k.tickets)
        CHECK(k.device_ticket(t.id).state == ksd::DeliveryState::Acknowledged);
}

TEST_CASE("a batch refused whole with 400 or 413 is split and only the bad ticket quarantined") {
    Kiosk k;
    k.make_tickets(5);
    {
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        auto st = db->prepare("UPDATE tickets SET name = 'TOO BIG' WHERE id = ?");
        REQUIRE(st.ok());
        st->bind(1, k.tickets[3].id);
        REQUIRE(st->run().ok());
    }
    int status = GENERATE(400, 413);
    std::atomic<int> posts {0};
    FakeServer fake([&](httplib::Request const& req, httplib::Response& res) {
        res.set_header("KSD-Protocol", "1");
        if (req.method != "POST" || req.path != "/api/v1/tickets") {
            res.status = 404;
            res.set_content(
                R"({"protocol":1,"error":{"code":"not_found","message":"x"}})", "application/json");
            return;
        }
        ++posts;
        // httplib may have decoded the gzip body already.
        auto body = json::parse(req.body, nullptr, false);
        if (body.is_discarded())
            body = json::parse(gunzip(req.body), nullptr, false);
        if (!body.is_object() || !body.contains("tickets")) {
            res.status = 500;
            return;
        }
        json results = json::array();
        for (auto const& t : body["tickets"]) {
            if (t["name"] == "TOO BIG") {
                res.status = status;
                res.set_content(status == 413
                        ? R"({"protocol":1,"error":{"code":"payload_too_large","message":"big"}})"
                        : R"({"protocol":1,"error":{"code":"bad_request","message":"name"}})",
                    "application/json");
                return;
            }
            results.push_back({{"id", t["id"]}, {"result", "created"}, {"received_at", 1},
                {"status", "Diterima"}});
        }
        res.set_content(
            json {{"protocol", 1}, {"kind", "ticket_results"}, {"results", results}}.dump(),
            "application/json");
    });
    auto out = k.sync(fake.url());
    INFO(out.text);
    for (size_t i = 0; i < k.tickets.size(); ++i) {
        auto d = k.device_ticket(k.tickets[i].id);
        if (i == 3) {
            CHECK(d.state == ksd::DeliveryState::Quarantined);
            CHECK(d.last_error.find("refused: HTTP " + std::to_string(status)) == 0);
        } else {
            CHECK(d.state == ksd::DeliveryState::Acknowledged);
        }
    }
    CHECK(posts.load() <= 7);
    // Nothing is left to send: a second pass posts nothing.
    int before = posts.load();
    k.sync(fake.url());
    CHECK(posts.load() == before);
}

TEST_CASE("401 keeps the tickets queued, records the problem and quarantines nothing") {
    Kiosk k;
    k.make_tickets(2);
    AgentServer server(k.server_db, k.dir / "server.log");
    k.token = "kiosk-1." + std::string(64, '0');
    auto out = k.sync(server.url());
    INFO(out.text);
    CHECK(out.status == 2);
    CHECK(out.text.find("refused this kiosk's token") != std::string::npos);
    for (auto const& t : k.tickets) {
        auto d = k.device_ticket(t.id);
        CHECK(d.state == ksd::DeliveryState::Queued);
        CHECK(d.last_error.find("HTTP 401") != std::string::npos);
    }
    CHECK(device_state(k.device_db, "sync.auth_error").find("401") != std::string::npos);
    CHECK(device_state(k.device_db, "sync.last_result").rfind("error: HTTP 401", 0) == 0);
}

TEST_CASE("ksd-sync --print-config prints the documented defaults and --config is read") {
    TempDir dir;
    auto printed = capture(sync_bin + " --print-config");
    REQUIRE(printed.status == 0);
    CHECK(printed.text.find("retention_days = 30") != std::string::npos);
    CHECK(printed.text.find("[content]") != std::string::npos);
    spit(dir / "sync.toml", printed.text);
    CHECK(capture(sync_bin + " --config " + shq(dir / "sync.toml") + " --db " + shq(dir / "d.db")
              + " status")
              .status
        == 0);
    spit(dir / "bad.toml", "[sync]\nbatch_sise = 3\n");
    auto bad = capture(sync_bin + " --config " + shq(dir / "bad.toml") + " status");
    CHECK(bad.status != 0);
    CHECK(bad.text.find("batch_sise") != std::string::npos);
}

namespace {

std::string const content_bin = KSD_CONTENT_BIN;

// Builds the project's content with a version and signs it with the key (demo key by default).
std::string make_pack(
    TempDir const& dir, std::string const& name, int64_t version, std::string const& secret_key) {
    std::string pack = dir / name;
    REQUIRE(run(content_bin + " build " + shq(std::string(KSD_SOURCE_DIR) + "/content") + " -o "
                + shq(pack) + " --content-version " + std::to_string(version) + " >/dev/null 2>&1")
        == 0);
    REQUIRE(run(content_bin + " sign " + shq(pack) + " -s " + shq(secret_key) + " >/dev/null 2>&1")
        == 0);
    return pack;
}

std::vector<std::string> dir_names(std::string const& dir) {
    std::vector<std::string> out;
    for (auto const& e : std::filesystem::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("a newer published pack is downloaded, verified and swapped in, others are refused") {
    Kiosk k;
    std::string demo = std::string(KSD_BINARY_DIR) + "/demo";
    std::string pub = demo + "/ksd-demo.pub";
    std::filesystem::create_directories(k.dir / "kiosk");
    std::string target = k.dir / "kiosk/ksd.pack";
    std::filesystem::copy_file(demo + "/ksd-demo.pack", target);
    std::filesystem::copy_file(demo + "/ksd-demo.pack.minisig", target + ".minisig");
    std::string old_bytes = slurp(target);
    AgentServer server(k.server_db, k.dir / "server.log");
    auto once = [&] {
        return capture("timeout 60 " + sync_bin + " --db " + shq(k.device_db) + " --server "
            + shq(server.url()) + " --token " + shq(k.token) + " --pack " + shq(target)
            + " --public-key " + shq(pub) + " --once");
    };

    SECTION("newer and signed with the kiosk's key: installed, also after a cut") {
        std::string pack = make_pack(k.dir, "new.pack", 29990101000000, demo + "/ksd-demo.key");
        auto pub_out = k.server_cli("content publish " + shq(pack) + " --public-key " + shq(pub));
        REQUIRE(pub_out.status == 0);
        bool resume = GENERATE(false, true);
        std::string bytes = slurp(pack);
        if (resume) {
            // A download cut half way: the partial file and the SHA-256 it belongs to.
            spit(target + ".download", bytes.substr(0, bytes.size() / 2));
            auto db = ksd::open_device_db(k.device_db);
            REQUIRE(db.ok());
            auto meta = httplib::Client("127.0.0.1", server.port());
            httplib::Headers h {{"Authorization", "Bearer " + k.token}};
            auto latest = meta.Get("/api/v1/content/latest", h);
            REQUIRE(latest);
            auto sha = json::parse(latest->body)["sha256"].get<std::string>();
            REQUIRE(ksd::set_state(*db, "sync.content.download_sha256", sha).ok());
        }
        auto out = once();
        INFO(out.text);
        CHECK(out.status == 0);
        CHECK(out.text.find("pack 29990101000000 installed") != std::string::npos);
        if (resume)
            CHECK(out.text.find("resuming the download of pack 29990101000000 at "
                      + std::to_string(bytes.size() / 2))
                != std::string::npos);
        CHECK(slurp(target) == bytes);
        CHECK(slurp(target + ".minisig") == slurp(pack + ".minisig"));
        CHECK(dir_names(k.dir / "kiosk")
            == std::vector<std::string> {"ksd.pack", "ksd.pack.minisig"});
        auto list = k.server_cli("kiosk list");
        CHECK(list.text.find("29990101000000") != std::string::npos);
        // Up to date now: nothing is downloaded again.
        auto again = once();
        CHECK(again.text.find("downloading") == std::string::npos);
    }
    SECTION("newer but signed with another key: refused, the old pack stays") {
        REQUIRE(run(content_bin + " keygen -p " + shq(k.dir / "other.pub") + " -s "
                    + shq(k.dir / "other.key") + " >/dev/null 2>&1")
            == 0);
        std::string pack = make_pack(k.dir, "foreign.pack", 29990101000000, k.dir / "other.key");
        REQUIRE(k.server_cli(
                     "content publish " + shq(pack) + " --public-key " + shq(k.dir / "other.pub"))
                    .status
            == 0);
        auto out = once();
        INFO(out.text);
        CHECK(out.text.find("content: pack 29990101000000 pack refused") != std::string::npos);
        CHECK(slurp(target) == old_bytes);
        CHECK(dir_names(k.dir / "kiosk")
            == std::vector<std::string> {"ksd.pack", "ksd.pack.minisig"});
        // Not downloaded again.
        auto again = once();
        CHECK(again.text.find("downloading") == std::string::npos);
        CHECK(again.text.find("refused before") != std::string::npos);
    }
    SECTION("older than the installed pack: not downloaded") {
        std::string pack = make_pack(k.dir, "old.pack", 20000101000000, demo + "/ksd-demo.key");
        REQUIRE(
            k.server_cli("content publish " + shq(pack) + " --public-key " + shq(pub)).status == 0);
        auto out = once();
        INFO(out.text);
        CHECK(out.text.find("downloading") == std::string::npos);
        CHECK(slurp(target) == old_bytes);
    }
}
