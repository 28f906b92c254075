// Issue 11, time you can trust: the real ksd-server and ksd-sync over loopback with real SQLite
// files. A request made under a 1970 kiosk clock is placed by the server at received_at - age_s,
// the kiosk takes the server's dates and acknowledges at server time, the purge judges by the
// server's time; the new upload fields are checked, stored and left out of the content hash.
#include "server_ready.h"
#include "staff_client.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "ksd/clock.h"
#include "ksd/db.h"
#include "ksd/device_db.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

using namespace ksd::test;
using nlohmann::json;

namespace {

// The agent under libfaketime at 1970 (a Pi without RTC before NTP). The boot clock stays real
// (FAKETIME_DONT_FAKE_MONOTONIC), as it is on a real device whatever the date says. Under ASan
// the preloaded library comes before ASan's runtime (see test_faults.cpp).
std::string const at_1970 = "env FAKETIME_DONT_FAKE_MONOTONIC=1 "
                            "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:verify_asan_link_order=0\" "
                            "faketime '1970-01-02 00:00:00' ";

// A ticket's row on the server (read-only): the time fields of issue 11.
struct ServerTimes {
    int64_t received_at {0};
    int64_t made_at {0};
    bool estimated {false};
    int64_t age_s {0};
    std::string phone_check;
    std::string email_check;
    int64_t email_replies {0};
};

ServerTimes server_times(std::string const& server_db, std::string const& id) {
    auto db = ksd::server::open_conn(server_db);
    REQUIRE(db.ok());
    auto st = db->prepare("SELECT received_at, made_at, made_at_estimated, age_s, phone_check, "
                          "email_check, email_replies FROM tickets WHERE id = ?1");
    REQUIRE(st.ok());
    st->bind(1, id);
    auto row = st->step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    return {st->column_int64(0), st->column_int64(1), st->column_int64(2) != 0, st->column_int64(3),
        st->column_text(4), st->column_text(5), st->column_int64(6)};
}

void exec_device(std::string const& device_db, std::string const& sql) {
    auto db = ksd::open_device_db(device_db);
    REQUIRE(db.ok());
    REQUIRE(db->exec(sql).ok());
}

// A server database with kiosk-1, the server running, and an HTTP client with its token.
struct Api {
    SyncKiosk k;
    ServerProcess server {k.server_db, k.dir / "server.log"};
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", server.port());
        c.set_read_timeout(30);
        c.set_bearer_token_auth(k.token.c_str());
        return c;
    }
    json post(json const& tickets, int expected_status) {
        auto c = client();
        auto r = c.Post("/api/v1/tickets", json {{"tickets", tickets}}.dump(), "application/json");
        REQUIRE(r);
        INFO(r->body);
        REQUIRE(r->status == expected_status);
        REQUIRE(r->get_header_value("KSD-Protocol") == "1");
        return json::parse(r->body);
    }
};

// A ticket as an old (protocol v1, before issue 11) kiosk sends it.
json old_ticket(int64_t sequence, bool trusted = true) {
    return json {{"id", ksd::generate_uuid_v4()}, {"code", ksd::generate_ticket_code()},
        {"kiosk_id", "kiosk-1"}, {"created_at", trusted ? 1795366800 + sequence : 86460},
        {"clock_trusted", trusted}, {"sequence", sequence}, {"category", "Perangkat daerah"},
        {"topic", "Kerja sama daerah"}, {"sector", ""}, {"name", "Siti Aminah"},
        {"phone", "+6281234567890"}, {"email", ""}, {"organisation", ""},
        {"question", "Bagaimana alurnya?"}, {"lang", "id"}, {"consent_version", "2026-1"}};
}

} // namespace

TEST_CASE("time: a request made under a 1970 kiosk clock gets a plausible estimated date") {
    if (!have_tool("faketime")) {
        WARN("SKIPPED: faketime is not installed");
        return;
    }
    ksd::BootClock const boot = ksd::boot_clock_now();
    if (boot.boot_id.empty()) {
        WARN("SKIPPED: no /proc/sys/kernel/random/boot_id here");
        return;
    }
    SyncKiosk k;
    ksd::Ticket untrusted, other_boot, trusted;
    {
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        // Saved two minutes ago on the boot clock, while the wall clock said 1970-01-02.
        ksd::BootClock two_minutes_ago {boot.boot_id, boot.boottime_ms - 120'000};
        untrusted = ksd::save_ticket(*db, visitor("Pagi 1970"), "kiosk-1",
            ksd::WallClock {86400 + 60, false}, two_minutes_ago)
                        .release_value();
        // Saved before a reboot: its age cannot be told.
        other_boot = ksd::save_ticket(*db, visitor("Sebelum reboot"), "kiosk-1",
            ksd::WallClock {86400 + 30, false},
            ksd::BootClock {"00000000-0000-4000-8000-000000000000", 5000})
                         .release_value();
        trusted = ksd::save_ticket(*db, visitor("Jam tepat"), "kiosk-1",
            ksd::WallClock {now_s() - 3600, true}, two_minutes_ago)
                      .release_value();
    }
    CHECK(k.device_ticket(untrusted.id).saved_boot.boot_id == boot.boot_id);
    CHECK(k.device_ticket(untrusted.id).saved_boot.boottime_ms == boot.boottime_ms - 120'000);

    ServerProcess server(k.server_db, k.dir / "server.log");
    int64_t const t0 = now_s();
    auto out = k.sync(server.url(), {}, at_1970);
    int64_t const t1 = now_s();
    INFO(out.text);
    REQUIRE(out.status == 0);
    REQUIRE(k.device_count("state = 'acknowledged'") == 3);

    // On the server: received now, made two minutes before, marked estimated.
    auto s = server_times(k.server_db, untrusted.id);
    CHECK(s.received_at >= t0);
    CHECK(s.received_at <= t1);
    CHECK(s.age_s >= 120);
    CHECK(s.age_s <= 120 + (t1 - t0) + 2);
    CHECK(s.made_at == s.received_at - s.age_s);
    CHECK(s.estimated);
    auto shown = k.server_cli("tickets show " + untrusted.id);
    CHECK(shown.text.find("(estimated)") != std::string::npos);
    CHECK(shown.text.find("made_at: 1970") == std::string::npos);
    // Another boot: no age, placed at received_at.
    auto o = server_times(k.server_db, other_boot.id);
    CHECK(o.age_s == -1);
    CHECK(o.made_at == o.received_at);
    CHECK(o.estimated);
    // A trusted clock: the kiosk's own time.
    auto tr = server_times(k.server_db, trusted.id);
    CHECK(tr.made_at == trusted.created_at);
    CHECK_FALSE(tr.estimated);
    // The keyed check hashes came along (the public status page compares them).
    CHECK(s.phone_check == untrusted.phone_check);
    CHECK(s.phone_check.size() == 64);
    CHECK(s.email_check.empty());

    // On the device: the server's dates, and acknowledged at the server's time, not at 1970.
    for (auto const* id : {&untrusted.id, &other_boot.id, &trusted.id}) {
        auto d = k.device_ticket(*id);
        auto sv = server_times(k.server_db, *id);
        CHECK(d.server_received_at == sv.received_at);
        CHECK(d.server_made_at == sv.made_at);
        CHECK(d.server_made_at_estimated == sv.estimated);
        CHECK(d.acknowledged_at >= t0);
        CHECK(d.acknowledged_at <= t1);
    }

    // The updates bring the dates too (a kiosk that lost them, e.g. acknowledged by an older
    // agent, gets them with the next change).
    exec_device(k.device_db,
        "UPDATE tickets SET server_received_at = 0, server_made_at = 0, "
        "server_made_at_estimated = 0");
    REQUIRE(k.server_cli("tickets status " + untrusted.code + " Diproses").status == 0);
    auto again = k.sync(server.url(), {}, at_1970);
    INFO(again.text);
    REQUIRE(again.status == 0);
    auto d = k.device_ticket(untrusted.id);
    CHECK(d.server_status == "Diproses");
    CHECK(d.server_made_at == s.made_at);
    CHECK(d.server_received_at == s.received_at);
    CHECK(d.server_made_at_estimated);
}

TEST_CASE("time: the purge of personal data judges by the server's time when the kiosk says 1970") {
    if (!have_tool("faketime")) {
        WARN("SKIPPED: faketime is not installed");
        return;
    }
    if (ksd::boot_clock_now().boot_id.empty()) {
        WARN("SKIPPED: no /proc/sys/kernel/random/boot_id here");
        return;
    }
    SyncKiosk k;
    k.make_tickets(2, "kiosk-1", ksd::WallClock {86400 + 60, false});
    ServerProcess server(k.server_db, k.dir / "server.log");
    auto first = k.sync(server.url(), " --retention-days 1", at_1970);
    INFO(first.text);
    REQUIRE(first.status == 0);
    REQUIRE(k.device_count("state = 'acknowledged'") == 2);
    // By the server's clock one was acknowledged two days ago, the other twelve hours ago.
    int64_t const now = now_s();
    exec_device(k.device_db,
        "UPDATE tickets SET acknowledged_at = " + std::to_string(now - 2 * 86400) + " WHERE id = '"
            + k.tickets[0].id + "'");
    exec_device(k.device_db,
        "UPDATE tickets SET acknowledged_at = " + std::to_string(now - 12 * 3600) + " WHERE id = '"
            + k.tickets[1].id + "'");
    auto second = k.sync(server.url(), " --retention-days 1", at_1970);
    INFO(second.text);
    REQUIRE(second.status == 0);
    auto old = k.device_ticket(k.tickets[0].id);
    CHECK(old.personal_data_purged);
    CHECK(old.input.name.empty());
    CHECK(old.input.phone.empty());
    auto recent = k.device_ticket(k.tickets[1].id);
    CHECK_FALSE(recent.personal_data_purged);
    CHECK(recent.input.name == k.tickets[1].input.name);
    // What it went by: the server's time heard in this boot.
    // "SERVER_TIME BOOT_ID BOOTTIME_MS", this boot's id.
    std::string const heard = k.state(ksd::server_clock_key);
    INFO("sync.server_clock = '" << heard << "'");
    int64_t heard_at = 0;
    auto [end, ec] = std::from_chars(heard.data(), heard.data() + heard.size(), heard_at);
    REQUIRE(ec == std::errc {});
    CHECK(std::string_view(end, heard.data() + heard.size() - end)
              .starts_with(" " + ksd::boot_clock_now().boot_id + " "));
    CHECK(heard_at >= now);
    CHECK(heard_at <= now_s());
}

TEST_CASE("time: the new upload fields are stored, first copy wins, a retry is a duplicate") {
    Api a;
    json t = old_ticket(1, false);
    std::string const id = t["id"];
    t["phone_check"] = ksd::ticket_check_hash(id, ksd::phone_check_value("+6281234567890"));
    t["email_check"] = "";
    t["email_replies"] = true; // without an e-mail it means nothing: not stored
    t["age_s"] = 300;
    json r = a.post(json::array({t}), 200);
    json first = r["results"][0]; // a copy: a missing key reads as null, never an assertion
    CHECK(first["result"] == "created");
    int64_t const received = first["received_at"];
    CHECK(first["made_at"] == received - 300);
    CHECK(first["made_at_estimated"] == true);
    auto s = server_times(a.k.server_db, id);
    CHECK(s.age_s == 300);
    CHECK(s.made_at == received - 300);
    CHECK(s.phone_check == t["phone_check"]);
    CHECK(s.email_replies == 0);

    // The retry a moment later with another age (and without the optional fields): the same
    // request, the first stored copy's dates.
    json retry = t;
    retry["age_s"] = 5000;
    json again = a.post(json::array({retry}), 200);
    CHECK(again["results"][0]["result"] == "duplicate");
    CHECK(again["results"][0]["made_at"] == first["made_at"]);
    CHECK(again["results"][0]["received_at"] == first["received_at"]);
    json bare = old_ticket(1, false);
    for (auto const* f : {"id", "code"})
        bare[f] = t[f];
    CHECK(a.post(json::array({bare}), 200)["results"][0]["result"] == "duplicate");
    CHECK(server_times(a.k.server_db, id).age_s == 300);

    // The e-mail consent is kept with an e-mail.
    json mail = old_ticket(2, true);
    mail["email"] = "siti@example.com";
    mail["email_replies"] = true;
    mail["email_check"] = ksd::ticket_check_hash(
        mail["id"].get<std::string>(), ksd::email_check_value("siti@example.com"));
    json m = a.post(json::array({mail}), 200);
    CHECK(m["results"][0]["made_at"] == mail["created_at"]);
    CHECK(m["results"][0]["made_at_estimated"] == false);
    auto ms = server_times(a.k.server_db, mail["id"]);
    CHECK(ms.email_replies == 1);
    CHECK(ms.email_check == mail["email_check"]);

    // Each update carries the dates, and the answer the server's time.
    auto c = a.client();
    auto u = c.Get("/api/v1/updates?since=0");
    REQUIRE(u);
    REQUIRE(u->status == 200);
    json updates = json::parse(u->body);
    CHECK(updates["server_time"].is_number_integer());
    REQUIRE(updates["updates"].size() == 2);
    for (auto& up : updates["updates"]) {
        auto st = server_times(a.k.server_db, up["ticket_id"]);
        CHECK(up["received_at"] == st.received_at);
        CHECK(up["made_at"] == st.made_at);
        CHECK(up["made_at_estimated"] == st.estimated);
    }
}

TEST_CASE("time: an old-format upload is accepted and placed by its clock") {
    Api a;
    json trusted = old_ticket(1, true);
    json untrusted = old_ticket(2, false);
    json r = a.post(json::array({trusted, untrusted}), 200);
    CHECK(r["results"][0]["result"] == "created");
    CHECK(r["results"][0]["made_at"] == trusted["created_at"]);
    CHECK(r["results"][0]["made_at_estimated"] == false);
    CHECK(r["results"][1]["result"] == "created");
    CHECK(r["results"][1]["made_at"] == r["results"][1]["received_at"]);
    CHECK(r["results"][1]["made_at_estimated"] == true);
    auto s = server_times(a.k.server_db, untrusted["id"]);
    CHECK(s.age_s == -1);
    CHECK(s.phone_check.empty());
    // A v1 kiosk still gets staff_reply and the replies list.
    REQUIRE(
        a.k.server_cli("tickets reply " + trusted["code"].get<std::string>() + " 'Baik.'").status
        == 0);
    auto c = a.client();
    auto u = c.Get("/api/v1/updates?since=0");
    REQUIRE(u);
    json updates = json::parse(u->body);
    json last = updates["updates"].back();
    CHECK(last["staff_reply"] == "Baik.");
    CHECK(last["replies"].size() == 1);
}

TEST_CASE("time: bad values of the new fields are invalid, naming the field") {
    Api a;
    struct Bad {
        char const* field;
        json value;
    };
    std::vector<Bad> const bad {{"phone_check", "abc"}, {"phone_check", std::string(64, 'A')},
        {"phone_check", std::string(63, 'a')}, {"phone_check", 123},
        {"email_check", std::string(64, 'g')}, {"email_check", nullptr}, {"email_replies", "true"},
        {"email_replies", 1}, {"age_s", -1}, {"age_s", 1.0}, {"age_s", "5"},
        {"age_s", json::parse("9007199254740992")}, {"age_s", json::parse("18446744073709551615")}};
    std::vector<json> tickets;
    for (size_t i = 0; i < bad.size(); ++i) {
        json t = old_ticket(static_cast<int64_t>(i + 1), false);
        t[bad[i].field] = bad[i].value;
        tickets.push_back(t);
    }
    json good = old_ticket(100, false);
    good["age_s"] = json::parse("9007199254740991");
    tickets.push_back(good);
    json r = a.post(tickets, 207);
    for (size_t i = 0; i < bad.size(); ++i) {
        INFO(bad[i].field << " = " << bad[i].value.dump());
        CHECK(r["results"][i]["result"] == "invalid");
        CHECK(r["results"][i]["reason"].get<std::string>().rfind(bad[i].field, 0) == 0);
    }
    // 2^53 - 1 is a valid integer but no true age (it reaches before 1970): the request is placed
    // at its arrival, estimated, as one without an age; never at 0.
    json const& huge = r["results"][bad.size()];
    CHECK(huge["result"] == "created");
    CHECK(huge["made_at"] == huge["received_at"]);
    CHECK(huge["made_at_estimated"] == true);
    CHECK(a.k.server_count() == 1);
}

TEST_CASE("time: the request page shows when it was made, marked as an estimate") {
    SyncKiosk k;
    k.make_tickets(1, "kiosk-1", ksd::WallClock {86400 + 60, false});
    k.make_tickets(1); // a trusted clock
    REQUIRE(add_staff_user(k.server_db, "ana", "responder", "Sungai-Batang-42") == 0);
    ServerProcess server(k.server_db, k.dir / "server.log");
    auto out = k.sync(server.url());
    INFO(out.text);
    REQUIRE(out.status == 0);
    StaffClient c(server.port());
    REQUIRE(c.login("ana", "Sungai-Batang-42") == 303);
    auto estimated = c.get("/staff/requests/" + k.tickets[0].id);
    REQUIRE(estimated.status == 200);
    CHECK(estimated.body.find("Dibuat") != std::string::npos);
    CHECK(estimated.body.find("(perkiraan)") != std::string::npos);
    auto exact = c.get("/staff/requests/" + k.tickets[1].id);
    REQUIRE(exact.status == 200);
    CHECK(exact.body.find("Dibuat") != std::string::npos);
    CHECK(exact.body.find("(perkiraan)") == std::string::npos);
}
