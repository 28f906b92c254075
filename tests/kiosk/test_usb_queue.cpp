// Issue 14, queue export by USB from the kiosk's staff mode: the buttons write the export onto the
// stick (on the worker) and the real ksd-server imports it; the acknowledgement it writes beside
// it on the stick is applied by the second button. The staff screen is saved as PNGs at 800x480
// and 1080x1920 in both languages for a look (its figures, such as the free space, change from
// run to run, so they are not goldens).
#include "kiosk_fixture.h"

#include "ksd/device_db.h"
#include "ksd/queue_export.h"
#include "ksd/skm.h"

#include <filesystem>
#include <sstream>

using namespace kiosk;

namespace {

std::string shq(std::string const& s) {
    return "'" + s + "'";
}

std::vector<std::string> files_ending(std::string const& dir, std::string const& ext) {
    std::vector<std::string> out;
    for (auto const& e : std::filesystem::directory_iterator(dir))
        if (e.path().string().ends_with(ext))
            out.push_back(e.path().string());
    return out;
}

// The server's database with kiosk-test enrolled and its USB key; ksd-sync run once (export) so
// that it stores the keys in the device database, as it does at every start.
struct Office {
    ksd::test::TempDir& dir;
    std::string server_db = dir / "server.db";
    std::string token;
    std::string public_key;

    explicit Office(ksd::test::TempDir& d, std::string const& device_db)
        : dir(d) {
        auto added = ksd::test::capture(std::string(KSD_SERVER_BIN) + " --db " + shq(server_db)
            + " kiosk add kiosk-test 2>/dev/null");
        REQUIRE(added.status == 0);
        token = added.text.substr(0, added.text.find('\n'));
        auto keys
            = ksd::test::capture(std::string(KSD_SERVER_BIN) + " --db " + shq(server_db) + " keys");
        auto at = keys.text.find("server_public_key = \"");
        REQUIRE(at != std::string::npos);
        public_key = keys.text.substr(at + 21, 64);
        ksd::test::spit(dir / "sync.toml", "[usb]\nserver_public_key = \"" + public_key + "\"\n");
        REQUIRE(ksd::test::run("mkdir -p " + shq(dir / "agent-out")) == 0);
        auto agent = ksd::test::capture(std::string(KSD_SYNC_BIN) + " --config "
            + shq(dir / "sync.toml") + " --technician-config " + shq(dir / "none.toml") + " --db "
            + shq(device_db) + " --token " + shq(token) + " export --to " + shq(dir / "agent-out"));
        INFO(agent.text);
        REQUIRE(agent.status == 0);
    }
};

void look(shell::Offscreen& k, std::string const& name) {
    k.host().mark_dirty();
    k.host().draw();
    test::ok(k.canvas().save_png(std::string(KSD_TEST_OUT_DIR) + "/" + name + ".png"));
}

} // namespace

TEST_CASE("staff mode exports the queue to the USB stick, the server imports it, the "
          "acknowledgement from the stick marks the requests delivered") {
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_in(dir);
    std::string const stick = dir / "usb/stick";
    REQUIRE(ksd::test::run("mkdir -p " + shq(stick)) == 0);
    d.usb_dirs = {dir / "usb"};
    Office office(dir, d.db_path);
    {
        auto db = ksd::open_device_db(d.db_path);
        REQUIRE(db.ok());
        for (int i = 0; i < 2; ++i) {
            ksd::TicketInput in;
            in.category = "Masyarakat umum";
            in.topic = "Kerja sama daerah";
            in.name = "Pengunjung " + std::to_string(i);
            in.phone = "+6281234567890";
            in.question = "Bagaimana alur kerja sama?";
            in.consent_version = "2026-1";
            REQUIRE(ksd::save_ticket(*db, in, "kiosk-test", ksd::WallClock {fixed_unix_time, true})
                        .ok());
        }
        // A satisfaction survey answer travels on the same stick.
        ksd::SkmInput survey;
        survey.answers = {4, 4, 3, 4, 3, 3, 4, 4, 3};
        REQUIRE(ksd::save_skm_response(
            *db, survey, "kiosk-test", ksd::WallClock {fixed_unix_time, true})
                    .ok());
    }
    auto k = test::make_kiosk_with_desk(d, {1080, 1920});
    auto& h = k->host();
    h.app().preview_staff_mode();
    h.mark_dirty();
    h.draw();
    test::ok(h.expect("Antrean lewat USB"));
    look(*k, "staff-usb_1080x1920");
    test::ok(h.tap("Ekspor antrean ke USB"));
    h.app().settle();
    h.mark_dirty();
    h.draw();
    test::ok(h.expect("2 permintaan ditulis ke ksd-antrean-kiosk-test-"));
    test::ok(h.expect("USB boleh dicabut"));
    test::ok(h.expect("1 jawaban survei kepuasan juga ditulis"));
    look(*k, "staff-usb-exported_1080x1920");
    auto exports = files_ending(stick, ".ksdq");
    REQUIRE(exports.size() == 1);
    // Nothing but the export on the stick: no temporary file left.
    CHECK(files_ending(stick, "").size() == 1);

    auto imported = ksd::test::capture(std::string(KSD_SERVER_BIN) + " --db "
        + shq(office.server_db) + " tickets import " + shq(exports.front()));
    INFO(imported.text);
    REQUIRE(imported.status == 0);
    CHECK(imported.text.find("2 requests (2 new") != std::string::npos);
    CHECK(imported.text.find("1 survey answers (1 new") != std::string::npos);
    REQUIRE(files_ending(stick, ".ksda").size() == 1);

    test::ok(h.tap("Terapkan tanda terima dari USB"));
    h.app().settle();
    h.mark_dirty();
    h.draw();
    test::ok(h.expect("2 permintaan kini tercatat diterima server"));
    test::ok(h.expect("1 jawaban survei kepuasan diterima server dan dihapus dari anjungan"));
    look(*k, "staff-usb-acknowledged_1080x1920");
    {
        auto db = ksd::open_device_db(d.db_path);
        REQUIRE(db.ok());
        auto counts = ksd::queue_counts(*db);
        REQUIRE(counts.ok());
        CHECK(counts->acknowledged == 2);
        CHECK(counts->queued == 0);
        CHECK(ksd::skm_responses_waiting(*db).value() == 0);
    }
    // Again: harmless.
    test::ok(h.tap("Terapkan tanda terima dari USB"));
    h.app().settle();
    h.mark_dirty();
    h.draw();
    test::ok(h.expect("0 permintaan kini tercatat diterima server (2 sudah tercatat"));

    // English, and the small panel.
    h.app().apply(act::SetLang {ksd::Lang::En});
    h.mark_dirty();
    h.draw();
    // The outcome shown follows the language switch.
    test::ok(h.expect("0 requests now recorded as received by the server (2 recorded before"));
    look(*k, "staff-usb-acknowledged_1080x1920_en");
    auto small = test::make_kiosk_with_desk(d, {800, 480});
    small->host().app().preview_staff_mode();
    small->host().mark_dirty();
    small->host().draw();
    test::ok(small->host().expect("Ekspor antrean ke USB"));
    look(*small, "staff-usb_800x480");
    test::ok(small->host().tap("Ekspor antrean ke USB"));
    small->host().app().settle();
    look(*small, "staff-usb-exported_800x480");
    test::ok(small->host().expect("0 permintaan ditulis"));
    small->host().app().apply(act::SetLang {ksd::Lang::En});
    test::ok(small->host().expect("Export queue to USB"));
    look(*small, "staff-usb_800x480_en");
}

TEST_CASE("staff mode: without the keys from ksd-sync or without a stick, the export says why") {
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_in(dir);
    d.usb_dirs = {dir / "usb"};
    REQUIRE(ksd::test::run("mkdir -p " + shq(dir / "usb")) == 0);
    auto k = test::make_kiosk_with_desk(d, {1080, 1920});
    auto& h = k->host();
    h.app().preview_staff_mode();
    h.draw();
    test::ok(h.tap("Ekspor antrean ke USB"));
    h.app().settle();
    h.mark_dirty();
    h.draw();
    test::ok(h.expect("Ekspor gagal: USB export is not set up"));
    CHECK_FALSE(h.app().state().staff.usb_ok);

    Office office(dir, d.db_path);
    test::ok(h.tap("Ekspor antrean ke USB"));
    h.app().settle();
    h.mark_dirty();
    h.draw();
    test::ok(h.expect("Ekspor gagal: no USB stick found"));
    test::ok(h.tap("Terapkan tanda terima dari USB"));
    h.app().settle();
    h.mark_dirty();
    h.draw();
    test::ok(h.expect("Tidak ada tanda terima (.ksda)"));
}
