// The technician's page (a bad ksd.toml or kiosk.toml): it fits every screen size, matches its
// golden images at 800x480 and 1080x1920, and the real ksd-kiosk shows it instead of exiting.
#include "kiosk_fixture.h"
#include "shell/technician_render.h"
#include "test_support.h"

#include <cstdlib>
#include <sstream>

using namespace kiosk;
using namespace kiosk::ui;

namespace {

TechnicianPage sample_page() {
    return {{{"/boot/firmware/ksd.toml", 4, "server.url",
                 "\"http://ksd.example.go.id\" uses plain http: tokens and visitors' data would "
                 "cross the network unencrypted; use https:// (plain http is only for a server on "
                 "this machine: localhost, 127.0.0.1 or ::1)"},
        {"/etc/ksd/kiosk.toml", 7, "screen.width",
            "expected a whole number from 0 to 8192, got -5"}}};
}

std::string problems_in(std::vector<WidgetRecord> const& widgets, Size size) {
    std::string out;
    Rect screen {0, 0, size.w, size.h};
    auto describe = [](WidgetRecord const& w) {
        return "\"" + w.label + "\" at " + std::to_string(w.rect.x) + "," + std::to_string(w.rect.y)
            + " " + std::to_string(w.rect.w) + "x" + std::to_string(w.rect.h);
    };
    for (auto const& w : widgets)
        if (!screen.contains(w.full)) // rect is clipped to the screen: full is what was placed
            out += "outside the screen: " + describe(w) + "\n";
    for (size_t i = 0; i < widgets.size(); ++i)
        for (size_t j = i + 1; j < widgets.size(); ++j) {
            auto const& a = widgets[i];
            auto const& b = widgets[j];
            if (!a.full.intersects(b.full) || a.full.contains(b.full) || b.full.contains(a.full))
                continue;
            out += "overlap: " + describe(a) + " and " + describe(b) + "\n";
        }
    return out;
}

bool visible(std::vector<WidgetRecord> const& widgets, std::string const& text) {
    for (auto const& w : widgets)
        if (w.label.find(text) != std::string::npos)
            return true;
    return false;
}

int differing_pixels(sdl::RgbImage const& a, sdl::RgbImage const& b) {
    if (a.w != b.w || a.h != b.h)
        return -1;
    int n = 0;
    for (size_t i = 0; i + 2 < a.rgb.size(); i += 3) {
        int d = 0;
        for (size_t c = 0; c < 3; ++c)
            d = std::max(d, std::abs(int(a.rgb[i + c]) - int(b.rgb[i + c])));
        n += d > test::golden_tolerance; // arm64 blends anti-aliased edges differently
    }
    return n;
}

} // namespace

TEST_CASE("the technician's page fits every screen size and names file, line and key") {
    sdl::TtfGuard ttf;
    auto fonts = sdl::Fonts::open(sdl::default_font_dir);
    REQUIRE(fonts.ok());
    NullRenderer null;
    for (auto size : test::all_sizes()) {
        INFO(size.w << "x" << size.h);
        auto widgets = draw_technician_page(null, fonts.value(), size, sample_page());
        CHECK(problems_in(widgets, size).empty());
        INFO(problems_in(widgets, size));
        CHECK(visible(widgets, "Pengaturan anjungan perlu diperbaiki"));
        CHECK(visible(widgets, "The kiosk's settings need a correction"));
        CHECK(visible(widgets, "/boot/firmware/ksd.toml, baris 4 / line 4"));
        CHECK(visible(widgets, "[server] url"));
        CHECK(visible(widgets, "[screen] width"));
        CHECK(visible(widgets, "uses plain http"));
        CHECK(visible(widgets, "keluarkan kartu SD"));
        CHECK(visible(widgets, "take the SD card out"));
        CHECK(visible(widgets, "Perbaiki /etc/ksd/kiosk.toml lewat SSH"));

        // Many problems: as many as fit, the rest counted, still nothing overlapping.
        TechnicianPage many;
        for (int i = 1; i <= 12; ++i)
            many.problems.push_back({"/boot/firmware/ksd.toml", i, "wifi.password",
                "a WPA password has 8 to 63 characters; this one has 5 (leave it \"\" for an "
                "open network)"});
        auto crowded = draw_technician_page(null, fonts.value(), size, many);
        INFO(problems_in(crowded, size));
        CHECK(problems_in(crowded, size).empty());
        CHECK(visible(crowded, "baris 1 / line 1"));
        CHECK(visible(crowded, "more problems: journalctl -u ksd-kiosk"));
        CHECK(!visible(crowded, "baris 12 / line 12"));

        // One endless message (a broken file can make one): cut with an ellipsis, not spilling.
        std::string endless;
        for (int i = 0; i < 200; ++i)
            endless += "expected a string, got something else entirely; ";
        TechnicianPage long_one {{{"/boot/firmware/ksd.toml", 2, "kiosk.id", endless}}};
        auto cut = draw_technician_page(null, fonts.value(), size, long_one);
        INFO(problems_in(cut, size));
        CHECK(problems_in(cut, size).empty());
        CHECK(visible(cut, "\xE2\x80\xA6")); // …
        CHECK(visible(cut, "keluarkan kartu SD"));
    }
}

TEST_CASE("golden: the technician's page at 800x480 and 1080x1920") {
    for (Size size : {Size {800, 480}, Size {1080, 1920}}) {
        std::string name
            = "technician_" + std::to_string(size.w) + "x" + std::to_string(size.h) + ".png";
        INFO(name);
        auto actual = shell::render_technician_page(size, sample_page(), sdl::default_font_dir);
        REQUIRE(actual.ok());
        std::string golden = std::string(KSD_GOLDEN_DIR) + "/" + name;
        char const* update = std::getenv("KSD_UPDATE_GOLDEN");
        if (update && std::string(update) == "1") {
            REQUIRE(sdl::save_rgb_png(*actual, golden).ok());
            WARN("golden image refreshed: " << golden);
            continue;
        }
        auto expected = sdl::load_png_rgb(golden);
        std::string out = std::string(KSD_TEST_OUT_DIR) + "/actual_" + name;
        REQUIRE(sdl::save_rgb_png(*actual, out).ok());
        INFO("look at " << out << "; if it is right, run with KSD_UPDATE_GOLDEN=1");
        REQUIRE(expected.ok());
        CHECK(differing_pixels(*expected, *actual) == 0);
    }
}

namespace {

std::string kiosk_bin() {
    return std::string("SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy timeout 60 ") + KSD_KIOSK_BIN;
}

} // namespace

TEST_CASE("ksd-kiosk with a bad ksd.toml or kiosk.toml shows the technician's page, never exits "
          "to a black screen") {
    ksd::test::TempDir dir;
    std::string const bad = dir / "ksd.toml";
    ksd::test::spit(bad,
        "[kiosk]\nid = \"kiosk-01\"\n[server]\nurl = \"http://ksd.example.go.id\"\n"
        "[screen]\noffice_hours = \"mon-fri 07:30-25:00\"\n");
    // The offscreen mode writes the page where the screenshot was asked for, and says 78.
    auto shot
        = ksd::test::capture(kiosk_bin() + " --sample --screen home --size 800x480 --screenshot "
            + dir / "page.png" + " --technician-config " + bad);
    INFO(shot.text);
    CHECK(shot.status == 78);
    CHECK(shot.text.find(bad + ":4: key 'server.url': ") != std::string::npos);
    CHECK(shot.text.find(bad + ":6: key 'screen.office_hours': ") != std::string::npos);
    auto written = sdl::load_png_rgb(dir / "page.png");
    REQUIRE(written.ok());
    // Exactly the page of the problems it logged (the same drawing code, in this process).
    std::string logged;
    std::istringstream lines(shot.text);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("error kiosk: ", 0) == 0)
            logged += line.substr(13) + "\n";
    auto problems = ksd::split_config_problems(logged);
    REQUIRE(problems.size() == 2);
    auto expected = shell::render_technician_page(
        {800, 480}, TechnicianPage {problems}, sdl::default_font_dir);
    REQUIRE(expected.ok());
    CHECK(differing_pixels(*expected, *written) == 0);

    // The display mode opens the screen and presents the page (--first-frame-exit: then 78).
    auto shown = ksd::test::capture(kiosk_bin() + " --first-frame-exit --size 800x480 --sample"
        + " --technician-config " + bad);
    INFO(shown.text);
    CHECK(shown.status == 78);
    CHECK(shown.text.find("key 'server.url'") != std::string::npos);
    // A bad kiosk.toml too, with a good (or no) ksd.toml.
    ksd::test::spit(dir / "kiosk.toml", "[screen]\nrotation = \"45\"\n");
    auto bad_kiosk = ksd::test::capture(kiosk_bin() + " --first-frame-exit --config "
        + dir / "kiosk.toml" + " --technician-config " + dir / "none.toml");
    INFO(bad_kiosk.text);
    CHECK(bad_kiosk.status == 78);
    CHECK(
        bad_kiosk.text.find(dir / "kiosk.toml" + ":2: key 'screen.rotation'") != std::string::npos);

    // No ksd.toml at all: the kiosk runs as before, and says so at info.
    auto normal
        = ksd::test::capture(kiosk_bin() + " --sample --screen home --size 800x480 --screenshot "
            + dir / "home.png" + " --technician-config " + dir / "none.toml");
    INFO(normal.text);
    CHECK(normal.status == 0);
    CHECK(normal.text.find("no technician's file " + dir / "none.toml") != std::string::npos);
}
