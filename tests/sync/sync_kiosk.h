// Helpers shared by the tests of tests/sync: the binaries, shell quoting, a visitor's ticket, and a
// kiosk (its device database, a server database where it is registered, ksd-sync / ksd-server
// runs).
#pragma once

#include "test_db.h"
#include "test_support.h"

#include "ksd/db.h"
#include "ksd/device_db.h"
#include "ksd/tickets.h"
#include "sql.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

namespace ksd::test {

inline std::string const server_bin = KSD_SERVER_BIN;
inline std::string const sync_bin = KSD_SYNC_BIN;

// Single-quotes a path or argument for sh (our temp paths hold no quote).
inline std::string shq(std::string const& s) {
    return "'" + s + "'";
}

inline int64_t now_s() {
    return static_cast<int64_t>(std::time(nullptr));
}

inline ksd::TicketInput visitor(std::string name) {
    ksd::TicketInput in;
    in.category = "Perangkat daerah";
    in.topic = "Kerja sama daerah";
    in.name = std::move(name);
    in.phone = "+6281234567890";
    in.question = "Bagaimana alur kerja sama dengan daerah lain?";
    in.consent_version = "2026-1";
    return in;
}

// A ticket as the agent sends it in POST /api/v1/tickets (sync/PROTOCOL.md).
inline nlohmann::json ticket_json(ksd::Ticket const& t) {
    return nlohmann::json {{"id", t.id}, {"code", t.code}, {"kiosk_id", t.kiosk_id},
        {"created_at", t.created_at}, {"clock_trusted", t.clock_trusted}, {"sequence", t.sequence},
        {"category", t.input.category}, {"topic", t.input.topic}, {"sector", t.input.sector},
        {"name", t.input.name}, {"phone", t.input.phone}, {"email", t.input.email},
        {"organisation", t.input.organisation}, {"question", t.input.question},
        {"lang", std::string(ksd::lang_code(t.input.lang))},
        {"consent_version", t.input.consent_version}};
}

// A kiosk: its device database and a server database where "kiosk-1" is registered.
struct SyncKiosk {
    TempDir dir;
    std::string device_db = dir / "device.db";
    std::string server_db = ksd::test::server_db(dir);
    std::string token = add_kiosk();
    std::vector<ksd::Ticket> tickets;

    // Registers id on the server database; returns its token.
    std::string add_kiosk(std::string const& id = "kiosk-1") {
        auto out
            = capture(server_bin + " --db " + shq(server_db) + " kiosk add " + id + " 2>/dev/null");
        REQUIRE(out.status == 0);
        return out.text.substr(0, out.text.find('\n'));
    }
    // Saves n tickets as device_id; at clock, or at the real time when clock is {0, ...}.
    void make_tickets(
        int n, std::string const& device_id = "kiosk-1", ksd::WallClock clock = {0, true}) {
        auto db = ksd::open_device_db(device_db);
        REQUIRE(db.ok());
        for (int i = 0; i < n; ++i) {
            ksd::WallClock c = clock.unix_seconds ? clock : ksd::WallClock {now_s(), true};
            auto t = ksd::save_ticket(
                *db, visitor("Pengunjung " + std::to_string(tickets.size())), device_id, c);
            REQUIRE(t.ok());
            tickets.push_back(*t);
        }
    }
    // ksd-sync --once against url; extra goes among its options.
    std::string agent_args(std::string const& url, std::string const& extra = {}) const {
        return sync_bin + " --db " + shq(device_db) + " --server " + shq(url) + " --token "
            + shq(token) + extra + " --once";
    }
    // Runs ksd-sync --once; prefix goes before the command (e.g. faketime).
    Output sync(
        std::string const& url, std::string const& extra = {}, std::string const& prefix = {}) {
        return capture("timeout 60 " + prefix + agent_args(url, extra));
    }
    // Another ksd-sync command on the device database (status, requeue).
    Output agent(std::string const& command) {
        return capture(sync_bin + " --db " + shq(device_db) + " " + command);
    }
    Output server_cli(std::string const& args) {
        // On PostgreSQL the server's files (the USB key, packs) go in the test's directory, as
        // ServerProcess puts them.
        std::string data_dir = test_on_postgres() ? " --data-dir " + shq(dir.path()) : "";
        return capture(server_bin + data_dir + " --db " + shq(server_db) + " " + args);
    }
    // As if the backoff delay had passed: every queued ticket is due now.
    void make_due() {
        auto db = ksd::open_device_db(device_db);
        REQUIRE(db.ok());
        REQUIRE(db->exec("UPDATE tickets SET next_attempt_at = 0 WHERE state = 'queued'").ok());
    }
    int64_t device_count(std::string const& where) {
        auto db = ksd::open_device_db(device_db);
        REQUIRE(db.ok());
        auto st = db->prepare("SELECT count(*) FROM tickets WHERE " + where);
        REQUIRE(st.ok());
        REQUIRE(st->step().ok());
        return st->column_int64(0);
    }
    int64_t server_count(std::string const& where = "true") {
        auto db = ksd::server::open_conn(server_db);
        REQUIRE(db.ok());
        auto st = db->prepare("SELECT count(*) FROM tickets WHERE " + where);
        REQUIRE(st.ok());
        REQUIRE(st->step().ok());
        return st->column_int64(0);
    }
    // Number of rows with this id on the server (read-only).
    int64_t server_rows(std::string const& id) {
        auto db = ksd::server::open_conn(server_db);
        REQUIRE(db.ok());
        auto st = db->prepare("SELECT count(*) FROM tickets WHERE id = ?");
        REQUIRE(st.ok());
        st->bind(1, id);
        REQUIRE(st->step().ok());
        return st->column_int64(0);
    }
    ksd::Ticket device_ticket(std::string const& id) {
        auto db = ksd::open_device_db(device_db);
        REQUIRE(db.ok());
        auto t = ksd::find_ticket_by_id(*db, id);
        REQUIRE(t.ok());
        REQUIRE(t->has_value());
        return t->value();
    }
    // A value the agent keeps in the device database ("" when unset).
    std::string state(std::string const& key) {
        auto db = ksd::open_device_db(device_db);
        REQUIRE(db.ok());
        auto v = ksd::get_state(*db, key);
        REQUIRE(v.ok());
        return v->value_or("");
    }
};

} // namespace ksd::test
