// Issue 11: the kiosk's own purge of personal data judges by the server's time (as the agent
// last heard it in this boot) when the kiosk's clock is untrusted (a Pi at 1970), over a real
// device database and the real desk.
#include "app/desk.h"
#include "ksd/clock.h"
#include "ksd/device_db.h"
#include "ksd/tickets.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <ctime>

TEST_CASE("the kiosk's purge uses the server's time when its clock says 1970") {
    ksd::BootClock const boot = ksd::boot_clock_now();
    if (boot.boot_id.empty()) {
        WARN("SKIPPED: no /proc/sys/kernel/random/boot_id here");
        return;
    }
    ksd::test::TempDir dir;
    kiosk::DeskConfig d;
    d.db_path = dir / "device.db";
    d.kiosk_id = "kiosk-test";
    d.retention_seconds = 86400;
    int64_t const server_time = static_cast<int64_t>(std::time(nullptr));
    std::string old_id, recent_id;
    {
        auto db = ksd::open_device_db(d.db_path).release_value();
        ksd::TicketInput in;
        in.category = "pihak-ketiga";
        in.topic = "rencana";
        in.name = "Siti Contoh";
        in.phone = "+6281234567890";
        in.question = "Bagaimana alurnya?";
        in.consent_version = "2026-1";
        old_id = ksd::save_ticket(db, in, "kiosk-test", {86460, false}).release_value().id;
        recent_id = ksd::save_ticket(db, in, "kiosk-test", {86470, false}).release_value().id;
        // Acknowledged two days and two hours ago by the server's clock (as the agent records it).
        REQUIRE(ksd::mark_acknowledged(db, old_id, server_time - 2 * 86400).ok());
        REQUIRE(ksd::mark_acknowledged(db, recent_id, server_time - 2 * 3600).ok());
    }
    auto desk = kiosk::make_device_desk(d);
    auto purged = [&](std::string const& id) {
        auto db = ksd::open_device_db(d.db_path).release_value();
        return ksd::find_ticket_by_id(db, id).release_value()->personal_data_purged;
    };
    // Nothing heard from the server in this boot: an untrusted clock purges nothing.
    desk->housekeeping({86500, false});
    CHECK_FALSE(purged(old_id));
    {
        auto db = ksd::open_device_db(d.db_path).release_value();
        REQUIRE(ksd::remember_server_time(db, server_time, boot).ok());
    }
    desk->housekeeping({86500, false});
    CHECK(purged(old_id));
    CHECK_FALSE(purged(recent_id));
}
