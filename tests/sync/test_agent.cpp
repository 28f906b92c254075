// End-to-end tests of the sync agent: the real ksd-sync binary against the real ksd-server (or a
// fake server that misbehaves) on loopback, and unit tests of the backoff timing.
#include "server_ready.h"
#include "test_support.h"

#include "backoff.h"

#include "ksd/db.h"
#include "ksd/device_db.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ksd::test;
using nlohmann::json;

namespace {

std::string const server_bin = KSD_SERVER_BIN;
std::string const sync_bin = KSD_SYNC_BIN;

std::string shq(std::string const& s) {
    return "'" + s + "'";
}

int64_t now_s() {
    return static_cast<int64_t>(std::time(nullptr));
}

// The real ksd-server on 127.0.0.1 and a port the kernel picks (as in test_server.cpp).
class AgentServer {
public:
    AgentServer(std::string db_path, std::string log_path)
        : m_log(std::move(log_path)) {
        m_pid = ::fork();
        if (m_pid == 0) {
            int fd = ::open(m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::execl(server_bin.c_str(), server_bin.c_str(), "--db", db_path.c_str(), "serve",
                "--listen", "127.0.0.1:0", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        // Readiness: the "listening on" line, then a health answer.
        m_port = ksd::test::wait_for_server_ready(m_log);
        REQUIRE(m_port > 0);
    }
    ~AgentServer() {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    AgentServer(AgentServer const&) = delete;
    AgentServer& operator=(AgentServer const&) = delete;
    int port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
    std::string m_log;
    pid_t m_pid {-1};
    int m_port {0};
};

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

ksd::TicketInput visitor(std::string name) {
    ksd::TicketInput in;
    in.category = "Perangkat daerah";
    in.topic = "Kerja sama daerah";
    in.name = std::move(name);
    in.phone = "+6281234567890";
    in.question = "Bagaimana alur kerja sama dengan daerah lain?";
    in.consent_version = "2026-1";
    return in;
}

// A kiosk: its device database with some tickets, and a server database with its token.
struct Kiosk {
    TempDir dir;
    std::string device_db = dir / "device.db";
    std::string server_db = dir / "server.db";
    std::string token = add_kiosk("kiosk-1");
    std::vector<ksd::Ticket> tickets;

    std::string add_kiosk(std::string const& id) {
        auto out
            = capture(server_bin + " --db " + shq(server_db) + " kiosk add " + id + " 2>/dev/null");
        REQUIRE(out.status == 0);
        return out.text.substr(0, out.text.find('\n'));
    }
    void make_tickets(int n) {
        auto db = ksd::open_device_db(device_db);
        REQUIRE(db.ok());
        for (int i = 0; i < n; ++i) {
            auto t = ksd::save_ticket(*db, visitor("Pengunjung " + std::to_string(i)), "kiosk-1",
                ksd::WallClock {now_s(), true});
            REQUIRE(t.ok());
            tickets.push_back(*t);
        }
    }
    Output sync(std::string const& url) {
        return capture("timeout 60 " + sync_bin + " --db " + shq(device_db) + " --server "
            + shq(url) + " --token " + shq(token) + " --once");
    }
    Output server_cli(std::string const& args) {
        return capture(server_bin + " --db " + shq(server_db) + " " + args);
    }
    ksd::Ticket device_ticket(std::string const& id) {
        auto db = ksd::open_device_db(device_db);
        REQUIRE(db.ok());
        auto t = ksd::find_ticket_by_id(*db, id);
        REQUIRE(t.ok());
        REQUIRE(t->has_value());
        return t->value();
    }
    int64_t server_rows(std::string const& id) {
        auto db = ksd::Db::open(server_db, ksd::OpenMode::ReadOnly);
        REQUIRE(db.ok());
        auto st = db->prepare("SELECT count(*) FROM tickets WHERE id = ?");
        REQUIRE(st.ok());
        st->bind(1, id);
        REQUIRE(st->step().ok());
        return st->column_int64(0);
    }
};

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

TEST_CASE("Retry-After in seconds or as an HTTP-date is clamped; garbage is ignored") {
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
        CHECK(d.server_status == "Diterima");
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
    REQUIRE(k.server_cli("tickets status " + t.code + " 'Pembahasan TKKSD'").status == 0);
    auto out = k.sync(server.url());
    INFO(out.text);
    CHECK(out.status == 0);
    auto d = k.device_ticket(t.id);
    CHECK(d.staff_reply == "Silakan datang hari Senin.");
    CHECK(d.server_status == "Pembahasan TKKSD");
    auto other = k.device_ticket(k.tickets[1].id);
    CHECK(other.staff_reply.empty());
    CHECK(other.server_status == "Diterima");
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
