// The consultation request as a visitor meets it: the wizard typed on the on-screen keyboard,
// validation next to the fields, the ticket code, the status lookup, the wipes on idle and on
// leaving, the calm refusal when storage is unusable, and staff mode behind gesture and PIN.
// Label-driven, over a real device database file in a temporary directory.
#include "kiosk_fixture.h"
#include "ksd/date.h"
#include "ksd/device_db.h"
#include "ksd/staff_pin.h"
#include "ksd/tickets.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::ui;
using kiosk::test::ok;

TEST_CASE("a visitor leaves a request on the on-screen keyboard and gets a code that works") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir));
    auto& h = k->host();
    test::fill_request_form(h);
    // Consent is never pre-ticked: going on without it is refused.
    ok(h.tap("Lanjut"));
    ok(h.expect("Centang persetujuan untuk melanjutkan."));
    CHECK(h.app().state().form.step == Step::Consent);
    ok(h.tap("Saya setuju data saya diproses untuk konsultasi ini."));
    ok(h.tap("Lanjut"));
    ok(h.expect("Periksa dan kirim"));
    ok(h.expect("+6281234567890")); // normalised for the review
    ok(h.tap("Kirim"));
    REQUIRE(h.app().state().screen() == ScreenId::RequestDone);
    ok(h.expect("Tersimpan di anjungan dan akan dikirim otomatis saat jaringan tersedia."));
    auto code = h.visible_ticket_code();
    REQUIRE(code);
    CHECK_FALSE(h.text_visible("Siti Rahma")); // the code screen shows no personal data

    // The row is in the database file, as typed (normalised), with consent recorded.
    {
        auto db = ksd::open_device_db(dir / "device.db");
        REQUIRE(db.ok());
        auto t = ksd::find_ticket_by_code(*db, *code);
        REQUIRE(t.ok());
        REQUIRE(t->has_value());
        CHECK(t->value().input.name == "Siti Rahma");
        CHECK(t->value().input.phone == "+6281234567890");
        CHECK(t->value().input.category == "pihak-ketiga");
        CHECK(t->value().input.topic == "draf");
        CHECK_FALSE(t->value().input.consent_version.empty());
        CHECK(t->value().kiosk_id == "kiosk-test");
    }

    // Done: back home, and the form is empty for the next visitor.
    ok(h.tap("Selesai"));
    CHECK(h.app().state().screen() == ScreenId::Home);
    CHECK(h.app().state().form.name.empty());

    // Status lookup with a wrong check says so and reveals nothing, then the right one works.
    ok(h.tap("Cek Status Tiket"));
    ok(h.tap("Kode tiket"));
    ok(h.type(code->substr(0, 5) + code->substr(6))); // typed without the dash
    ok(h.tap("Selesai"));
    ok(h.tap("4 angka terakhir nomor HP atau e-mail"));
    ok(h.type("1111"));
    ok(h.tap("Selesai"));
    ok(h.tap("Cek Status"));
    ok(h.expect("tidak cocok"));
    CHECK_FALSE(h.text_visible("Diterima di anjungan"));
    ok(h.tap("4 angka terakhir nomor HP atau e-mail"));
    for (int i = 0; i < 4; ++i)
        ok(h.tap("Hapus"));
    ok(h.type("7890"));
    ok(h.tap("Selesai"));
    ok(h.tap("Cek Status"));
    ok(h.expect("Diterima di anjungan"));
    ok(h.expect("Menunggu jaringan untuk dikirim"));
    CHECK_FALSE(h.text_visible("Siti"));
}

TEST_CASE("problems are named next to their fields, in the visitor's language") {
    ksd::test::TempDir dir;
    for (auto lang : {ksd::Lang::Id, ksd::Lang::En}) {
        auto k = test::make_kiosk_with_desk(test::desk_in(dir));
        auto& h = k->host();
        h.app().apply(act::Wake {});
        if (lang == ksd::Lang::En)
            h.app().apply(act::SetLang {ksd::Lang::En});
        ok(navigate_to(h, "request-problems"));
        h.draw();
        auto const& f = h.app().state().form;
        CHECK(f.step == Step::Contact);
        CHECK(f.contact.phone == ksd::FieldProblem::PhoneEmergency);
        CHECK(f.contact.email == ksd::FieldProblem::EmailInvalid);
        ok(h.expect(std::string(ksd::problem_message(ksd::FieldProblem::PhoneEmergency, lang))));
        ok(h.expect(std::string(ksd::problem_message(ksd::FieldProblem::EmailInvalid, lang))));
        // Fixing the field clears its message at once.
        h.app().apply(act::SetField {Field::Phone, "0812 3456 7890"});
        h.app().apply(act::SetField {Field::Email, ""});
        h.draw();
        CHECK_FALSE(h.text_visible(
            std::string(ksd::problem_message(ksd::FieldProblem::PhoneEmergency, lang))));
        ok(h.tap(lang == ksd::Lang::Id ? "Lanjut" : "Next"));
        CHECK(h.app().state().form.step == Step::Question);
    }
}

TEST_CASE("a field stops at its limit and the counter shows it") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir));
    auto& h = k->host();
    ok(navigate_to(h, "request-question"));
    std::string at_limit(ksd::RequestLimits::question_max, 'a');
    h.app().apply(act::SetField {Field::Question, at_limit});
    CHECK(h.app().state().form.question.size() == ksd::RequestLimits::question_max);
    h.app().apply(act::SetField {Field::Question, at_limit + "b"});
    CHECK(h.app().state().form.question == at_limit);
    h.draw();
    ok(h.expect("1000/1000"));
    // Invalid UTF-8 never enters a field.
    h.app().apply(act::SetField {Field::Name, "ab\xC3"});
    CHECK(h.app().state().form.name == "Siti Rahma");
}

TEST_CASE("what a visitor typed is wiped on idle and on leaving, never shown to the next") {
    ksd::test::TempDir dir;
    AppOptions options;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir));
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Ajukan Konsultasi"));
    ok(h.tap("Masyarakat umum"));
    ok(h.tap("Lanjut"));
    ok(h.tap("Lainnya"));
    ok(h.tap("Lanjut"));
    ok(h.tap("Nama"));
    ok(h.type("Budi Santoso"));
    ok(h.expect("Budi Santoso"));
    REQUIRE(k->renderer().caches_text_containing("Budi")); // the check below can see it
    // The visitor walks away: prompt, countdown, attract.
    int64_t t = h.app().now_ms();
    int64_t unix = h.app().state().unix_time;
    for (int64_t ms = 0; ms <= options.idle_timeout_ms + options.idle_countdown_ms + 1000;
         ms += 500) {
        if (h.advance(t + ms, unix + ms / 1000))
            h.draw();
    }
    REQUIRE(h.app().state().screen() == ScreenId::Attract);
    CHECK(h.app().state().form.name.empty());
    h.draw();
    CHECK_FALSE(k->renderer().caches_text_containing("Budi")); // not even in a texture cache
    // The next visitor opens the form: empty, on step 1, the name nowhere.
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Ajukan Konsultasi"));
    CHECK(h.app().state().form.step == Step::Who);
    CHECK(h.app().state().form.category.empty());
    CHECK_FALSE(h.text_visible("Budi"));

    // Leaving by "Beranda" wipes too, after asking; "Kembali" inside the wizard keeps the steps.
    ok(h.tap("Masyarakat umum"));
    ok(h.tap("Lanjut"));
    ok(h.tap("Kembali"));
    CHECK(h.app().state().form.step == Step::Who);
    CHECK(h.app().state().form.category == "masyarakat");
    ok(h.tap("Beranda"));
    ok(h.expect("Buang isian?"));
    // While it asks, the form behind cannot be touched.
    CHECK_FALSE(h.tap("Lanjut").ok());
    ok(h.tap("Lanjut mengisi"));
    CHECK(h.app().state().screen() == ScreenId::Request);
    CHECK(h.app().state().form.category == "masyarakat");
    CHECK_FALSE(h.text_visible("Buang isian?"));
    // "Kembali" on the first step would leave the form: it asks too.
    ok(h.tap("Kembali"));
    ok(h.expect("Buang isian?"));
    ok(h.tap("Buang isian"));
    CHECK(h.app().state().screen() == ScreenId::Home);
    ok(h.tap("Ajukan Konsultasi"));
    CHECK(h.app().state().form.category.empty());
    // An untouched form is left without a question.
    ok(h.tap("Beranda"));
    CHECK(h.app().state().screen() == ScreenId::Home);
    ok(h.tap("Ajukan Konsultasi"));
    ok(h.tap("Masyarakat umum"));
    ok(h.tap("Beranda"));
    ok(h.tap("Buang isian"));
    CHECK(h.app().state().form.category.empty());
    // No ticket was saved by any of this.
    auto db = ksd::open_device_db(dir / "device.db");
    REQUIRE(db.ok());
    auto counts = ksd::queue_counts(*db);
    REQUIRE(counts.ok());
    CHECK(counts->queued == 0);
}

TEST_CASE("unusable storage: requests are refused politely and browsing goes on") {
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_in(dir);
    d.db_path = dir.path() + "/missing-dir/device.db"; // cannot be created
    auto k = test::make_kiosk_with_desk(d);
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Ajukan Konsultasi"));
    CHECK(h.app().state().screen() == ScreenId::RequestClosed);
    ok(h.expect("belum dapat diterima"));
    CHECK_FALSE(h.text_visible("SQLite"));
    CHECK_FALSE(h.text_visible("unable to open"));
    ok(h.tap("Kontak & TKKSD"));
    CHECK(h.app().state().screen() == ScreenId::Contacts);
}

TEST_CASE("a device database the kiosk may not write is told at once, before the first step") {
    // Found by an outside test: SQLite opened the read-only file for reading without a word, and
    // the visitor learnt of it only on pressing "Kirim" after six steps.
    ksd::test::TempDir dir;
    { REQUIRE(ksd::open_device_db(dir / "device.db").ok()); }
    std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
    std::filesystem::permissions(dir / "device.db",
        std::filesystem::perms::owner_read | std::filesystem::perms::group_read
            | std::filesystem::perms::others_read);
    // 0: refused at once; 1: the form opened; 2: the kiosk could not be driven; 3: no way to
    // give up root. The kiosk loads its fonts and pack first, as the service does at start.
    int const outcome = ksd::test::in_child_when_root([&] {
        auto k = test::make_kiosk_with_desk(test::desk_in(dir));
        if (!ksd::test::drop_privileges())
            return 3;
        auto& h = k->host();
        if (!h.tap("Sentuh layar untuk mulai").ok() || !h.tap("Ajukan Konsultasi").ok())
            return 2;
        if (h.app().state().screen() != ScreenId::RequestClosed)
            return 1;
        return h.expect("belum dapat diterima").ok() ? 0 : 2;
    });
    CHECK(outcome == 0);
}

TEST_CASE("a save that fails after the review says so and claims nothing") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir));
    auto& h = k->host();
    ok(navigate_to(h, "request-review"));
    // Another process holds the database's write lock for longer than the kiosk waits (a real
    // failure: a stuck writer); the file stays readable. Works as root too, unlike file modes.
    auto other
        = ksd::Db::open(dir / "device.db", ksd::OpenMode::ReadWrite, ksd::Durability::Full, 0);
    REQUIRE(other.ok());
    REQUIRE(other->exec("BEGIN EXCLUSIVE").ok());
    ok(h.tap("Kirim"));
    CHECK(h.app().state().screen() == ScreenId::Request);
    ok(h.expect("Maaf, permintaan belum tersimpan."));
    CHECK_FALSE(h.visible_ticket_code());
    REQUIRE(other->exec("ROLLBACK").ok());
    // The lock is gone: the same form is sent, and only now is there a code.
    ok(h.tap("Kirim"));
    CHECK(h.app().state().screen() == ScreenId::RequestDone);
    CHECK(h.visible_ticket_code());
}

TEST_CASE("staff mode: hidden gesture, PIN with growing delays, health without personal data") {
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_in(dir);
    auto hash = ksd::hash_staff_pin("246810");
    REQUIRE(hash.ok());
    d.pin_hash = hash.value();
    REQUIRE(ksd::test::run("mkdir -p " + dir / "usb/ksd") == 0);
    d.usb_dirs = {dir / "usb"};
    auto k = test::make_kiosk_with_desk(d);
    auto& h = k->host();
    // One saved ticket, so the counts have something to count.
    ok(navigate_to(h, "request-done"));
    ok(h.tap("Selesai"));
    // Four taps do nothing; the fifth within three seconds opens the PIN pad.
    for (int i = 0; i < 4; ++i)
        ok(h.tap("staff-gesture"));
    CHECK(h.app().state().screen() == ScreenId::Home);
    ok(h.tap("staff-gesture"));
    REQUIRE(h.app().state().screen() == ScreenId::StaffPin);
    ok(h.type("1234"));
    ok(h.tap("Masuk"));
    ok(h.expect("PIN salah."));
    CHECK(h.app().state().screen() == ScreenId::StaffPin);
    ok(h.type("246810"));
    ok(h.tap("Masuk"));
    REQUIRE(h.app().state().screen() == ScreenId::Staff);
    ok(h.expect("Antrean: menunggu / dikirim"));
    ok(h.expect("1 / 0"));
    ok(h.expect("kiosk-test"));
    ok(h.expect("Tidak ada paket"));
    CHECK_FALSE(h.text_visible("Siti"));
    CHECK_FALSE(h.text_visible("+62"));
    ok(h.tap("Keluar"));
    CHECK(h.app().state().screen() == ScreenId::Attract);
}

TEST_CASE("a receipt goes to the configured printer, and without one there is no button") {
    ksd::test::TempDir dir;
    {
        auto k = test::make_kiosk_with_desk(test::desk_in(dir));
        auto& h = k->host();
        ok(navigate_to(h, "request-done"));
        h.draw();
        CHECK_FALSE(h.text_visible("Cetak bukti"));
    }
    // The printer's device file is stood in for by a plain file (no /dev/usb/lp0 here); the
    // desk opens it exactly as it opens the device.
    DeskConfig d = test::desk_in(dir);
    d.printer_device = dir / "lp0";
    ksd::test::spit(d.printer_device, "");
    auto k = test::make_kiosk_with_desk(d);
    auto& h = k->host();
    ok(navigate_to(h, "request-done"));
    h.draw();
    auto code = h.visible_ticket_code();
    REQUIRE(code);
    ok(h.tap("Cetak bukti"));
    ok(h.expect("Bukti sedang dicetak."));
    std::string bytes = ksd::test::slurp(d.printer_device);
    CHECK(bytes.starts_with("\x1b@"));
    CHECK(bytes.find(*code) != std::string::npos);
    CHECK(bytes.find("Siti") == std::string::npos); // no personal data on paper
    // The printer unplugged: a calm message, the code stays on screen.
    REQUIRE(::unlink(d.printer_device.c_str()) == 0);
    ok(h.tap("Cetak bukti"));
    ok(h.expect("Printer tidak dapat digunakan saat ini."));
    CHECK(h.visible_ticket_code() == code);
}

#ifdef KSD_DEMO_DIR
TEST_CASE("staff mode imports a signed pack from a USB stick") {
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_with_usb_stick(dir);
    std::string const usb = d.usb_dirs.front(); // the stick is usb/stick
    auto hash = ksd::hash_staff_pin("9753");
    REQUIRE(hash.ok());
    d.pin_hash = hash.value();
    auto k = test::make_kiosk_with_desk(
        d, {1280, 800}); // the pack list below the health rows, unscrolled
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    for (int i = 0; i < 5; ++i)
        ok(h.tap("staff-gesture"));
    ok(h.type("9753"));
    ok(h.tap("Masuk"));
    REQUIRE(h.app().state().screen() == ScreenId::Staff);
    ok(h.expect("ksd-demo.pack"));
    ok(h.tap("Impor"));
    ok(h.expect("dipasang"));
    CHECK(ksd::test::slurp(d.pack_path) == ksd::test::slurp(usb + "/stick/ksd-demo.pack"));
    CHECK(ksd::test::slurp(d.pack_path + ".minisig")
        == ksd::test::slurp(usb + "/stick/ksd-demo.pack.minisig"));
    // A tampered copy is refused with its reason, and the installed pack stays as it was.
    REQUIRE(
        ksd::test::run("mkdir -p " + usb + "/bad && cp " + usb + "/stick/* " + usb + "/bad/") == 0);
    REQUIRE(ksd::test::run("printf 'X' | dd of=" + usb
                + "/bad/ksd-demo.pack bs=1 seek=5000 conv=notrunc 2> /dev/null")
        == 0);
    std::string before = ksd::test::slurp(d.pack_path);
    h.app().apply(act::StaffRefresh {});
    h.app().apply(act::StaffImport {usb + "/bad/ksd-demo.pack"});
    CHECK_FALSE(h.app().state().staff.import_ok);
    CHECK_FALSE(h.app().state().staff.import_message.empty());
    CHECK(ksd::test::slurp(d.pack_path) == before);
}
#endif

TEST_CASE("five wrong status lookups pause the button, and leaving the screen does not undo it") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir));
    auto& h = k->host();
    h.app().apply(act::Wake {});
    h.app().apply(act::OpenStatus {});
    // Empty fields are not a guess.
    h.app().apply(act::LookUp {});
    CHECK(h.app().state().status.locked_until_ms == 0);
    for (int i = 0; i < 5; ++i) {
        h.app().apply(act::SetField {Field::Code, "7K3QD-9MRT9"});
        h.app().apply(act::SetField {Field::Check, std::to_string(1000 + i)});
        h.app().apply(act::LookUp {});
    }
    CHECK(h.app().state().status.locked_until_ms > 0);
    h.draw();
    ok(h.expect("Terlalu banyak percobaan."));
    REQUIRE(h.app().state().status.focus == Field::None); // no keyboard hides the button
    CHECK_FALSE(h.tap("Cek Status").ok()); // no button to press
    // Back to home and in again: still paused.
    h.app().apply(act::Home {});
    h.app().apply(act::OpenStatus {});
    CHECK(h.app().state().status.locked_until_ms > 0);
    // Half a minute later the button is back.
    int64_t t = h.app().now_ms();
    int64_t unix = h.app().state().unix_time;
    h.advance(t + 31'000, unix + 31);
    h.app().note_input();
    h.draw();
    CHECK(h.app().state().status.locked_until_ms == 0);
    h.app().apply(act::Focus {Field::None}); // the keyboard closed
    h.draw();
    ok(h.tap("Cek Status"));
}

TEST_CASE("staff mode opens from the being-updated screen, for a USB import without network") {
    AppOptions options;
    auto made = shell::Offscreen::create({800, 480}, nullptr, options);
    REQUIRE(made.ok());
    auto& h = made.value()->host();
    h.advance(0, fixed_unix_time);
    h.draw();
    REQUIRE(h.app().state().screen() == ScreenId::Unavailable);
    for (int i = 0; i < 5; ++i)
        ok(h.tap("staff-gesture"));
    REQUIRE(h.app().state().screen() == ScreenId::StaffPin);
    ok(h.tap("Kembali"));
    CHECK(h.app().state().screen() == ScreenId::Unavailable);
}

TEST_CASE("staff mode lists held requests, says a sync set-up error calmly, and sends them again") {
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_in(dir);
    std::vector<ksd::Ticket> saved;
    {
        auto db = ksd::open_device_db(d.db_path);
        REQUIRE(db.ok());
        ksd::TicketInput in;
        in.category = "Perangkat daerah";
        in.topic = "Kerja sama daerah";
        in.name = "Siti Rahma";
        in.phone = "+6281234567890";
        in.question = "Apa saja syarat PKS dengan desa?";
        in.consent_version = "2026-1";
        for (int i = 0; i < 2; ++i) {
            auto t = ksd::save_ticket(*db, in, "kiosk-test", {fixed_unix_time, true});
            REQUIRE(t.ok());
            saved.push_back(t.value());
        }
        REQUIRE(db->exec("UPDATE tickets SET state = 'quarantined', attempts = 2, last_error = "
                         "'refused: HTTP 413 payload_too_large: big'")
                    .ok());
        REQUIRE(ksd::set_state(*db, "sync.config_error",
            "configuration error: 2 queued ticket(s) were made with device.id 'kiosk-dev'")
                    .ok());
    }
    auto k = test::make_kiosk_with_desk(d, {1080, 1920});
    k->app().set_clock_trusted(true);
    auto& h = k->host();
    ok(navigate_to(h, "staff"));
    h.draw();
    ok(h.expect("Pengaturan sinkronisasi perlu diperbaiki"));
    ok(h.expect("Permintaan tertahan"));
    ok(h.expect(saved[0].code));
    CHECK_FALSE(h.text_visible("Siti"));
    auto ticket = [&](std::string const& id) {
        auto db = ksd::open_device_db(d.db_path);
        REQUIRE(db.ok());
        auto t = ksd::find_ticket_by_id(*db, id);
        REQUIRE(t.ok());
        REQUIRE(t->has_value());
        return t->value();
    };
    {
        // Opening the list counts as seen: the purge may run a retention period after now.
        auto db = ksd::open_device_db(d.db_path);
        REQUIRE(db.ok());
        auto st = db->prepare("SELECT min(quarantine_seen_at) FROM tickets");
        REQUIRE(st.ok());
        REQUIRE(st->step().ok());
        CHECK(st->column_int64(0) == fixed_unix_time);
    }
    ok(h.tap("Kirim ulang yang tertahan"));
    ok(h.expect("2 permintaan dikirim ulang ke antrean."));
    for (auto const& t : saved) {
        auto now = ticket(t.id);
        CHECK(now.state == ksd::DeliveryState::Queued);
        CHECK(now.attempts == 0);
        CHECK(now.last_error.empty());
    }
    CHECK_FALSE(h.text_visible(saved[0].code));
}

TEST_CASE("the status lookup shows every reply with its server date, scrolling when many") {
    ksd::test::TempDir dir;
    std::string code, id;
    int64_t const received = fixed_unix_time + 3600; // the server's clock
    {
        auto db = ksd::open_device_db(dir / "device.db");
        REQUIRE(db.ok());
        ksd::TicketInput in;
        in.category = "masyarakat";
        in.topic = "lainnya";
        in.name = "Siti Rahma";
        in.phone = "+6281234567890";
        in.question = "Apa saja syarat PKS dengan desa?";
        in.consent_version = "2026-1";
        // Saved while the kiosk's clock was not trusted: the server's estimate replaces it.
        auto t = ksd::save_ticket(*db, in, "kiosk-test", {0, false});
        REQUIRE(t.ok());
        code = t->code;
        id = t->id;
        REQUIRE(ksd::mark_acknowledged(*db, id, received).ok());
        std::vector<ksd::StaffReply> replies;
        for (int i = 1; i <= 8; ++i)
            replies.push_back({i, received + i * 86400, "responder",
                "Balasan nomor " + std::to_string(i) + " dari petugas."});
        REQUIRE(ksd::store_staff_replies(*db, id, replies).ok());
        REQUIRE(
            db->exec("UPDATE tickets SET server_status = 'Bukan kewenangan', server_referral "
                     "= 'Dinas Pertanian Kabupaten, Jl. Merdeka 1', server_received_at = "
                  + std::to_string(received)
                  + ", server_made_at = " + std::to_string(received - 120)
                  + ", server_made_at_estimated = 1, staff_reply = 'Balasan nomor 8 dari petugas.'")
                .ok());
    }
    auto k = test::make_kiosk_with_desk(test::desk_in(dir));
    auto& h = k->host();
    h.app().set_clock_trusted(false);
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Cek Status Tiket"));
    h.app().apply(act::SetField {Field::Code, code});
    h.app().apply(act::SetField {Field::Check, "7890"});
    h.app().apply(act::Focus {Field::None}); // the keyboard closed
    h.mark_dirty();
    ok(h.tap("Cek Status"));
    REQUIRE(h.app().state().status.found);
    CHECK(h.app().state().status.found->replies.size() == 8);
    // Dates from the server once delivered: the estimate is marked, nothing is "not yet known".
    ok(h.expect("(perkiraan)"));
    CHECK_FALSE(h.text_visible("tanggal belum pasti"));
    ok(h.expect("Status: Bukan wewenang kantor ini"));
    ok(h.expect("Dinas Pertanian Kabupaten, Jl. Merdeka 1"));
    CHECK_FALSE(h.text_visible("Balasan nomor 8 dari petugas."));
    // Dragging up brings the last reply, with its date, into view.
    int64_t t = h.app().now_ms();
    for (int drag = 0; drag < 20 && !h.text_visible("Balasan nomor 8 dari petugas."); ++drag) {
        h.handle({PointerKind::Down, {400, 420}});
        for (int i = 1; i <= 10; ++i) {
            t += 20;
            h.advance(t, fixed_unix_time);
            h.handle({PointerKind::Move, {400, 420 - i * 25}});
        }
        h.handle({PointerKind::Up, {400, 170}});
        for (int i = 0; i < 100 && h.ui().animating(); ++i) {
            t += 16;
            h.advance(t, fixed_unix_time);
            h.draw();
        }
        h.draw();
    }
    ok(h.expect("Balasan nomor 8 dari petugas."));
    ok(h.expect(ksd::format_date_long(ksd::date_in(received + 8 * 86400, ksd::Zone {}), false)));
}

TEST_CASE("the e-mail box shows only with an e-mail, is never pre-ticked, and is stored") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir));
    auto& h = k->host();
    test::fill_request_form(h); // a phone number only
    CHECK_FALSE(h.text_visible("Kirim balasan ke e-mail saya"));
    // With an e-mail: the box shows, unticked; sending without it records No.
    ok(h.tap("Sebelumnya"));
    ok(h.tap("Sebelumnya"));
    ok(h.tap("E-mail"));
    ok(h.type("siti@example.org"));
    ok(h.tap("Selesai"));
    ok(h.tap("Lanjut"));
    ok(h.tap("Lanjut"));
    ok(h.expect("Kirim balasan ke e-mail saya (tidak wajib)"));
    CHECK(h.app().state().form.email_replies == ksd::ReplyByEmail::No);
    ok(h.tap("Kirim balasan ke e-mail saya (tidak wajib)"));
    CHECK(h.app().state().form.email_replies == ksd::ReplyByEmail::Yes);
    // Ticking it is not consent to the request itself.
    ok(h.tap("Lanjut"));
    ok(h.expect("Centang persetujuan untuk melanjutkan."));
    ok(h.tap("Saya setuju data saya diproses untuk konsultasi ini."));
    ok(h.tap("Lanjut"));
    ok(h.expect("Ya, kirim ke e-mail saya"));
    ok(h.tap("Kirim"));
    auto code = h.visible_ticket_code();
    REQUIRE(code);
    auto db = ksd::open_device_db(dir / "device.db");
    REQUIRE(db.ok());
    auto t = ksd::find_ticket_by_code(*db, *code);
    REQUIRE(t.ok());
    REQUIRE(t->has_value());
    CHECK(t->value().input.email_replies == ksd::ReplyByEmail::Yes);
    CHECK(t->value().input.email == "siti@example.org");
}
