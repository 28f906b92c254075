// The on-screen keyboard (issue 13, findings 1 and 9): every key of every page inside the
// keyboard at each size, capitals at the start of each word of a name (and only there), the
// accented letters of partners' names, and a PIN mask the font can draw.
#include "kiosk_fixture.h"
#include "recording_renderer.h"

#include "ksd/utf8.h"

#include <sstream>

using namespace kiosk;
using namespace kiosk::ui;
using kiosk::test::ok;

namespace {

WidgetRecord const* key(Host& h, std::string_view label) {
    for (auto const& w : h.ui().widgets())
        if (w.role == Role::Key && w.label == label)
            return &w;
    return nullptr;
}

// Presses the key with exactly this label (Host::tap forgives case; here case is the point).
void press(Host& h, std::string_view label) {
    if (h.needs_draw())
        h.draw();
    auto const* w = key(h, label);
    if (!w)
        FAIL("no key \"" << label << "\" on the keyboard; on screen:\n" << h.describe());
    Point p = w->rect.center();
    h.handle({PointerKind::Down, p});
    h.draw();
    h.handle({PointerKind::Up, p});
    h.draw();
}

// Every key's whole rectangle inside the keyboard and the screen: the keys as placed, not the
// part the screen's clip lets through.
std::string keys_outside(Host& h) {
    std::ostringstream out;
    Rect board;
    for (auto const& w : h.ui().widgets())
        if (w.role == Role::Container
            && (w.label.starts_with("keyboard") || w.label.starts_with("keypad")))
            board = w.full;
    if (board.empty())
        return "no keyboard on screen\n";
    int keys = 0;
    for (auto const& w : h.ui().widgets()) {
        if (w.role != Role::Key)
            continue;
        ++keys;
        if (!board.contains(w.full))
            out << "\"" << w.label << "\" at " << w.full.x << "," << w.full.y << " " << w.full.w
                << "x" << w.full.h << " outside the keyboard " << board.x << "," << board.y << " "
                << board.w << "x" << board.h << "\n";
    }
    if (keys < 12)
        out << "only " << keys << " keys\n";
    return out.str();
}

std::string name_value(Host& h) {
    return h.app().state().form.name;
}

} // namespace

TEST_CASE("every key of every keyboard page lies inside the keyboard at every size") {
    for (auto size : {Size {800, 480}, Size {1080, 1920}, Size {1920, 1080}, Size {1280, 800}}) {
        for (auto lang : {ksd::Lang::Id, ksd::Lang::En}) {
            AppOptions options;
            options.default_lang = lang;
            auto k = test::make_kiosk(size, options);
            auto& h = k->host();
            REQUIRE(navigate_to(h, "request-contact").ok());
            h.app().apply(act::Focus {Field::Organisation});
            h.draw();
            INFO(size.w << "x" << size.h << (lang == ksd::Lang::En ? " EN" : " ID"));
            CHECK(keys_outside(h) == "");
            press(h, "Shift");
            CHECK(keys_outside(h) == "");
            press(h, "?123");
            CHECK(keys_outside(h) == "");
            press(h, "\u00e0\u00e9");
            CHECK(keys_outside(h) == "");
            h.app().apply(act::Focus {Field::Phone});
            h.draw();
            CHECK(keys_outside(h) == "");
        }
    }
}

TEST_CASE("a name gets a capital at the start of each word but an e-mail and a code do not") {
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    REQUIRE(navigate_to(h, "request-contact").ok());
    h.app().apply(act::Focus {Field::Name});
    h.draw();
    INFO(h.describe());
    CHECK(key(h, "A"));
    CHECK_FALSE(key(h, "a"));
    press(h, "A");
    CHECK(key(h, "n")); // one capital, then small letters
    press(h, "n");
    press(h, "n");
    press(h, "a");
    press(h, "Spasi");
    CHECK(key(h, "M")); // a new word
    press(h, "M");
    press(h, "u");
    CHECK(name_value(h) == "Anna Mu");
    // Turned off by hand at the start of a word ("van der"), shift stays off.
    press(h, "Spasi");
    CHECK(key(h, "V"));
    press(h, "Shift");
    CHECK(key(h, "v"));
    h.mark_dirty();
    h.draw();
    CHECK(key(h, "v"));
    press(h, "v");
    CHECK(name_value(h) == "Anna Mu v");
    // Backspace back to the start of a word: a capital again.
    press(h, "Hapus");
    CHECK(key(h, "V"));

    // The e-mail field: small letters from the start and after a space.
    h.app().apply(act::Focus {Field::Email});
    h.draw();
    CHECK(key(h, "a"));
    CHECK_FALSE(key(h, "A"));
    press(h, "a");
    press(h, "Spasi");
    CHECK(key(h, "b"));

    // The ticket code on the status screen: small letters too (the code is not a name).
    k->app().reset_to_attract();
    REQUIRE(navigate_to(h, "status").ok());
    h.app().apply(act::Focus {Field::Code});
    h.draw();
    CHECK(key(h, "q"));
    CHECK_FALSE(key(h, "Q"));
}

TEST_CASE("accented letters for partners' names are one key away") {
    for (auto lang : {ksd::Lang::Id, ksd::Lang::En}) {
        AppOptions options;
        options.default_lang = lang;
        auto k = test::make_kiosk({800, 480}, options);
        auto& h = k->host();
        REQUIRE(navigate_to(h, "request-contact").ok());
        h.app().apply(act::Focus {Field::Name});
        h.draw();
        // At the start of a name the page shows capitals: "Élodie".
        press(h, "\u00e0\u00e9");
        for (auto const* c : {"\u00c9", "\u00c8", "\u00ca", "\u00cb", "\u00dc", "\u00d6", "\u00c4",
                 "\u00d1", "\u00c7", "\u00c1", "\u00c0", "\u00cd", "\u00d3", "\u00da"})
            CHECK(key(h, c));
        press(h, "\u00c9");
        // One accented letter, then the letters again.
        CHECK(key(h, "l"));
        press(h, "l");
        press(h, "\u00e0\u00e9");
        for (auto const* c : {"\u00e9", "\u00e8", "\u00ea", "\u00eb", "\u00fc", "\u00f6", "\u00e4",
                 "\u00f1", "\u00e7", "\u00e1", "\u00e0", "\u00ed", "\u00f3", "\u00fa"})
            CHECK(key(h, c));
        press(h, "\u00f6");
        CHECK(name_value(h) == "\u00c9l\u00f6");
        // Host::type finds them too, as scripts do.
        h.app().apply(act::SetField {Field::Name, ""});
        h.mark_dirty();
        ok(h.type("H\u00e9l\u00e8ne M\u00fcller-Gon\u00e7alves Pe\u00f1a"));
        CHECK(name_value(h) == "H\u00e9l\u00e8ne M\u00fcller-Gon\u00e7alves Pe\u00f1a");
        // The form takes them: no "cannot be displayed".
        h.app().apply(act::Focus {Field::None});
        h.app().apply(act::SetField {Field::Phone, "0812 3456 7890"});
        h.app().apply(act::NextStep {});
        CHECK(h.app().state().form.step == Step::Question);
    }
}

TEST_CASE("the staff PIN mask is drawn with glyphs the font has") {
    auto k = test::make_kiosk({800, 480});
    test::RecordingRenderer rec(k->renderer(), k->fonts(), {800, 480});
    Host h(k->app(), rec, k->fonts(), {800, 480});
    h.advance(0, fixed_unix_time);
    REQUIRE(navigate_to(h, "staff-pin").ok());
    k->app().apply(act::SetField {Field::Pin, "1234"});
    rec.clear();
    h.draw();
    Rect field;
    for (auto const& w : h.ui().widgets())
        if (w.role == Role::TextField && w.label == "PIN")
            field = w.full;
    REQUIRE_FALSE(field.empty());
    int runs = 0;
    for (auto const& c : rec.calls) {
        if (c.kind != test::DrawCall::Text || !field.contains(c.rect))
            continue;
        ++runs;
        INFO("the mask \"" << c.text << "\"");
        CHECK(c.text.find_first_of("0123456789") == std::string::npos); // masked
        TTF_Font* font = k->fonts().get(c.font);
        REQUIRE(font);
        int glyphs = 0;
        for (size_t i = 0; i < c.text.size();) {
            char32_t cp = ksd::utf8::decode(c.text, i);
            if (cp == ' ')
                continue;
            ++glyphs;
            INFO("U+" << std::hex << uint32_t(cp));
            CHECK(TTF_GlyphIsProvided32(font, Uint32(cp)) != 0);
        }
        CHECK(glyphs == 4);
    }
    CHECK(runs == 1);
}
