// Text layout, keyboard editing, touch mapping and QR encoding: the pure parts of kiosk/ui.
#include "kiosk_fixture.h"
#include "platform/fonts.h"
#include "ui/keyboard.h"
#include "ui/qr.h"
#include "ui/text_layout.h"

#include <SDL_ttf.h>
#include <chrono>

using namespace kiosk;
using namespace kiosk::ui;

namespace {

struct FontsFixture {
    sdl::TtfGuard ttf;
    sdl::Fonts fonts;
    FontsFixture() {
        auto f = sdl::Fonts::open(sdl::default_font_dir);
        if (!f.ok())
            FAIL(f.error().message);
        fonts = f.release_value();
    }
};

} // namespace

TEST_CASE("wrapping keeps lines within the width and all the words") {
    FontsFixture f;
    Font font {Face::Regular, 20};
    std::string text = "Kerja sama daerah adalah usaha bersama antara daerah dengan daerah lain";
    auto block = layout_text(f.fonts, text, font, {}, 200, Align::Left);
    REQUIRE(block.lines > 2);
    std::string joined;
    for (auto const& run : block.runs) {
        CHECK(run.pos.x + run.width <= 200);
        if (!joined.empty())
            joined += ' ';
        joined += run.text;
    }
    CHECK(joined == text);
    CHECK(block.height == block.lines * f.fonts.line_height(font));
}

TEST_CASE("a wrapped line as drawn (one string per run) stays within the width") {
    // Words measured apart can add up to a few pixels less than the line drawn as one string;
    // at a scroll view's clip edge the last letters were cut (the consent text at 1080x1920).
    FontsFixture f;
    std::string text
        = "Nama, nomor HP/WhatsApp atau e-mail, instansi, dan pertanyaan Anda hanya dipakai oleh "
          "Bagian Kerja Sama Sekretariat Daerah untuk menjawab konsultasi ini. Data disimpan di "
          "anjungan sampai terkirim ke sekretariat, lalu dihapus dari anjungan paling lambat 30 "
          "hari kemudian. Anda dapat meminta akses, perbaikan, atau penghapusan data melalui "
          "kontak Bagian Kerja Sama. Tersimpan di anjungan, akan dikirim otomatis saat ada "
          "jaringan. Write down or photograph this code.";
    int over = 0;
    for (Font font : {Font {Face::Regular, 17}, Font {Face::Bold, 17}, Font {Face::Regular, 24},
             Font {Face::Bold, 30}}) {
        for (int width = 180; width <= 1100; width += 3) {
            auto block = layout_text(f.fonts, text, font, {}, width, Align::Left);
            for (auto const& run : block.runs)
                if (run.pos.x + f.fonts.text_width(run.text, run.font) > width)
                    ++over;
        }
    }
    CHECK(over == 0);
}

TEST_CASE("a space at the end of a styled run separates it from the next run") {
    FontsFixture f;
    Font regular {Face::Regular, 20}, italic {Face::Italic, 20};
    auto block = layout_text(f.fonts,
        {StyledText {"untuk ", regular, {}}, StyledText {"kesejahteraan", italic, {}}}, 1000,
        Align::Left);
    REQUIRE(block.runs.size() == 2);
    CHECK(block.runs[1].pos.x == f.fonts.text_width("untuk ", regular));
    CHECK(block.runs[1].pos.x > f.fonts.text_width("untuk", regular));
}

TEST_CASE("a word longer than the line is broken, centre alignment centres") {
    FontsFixture f;
    Font font {Face::Bold, 24};
    auto block
        = layout_text(f.fonts, "Pengembanganhilirisasikelapaterpadu", font, {}, 120, Align::Left);
    CHECK(block.lines >= 3);
    for (auto const& run : block.runs)
        CHECK(run.width <= 120);
    auto centred = layout_text(f.fonts, "Aktif", font, {}, 300, Align::Center);
    REQUIRE(centred.runs.size() == 1);
    CHECK(std::abs((300 - centred.runs[0].width) / 2 - centred.runs[0].pos.x) <= 1);
}

TEST_CASE("ellipsis shortens to fit and leaves short text alone") {
    FontsFixture f;
    Font font {Face::Regular, 18};
    CHECK(ellipsize(f.fonts, "Aktif", font, 500) == "Aktif");
    std::string cut = ellipsize(f.fonts, "Kerja Sama Daerah dengan Pihak Ketiga", font, 120);
    CHECK(cut.ends_with("\xE2\x80\xA6"));
    CHECK(f.fonts.text_width(cut, font) <= 120);
}

// The status screen's English field label, elided for a half-width column, came out one pixel
// wider than its column (kerning between the last letter and the ellipsis).
TEST_CASE("an elided text is never wider than its room, at any width and size") {
    FontsFixture f;
    std::string const text = "Last 4 digits of your phone, or e-mail";
    int over = 0;
    for (Font font : {Font {Face::Bold, 18}, Font {Face::Bold, 27}, Font {Face::Regular, 24}})
        for (int w = 20; w <= 500; ++w) {
            std::string shown = ellipsize(f.fonts, text, font, w);
            if (w < f.fonts.text_width("\xE2\x80\xA6", font)) {
                CHECK(shown == "\xE2\x80\xA6"); // less room than the ellipsis: it alone
                continue;
            }
            if (f.fonts.text_width(shown, font) > w) {
                ++over;
                UNSCOPED_INFO(
                    "\"" << shown << "\" is wider than " << w << " at size " << font.size);
            }
        }
    CHECK(over == 0);
}

TEST_CASE("backspace removes a whole UTF-8 character") {
    std::string v = "Kab. Hilir\xC3\xA9";
    apply_key(v, {KeyPress::Backspace, {}});
    CHECK(v == "Kab. Hilir");
    apply_key(v, {KeyPress::Insert, "x"});
    CHECK(v == "Kab. Hilirx");
}

TEST_CASE("touch coordinates follow the screen rotation") {
    Size landscape {800, 480}, portrait {480, 800};
    CHECK(map_touch(0, 0, Rotation::R0, landscape) == Point {0, 0});
    CHECK(map_touch(1, 1, Rotation::R0, landscape) == Point {799, 479});
    CHECK(map_touch(1, 1, Rotation::R180, landscape) == Point {0, 0});
    // R90: the UI's top-left corner sits at the panel's top-right corner.
    CHECK(map_touch(1, 0, Rotation::R90, portrait) == Point {0, 0});
    CHECK(map_touch(1, 1, Rotation::R90, portrait) == Point {479, 0});
    CHECK(map_touch(0, 0, Rotation::R270, portrait) == Point {479, 0});
    CHECK(map_touch(0, 1, Rotation::R270, portrait) == Point {0, 0});
}

TEST_CASE("QR codes encode a WhatsApp link") {
    auto qr = encode_qr("https://wa.me/6281200000000?text=Halo%2C%20saya%20ingin%20bertanya");
    REQUIRE(qr);
    CHECK(qr->size >= 21);
    CHECK(qr->at(0, 0)); // finder pattern corner
    CHECK_FALSE(encode_qr(""));
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

TEST_CASE("a long word is broken in linear time and a huge one is capped") {
    // Issue 9: a 128 KB word took 19 s to lay out; 4 MB never finished and grew to 8 GB.
    // The bounds are generous for ASan; a release build takes milliseconds.
    FontsFixture f;
    Font font {Face::Regular, 20};
    std::string word(128 * 1024, 'w');
    auto t0 = std::chrono::steady_clock::now();
    auto block = layout_text(f.fonts, word, font, {}, 700, Align::Left);
    double s128k = seconds_since(t0);
    INFO("128 KB word: " << s128k << " s, " << block.lines << " lines");
    CHECK(s128k < 2.0);
    REQUIRE(!block.runs.empty());
    CHECK(block.runs.back().text.ends_with(std::string(ellipsis)));
    size_t laid = 0;
    for (auto const& run : block.runs) {
        CHECK(run.width <= 700);
        laid += run.text.size();
    }
    CHECK(laid <= max_layout_bytes + ellipsis.size());
    CHECK(laid >= max_layout_bytes - 100);

    std::string huge(4 * 1024 * 1024, 'w');
    t0 = std::chrono::steady_clock::now();
    auto capped = layout_text(f.fonts, huge, font, {}, 700, Align::Left);
    double s4m = seconds_since(t0);
    INFO("4 MB word: " << s4m << " s");
    CHECK(s4m < 2.0);
    CHECK(capped.lines == block.lines);
    t0 = std::chrono::steady_clock::now();
    std::string line = ellipsize(f.fonts, huge, font, 700);
    CHECK(seconds_since(t0) < 1.0);
    CHECK(line.ends_with(std::string(ellipsis)));
    CHECK(f.fonts.text_width(line, font) <= 700);
}

TEST_CASE("a 19990-character title in a tile lays out quickly on two screen widths") {
    FontsFixture f;
    Font font {Face::Semibold, 22};
    std::string title(19990, 'x');
    for (int width : {150, 1000}) {
        auto t0 = std::chrono::steady_clock::now();
        auto block = layout_text(f.fonts, title, font, {}, width, Align::Center);
        INFO(width << " px: " << seconds_since(t0) << " s");
        CHECK(seconds_since(t0) < 1.0);
        CHECK(block.lines > 1);
        for (auto const& run : block.runs)
            CHECK(run.width <= width);
    }
}

TEST_CASE("breaking a long word keeps every character and fills each line") {
    FontsFixture f;
    Font font {Face::Regular, 20};
    // Mixed widths and multi-byte characters: every line but the last is as full as it can be.
    std::string word;
    for (int i = 0; i < 300; ++i)
        word += (i % 7 == 0) ? "\xC3\xA9" : (i % 3 == 0 ? "W" : "i");
    auto block = layout_text(f.fonts, word, font, {}, 180, Align::Left);
    std::string joined;
    for (size_t i = 0; i < block.runs.size(); ++i) {
        auto const& run = block.runs[i];
        joined += run.text;
        CHECK(run.width <= 180);
        if (i + 1 < block.runs.size()) {
            // The line plus the next character would be too wide.
            std::string next = run.text + block.runs[i + 1].text.substr(0, 1);
            if ((static_cast<unsigned char>(block.runs[i + 1].text[0]) & 0x80) != 0)
                next = run.text + block.runs[i + 1].text.substr(0, 2);
            CHECK(f.fonts.text_width(next, font) > 180);
        }
    }
    CHECK(joined == word);
    // More lines than the cap: the last one shown ends in an ellipsis.
    std::string many;
    for (int i = 0; i < max_layout_lines + 50; ++i)
        many += "baris\n";
    auto cut = layout_text(f.fonts, many, font, {}, 400, Align::Left);
    CHECK(cut.lines == max_layout_lines);
    CHECK(cut.runs.back().text == "baris" + std::string(ellipsis));
}
