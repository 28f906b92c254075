// Slow work off the UI thread (issue 13): with EffectWait::Background, as the kiosk's display
// runs, a save waiting on a locked database, a double tap on "Kirim" and a pack import leave the
// App ticking; a save finishing after the idle reset shows nothing; the import reports its
// bytes; an import stopped mid-copy leaves the old pack.
// Real parts: a device database file locked by a second connection, the signed demo pack.
#include "kiosk_fixture.h"
#include "ksd/device_db.h"
#include "ksd/files.h"
#include "ksd/pack_import.h"
#include "ksd/tickets.h"
#include "test_support.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

using namespace kiosk;
using kiosk::test::ok;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Ticks the App (as the display loop does) until done() or the deadline; false on the deadline.
// The slowest tick is reported through slowest_ms.
template <typename Done>
bool tick_until(Host& h, Done done, double deadline_ms, double* slowest_ms) {
    auto start = Clock::now();
    int64_t t = h.app().now_ms();
    while (!done()) {
        if (ms_since(start) > deadline_ms)
            return false;
        t += 16;
        auto t0 = Clock::now();
        h.advance(t, fixed_unix_time + t / 1000);
        if (slowest_ms)
            *slowest_ms = std::max(*slowest_ms, ms_since(t0));
        std::this_thread::sleep_for(std::chrono::milliseconds(2)); // a frame's pace, not ordering
    }
    return true;
}

int tickets_in(std::string const& db_path) {
    auto db = ksd::open_device_db(db_path);
    REQUIRE(db.ok());
    auto counts = ksd::queue_counts(*db);
    REQUIRE(counts.ok());
    return counts->queued + counts->sending + counts->acknowledged + counts->quarantined;
}

// A request at "Periksa dan kirim", the App's slow work in the background as on the display, and
// the sync agent (here: a second connection) holding the device database's write lock.
struct LockedSave {
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_in(dir);
    std::unique_ptr<shell::Offscreen> k = test::make_kiosk_with_desk(d);
    Host& h = k->host();
    std::optional<ksd::Db> locker;

    LockedSave() {
        test::fill_request_to_review(h);
        h.app().set_effect_wait(EffectWait::Background);
        auto db = ksd::open_device_db(d.db_path);
        REQUIRE(db.ok());
        REQUIRE(db->exec("BEGIN IMMEDIATE").ok());
        locker = db.release_value();
    }
};

} // namespace

TEST_CASE_METHOD(LockedSave,
    "a save waiting on a locked database leaves the UI thread ticking, and completes after") {

    auto t0 = Clock::now();
    h.app().apply(act::Submit {});
    double apply_ms = ms_since(t0);
    INFO("Submit returned after " << apply_ms << " ms with the database locked");
    CHECK(apply_ms < 50); // before: 5000 ms (SQLite's busy timeout), then "not saved"
    CHECK(h.app().state().form.saving);
    h.mark_dirty();
    h.draw();
    ok(h.expect("Menyimpan\u2026"));
    // The screen goes on for half a second while the lock is held: every tick is quick, and
    // the form stays as it is.
    double slowest = 0;
    auto until = Clock::now() + std::chrono::milliseconds(500);
    REQUIRE(tick_until(
        h, [&] { return Clock::now() > until; }, 2000, &slowest));
    INFO("slowest tick " << slowest << " ms");
    CHECK(slowest < 20);
    CHECK(h.app().state().screen() == ScreenId::Request);
    CHECK(h.app().state().form.saving);

    REQUIRE(locker->exec("COMMIT").ok());
    REQUIRE(tick_until(
        h, [&] { return h.app().state().screen() == ScreenId::RequestDone; }, 10'000, nullptr));
    CHECK_FALSE(h.app().state().form.saving);
    h.draw();
    CHECK(h.visible_ticket_code());
    CHECK(tickets_in(d.db_path) == 1);
}

TEST_CASE_METHOD(LockedSave, "a double tap on Kirim while the save waits saves one ticket") {
    ok(h.tap("Kirim"));
    ok(h.tap("Menyimpan\u2026")); // the same button, tapped again while it saves
    h.app().apply(act::Submit {});
    REQUIRE(locker->exec("COMMIT").ok());
    h.app().settle();
    CHECK(h.app().state().screen() == ScreenId::RequestDone);
    CHECK(tickets_in(d.db_path) == 1);
}

TEST_CASE_METHOD(LockedSave,
    "a save that finishes after the idle reset keeps the ticket and shows the next visitor "
    "nothing of it") {
    App& app = h.app();
    auto const& s = app.state();
    app.apply(act::Submit {});
    REQUIRE(s.form.saving);
    // The visitor walks away while the sync agent holds the lock: "Masih di sana?", then the
    // idle reset. The save is still waiting on the worker.
    auto const& opt = app.options();
    int64_t t = app.now_ms() + opt.idle_timeout_ms + 1000;
    h.advance(t, fixed_unix_time + t / 1000);
    REQUIRE(s.idle_prompt);
    t += opt.idle_countdown_ms + 1000;
    h.advance(t, fixed_unix_time + t / 1000);
    REQUIRE(s.screen() == ScreenId::Attract);
    REQUIRE(app.busy());
    // The next visitor opens the request form; its check waits behind the save.
    app.apply(act::Wake {});
    app.apply(act::OpenRequest {});

    REQUIRE(locker->exec("COMMIT").ok());
    app.settle();
    // The ticket is kept (and logged), but its result (act::TicketSaved) belongs to a visit that
    // is gone: the new visitor sees an empty form, not the first visitor's code.
    CHECK(tickets_in(d.db_path) == 1);
    CHECK(s.screen() == ScreenId::Request);
    CHECK_FALSE(s.ticket);
    CHECK(s.ticket_qr.data.empty());
    CHECK_FALSE(s.form.saving);
    CHECK_FALSE(s.form.save_failed);
    CHECK(s.form.name.empty());
    h.mark_dirty();
    h.draw();
    CHECK_FALSE(h.visible_ticket_code());
}

#ifdef KSD_DEMO_DIR
TEST_CASE("a pack import reports its bytes through each stage up to the pack's size") {
    ksd::test::TempDir dir;
    std::string const pack = std::string(KSD_DEMO_DIR) + "/ksd-demo.pack";
    auto key = ksd::minisign::load_public_key(std::string(KSD_DEMO_DIR) + "/ksd-demo.pub");
    REQUIRE(key.ok());
    int64_t const size = int64_t(std::filesystem::file_size(pack));
    std::vector<ksd::ImportProgress> seen;
    auto imported
        = ksd::import_pack(pack, dir / "ksd.pack", *key, 0, [&](ksd::ImportProgress const& p) {
              seen.push_back(p);
              return ksd::Proceed::Go;
          });
    REQUIRE(imported.ok());
    REQUIRE(seen.size() >= 3);
    for (size_t i = 1; i < seen.size(); ++i) {
        INFO("report " << i);
        CHECK(seen[i].size == size);
        CHECK(seen[i].fraction() >= seen[i - 1].fraction()); // never goes back
    }
    // Each stage ends at the pack's size; the last report is the whole import.
    for (auto stage :
        {ksd::ImportStage::Checking, ksd::ImportStage::Copying, ksd::ImportStage::Verifying}) {
        int64_t last = -1;
        for (auto const& p : seen)
            if (p.stage == stage)
                last = p.done;
        CHECK(last == size);
    }
    CHECK(seen.back().fraction() == Approx(1.0));
}

TEST_CASE("an import stopped mid-copy (the kiosk shutting down) leaves the old pack and no "
          "temporary file") {
    ksd::test::TempDir dir;
    std::string const pack = std::string(KSD_DEMO_DIR) + "/ksd-demo.pack";
    auto key = ksd::minisign::load_public_key(std::string(KSD_DEMO_DIR) + "/ksd-demo.pub");
    REQUIRE(key.ok());
    std::string const target = dir / "live/ksd.pack";
    std::filesystem::create_directories(dir / "live");
    ksd::test::spit(target, "the old pack");
    ksd::test::spit(target + ".minisig", "its signature");
    auto imported = ksd::import_pack(pack, target, *key, 0, [](ksd::ImportProgress const& p) {
        return p.stage == ksd::ImportStage::Copying ? ksd::Proceed::Stop : ksd::Proceed::Go;
    });
    REQUIRE_FALSE(imported.ok());
    CHECK(imported.error().message.find("stopped") != std::string::npos);
    CHECK(ksd::test::slurp(target) == "the old pack");
    CHECK(ksd::test::slurp(target + ".minisig") == "its signature");
    int files = 0;
    for (auto const& e : std::filesystem::directory_iterator(dir / "live")) {
        INFO(e.path());
        ++files;
    }
    CHECK(files == 2);
}

TEST_CASE("a staff import runs on the worker: the staff screen shows its bytes and then the "
          "result") {
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_with_usb_stick(dir);
    std::string const usb = d.usb_dirs.front(); // the stick is usb/stick
    auto k = test::make_kiosk_with_desk(d, {1280, 800});
    auto& h = k->host();
    h.app().preview_staff_mode();
    h.mark_dirty();
    h.draw();
    ok(h.expect("ksd-demo.pack"));
    h.app().set_effect_wait(EffectWait::Background);
    ok(h.tap("Impor"));
    // At once, before the worker said anything: the stage and the pack's size.
    CHECK(h.app().state().staff.importing);
    CHECK(h.app().state().staff.import_progress.size
        == int64_t(std::filesystem::file_size(usb + "/stick/ksd-demo.pack")));
    h.mark_dirty();
    h.draw();
    ok(h.expect("dari"));
    // For a look at the band (not a golden: the bytes depend on when the worker reports).
    ok(k->canvas().save_png(std::string(KSD_TEST_OUT_DIR) + "/staff-importing.png"));
    REQUIRE(tick_until(
        h, [&] { return !h.app().state().staff.importing; }, 10'000, nullptr));
    h.draw();
    ok(h.expect("dipasang"));
    CHECK(ksd::test::slurp(d.pack_path) == ksd::test::slurp(usb + "/stick/ksd-demo.pack"));
}

TEST_CASE("the kiosk shutting down during an import leaves a whole pack or none") {
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_in(dir);
    REQUIRE(ksd::test::run("mkdir -p " + dir / "live") == 0);
    d.pack_path = dir / "live/ksd.pack";
    d.public_key_path = std::string(KSD_DEMO_DIR) + "/ksd-demo.pub";
    ksd::test::spit(d.pack_path, "the old pack");
    {
        auto k = test::make_kiosk({800, 480});
        k->app().set_desk(make_device_desk(d));
        k->app().preview_staff_mode();
        k->app().set_effect_wait(EffectWait::Background);
        k->app().apply(act::StaffImport {std::string(KSD_DEMO_DIR) + "/ksd-demo.pack"});
        CHECK(k->app().state().staff.importing);
    } // the App goes: its worker is stopped and joined
    std::string now = ksd::test::slurp(d.pack_path);
    bool whole = now == "the old pack"
        || now == ksd::test::slurp(std::string(KSD_DEMO_DIR) + "/ksd-demo.pack");
    CHECK(whole);
    for (auto const& e : std::filesystem::directory_iterator(dir / "live")) {
        INFO(e.path());
        CHECK(e.path().string().find(".tmp-") == std::string::npos);
    }
}
#endif
