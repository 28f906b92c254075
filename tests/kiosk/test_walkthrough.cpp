// Issue 13, a visitor's walk-through at 800x480, 1080x1920 and 1920x1080: the register's results
// in sight while typing, links inside articles that work, no dead end without a content pack,
// the status lookup's fields, and staff mode's figures read as a person reads them.
#include "app/pack_content.h"
#include "kiosk_fixture.h"
#include "screens/screens.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::ui;
using kiosk::test::ok;

namespace {

// The on-screen keyboard's panel (recorded as a container by ui::keyboard), or an empty rect.
Rect keyboard_rect(Host& h, std::string_view id = "keyboard") {
    for (auto const& w : h.ui().widgets())
        if (w.role == Role::Container && w.label.starts_with(id)) // "keyboard-FIELD"
            return w.rect;
    return {};
}

bool fully_visible(WidgetRecord const& w) {
    return w.rect.x == w.full.x && w.rect.y == w.full.y && w.rect.w == w.full.w
        && w.rect.h == w.full.h;
}

WidgetRecord const* widget(Host& h, Role role, std::string_view label) {
    for (auto const& w : h.ui().widgets())
        if (w.role == role && w.label == label)
            return &w;
    return nullptr;
}

// Drags the content up a few times (a scroll view's end comes into sight).
void fling_up(Host& h, Size size) {
    for (int i = 0; i < 6; ++i) {
        h.handle({PointerKind::Down, {size.w / 2, size.h * 3 / 4}});
        h.handle({PointerKind::Move, {size.w / 2, size.h / 2}});
        h.handle({PointerKind::Move, {size.w / 2, size.h / 4}});
        h.handle({PointerKind::Up, {size.w / 2, size.h / 4}});
        h.draw();
    }
}

// Presses and releases at the middle of a rectangle, as a finger does.
void tap_rect(Host& h, Rect r) {
    Point p = r.center();
    h.handle({PointerKind::Down, p});
    h.draw();
    h.handle({PointerKind::Up, p});
    h.draw();
}

OfficeContact test_office() {
    return {"Bagian Kerja Sama, Setda Kabupaten Contoh (fiktif)", "(0768) 000000",
        "Jl. Contoh No. 1, Tembilahan", "Senin-Kamis 07.30-16.00, Jumat 07.30-11.30"};
}

std::unique_ptr<shell::Offscreen> kiosk_without_pack(Size size, ksd::test::TempDir const& dir) {
    AppOptions options;
    options.office = test_office();
    auto made = shell::Offscreen::create(size, nullptr, options);
    if (!made.ok())
        FAIL("cannot create the offscreen kiosk: " << made.error().message);
    auto k = made.release_value();
    k->app().set_desk(make_device_desk(test::desk_in(dir)));
    k->host().advance(0, fixed_unix_time);
    k->host().draw();
    return k;
}

} // namespace

#ifdef KSD_DEMO_DIR
// Finding 5: at 800x480 the keyboard (five rows) under the full search header left room for one
// result. "tanjung" matches three agreements of the demo content.
TEST_CASE("typing in the register leaves at least three results in sight above the keyboard") {
    for (Size size : {Size {800, 480}, Size {1280, 800}, Size {1920, 1080}}) {
        for (auto lang : {ksd::Lang::Id, ksd::Lang::En}) {
            auto content
                = open_pack(std::string(KSD_DEMO_DIR) + "/ksd-demo.pack", "", Verify::None);
            REQUIRE(content.ok());
            AppOptions options;
            options.default_lang = lang;
            auto made = shell::Offscreen::create(size, content.release_value(), options);
            REQUIRE(made.ok());
            auto& h = made.value()->host();
            h.advance(0, fixed_unix_time);
            ok(navigate_to(h, "register"));
            h.draw();
            ok(h.tap(tr(lang, S::SearchPlaceholder)));
            ok(h.type("tanjung"));
            REQUIRE(h.app().state().reg.results.size() >= 3);
            Rect kb = keyboard_rect(h);
            REQUIRE(kb.h > 0);
            int in_sight = 0;
            for (auto const& w : h.ui().widgets())
                if (w.role == Role::ListItem && fully_visible(w) && w.full.bottom() <= kb.y)
                    ++in_sight;
            INFO(size.w << "x" << size.h << (lang == ksd::Lang::En ? " EN" : " ID") << "\n"
                        << h.describe());
            CHECK(in_sight >= 3);
            // The query is still in sight, and a result opens from there.
            ok(h.expect("tanjung"));
            ok(h.tap(h.app().state().reg.results.front().partner));
            CHECK(h.app().state().screen() == ScreenId::RegisterDetail);
        }
    }
}
#endif

// Finding 6: underlined words in an article were drawn as links and did nothing.
TEST_CASE("a link inside an article opens the page it names, an outside one shows its QR code") {
    std::string const url = "https://jdih.example.go.id/perda/2024/7";
    auto content = make_sample_content();
    content->pages_id[0].markdown = "Baca [alur kerja sama](page:alur-ksd) dan [peraturan "
                                    "daerahnya]("
        + url + ").\n\n" + content->pages_id[0].markdown;
    auto k = test::make_kiosk({800, 480}, {}, std::move(content));
    auto& h = k->host();
    ok(navigate_to(h, "article"));
    h.draw();
    REQUIRE(h.app().state().page->id == "tentang-ksd");

    auto const* inside = widget(h, Role::Link, "alur kerja sama");
    INFO(h.describe());
    REQUIRE(inside != nullptr);
    tap_rect(h, inside->rect);
    CHECK(h.app().state().screen() == ScreenId::Article);
    CHECK(h.app().state().page->id == "alur-ksd");
    ok(h.tap("Kembali"));
    REQUIRE(h.app().state().page->id == "tentang-ksd");

    auto const* outside = widget(h, Role::Link, "peraturan daerahnya");
    REQUIRE(outside != nullptr);
    tap_rect(h, outside->rect);
    CHECK(h.app().state().screen() == ScreenId::Article); // no browser: the page stays
    CHECK(h.app().state().link_qr == url);
    ok(h.expect(url)); // the address in words under the code
    ok(h.expect("Tautan ke situs lain"));
    bool qr = false;
    for (auto const& w : h.ui().widgets())
        qr = qr || (w.role == Role::Qr && fully_visible(w));
    CHECK(qr);
    // The dialog is modal: the article's link under it cannot be pressed.
    CHECK(widget(h, Role::Link, "peraturan daerahnya")->layer < screens::layer_picker);
    ok(h.tap("Tutup"));
    CHECK(h.app().state().link_qr.empty());
    CHECK(h.app().state().screen() == ScreenId::Article);
}

// Finding 7: without a usable pack the calm screen was a dead end.
TEST_CASE("without a content pack, requests, the status lookup and the office's contacts remain") {
    for (Size size : {Size {800, 480}, Size {1080, 1920}, Size {1920, 1080}}) {
        INFO(size.w << "x" << size.h);
        ksd::test::TempDir dir;
        auto k = kiosk_without_pack(size, dir);
        auto& h = k->host();
        REQUIRE(h.app().state().screen() == ScreenId::Unavailable);
        auto office = test_office();
        for (auto const* text :
            {&office.institution, &office.phone, &office.address, &office.hours})
            ok(h.expect(*text));
        Rect screen {0, 0, size.w, size.h};
        for (auto const& w : h.ui().widgets()) {
            INFO(w.label);
            CHECK(screen.contains(w.rect));
            // With 4 mm text the calm screen scrolls at 800x480: only its scroll view may cut
            // a widget (test_layout's check_drawn checks each text run's cuts).
            bool in_view = false;
            for (auto const& v : h.ui().widgets())
                if (v.role == Role::ScrollView && v.rect.contains(w.rect))
                    in_view = true;
            CHECK((fully_visible(w) || in_view));
        }

        // A request, start to finish, from the calm screen.
        ok(h.tap("Ajukan Konsultasi"));
        REQUIRE(h.app().state().screen() == ScreenId::Request);
        ok(h.tap("Pihak ketiga (badan usaha, perguruan tinggi, organisasi masyarakat)"));
        ok(h.tap("Lanjut"));
        ok(h.tap("Draf dokumen (KB, PKS, NK)"));
        ok(h.tap("Lanjut"));
        h.app().apply(act::SetField {Field::Name, "Siti Rahma"});
        h.app().apply(act::SetField {Field::Phone, "081234567890"});
        h.draw();
        ok(h.tap("Lanjut"));
        h.app().apply(act::SetField {Field::Question, "Apa saja syarat PKS?"});
        h.draw();
        ok(h.tap("Lanjut"));
        ok(h.tap("Saya setuju data saya diproses untuk konsultasi ini."));
        ok(h.tap("Lanjut"));
        ok(h.tap("Kirim"));
        REQUIRE(h.app().state().screen() == ScreenId::RequestDone);
        auto code = h.visible_ticket_code();
        REQUIRE(code);
        ok(h.tap("Selesai"));
        CHECK(h.app().state().screen() == ScreenId::Unavailable);

        // Its status, from the calm screen too; "Kembali" returns there.
        ok(h.tap("Cek Status Tiket"));
        REQUIRE(h.app().state().screen() == ScreenId::Status);
        h.app().apply(act::SetField {Field::Code, *code});
        h.app().apply(act::SetField {Field::Check, "7890"});
        h.draw();
        ok(h.tap("Selesai")); // the keyboard
        ok(h.tap("Cek Status"));
        ok(h.expect("Diterima di anjungan"));
        ok(h.tap("Kembali"));
        CHECK(h.app().state().screen() == ScreenId::Unavailable);
        CHECK(h.app().state().stack.size() == 1);
    }
}

TEST_CASE("requests that cannot be taken point to the office of the config when there is no pack") {
    AppOptions options;
    options.office = test_office();
    auto made = shell::Offscreen::create({800, 480}, nullptr, options);
    REQUIRE(made.ok());
    auto& h = made.value()->host();
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_in(dir);
    d.db_path = dir.path() + "/missing-dir/device.db"; // cannot be created
    h.app().set_desk(make_device_desk(d));
    h.advance(0, fixed_unix_time);
    h.draw();
    ok(h.tap("Ajukan Konsultasi"));
    REQUIRE(h.app().state().screen() == ScreenId::RequestClosed);
    ok(h.expect(test_office().phone));
    ok(h.expect("Hubungi kami"));
}

// Finding 7: the keyboard left only the focused field above it; the other one was out of sight.
TEST_CASE("while typing a status lookup, the focused field and the other one stay above the keys") {
    for (auto size : test::all_sizes()) {
        for (auto lang : {ksd::Lang::Id, ksd::Lang::En}) {
            AppOptions options;
            options.default_lang = lang;
            auto k = test::make_kiosk(size, options);
            auto& h = k->host();
            ok(navigate_to(h, "status"));
            for (Field focus : {Field::Code, Field::Check}) {
                h.app().apply(act::Focus {focus});
                h.draw();
                Rect kb = keyboard_rect(h);
                REQUIRE(kb.h > 0);
                auto const* code = widget(h, Role::TextField, tr(lang, S::TicketCode));
                auto const* check = widget(h, Role::TextField, tr(lang, S::CheckHint));
                INFO(size.w << "x" << size.h << (lang == ksd::Lang::En ? " EN" : " ID") << " focus "
                            << int(focus) << "\n"
                            << h.describe());
                REQUIRE(code != nullptr);
                REQUIRE(check != nullptr);
                for (auto const* w : {code, check}) {
                    CHECK(fully_visible(*w));
                    CHECK(w->full.bottom() <= kb.y);
                }
                // The labels over the boxes say what to type: whole, not "Last 4 digits of
                // your pho…" (800x480, English; "4 angka terakhir nomor HP at…" in Indonesian).
                for (S key : {S::TicketCode, S::CheckHint}) {
                    auto const* label = widget(h, Role::Text, tr(lang, key));
                    CHECK(label != nullptr);
                    if (label)
                        CHECK(label->full.bottom() <= kb.y);
                }
            }
            // The other field is one tap away, keyboard still up.
            ok(h.tap(tr(lang, S::TicketCode)));
            CHECK(h.app().state().status.focus == Field::Code);
        }
    }
}

// Finding 7: "Cek Status" with a field empty answered "tidak cocok".
TEST_CASE("an empty status field is asked for by its name, not answered as no match") {
    ksd::test::TempDir dir;
    for (auto lang : {ksd::Lang::Id, ksd::Lang::En}) {
        AppOptions options;
        options.default_lang = lang;
        auto k = test::make_kiosk({800, 480}, options);
        k->app().set_desk(make_device_desk(test::desk_in(dir)));
        auto& h = k->host();
        ok(navigate_to(h, "status"));
        h.draw();
        ok(h.tap(tr(lang, S::Done))); // the keyboard opens on the code: closed untouched
        ok(h.tap(tr(lang, S::CheckStatus)));
        ok(h.expect(fill(lang, S::PleaseFillIn, {tr(lang, S::TicketCode)})));
        CHECK_FALSE(h.text_visible(tr(lang, S::NoMatch)));
        h.app().apply(act::SetField {Field::Code, "7K3QD-9MRT9"});
        h.draw();
        CHECK_FALSE(h.text_visible(fill(lang, S::PleaseFillIn, {tr(lang, S::TicketCode)})));
        ok(h.tap(tr(lang, S::CheckStatus)));
        ok(h.expect(fill(lang, S::PleaseFillIn, {tr(lang, S::CheckHint)})));
        CHECK_FALSE(h.text_visible(tr(lang, S::NoMatch)));
        // Both filled: now a wrong pair is "no match", as before.
        h.app().apply(act::SetField {Field::Check, "1234"});
        h.draw();
        ok(h.tap(tr(lang, S::CheckStatus)));
        ok(h.expect(tr(lang, S::NoMatch)));
    }
}

#ifdef KSD_DEMO_DIR
// Finding 10: the content version was a raw number, sizes under a MiB were "0 MiB", and the
// import's result landed under the pack list, out of sight at 800x480.
TEST_CASE(
    "staff mode says the content version as a date, sizes in fitting units, the import in sight") {
    ksd::test::TempDir dir;
    DeskConfig d = test::desk_with_usb_stick(dir);
    std::string const usb = d.usb_dirs.front(); // the stick is usb/stick
    {
        // The demo pack, built with SOURCE_DATE_EPOCH 1795366800: 2026-11-22 17:00 UTC.
        auto content = open_pack(std::string(KSD_DEMO_DIR) + "/ksd-demo.pack", "", Verify::None);
        REQUIRE(content.ok());
        REQUIRE(content.value()->meta().content_version == 20261122170000);
        auto made = shell::Offscreen::create({800, 480}, content.release_value(), {});
        REQUIRE(made.ok());
        auto& h = made.value()->host();
        h.advance(0, fixed_unix_time);
        h.app().set_desk(make_device_desk(d));
        h.app().preview_staff_mode();
        REQUIRE(h.app().state().screen() == ScreenId::Staff);
        h.draw();
        INFO(h.describe());
        CHECK(h.text_visible("23 November 2026, 00.00 WIB"));
        CHECK_FALSE(h.text_visible("20261122170000"));
    }
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    h.app().set_desk(make_device_desk(d));
    h.app().preview_staff_mode();
    REQUIRE(h.app().state().screen() == ScreenId::Staff);
    h.draw();
    fling_up(h, {800, 480});
    INFO(h.describe());
    // The pack's size (about 460 KiB) in KiB, not rounded down to "0 MiB".
    CHECK(h.text_visible("ksd-demo.pack  ("));
    CHECK(h.text_visible(" KiB, "));
    CHECK_FALSE(h.text_visible("(0 MiB"));
    h.app().apply(act::StaffImport {usb + "/stick/ksd-demo.pack"});
    h.draw();
    REQUIRE(h.app().state().staff.import_ok);
    bool in_sight = false;
    for (auto const& w : h.ui().widgets())
        if (w.label.find("dipasang") != std::string::npos) {
            CHECK(w.label.find("23 November 2026, 00.00 WIB") != std::string::npos);
            in_sight = in_sight || (fully_visible(w) && w.rect.bottom() <= 480);
        }
    CHECK(in_sight);
    // A refusal is in sight too.
    h.app().apply(act::StaffImport {dir / "no-such.pack"});
    h.draw();
    REQUIRE_FALSE(h.app().state().staff.import_ok);
    std::string start = h.app().state().staff.import_message.substr(0, 16);
    bool refusal = false;
    for (auto const& w : h.ui().widgets())
        if (w.role == Role::Text && w.label.starts_with(start))
            refusal = refusal || (fully_visible(w) && w.rect.bottom() <= 480);
    CHECK(refusal);
}
#endif

// Seen at 800x480 in English: "Consent to processing of personal da…" beside "Step 5 of 6".
TEST_CASE("the request step's title shows whole at every size, in both languages") {
    for (auto size : test::all_sizes()) {
        for (auto lang : {ksd::Lang::Id, ksd::Lang::En}) {
            for (bool large : {false, true}) {
                AppOptions options;
                options.default_lang = lang;
                auto k = test::make_kiosk(size, options);
                auto& h = k->host();
                if (large)
                    h.app().apply(act::ToggleTextSize {});
                ok(navigate_to(h, "request-consent"));
                h.draw();
                INFO(size.w << "x" << size.h << (lang == ksd::Lang::En ? " EN" : " ID")
                            << (large ? " large" : "") << "\n"
                            << h.describe());
                auto const* title = widget(h, Role::Text, tr(lang, S::StepConsent));
                REQUIRE(title != nullptr);
                CHECK(title->rect == title->full);
            }
        }
    }
}
