// The product's "done" check as one automated run of the real binaries: a consultation request is
// typed at the kiosk (ksd-kiosk, headless, scripted), ksd-sync delivers it to ksd-server, staff
// answer it there, ksd-sync brings the answer back and the kiosk shows it to the visitor who looks
// the ticket up; then a content pack published on the server reaches the kiosk and the kiosk
// shows it.
#include "server_ready.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#ifdef KSD_KIOSK_BIN

#include "ksd/db.h"
#include "ksd/device_db.h"
#include "ksd/tickets.h"

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

using namespace ksd::test;

namespace {

std::string const content_bin = KSD_CONTENT_BIN;
std::string const kiosk_bin = KSD_KIOSK_BIN;

using WholeServer = ksd::test::ServerProcess;

// The visit (shared with image/test-boot.sh, which taps the same points on the booted image).
std::string const request_script
    = slurp(std::string(KSD_SOURCE_DIR) + "/tests/kiosk/request-visit.txt");

// The same visitor comes back and looks the ticket up with the code and the e-mail.
std::string status_script(std::string const& code) {
    return "tap Sentuh layar untuk mulai\n"
           "tap Cek Status Tiket\n"
           "tap Kode tiket\n"
           "type "
        + code
        + "\n"
          "tap Selesai\n"
          "tap 4 angka terakhir nomor HP atau e-mail\n"
          "type anna@example.org\n"
          "tap Selesai\n"
          "tap Cek Status\n"
          "expect "
        + code
        + "\n"
          "expect Terkirim ke sekretariat\n"
          "expect Status: Selesai\n"
          "expect Jawaban petugas\n"
          "expect Silakan datang ke Bagian Kerja Sama hari Senin.\n"
          "expect-not Menunggu jaringan\n"
          "expect-not Anna\n"
          "screenshot status-result.png\n";
}

std::optional<ksd::Ticket> device_ticket(std::string const& device_db, std::string const& code) {
    auto db = ksd::open_device_db(device_db);
    REQUIRE(db.ok());
    auto t = ksd::find_ticket_by_code(*db, code);
    REQUIRE(t.ok());
    return *t;
}

std::string integrity(std::string const& path) {
    auto db = ksd::Db::open(path, ksd::OpenMode::ReadOnly);
    REQUIRE(db.ok());
    auto st = db->prepare("PRAGMA integrity_check");
    REQUIRE(st.ok());
    auto row = st->step();
    REQUIRE(row.ok());
    return st->column_text(0);
}

bool is_png(std::string const& path) {
    return slurp(path).rfind("\x89PNG\r\n\x1a\n", 0) == 0;
}

} // namespace

TEST_CASE("whole: a request typed at the kiosk is answered by staff, a published pack arrives") {
    TempDir dir;
    std::string const server_db = ksd::test::server_db(dir);
    std::string const device_db = dir / "device.db";
    std::string const demo = std::string(KSD_BINARY_DIR) + "/demo";
    std::string const pub = demo + "/ksd-demo.pub";
    std::string const pack_path = dir / "kiosk/ksd.pack";
    std::filesystem::create_directories(dir / "kiosk");
    std::filesystem::copy_file(demo + "/ksd-demo.pack", pack_path);
    std::filesystem::copy_file(demo + "/ksd-demo.pack.minisig", pack_path + ".minisig");

    auto added = capture(server_bin + " --db " + shq(server_db) + " kiosk add kiosk-1 2>/dev/null");
    REQUIRE(added.status == 0);
    std::string const token = added.text.substr(0, added.text.find('\n'));
    REQUIRE(token.rfind("kiosk-1.", 0) == 0);
    WholeServer server(server_db, dir / "server.log");
    auto server_cli = [&](std::string const& args) {
        return capture(server_bin + " --db " + shq(server_db) + " " + args);
    };

    // The kiosk's config: its id as registered, its device database and its pack.
    std::string const kiosk_config = dir / "kiosk.toml";
    spit(kiosk_config,
        "[device]\nid = \"kiosk-1\"\ndb = \"" + device_db + "\"\n\n[content]\npack = \"" + pack_path
            + "\"\npublic_key = \"" + pub + "\"\n");
    auto kiosk = [&](std::string const& script_name, std::string const& script,
                     std::string const& size) {
        spit(dir / script_name, script);
        return capture("SDL_VIDEODRIVER=dummy timeout 60 " + kiosk_bin + " --config "
            + shq(kiosk_config) + " --sample --size " + size + " --device-db " + shq(device_db)
            + " --out-dir " + shq(dir.path()) + " --script " + shq(dir / script_name));
    };
    auto sync_once = [&](std::string const& extra = {}) {
        return capture("timeout 60 " + sync_bin + extra + " --db " + shq(device_db) + " --server "
            + shq(server.url()) + " --token " + shq(token) + " --once");
    };

    // a) The request, typed at the kiosk: queued in the device database under this kiosk's id.
    auto typed = kiosk("request.txt", request_script, "800x480");
    INFO(typed.text);
    REQUIRE(typed.status == 0);
    CHECK(typed.text.find("script passed: ") != std::string::npos);
    std::string const marker = "ticket code on screen: ";
    auto at = typed.text.find(marker);
    REQUIRE(at != std::string::npos);
    std::string const code = typed.text.substr(at + marker.size(), 11);
    INFO("code " << code);
    auto queued = device_ticket(device_db, code);
    REQUIRE(queued.has_value());
    CHECK(queued->kiosk_id == "kiosk-1");
    CHECK(queued->state == ksd::DeliveryState::Queued);
    CHECK(queued->input.name == "Anna Mueller");
    std::string const id = queued->id;

    // b) Delivered by ksd-sync and listed on the server.
    auto first = sync_once();
    INFO(first.text);
    CHECK(first.status == 0);
    CHECK(first.text.find("ticket " + code + " acknowledged (created") != std::string::npos);
    CHECK(device_ticket(device_db, code)->state == ksd::DeliveryState::Acknowledged);
    auto list = server_cli("tickets list");
    INFO(list.text);
    REQUIRE(list.status == 0);
    CHECK(list.text.find(code) != std::string::npos);
    CHECK(list.text.find(id) != std::string::npos);
    CHECK(list.text.find("kiosk-1") != std::string::npos);
    auto shown = server_cli("tickets show " + code);
    CHECK(shown.text.find("How to start a KSDLL?") != std::string::npos);

    // c) Staff answer on the server; the next pass brings the answer back to the kiosk.
    auto reply = server_cli(
        "tickets reply " + id + " " + shq("Silakan datang ke Bagian Kerja Sama hari Senin."));
    INFO(reply.text);
    CHECK(reply.status == 0);
    auto status = server_cli("tickets status " + id + " Selesai");
    INFO(status.text);
    CHECK(status.status == 0);
    auto second = sync_once();
    INFO(second.text);
    CHECK(second.status == 0);
    CHECK(second.text.find("ticket " + code + " now 'Selesai' with 1 staff reply")
        != std::string::npos);
    auto answered = device_ticket(device_db, code);
    CHECK(answered->server_status == "Selesai");
    CHECK(answered->staff_reply == "Silakan datang ke Bagian Kerja Sama hari Senin.");
    // At the Pi's smallest panel: the answer takes the place of the fields once found.
    auto looked_up = kiosk("status.txt", status_script(code), "800x480");
    INFO(looked_up.text);
    CHECK(looked_up.status == 0);
    CHECK(looked_up.text.find("script passed: ") != std::string::npos);
    CHECK(is_png(dir / "status-result.png"));

    // d) A newer pack published on the server reaches the kiosk, verified and swapped in.
    std::string const new_pack = dir / "new.pack";
    REQUIRE(run(content_bin + " build " + shq(std::string(KSD_SOURCE_DIR) + "/content") + " -o "
                + shq(new_pack) + " --content-version 29990101000000 >/dev/null 2>&1")
        == 0);
    REQUIRE(run(content_bin + " sign " + shq(new_pack) + " -s " + shq(demo + "/ksd-demo.key")
                + " >/dev/null 2>&1")
        == 0);
    auto published = server_cli("content publish " + shq(new_pack) + " --public-key " + shq(pub));
    INFO(published.text);
    REQUIRE(published.status == 0);
    std::string const sync_config = dir / "sync.toml";
    spit(sync_config,
        "[content]\npack_path = \"" + pack_path + "\"\npublic_key = \"" + pub + "\"\n");
    auto third = sync_once(" --config " + shq(sync_config));
    INFO(third.text);
    CHECK(third.status == 0);
    CHECK(third.text.find("pack 29990101000000 installed") != std::string::npos);
    CHECK(slurp(pack_path) == slurp(new_pack));
    auto info = capture(content_bin + " info " + shq(pack_path));
    INFO(info.text);
    CHECK(info.text.find("content version: 29990101000000") != std::string::npos);
    CHECK(run(content_bin + " verify " + shq(pack_path) + " -p " + shq(pub) + " >/dev/null 2>&1")
        == 0);
    CHECK(server_cli("kiosk list").text.find("29990101000000") != std::string::npos);
    auto shot = capture("SDL_VIDEODRIVER=dummy timeout 60 " + kiosk_bin + " --pack "
        + shq(pack_path) + " --key " + shq(pub) + " --size 800x480 --screenshot "
        + shq(dir / "home.png") + " --screen home");
    INFO(shot.text);
    CHECK(shot.status == 0);
    CHECK(is_png(dir / "home.png"));
    CHECK(integrity(device_db) == "ok");
}

#else

TEST_CASE("whole: a request typed at the kiosk is answered by staff, a published pack arrives") {
    WARN("SKIPPED: built without the kiosk (KSD_BUILD_KIOSK=OFF), no ksd-kiosk binary to run");
}

#endif
