// Issue 9 (hardening) of the sync path, with the real ksd-server and ksd-sync over loopback:
// quarantine only on the server's own refusal of a ticket's content, the kiosk-id mismatch as a
// configuration error, staff release of quarantined tickets, a server restored from a backup, and
// ticket codes that another kiosk cannot take.
#include "fault_proxy.h"
#include "server_ready.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "store.h"

#include "ksd/db.h"
#include "ksd/device_db.h"
#include "ksd/migrate.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace ksd::test;
using nlohmann::json;

namespace {

using Kiosk = SyncKiosk;

std::string const nginx_413_page
    = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
      "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n"
      "</body>\r\n</html>\r\n";

} // namespace

TEST_CASE("hardening: a proxy's own 413 page quarantines nothing, after healing all arrive") {
    Kiosk k;
    k.make_tickets(200);
    ServerProcess server(k.server_db, k.dir / "server.log");
    FaultProxy proxy(server.port());
    FaultSettings f;
    f.fault = Fault::Respond;
    f.response = raw_response(413, "Request Entity Too Large",
        {"Content-Type: text/html", "Server: nginx"}, nginx_413_page);
    f.times = -1;
    proxy.set(f);
    auto out = k.sync(proxy.url());
    INFO(out.text);
    int64_t quarantined = k.device_count("state = 'quarantined'");
    // Before the fix: 100 of 200 (the whole first batch, split down to single tickets).
    CHECK(quarantined == 0);
    CHECK(out.status == 2);
    proxy.set(FaultSettings {});
    for (int pass = 0; pass < 5 && k.device_count("state = 'acknowledged'") < 200; ++pass) {
        k.make_due();
        k.sync(proxy.url());
    }
    CHECK(k.device_count("state = 'acknowledged'") == 200);
    CHECK(k.server_count() == 200);
}

TEST_CASE("hardening: a device id other than the token's kiosk is a configuration error") {
    Kiosk k;
    k.make_tickets(50, "kiosk-dev"); // the default device.id, the token is kiosk-1's
    ServerProcess server(k.server_db, k.dir / "server.log");
    auto out = k.sync(server.url());
    INFO(out.text);
    // Before the fix: 50 of 50 quarantined and exit status 0.
    CHECK(k.device_count("state = 'quarantined'") == 0);
    CHECK(k.device_count("state = 'queued'") == 50);
    CHECK(out.status == 3);
    CHECK(out.text.find("kiosk-dev") != std::string::npos);
    CHECK(k.state("sync.config_error").find("kiosk-dev") != std::string::npos);
    // The heartbeat carries it to the server's kiosk list.
    auto list = k.server_cli("kiosk list");
    CHECK(list.text.find("kiosk-dev") != std::string::npos);

    SECTION("the server refuses such tickets as a whole, naming the mismatch") {
        httplib::Client c("127.0.0.1", server.port());
        c.set_bearer_token_auth(k.token.c_str());
        auto r = c.Post("/api/v1/tickets", json {{"tickets", {ticket_json(k.tickets[0])}}}.dump(),
            "application/json");
        REQUIRE(r);
        CHECK(r->status == 403);
        CHECK(r->get_header_value("KSD-Protocol") == "1");
        auto body = json::parse(r->body, nullptr, false);
        CHECK(body["error"]["code"] == "kiosk_mismatch");
        CHECK(k.server_count() == 0);
    }
}

TEST_CASE("hardening: staff release quarantined tickets, unseen quarantine is never purged") {
    Kiosk k;
    k.make_tickets(3);
    int64_t const day = 86400;
    {
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        REQUIRE(db->exec("UPDATE tickets SET state = 'quarantined', attempts = 4, "
                         "last_error = 'refused: HTTP 413 payload_too_large: big', created_at = "
                      + std::to_string(now_s() - 40 * day))
                    .ok());
        // Forty days after they were made, staff have not looked yet: the purge keeps them.
        auto purged = ksd::purge_personal_data(*db, now_s(), 30 * day);
        REQUIRE(purged.ok());
        CHECK(*purged == 0); // before the fix: 3
    }
    CHECK(k.device_ticket(k.tickets[0].id).input.name == "Pengunjung 0");

    SECTION("ksd-sync requeue puts them back in the queue and they are delivered") {
        auto out = k.agent("requeue");
        INFO(out.text);
        CHECK(out.status == 0);
        CHECK(out.text.find("released 3") != std::string::npos);
        CHECK(out.text.find("payload_too_large") != std::string::npos); // the old reason, logged
        auto t = k.device_ticket(k.tickets[0].id);
        CHECK(t.state == ksd::DeliveryState::Queued);
        CHECK(t.attempts == 0);
        ServerProcess server(k.server_db, k.dir / "server.log");
        auto sent = k.sync(server.url());
        INFO(sent.text);
        CHECK(sent.status == 0);
        CHECK(k.device_count("state = 'acknowledged'") == 3);
    }
    SECTION("seen by staff (ksd-sync status lists them), then purged only a retention later") {
        auto out = k.agent("status");
        CHECK(out.text.find("refused: HTTP 413") != std::string::npos);
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        auto now_purge = ksd::purge_personal_data(*db, now_s(), 30 * day);
        REQUIRE(now_purge.ok());
        CHECK(*now_purge == 0);
        auto later = ksd::purge_personal_data(*db, now_s() + 31 * day, 30 * day);
        REQUIRE(later.ok());
        CHECK(*later == 3);
    }
}

TEST_CASE("hardening: a server restored from a backup gets its tickets and replies again") {
    sqlite_only("the backup is the sqlite3 shell's .backup of the file");
    if (!have_tool("sqlite3")) {
        WARN("SKIPPED: the sqlite3 shell is not installed");
        return;
    }
    Kiosk k;
    k.make_tickets(100);
    auto server = std::make_unique<ServerProcess>(k.server_db, k.dir / "server.log");
    REQUIRE(k.sync(server->url(), " --batch 500").status == 0);
    REQUIRE(
        k.server_cli("tickets reply " + k.tickets[0].code + " 'Sebelum cadangan.'").status == 0);
    std::string backup = k.dir / "backup.db";
    REQUIRE(run("sqlite3 " + shq(k.server_db) + " '.backup " + backup + "' ") == 0);
    k.make_tickets(300);
    REQUIRE(k.sync(server->url(), " --batch 500").status == 0);
    REQUIRE(
        k.server_cli("tickets reply " + k.tickets[150].code + " 'Setelah cadangan.'").status == 0);
    REQUIRE(k.sync(server->url(), " --batch 500").status == 0);
    REQUIRE(k.device_count("state = 'acknowledged'") == 400);
    REQUIRE(k.device_ticket(k.tickets[150].id).staff_reply == "Setelah cadangan.");

    // The restore: the server stopped, its database replaced by the backup, started again.
    server.reset();
    std::filesystem::remove(k.server_db + "-wal");
    std::filesystem::remove(k.server_db + "-shm");
    std::filesystem::copy_file(
        backup, k.server_db, std::filesystem::copy_options::overwrite_existing);
    server = std::make_unique<ServerProcess>(k.server_db, k.dir / "server2.log");
    REQUIRE(k.server_count() == 100);
    // Staff answer again on the restored server.
    REQUIRE(
        k.server_cli("tickets reply " + k.tickets[1].code + " 'Setelah pemulihan.'").status == 0);
    std::string log;
    for (int pass = 0; pass < 4; ++pass) {
        k.make_due();
        log += k.sync(server->url(), " --batch 500").text;
    }
    INFO(log);
    // Before the fix: 300 missing, and the reply made after the restore never arrived.
    CHECK(k.server_count() == 400);
    CHECK(k.device_ticket(k.tickets[1].id).staff_reply == "Setelah pemulihan.");
    CHECK(k.device_count("state = 'acknowledged'") == 400);
    CHECK(log.find("restored") != std::string::npos);
}

TEST_CASE("hardening: another kiosk cannot take a ticket code, staff commands refuse a disputed "
          "code") {
    Kiosk k;
    std::string impostor_token = k.add_kiosk("kiosk-2");
    k.make_tickets(2);
    ksd::Ticket const& real = k.tickets[0];
    ServerProcess server(k.server_db, k.dir / "server.log");
    // Kiosk 2 uploads a request of its own under the code seen on kiosk 1's screen, first.
    json fake = ticket_json(real);
    fake["id"] = ksd::generate_uuid_v4();
    fake["kiosk_id"] = "kiosk-2";
    fake["name"] = "Penyamar";
    httplib::Client c("127.0.0.1", server.port());
    c.set_bearer_token_auth(impostor_token.c_str());
    auto r = c.Post("/api/v1/tickets", json {{"tickets", {fake}}}.dump(), "application/json");
    REQUIRE(r);
    auto out = k.sync(server.url());
    INFO(out.text);
    // Exactly one request holds the code on the server.
    CHECK(k.server_count("code = '" + real.code + "'") == 1);
    auto show = k.server_cli("tickets show " + real.code);
    INFO(show.text);
    // Before the fix: 0, showing the impostor's request.
    CHECK(show.status != 0);
    CHECK(show.text.find("Penyamar") == std::string::npos);
    auto reply = k.server_cli("tickets reply " + real.code + " 'Untuk siapa?'");
    CHECK(reply.status != 0);
    // The honest kiosk's request is held with the reason, for staff.
    auto t = k.device_ticket(real.id);
    CHECK(t.state == ksd::DeliveryState::Quarantined);
    CHECK(t.last_error.find("code") != std::string::npos);
    // The other request of kiosk 1 went through, and is found by its code.
    CHECK(k.server_cli("tickets show " + k.tickets[1].code).status == 0);
}

TEST_CASE("hardening: a plain http:// server outside loopback is warned about") {
    Kiosk k;
    k.make_tickets(1);
    // A name under .invalid never resolves: the warning comes before any connection.
    std::string const url = "http://ksd.example.invalid:9";
    auto out = capture("timeout 60 " + sync_bin + " --db " + shq(k.device_db) + " --server " + url
        + " --token " + shq(k.token) + " --once");
    INFO(out.text);
    CHECK(out.text.find("plain http://") != std::string::npos);
    CHECK(k.state("sync.warning").find(url) != std::string::npos);
    // A loopback server is not warned about.
    ServerProcess server(k.server_db, k.dir / "server.log");
    auto local = k.sync(server.url());
    CHECK(local.text.find("plain http://") == std::string::npos);
    CHECK(k.state("sync.warning").empty());
}

TEST_CASE("hardening: codes stored twice before the unique rule are kept and refused by code") {
    sqlite_only("the old database is SQLite's schema version 2");
    if (!have_tool("sqlite3")) {
        WARN("SKIPPED: the sqlite3 shell is not installed");
        return;
    }
    Kiosk k;
    // A database as version 2 left it (made by the first two steps, so later steps of the
    // schema do not have to be undone): the same code on two requests of two kiosks.
    for (auto const* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(k.server_db + suffix);
    {
        auto db = ksd::Db::open(k.server_db, ksd::OpenMode::ReadWriteCreate);
        REQUIRE(db.ok());
        REQUIRE(ksd::migrate(*db, ksd::server::store_migrations().first(2)).ok());
    }
    k.make_tickets(1);
    json real = ticket_json(k.tickets[0]);
    json twin = real;
    twin["id"] = ksd::generate_uuid_v4();
    twin["kiosk_id"] = "kiosk-2";
    auto insert = [&](json const& t, int at) {
        std::string values;
        for (auto const* f : {"id", "code", "kiosk_id"})
            values += "'" + t[f].get<std::string>() + "', ";
        REQUIRE(run("sqlite3 " + shq(k.server_db)
                    + " \"INSERT INTO tickets(id, code, kiosk_id, created_at, clock_trusted, "
                      "sequence, category, topic, sector, name, phone, email, organisation, "
                      "question, lang, consent_version, content_hash, received_at, status, "
                      "updated_at) VALUES ("
                    + values + "1, 1, 1, 'c', 't', '', 'n', '', '', '', 'q', 'id', '1', 'h', "
                    + std::to_string(at) + ", 'Diterima', 1)\"")
            == 0);
    };
    insert(real, 100);
    insert(twin, 200);
    // The first command migrates: both requests are kept, the code names neither alone.
    auto show = k.server_cli("tickets show " + real["code"].get<std::string>());
    INFO(show.text);
    CHECK(show.status != 0);
    CHECK(show.text.find(real["id"].get<std::string>()) != std::string::npos);
    CHECK(show.text.find(twin["id"].get<std::string>()) != std::string::npos);
    CHECK(k.server_count() == 2);
    CHECK(k.server_cli("tickets show " + twin["id"].get<std::string>()).status == 0);
    CHECK(k.server_cli("tickets reply " + real["id"].get<std::string>() + " 'Baik.'").status == 0);
}
