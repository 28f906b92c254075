// Label-driven visits: tap by label, type by pressing on-screen keys, expect visible text.
// No pixels are inspected here.
#include "app/pack_content.h"
#include "kiosk_fixture.h"
#include "ksd/files.h"
#include "test_support.h"
#include "ui/keyboard.h"

using namespace kiosk;
using namespace kiosk::ui;
using kiosk::test::ok;

TEST_CASE("the first touch on the attract screen only wakes the kiosk") {
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    h.draw();
    REQUIRE(h.app().state().screen() == ScreenId::Attract);
    ok(h.expect("Sentuh layar untuk mulai"));
    // Touch where the "Daftar Kerja Sama" tile will be on home: it must not open.
    h.handle({PointerKind::Down, {400, 200}});
    h.draw();
    h.handle({PointerKind::Up, {400, 200}});
    h.draw();
    CHECK(h.app().state().screen() == ScreenId::Home);
    CHECK(h.app().state().stack.size() == 2);
    ok(h.expect("Daftar Kerja Sama"));
}

TEST_CASE("a visitor searches the register by typing on the on-screen keyboard") {
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Daftar Kerja Sama"));
    CHECK(h.app().state().screen() == ScreenId::Register);
    ok(h.expect("6 perjanjian"));
    ok(h.tap("Cari mitra, perihal, nomor"));
    ok(h.type("kelapa"));
    CHECK(h.app().state().reg.query == "kelapa");
    ok(h.expect("2 perjanjian"));
    ok(h.expect("PT Contoh Kelapa Lestari"));
    CHECK_FALSE(h.text_visible("Kabupaten Contoh Hulu"));
    ok(h.tap("Hapus"));
    CHECK(h.app().state().reg.query == "kelap");
    ok(h.tap("Selesai"));
    ok(h.tap("PT Contoh Kelapa Lestari (fiktif)"));
    CHECK(h.app().state().screen() == ScreenId::RegisterDetail);
    ok(h.expect("CONTOH/PKS/004/2025"));
    ok(h.expect("Aktif"));
    ok(h.tap("Kembali"));
    CHECK(h.app().state().screen() == ScreenId::Register);
    CHECK(h.tap("no such button").ok() == false);
}

TEST_CASE("capitals, digits and symbols are typed through shift and the symbol page") {
    auto k = test::make_kiosk({1280, 800});
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Daftar Kerja Sama"));
    ok(h.tap("Cari mitra, perihal, nomor"));
    ok(h.type("PKS/004 a"));
    CHECK(h.app().state().reg.query == "PKS/004 a");
}

TEST_CASE("filters narrow the register by status") {
    auto k = test::make_kiosk({1280, 800});
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Daftar Kerja Sama"));
    // Four filters (the sample has monitoring): each says what it filters, then its choice.
    ok(h.tap("Status"));
    // The picker is modal: the list underneath cannot be tapped now.
    CHECK_FALSE(h.tap("Jenis").ok());
    ok(h.tap("Berakhir"));
    ok(h.expect("1 perjanjian"));
    ok(h.expect("Bank Contoh Daerah"));
    ok(h.tap("Berakhir"));
    ok(h.tap("Semua status"));
    ok(h.expect("6 perjanjian"));
}

TEST_CASE("the language switch re-renders the current screen") {
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Tentang KSD"));
    CHECK(h.app().state().screen() == ScreenId::Article);
    ok(h.expect("Apa itu kerja sama daerah?"));
    ok(h.tap("EN"));
    ok(h.expect("What is regional cooperation?"));
    ok(h.expect("Back"));
    ok(h.tap("Back"));
    ok(h.expect("Agreements Register"));
    ok(h.tap("ID"));
    ok(h.expect("Daftar Kerja Sama"));
}

TEST_CASE("FAQ answers expand and collapse, contacts show a WhatsApp QR code") {
    auto k = test::make_kiosk({1280, 800});
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Tanya Jawab"));
    CHECK_FALSE(h.text_visible("tiga sampai enam bulan"));
    ok(h.tap("Berapa lama prosesnya?"));
    ok(h.expect("tiga sampai enam bulan"));
    ok(h.tap("Berapa lama prosesnya?"));
    CHECK_FALSE(h.text_visible("tiga sampai enam bulan"));
    ok(h.tap("Kembali"));
    ok(h.tap("Kontak & TKKSD"));
    ok(h.expect("Pindai untuk bertanya lewat WhatsApp"));
    ok(h.expect("+62 768 000000"));
}

TEST_CASE("large text mode makes the body font bigger") {
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    int before = h.theme().body.size;
    ok(h.tap("Teks besar"));
    CHECK(h.theme().body.size > before);
}

TEST_CASE("idle: the prompt counts down, then the visit is wiped back to attract") {
    AppOptions options;
    options.idle_timeout_ms = 60'000;
    options.idle_countdown_ms = 15'000;
    auto k = test::make_kiosk({800, 480}, options);
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Daftar Kerja Sama"));
    ok(h.tap("Cari mitra, perihal, nomor"));
    ok(h.type("kel"));
    ok(h.tap("EN"));
    ScriptHooks none;
    ok(run_script(h,
        "wait 59000\nexpect-not Still there?\nwait 2000\nexpect Still there?\nexpect 14 seconds\n",
        none, h.app().now_ms(), fixed_unix_time));
    // A touch anywhere answers the prompt and presses nothing beneath it.
    ok(h.tap("Yes, continue"));
    CHECK_FALSE(h.app().state().idle_prompt);
    CHECK(h.app().state().screen() == ScreenId::Register);
    ok(run_script(h,
        "wait 61000\nexpect Still there?\nwait 15000\nexpect Sentuh layar untuk mulai\n", none,
        h.app().now_ms(), fixed_unix_time));
    CHECK(h.app().state().screen() == ScreenId::Attract);
    CHECK(h.app().state().reg.query.empty());
    CHECK(h.app().state().lang == ksd::Lang::Id);
}

TEST_CASE("a newer pack is taken at the attract screen, never during a visit") {
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    int offered = 0;
    h.app().set_pack_loader([&](Content const* current) -> std::unique_ptr<Content> {
        ++offered;
        auto fresh = make_sample_content();
        fresh->meta_data.content_version = current->meta().content_version + 1;
        fresh->institution_data.name.id = "Bagian Kerja Sama (baru)";
        return fresh;
    });
    ok(h.tap("Sentuh layar untuk mulai"));
    h.advance(h.app().now_ms() + 30'000, fixed_unix_time + 30);
    CHECK(offered == 0);
    CHECK(h.app().state().screen() == ScreenId::Home);
    h.app().reset_to_attract();
    h.advance(h.app().now_ms() + 100, fixed_unix_time + 31);
    h.draw();
    CHECK(offered == 1);
    ok(h.expect("Bagian Kerja Sama (baru)"));
}

TEST_CASE("scripts report the failing line and what was on screen") {
    auto k = test::make_kiosk({800, 480});
    ScriptHooks none;
    auto r = run_script(
        k->host(), "# a comment\ntap Sentuh layar untuk mulai\nexpect Tidak ada\n", none);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("line 3") != std::string::npos);
    CHECK(r.error().message.find("Daftar Kerja Sama") != std::string::npos);
    CHECK_FALSE(run_script(k->host(), "jump\n", none).ok());
    CHECK_FALSE(run_script(k->host(), "wait soon\n", none).ok());
}

namespace {

int widget_y(Host& h, std::string_view label) {
    for (auto const& w : h.ui().widgets())
        if (w.label == label)
            return w.full.y;
    return -1;
}

} // namespace

TEST_CASE("dragging scrolls the article, a fling keeps going and stops, a drag is no tap") {
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Tentang KSD"));
    h.draw();
    int y0 = widget_y(h, "Bentuk kerja sama");
    REQUIRE(y0 > 0);
    int64_t t = h.app().now_ms();
    // Drag up by 150 px in 100 ms, starting on the text.
    h.handle({PointerKind::Down, {400, 400}});
    for (int i = 1; i <= 10; ++i) {
        h.advance(t + i * 10, fixed_unix_time);
        h.handle({PointerKind::Move, {400, 400 - i * 15}});
    }
    h.handle({PointerKind::Up, {400, 250}});
    h.draw();
    int y1 = widget_y(h, "Bentuk kerja sama");
    CHECK(y1 == y0 - 150);
    CHECK(h.ui().animating());
    // Inertia: frames keep moving it until the velocity decays.
    for (int i = 1; i <= 200 && h.ui().animating(); ++i) {
        h.advance(t + 100 + i * 16, fixed_unix_time);
        h.draw();
    }
    int y2 = widget_y(h, "Bentuk kerja sama");
    CHECK(y2 < y1);
    CHECK_FALSE(h.ui().animating());
    CHECK(h.app().state().screen() == ScreenId::Article);
}

TEST_CASE("the phone pad has big keys for digits and plus") {
    auto k = test::make_kiosk({800, 480});
    auto& ui = k->host().ui();
    Theme theme = Theme::make({800, 480}, TextSize::Normal);
    ui.begin(theme, std::nullopt, 0);
    Rect area {0, 100, 800, keyboard_height(theme, {0, 0, 800, 480}, KeyboardKind::Phone)};
    CHECK_FALSE(keyboard(ui, area, KeyboardKind::Phone).has_value());
    ui.end();
    int keys = 0;
    for (auto const& w : ui.widgets()) {
        if (w.role != Role::Key)
            continue;
        ++keys;
        CHECK(std::min(w.full.w, w.full.h) >= theme.min_touch);
    }
    CHECK(keys == 13); // 0-9, +, Hapus, Selesai
    // Pressing "7" on the pad inserts it.
    Point seven;
    for (auto const& w : ui.widgets())
        if (w.label == "7")
            seven = w.rect.center();
    std::optional<KeyPress> got;
    for (auto kind : {PointerKind::Down, PointerKind::Up}) {
        ui.begin(theme, InputEvent {kind, seven}, 0);
        got = keyboard(ui, area, KeyboardKind::Phone);
        ui.end();
    }
    REQUIRE(got);
    CHECK(got->text == "7");
}

TEST_CASE("an unchanged frame renders no text again, the cache stays under its cap") {
    for (auto const* screen : {"home", "article", "register", "contacts"}) {
        auto k = test::make_kiosk({1920, 1080});
        REQUIRE(navigate_to(k->host(), screen).ok());
        k->host().draw();
        auto first = k->renderer().text_renders();
        CHECK(first > 0);
        k->host().draw();
        k->host().draw();
        INFO(screen);
        CHECK(k->renderer().text_renders() == first);
        CHECK(k->renderer().text_cache_size() <= 1024);
    }
}

TEST_CASE("article images come from the content's assets, scaled to the column") {
    ksd::test::TempDir dir;
    sdl::RgbImage img {400, 200, std::vector<uint8_t>(400 * 200 * 3, 90)};
    REQUIRE(sdl::save_rgb_png(img, dir / "bagan.png").ok());
    auto bytes = ksd::read_file(dir / "bagan.png");
    REQUIRE(bytes.ok());
    auto content = make_sample_content();
    content->assets["images/bagan.png"] = bytes.value();
    content->pages_id[0].markdown += "\n![Bagan alur kerja sama](images/bagan.png)\n";
    content->institution_data.logo = "images/bagan.png";
    auto k = test::make_kiosk({800, 480}, {}, std::move(content));
    auto& h = k->host();
    h.draw();
    bool logo = false;
    for (auto const& w : h.ui().widgets())
        logo = logo || (w.role == Role::Image && w.label == "logo");
    CHECK(logo);
    ok(navigate_to(h, "article"));
    h.draw();
    bool found = false;
    for (auto const& w : h.ui().widgets())
        if (w.role == Role::Image && w.label == "Bagan alur kerja sama") {
            found = true;
            CHECK(w.full.w == 400); // natural size at 800x480 (scale 1) fits the column
            CHECK(w.full.h == 200);
        }
    // The image lies below the fold: scroll down until it is recorded.
    for (int i = 0; i < 20 && !found; ++i) {
        h.handle({PointerKind::Down, {400, 420}});
        h.handle({PointerKind::Move, {400, 200}});
        h.handle({PointerKind::Move, {400, 120}});
        h.advance(h.app().now_ms() + 500, fixed_unix_time);
        h.handle({PointerKind::Up, {400, 120}});
        h.draw();
        for (auto const& w : h.ui().widgets())
            if (w.role == Role::Image && w.label == "Bagan alur kerja sama") {
                found = true;
                CHECK(w.full.w == 400);
                CHECK(w.full.h == 200);
            }
    }
    CHECK(found);
}

TEST_CASE("links to other pages become buttons under the article") {
    auto content = make_sample_content();
    content->pages_id[0].markdown
        += "\nLihat juga [sepuluh tahap](page:alur-ksd) dan [FAQ](section:faq).\n";
    auto k = test::make_kiosk({800, 480}, {}, std::move(content));
    auto& h = k->host();
    ok(navigate_to(h, "article"));
    h.draw();
    // Scroll to the end: fling hard, then let it settle.
    for (int i = 0; i < 10; ++i) {
        h.handle({PointerKind::Down, {400, 440}});
        h.handle({PointerKind::Move, {400, 300}});
        h.handle({PointerKind::Move, {400, 100}});
        h.handle({PointerKind::Up, {400, 100}});
        h.draw();
    }
    ok(h.tap("sepuluh tahap"));
    CHECK(h.app().state().screen() == ScreenId::Article);
    CHECK(h.app().state().page->id == "alur-ksd");
    ok(h.tap("Kembali"));
    CHECK(h.app().state().page->id == "tentang-ksd");
}

#ifdef KSD_CONTENT_BIN
TEST_CASE("the pack watcher takes only a changed, valid and newer pack") {
    ksd::test::TempDir dir;
    auto build = [&](std::string const& out, int version) {
        return ksd::test::run(std::string(KSD_CONTENT_BIN) + " build " + KSD_SOURCE_DIR
                   + "/content -o " + out + " --content-version " + std::to_string(version)
                   + " >/dev/null 2>&1")
            == 0;
    };
    if (!build(dir / "v1.pack", 100) || !build(dir / "v2.pack", 200)) {
        WARN("SKIPPED: content/ does not build right now");
        return;
    }
    std::string live = dir / "live.pack";
    auto watch = pack_watcher(live, "", Verify::None);
    CHECK(watch(nullptr) == nullptr); // no file yet
    REQUIRE(ksd::test::run("cp " + dir / "v1.pack" + " " + live) == 0);
    auto first = watch(nullptr);
    REQUIRE(first);
    CHECK(first->meta().content_version == 100);
    CHECK(watch(first.get()) == nullptr); // unchanged file: not even opened again
    REQUIRE(ksd::test::run(
                "cp " + dir / "v2.pack" + " " + dir / "tmp.pack && mv " + dir / "tmp.pack " + live)
        == 0);
    auto second = watch(first.get());
    REQUIRE(second);
    CHECK(second->meta().content_version == 200);
    // An older pack, then garbage: both refused, the current one stays.
    REQUIRE(ksd::test::run(
                "cp " + dir / "v1.pack" + " " + dir / "tmp.pack && mv " + dir / "tmp.pack " + live)
        == 0);
    CHECK(watch(second.get()) == nullptr);
    REQUIRE(
        ksd::test::run("echo broken > " + dir / "tmp.pack && mv " + dir / "tmp.pack " + live) == 0);
    CHECK(watch(second.get()) == nullptr);
}
#endif

TEST_CASE("a long register says how much of it is shown") {
    auto content = make_sample_content();
    auto base = content->agreement_data.front();
    for (int i = 0; i < 150; ++i) {
        base.id = 1000 + i;
        base.number = "CONTOH/PKS/" + std::to_string(1000 + i);
        content->agreement_data.push_back(base);
    }
    auto made = shell::Offscreen::create({1280, 800}, std::move(content), {});
    REQUIRE(made.ok());
    auto& h = made.value()->host();
    h.advance(0, fixed_unix_time);
    ok(navigate_to(h, "register"));
    h.draw();
    ok(h.expect("156 perjanjian"));
    CHECK(h.app().state().reg.results.size() == 100);
    // Fling to the end of the list.
    for (int i = 0; i < 60; ++i) {
        h.handle({PointerKind::Down, {600, 760}});
        h.handle({PointerKind::Move, {600, 500}});
        h.handle({PointerKind::Move, {600, 300}});
        h.handle({PointerKind::Up, {600, 300}});
        h.draw();
    }
    ok(h.expect("Menampilkan 100 dari 156"));
}
