// Issue 15: what only PostgreSQL has. The schema by version (and a newer one refused), `ksd-server
// migrate` from a regency's SQLite file, a lost connection answered 503, and three servers on one
// database with 50 kiosks posting overlapping batches while one server is killed -9 again and
// again. Tagged [pg]: they run in the "sync-pg: " list only (the rest of the suite runs there too).
#include "server_fixtures.h"
#include "server_ready.h"
#include "sync_kiosk.h"
#include "test_db.h"
#include "test_support.h"

#include "sla.h"
#include "store.h"
#include "store_events.h"
#include "store_staff.h"

#include "ksd/tickets.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <httplib.h>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

using namespace ksd::test;
using namespace ksd::server;
using nlohmann::json;

namespace {

void require_postgres() {
    if (!test_on_postgres()) {
        std::printf("SKIPPED: a PostgreSQL test: it runs in the sync-pg list (KSD_TEST_PG)\n");
        std::fflush(stdout);
        throw PgSkipped("not on PostgreSQL");
    }
}

} // namespace

TEST_CASE("pg: a new database gets the schema by version, a newer one is refused", "[pg]") {
    require_postgres();
    TempDir dir;
    std::string url = server_db(dir);
    {
        auto db = open_store(url);
        INFO((db.ok() ? std::string() : db.error().message));
        REQUIRE(db.ok());
        REQUIRE(db->engine() == Engine::Postgres);
        CHECK(db->schema_version().value() == ksd::latest_version(pg_store_migrations()));
        CHECK(text_scalar(*db, "SELECT value FROM meta WHERE key = 'db_id'").size() == 32);
    }
    {
        // Opened again (a second server starting): nothing to do, the identity kept.
        auto a = open_store(url);
        REQUIRE(a.ok());
        std::string id = text_scalar(*a, "SELECT value FROM meta WHERE key = 'db_id'");
        auto b = open_store(url);
        REQUIRE(b.ok());
        CHECK(text_scalar(*b, "SELECT value FROM meta WHERE key = 'db_id'") == id);
        REQUIRE(a->exec("UPDATE ksd_schema_version SET version = version + 1").ok());
    }
    auto newer = open_store(url);
    REQUIRE_FALSE(newer.ok());
    CHECK(newer.error().message.find("newer than this program knows") != std::string::npos);
}

TEST_CASE(
    "pg: migrate copies a SQLite database whole, checked, and refuses a non-empty target", "[pg]") {
    require_postgres();
    TempDir dir;
    std::string const file = dir / "server.db";
    std::string token;
    std::string sqlite_db_id;
    std::vector<std::string> ids;
    {
        auto db = open_store(file);
        REQUIRE(db.ok());
        auto t = add_kiosk(*db, "kiosk-1", 1000);
        REQUIRE(t.ok());
        token = *t;
        std::vector<json> batch;
        for (int i = 1; i <= 25; ++i)
            batch.push_back(upload_ticket("kiosk-1", i));
        auto stored = ingest(*db, batch, 2000, SlaRules {});
        REQUIRE(stored.ok());
        for (auto const& r : *stored) {
            REQUIRE(r.result == "created");
            ids.push_back(r.id);
        }
        Actor cli {0, "cli", "cli"};
        REQUIRE(add_reply(*db, ids[0], "Berkas Anda kami terima.", cli, 3000).ok());
        REQUIRE(set_status(*db, ids[0], TicketStatus::Done, cli, "", 3100).ok());
        UserRow u;
        u.name = "Ana";
        u.role = "admin";
        u.password_hash = "$argon2id$placeholder";
        u.created_at = 1000;
        REQUIRE(add_user(*db, u).ok());
        AuditEntry a;
        a.at = 3000;
        a.user_name = "ana";
        a.address = "cli";
        a.action = "reply";
        a.target = ids[0];
        REQUIRE(append_audit(*db, a).ok());
        sqlite_db_id = text_scalar(*db, "SELECT value FROM meta WHERE key = 'db_id'");
    }
    std::string url = server_db(dir, "target.db");
    auto out = capture(server_bin + " migrate --from " + shq(file) + " --to " + shq(url));
    INFO(out.text);
    REQUIRE(out.status == 0);
    CHECK(out.text.find("DIFFERENT") == std::string::npos);
    CHECK(out.text.find("tickets\t25 -> 25 rows\tsame") != std::string::npos);
    CHECK(out.text.find("audit\t1 -> 1 rows\tsame") != std::string::npos);
    CHECK(out.text.find("ticket_events\t3 -> 3 rows\tsame") != std::string::npos);
    {
        auto pg = open_store(url);
        REQUIRE(pg.ok());
        CHECK(scalar(*pg, "SELECT count(*) FROM tickets") == 25);
        CHECK(text_scalar(*pg, "SELECT value FROM meta WHERE key = 'db_id'") == sqlite_db_id);
        // The identity columns go on after the copied ids.
        auto more = ingest(*pg, {upload_ticket("kiosk-1", 26)}, 4000, SlaRules {});
        REQUIRE(more.ok());
        CHECK((*more)[0].result == "created");
        CHECK(scalar(*pg, "SELECT count(DISTINCT rowid) FROM tickets") == 26);
        auto user = find_user(*pg, "ANA"); // one account per name whatever its case
        REQUIRE(user.ok());
        CHECK(user->has_value());
    }
    // A second run finds the target in use and changes nothing.
    auto again = capture(server_bin + " migrate --from " + shq(file) + " --to " + shq(url));
    CHECK(again.status != 0);
    CHECK(again.text.find("is not empty") != std::string::npos);
    // The copied kiosk's token works against a server on PostgreSQL, and the kiosk sees the same
    // server (the same db_id), so it does not take it for a restored backup.
    ServerProcess server(url, dir / "server.log");
    httplib::Client c("127.0.0.1", server.port());
    c.set_bearer_token_auth(token.c_str());
    auto r = c.Get("/api/v1/updates?since=0");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    auto body = json::parse(r->body);
    CHECK(body["db_id"] == sqlite_db_id);
    CHECK(body["updates"].size() == 28); // 26 new tickets, the reply and the status of one
}

TEST_CASE("pg: a lost connection is answered 503 with Retry-After, never 500, then served again",
    "[pg]") {
    require_postgres();
    TempDir dir;
    std::string url = server_db(dir);
    std::string token;
    {
        auto db = open_store(url);
        REQUIRE(db.ok());
        token = add_kiosk(*db, "kiosk-1", 1000).value();
    }
    ServerProcess server(url, dir / "server.log");
    httplib::Client c("127.0.0.1", server.port());
    c.set_bearer_token_auth(token.c_str());
    auto post = [&](json const& t) {
        return c.Post(
            "/api/v1/tickets", json {{"tickets", json::array({t})}}.dump(), "application/json");
    };
    auto first = post(upload_ticket("kiosk-1", 1));
    REQUIRE(first);
    REQUIRE(first->status == 200);
    // Every connection of the server is ended by the database (as a restart or failover does).
    auto killed = db_sql(url,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = "
        "'ksd-server' AND datname = current_database()");
    INFO(killed.text);
    REQUIRE(killed.status == 0);
    json t = upload_ticket("kiosk-1", 2);
    int unavailable = 0;
    int status = 0;
    for (int i = 0; i < 30 && status != 200; ++i) {
        auto r = post(t);
        REQUIRE(r);
        status = r->status;
        if (status != 200) {
            CHECK(status == 503);
            CHECK(r->get_header_value("Retry-After") == "5");
            ++unavailable;
        }
    }
    CHECK(status == 200);
    auto db = open_store(url);
    REQUIRE(db.ok());
    CHECK(scalar(*db, "SELECT count(*) FROM tickets") == 2);
    CHECK(server.log().find("PostgreSQL") != std::string::npos); // the log names the cause
    WARN(unavailable << " request(s) answered 503 before a new connection served");
}

TEST_CASE("pg: three servers on one database, 50 kiosks posting overlapping batches, one server "
          "killed -9 again and again: every request stored once",
    "[pg]") {
    require_postgres();
    TempDir dir;
    std::string url = server_db(dir);
    int const kiosks = 50;
    int const per_kiosk = 40;
    std::vector<std::string> tokens;
    std::vector<std::vector<json>> tickets(kiosks);
    {
        auto db = open_store(url);
        REQUIRE(db.ok());
        for (int k = 0; k < kiosks; ++k) {
            std::string id = "kiosk-" + std::to_string(k + 1);
            tokens.push_back(add_kiosk(*db, id, 1000).value());
            for (int i = 1; i <= per_kiosk; ++i)
                tickets[static_cast<size_t>(k)].push_back(upload_ticket(id, i));
        }
    }
    std::vector<std::unique_ptr<ServerProcess>> servers;
    std::atomic<int> ports[3];
    for (int s = 0; s < 3; ++s) {
        servers.push_back(
            std::make_unique<ServerProcess>(url, dir / ("server-" + std::to_string(s) + ".log")));
        ports[s] = servers.back()->port();
    }

    // Each kiosk sends windows of 10 of its tickets starting 5 apart (each ticket goes in two
    // batches), to a server picked at random, until every ticket of the window is acknowledged;
    // a refused connection, a cut answer or a 503 is tried again (as ksd-sync does).
    std::mutex m;
    std::map<std::string, int> created; // id -> "created" answers
    std::atomic<int> errors_5xx_other {0}, answered {0}, retried {0};
    std::atomic<int> done {0};
    auto kiosk = [&](int k) {
        std::mt19937 rng(static_cast<unsigned>(k));
        auto const& mine = tickets[static_cast<size_t>(k)];
        for (int start = 0; start < per_kiosk; start += 5) {
            json batch {{"tickets", json::array()}};
            for (int i = start; i < std::min(per_kiosk, start + 10); ++i)
                batch["tickets"].push_back(mine[static_cast<size_t>(i)]);
            for (int attempt = 0; attempt < 400; ++attempt) {
                int port = ports[rng() % 3].load();
                httplib::Client c("127.0.0.1", port);
                c.set_connection_timeout(2);
                c.set_read_timeout(10);
                c.set_bearer_token_auth(tokens[static_cast<size_t>(k)].c_str());
                auto r = c.Post("/api/v1/tickets", batch.dump(), "application/json");
                if (r && r->status == 200) {
                    auto body = json::parse(r->body);
                    std::lock_guard lock(m);
                    for (auto const& res : body["results"])
                        if (res["result"] == "created")
                            ++created[res["id"].get<std::string>()];
                    ++answered;
                    break;
                }
                if (r && r->status != 503)
                    ++errors_5xx_other;
                ++retried;
                std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 80));
            }
        }
        ++done;
    };
    std::vector<std::thread> threads;
    for (int k = 0; k < kiosks; ++k)
        threads.emplace_back(kiosk, k);
    // The main thread (Catch2's assertions are not thread-safe) kills server 0 with SIGKILL and
    // starts it again, every 300 ms, until the kiosks are done.
    int kills = 0;
    while (done.load() < kiosks) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        servers[0]->kill9();
        ++kills;
        servers[0]->start();
        ports[0] = servers[0]->port();
    }
    for (auto& t : threads)
        t.join();

    CHECK(kills >= 3);
    CHECK(errors_5xx_other.load() == 0);
    CHECK(answered.load() == kiosks * (per_kiosk / 5));
    auto db = open_store(url);
    REQUIRE(db.ok());
    CHECK(scalar(*db, "SELECT count(*) FROM tickets") == kiosks * per_kiosk);
    CHECK(scalar(*db, "SELECT count(DISTINCT id) FROM tickets") == kiosks * per_kiosk);
    // Each request was answered "created" at most once (a retry after a kill gets "duplicate").
    int twice = 0;
    for (auto const& [id, n] : created)
        twice += n > 1 ? 1 : 0;
    CHECK(twice == 0);
    // Every ticket's change row (the kiosk's updates feed) exists once.
    CHECK(scalar(*db,
              "SELECT count(*) FROM (SELECT ticket_id FROM changes GROUP BY ticket_id "
              "HAVING count(*) > 1) AS d")
        == 0);
    WARN(kills << " kills, " << retried.load() << " retries");
}
