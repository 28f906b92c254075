// Issue 14, queue export by USB: the real ksd-sync writes the export, the real ksd-server imports
// it (CLI) and writes the acknowledgement, ksd-sync applies it; a later network sync against the
// real server over loopback must not make a second copy. Refusals: tampered, truncated, unknown
// kiosk, forged export, forged or altered acknowledgement.
#include "server_ready.h"
#include "staff_client.h"
#include "sync_kiosk.h"

#include "ksd/device_db.h"
#include "ksd/queue_export.h"
#include "ksd/skm.h"

#include <sodium.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using namespace ksd::test;
namespace fs = std::filesystem;

// A kiosk with a server key pair and the agent's config naming the server's public key.
struct UsbKiosk : SyncKiosk {
    std::string stick = dir / "stick";
    std::string config = dir / "ksd-sync.toml";
    std::string public_key = make_keys();

    std::string make_keys() {
        fs::create_directories(stick);
        auto out = server_cli("keys");
        REQUIRE(out.status == 0);
        auto at = out.text.find("server_public_key = \"");
        REQUIRE(at != std::string::npos);
        std::string key = out.text.substr(at + 21, 64);
        spit(config, "[usb]\nserver_public_key = \"" + key + "\"\n");
        return key;
    }
    Output agent_with_token(std::string const& command, std::string const& with_token = {}) {
        return capture(sync_bin + " --config " + shq(config) + " --technician-config "
            + shq(dir / "none.toml") + " --db " + shq(device_db) + " --token "
            + shq(with_token.empty() ? token : with_token) + " " + command);
    }
    // Runs `ksd-sync export --to stick` and returns the file it names.
    std::string export_file(std::string const& with_token = {}) {
        auto out = agent_with_token("export --to " + shq(stick), with_token);
        INFO(out.text);
        REQUIRE(out.status == 0);
        // The line naming the file (the log goes to the same capture).
        std::string path;
        std::istringstream lines(out.text);
        for (std::string line; std::getline(lines, line);)
            if (line.starts_with(stick))
                path = line;
        REQUIRE(path.starts_with(stick + "/ksd-antrean-"));
        REQUIRE(path.ends_with(".ksdq"));
        REQUIRE(fs::exists(path));
        return path;
    }
    std::string ack_path(std::string const& import_output) {
        auto at = import_output.find("acknowledgement for the kiosk: ");
        REQUIRE(at != std::string::npos);
        std::string rest = import_output.substr(at + 31);
        return rest.substr(0, rest.find('\n'));
    }
};

} // namespace

TEST_CASE("USB export: export, import, a later network sync: one copy of each request") {
    UsbKiosk k;
    k.make_tickets(3);
    std::string const file = k.export_file();
    // The stick holds the export alone: no temporary file is left beside it.
    int files = 0;
    for (auto const& e : fs::directory_iterator(k.stick)) {
        (void)e;
        ++files;
    }
    CHECK(files == 1);
    // Sealed: no visitor's name can be read on the stick.
    CHECK(slurp(file).find("Pengunjung") == std::string::npos);

    auto imported = k.server_cli("tickets import " + shq(file));
    INFO(imported.text);
    REQUIRE(imported.status == 0);
    CHECK(imported.text.find("kiosk kiosk-1: 3 requests (3 new, 0 already stored")
        != std::string::npos);
    CHECK(k.server_count() == 3);
    std::string const ack = k.ack_path(imported.text);
    CHECK(ack.starts_with(k.stick + "/ksd-tanda-terima-kiosk-1-"));
    CHECK(fs::exists(ack));

    // Importing the same file again stores nothing new.
    auto again
        = k.server_cli("tickets import " + shq(file) + " --ack-out " + shq(k.dir / "a2.ksda"));
    INFO(again.text);
    REQUIRE(again.status == 0);
    CHECK(again.text.find("3 requests (0 new, 3 already stored") != std::string::npos);
    CHECK(k.server_count() == 3);

    // Not acknowledged yet: the requests stay queued, and the next network sync sends them. The
    // server already holds them: duplicates, still one row each.
    CHECK(k.device_count("state = 'queued'") == 3);
    {
        ServerProcess server(k.server_db, k.dir / "server.log");
        auto synced = k.sync(server.url());
        INFO(synced.text);
        CHECK(synced.status == 0);
    }
    CHECK(k.server_count() == 3);
    for (auto const& t : k.tickets)
        CHECK(k.server_rows(t.id) == 1);
    CHECK(k.device_count("state = 'acknowledged'") == 3);

    // The acknowledgement arriving after the sync changes nothing.
    auto applied = k.agent_with_token("import-ack " + shq(ack));
    INFO(applied.text);
    REQUIRE(applied.status == 0);
    CHECK(applied.text.find("0 acknowledged, 0 quarantined, 3 already done") != std::string::npos);
}

TEST_CASE(
    "USB export: the acknowledgement marks the requests acknowledged, and twice is harmless") {
    UsbKiosk k;
    k.make_tickets(2);
    std::string const file = k.export_file();
    k.make_tickets(1); // made after the export: not in it, stays queued
    auto imported = k.server_cli("tickets import " + shq(file));
    INFO(imported.text);
    REQUIRE(imported.status == 0);
    std::string const ack = k.ack_path(imported.text);

    auto applied = k.agent_with_token("import-ack " + shq(ack));
    INFO(applied.text);
    REQUIRE(applied.status == 0);
    CHECK(applied.text.find("2 acknowledged, 0 quarantined, 0 already done") != std::string::npos);
    CHECK(k.device_count("state = 'acknowledged' AND acknowledged_at > 0") == 2);
    CHECK(k.device_count("state = 'queued'") == 1);
    CHECK(k.device_ticket(k.tickets[0].id).server_status == "Baru");
    CHECK(k.device_ticket(k.tickets[0].id).server_received_at > 0);
    CHECK(k.device_ticket(k.tickets[2].id).state == ksd::DeliveryState::Queued);

    auto twice = k.agent_with_token("import-ack " + shq(ack));
    INFO(twice.text);
    REQUIRE(twice.status == 0);
    CHECK(twice.text.find("0 acknowledged, 0 quarantined, 2 already done") != std::string::npos);
    CHECK(k.device_count("state = 'acknowledged'") == 2);

    // The next export holds only the request still waiting.
    std::string const next = k.export_file();
    auto second
        = k.server_cli("tickets import " + shq(next) + " --ack-out " + shq(k.dir / "b.ksda"));
    INFO(second.text);
    CHECK(second.text.find("1 requests (1 new") != std::string::npos);
    CHECK(k.server_count() == 3);
}

TEST_CASE("USB export: a tampered or truncated file is refused with a clear message") {
    UsbKiosk k;
    k.make_tickets(2);
    std::string const file = k.export_file();
    std::string const bytes = slurp(file);

    std::string tampered = bytes;
    tampered[tampered.size() / 2] ^= 0x01;
    spit(k.dir / "tampered.ksdq", tampered);
    auto t = k.server_cli("tickets import " + shq(k.dir / "tampered.ksdq"));
    INFO(t.text);
    CHECK(t.status != 0);
    CHECK(t.text.find("cannot be opened with this server's key: it was altered or damaged")
        != std::string::npos);

    spit(k.dir / "cut.ksdq", bytes.substr(0, bytes.size() - 100));
    auto cut = k.server_cli("tickets import " + shq(k.dir / "cut.ksdq"));
    INFO(cut.text);
    CHECK(cut.status != 0);
    CHECK(cut.text.find("the export is truncated: ") != std::string::npos);
    CHECK(cut.text.find("(the stick was pulled while writing?)") != std::string::npos);

    spit(k.dir / "head.ksdq", bytes.substr(0, 10));
    auto head = k.server_cli("tickets import " + shq(k.dir / "head.ksdq"));
    CHECK(head.status != 0);
    CHECK(head.text.find("the export is truncated") != std::string::npos);

    spit(k.dir / "other.ksdq", "hello");
    auto other = k.server_cli("tickets import " + shq(k.dir / "other.ksdq"));
    CHECK(other.status != 0);
    CHECK(other.text.find("not a queue export of Anjungan KSD") != std::string::npos);

    CHECK(k.server_count() == 0);
    CHECK_FALSE(fs::exists(k.dir / "tampered.ksdq.ksda"));
}

TEST_CASE("USB export: a file from an unknown kiosk or with a forged seal is refused") {
    UsbKiosk k;
    k.make_tickets(1, "kiosk-7");
    // A token this server never issued, for a kiosk it does not know.
    std::string const unknown = k.export_file("kiosk-7." + std::string(64, 'a'));
    auto u = k.server_cli("tickets import " + shq(unknown));
    INFO(u.text);
    CHECK(u.status != 0);
    CHECK(u.text.find("the export is from kiosk 'kiosk-7', which this server does not know")
        != std::string::npos);

    // Kiosk-1 is known, but the file was not made with its token: forged.
    std::string const forged = k.export_file("kiosk-1." + std::string(64, 'b'));
    auto f = k.server_cli("tickets import " + shq(forged));
    INFO(f.text);
    CHECK(f.status != 0);
    CHECK(f.text.find("names kiosk 'kiosk-1' but is not sealed with its key") != std::string::npos);

    // Revoked: refused as a sync would be.
    k.make_tickets(1);
    std::string const good = k.export_file();
    REQUIRE(k.server_cli("kiosk revoke kiosk-1").status == 0);
    auto r = k.server_cli("tickets import " + shq(good));
    CHECK(r.status != 0);
    CHECK(r.text.find("whose token is revoked") != std::string::npos);
    CHECK(k.server_count() == 0);
}

TEST_CASE("USB export: a forged or altered acknowledgement is refused and purges nothing") {
    UsbKiosk k;
    k.make_tickets(2);
    std::string const file = k.export_file();
    auto imported = k.server_cli("tickets import " + shq(file));
    REQUIRE(imported.status == 0);
    std::string const ack = slurp(k.ack_path(imported.text));

    // Altered: one result's byte changed.
    std::string altered = ack;
    altered[20] ^= 0x01;
    spit(k.dir / "altered.ksda", altered);
    auto a = k.agent_with_token("import-ack " + shq(k.dir / "altered.ksda"));
    INFO(a.text);
    CHECK(a.status != 0);
    CHECK(a.text.find("not from the server for this kiosk") != std::string::npos);

    // Forged: a well-formed acknowledgement of every request, made with a key guessed from
    // another token.
    nlohmann::json results = nlohmann::json::array();
    for (auto const& t : k.tickets)
        results.push_back({{"id", t.id}, {"result", "created"}, {"status", "Baru"}});
    nlohmann::json body {{"format", "ksd-queue-ack"}, {"version", 1}, {"kiosk_id", "kiosk-1"},
        {"server_time", now_s()}, {"results", results}};
    auto wrong = ksd::usb_ack_mac_key(
        ksd::usb_kiosk_key(ksd::sync_token_hash("kiosk-1." + std::string(64, 'c'))));
    spit(k.dir / "forged.ksda", ksd::build_ack_file(body.dump(), wrong));
    auto f = k.agent_with_token("import-ack " + shq(k.dir / "forged.ksda"));
    INFO(f.text);
    CHECK(f.status != 0);
    CHECK(f.text.find("forged") != std::string::npos);

    // Truncated.
    spit(k.dir / "cut.ksda", ack.substr(0, ack.size() - 5));
    auto c = k.agent_with_token("import-ack " + shq(k.dir / "cut.ksda"));
    CHECK(c.status != 0);
    CHECK(c.text.find("truncated") != std::string::npos);

    CHECK(k.device_count("state = 'queued'") == 2);
    CHECK(k.device_count("state = 'acknowledged'") == 0);
}

TEST_CASE("USB export: no server key configured is a clear error, not a file") {
    UsbKiosk k;
    k.make_tickets(1);
    spit(k.config, "");
    auto out = k.agent_with_token("export --to " + shq(k.stick));
    CHECK(out.status != 0);
    CHECK(out.text.find("no usb.server_public_key") != std::string::npos);
    CHECK(fs::is_empty(k.stick));
}

TEST_CASE("USB export: the dashboard imports the file, offers the acknowledgement, and refuses a "
          "truncated one, and viewers cannot import") {
    UsbKiosk k;
    k.make_tickets(2);
    std::string const file = k.export_file();
    REQUIRE(add_staff_user(k.server_db, "ana", "responder", "Teluk-Kiambang-7") == 0);
    REQUIRE(add_staff_user(k.server_db, "budi", "viewer", "Sungai-Batang-42") == 0);
    ServerProcess server(k.server_db, k.dir / "server.log");
    StaffClient staff(server.port());
    REQUIRE(staff.login("ana", "Teluk-Kiambang-7") == 303);
    auto form = staff.get("/staff/usb-import");
    REQUIRE(form.status == 200);
    CHECK(form.body.find("enctype=\"multipart/form-data\"") != std::string::npos);
    CHECK(staff.get("/staff/kiosks").body.find("/staff/usb-import") != std::string::npos);

    std::string const bytes = slurp(file);
    auto cut = staff.post_multipart("/staff/usb-import",
        {{"file", bytes.substr(0, bytes.size() / 2), "cut.ksdq", "application/octet-stream"}});
    CHECK(cut.status == 400);
    CHECK(cut.body.find("Berkas ditolak, tidak ada yang disimpan") != std::string::npos);
    CHECK(cut.body.find("the export is truncated") != std::string::npos);
    CHECK(k.server_count() == 0);

    auto done = staff.post_multipart(
        "/staff/usb-import", {{"file", bytes, "export.ksdq", "application/octet-stream"}});
    INFO(done.body);
    REQUIRE(done.status == 200);
    CHECK(done.body.find("id=\"usb-created\">2<") != std::string::npos);
    CHECK(k.server_count() == 2);
    auto at = done.body.find("href=\"/staff/usb-import/ack/");
    REQUIRE(at != std::string::npos);
    std::string const link = done.body.substr(at + 6, done.body.find('"', at + 6) - at - 6);
    auto ack = staff.get(link);
    REQUIRE(ack.status == 200);
    CHECK(ack.header("Content-Disposition").find("attachment") != std::string::npos);
    spit(k.dir / "from-dashboard.ksda", ack.body);
    auto applied = k.agent_with_token("import-ack " + shq(k.dir / "from-dashboard.ksda"));
    INFO(applied.text);
    REQUIRE(applied.status == 0);
    CHECK(applied.text.find("2 acknowledged") != std::string::npos);

    // Uploading the same file again: duplicates, still two rows.
    auto again = staff.post_multipart(
        "/staff/usb-import", {{"file", bytes, "export.ksdq", "application/octet-stream"}});
    CHECK(again.body.find("id=\"usb-duplicate\">2<") != std::string::npos);
    CHECK(k.server_count() == 2);

    StaffClient viewer(server.port());
    REQUIRE(viewer.login("budi", "Sungai-Batang-42") == 303);
    CHECK(viewer.get("/staff/usb-import").status == 403);
    CHECK(viewer.get(link).status == 403);
}

namespace {

int64_t count_rows(std::string const& path, std::string const& sql, bool device) {
    if (device) {
        auto db = ksd::open_device_db(path);
        REQUIRE(db.ok());
        auto st = db->prepare(sql);
        REQUIRE(st.ok());
        REQUIRE(st->step().ok());
        return st->column_int64(0);
    }
    auto db = ksd::server::open_conn(path);
    REQUIRE(db.ok());
    auto st = db->prepare(sql);
    REQUIRE(st.ok());
    REQUIRE(st->step().ok());
    return st->column_int64(0);
}

std::string save_survey(std::string const& device_db, std::string const& kiosk, int last) {
    auto db = ksd::open_device_db(device_db);
    REQUIRE(db.ok());
    ksd::SkmInput in;
    in.answers = {4, 3, 3, 4, 3, 4, 4, 3, last};
    in.respondent.gender = "f";
    auto r = ksd::save_skm_response(*db, in, kiosk, ksd::WallClock {std::time(nullptr), true});
    REQUIRE(r.ok());
    return r->id;
}

} // namespace

TEST_CASE("USB export: survey answers travel with the requests, are stored once, and the "
          "acknowledgement deletes them from the kiosk") {
    UsbKiosk k;
    k.make_tickets(1);
    for (int i = 1; i <= 3; ++i)
        save_survey(k.device_db, "kiosk-1", i);
    // One the server will refuse (a form version it does not know), one saved under another
    // device.id (it waits, as the agent leaves it).
    std::string const bad = save_survey(k.device_db, "kiosk-1", 4);
    {
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        REQUIRE(
            db->exec("UPDATE skm_responses SET form_version = 'skm-1999' WHERE id = '" + bad + "'")
                .ok());
    }
    save_survey(k.device_db, "kiosk-9", 2);

    auto exported = k.agent_with_token("export --to " + shq(k.stick));
    INFO(exported.text);
    REQUIRE(exported.status == 0);
    CHECK(exported.text.find("requests: 1, survey answers: 4") != std::string::npos);
    std::string file;
    for (auto const& e : fs::directory_iterator(k.stick))
        file = e.path();
    REQUIRE(file.ends_with(".ksdq"));

    auto imported = k.server_cli("tickets import " + shq(file));
    INFO(imported.text);
    REQUIRE(imported.status == 0);
    CHECK(imported.text.find("1 requests (1 new, 0 already stored, 0 conflicts, 0 invalid); 4 "
                             "survey answers (3 new, 0 already stored, 1 refused)")
        != std::string::npos);
    CHECK(count_rows(k.server_db, "SELECT count(*) FROM skm_responses", false) == 3);
    std::string const ack = k.ack_path(imported.text);

    auto again
        = k.server_cli("tickets import " + shq(file) + " --ack-out " + shq(k.dir / "a2.ksda"));
    INFO(again.text);
    REQUIRE(again.status == 0);
    CHECK(again.text.find("4 survey answers (0 new, 3 already stored, 1 refused)")
        != std::string::npos);
    CHECK(count_rows(k.server_db, "SELECT count(*) FROM skm_responses", false) == 3);

    auto applied = k.agent_with_token("import-ack " + shq(ack));
    INFO(applied.text);
    REQUIRE(applied.status == 0);
    CHECK(applied.text.find("1 acknowledged, 0 quarantined") != std::string::npos);
    CHECK(applied.text.find("3 survey answers delivered, 1 held") != std::string::npos);
    // Left on the kiosk: the refused one in quarantine with its reason, the other kiosk's waiting.
    CHECK(count_rows(k.device_db, "SELECT count(*) FROM skm_responses", true) == 2);
    CHECK(count_rows(k.device_db,
              "SELECT count(*) FROM skm_responses WHERE state = 'quarantined' AND id = '" + bad
                  + "' AND last_error LIKE 'invalid: form_version%'",
              true)
        == 1);
    CHECK(count_rows(k.device_db,
              "SELECT count(*) FROM skm_responses WHERE state = 'queued' AND kiosk_id = 'kiosk-9'",
              true)
        == 1);

    // Twice is harmless: nothing more is deleted or quarantined.
    auto twice = k.agent_with_token("import-ack " + shq(ack));
    INFO(twice.text);
    REQUIRE(twice.status == 0);
    CHECK(twice.text.find("0 survey answers delivered, 0 held") != std::string::npos);
    CHECK(count_rows(k.device_db, "SELECT count(*) FROM skm_responses", true) == 2);

    // A later network sync sends none of them again: still one row each on the server.
    {
        ServerProcess server(k.server_db, k.dir / "server.log");
        auto synced = k.sync(server.url());
        INFO(synced.text);
    }
    CHECK(count_rows(k.server_db, "SELECT count(*) FROM skm_responses", false) == 3);
    CHECK(count_rows(k.server_db, "SELECT count(DISTINCT id) FROM skm_responses", false) == 3);
}
