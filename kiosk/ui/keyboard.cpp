// Keyboard layout and key handling.
#include "ui/keyboard.h"

#include "ksd/utf8.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <vector>

namespace kiosk::ui {

namespace {

enum class Page : uint8_t { Letters, Symbols, Accents };

// What the Ui keeps between passes: the page shown and whether shift is on.
struct Mode {
    Page page {Page::Letters};
    bool shift {false};
    static Mode from(int v) { return {Page(v & 3), (v & 4) != 0}; }
    int to_int() const { return int(page) | (shift ? 4 : 0); }
};

struct Key {
    std::string label; // what is shown and inserted
    float width {1}; // in key units
    enum Kind : uint8_t {
        Char,
        Shift,
        Backspace,
        Space,
        Done,
        ToLetters,
        ToSymbols,
        ToAccents
    } kind {Char};
};

// Accented letters for partners' names (French, German, Spanish, Portuguese, Dutch, Nordic),
// all in Latin-1, which the bundled Open Sans covers; lower and upper case in the same order.
constexpr std::string_view accents_lower[]
    = {"\u00e0\u00e1\u00e2\u00e4\u00e3\u00e5\u00e8\u00e9\u00ea\u00eb",
        "\u00ec\u00ed\u00ee\u00ef\u00f2\u00f3\u00f4\u00f6\u00f5\u00f1",
        "\u00f9\u00fa\u00fb\u00fc\u00e7\u00fd\u00f8"};
constexpr std::string_view accents_upper[]
    = {"\u00c0\u00c1\u00c2\u00c4\u00c3\u00c5\u00c8\u00c9\u00ca\u00cb",
        "\u00cc\u00cd\u00ce\u00cf\u00d2\u00d3\u00d4\u00d6\u00d5\u00d1",
        "\u00d9\u00da\u00db\u00dc\u00c7\u00dd\u00d8"};
// The key to the accents page shows two of them: a visitor looking for "é" sees where it is.
constexpr char const* accents_key = "\u00e0\u00e9";

std::vector<Key> chars(std::string_view lower, std::string_view upper, bool shift) {
    std::string_view s = shift ? upper : lower;
    std::vector<Key> row;
    for (size_t i = 0; i < s.size();) {
        size_t start = i;
        ksd::utf8::decode(s, i);
        row.push_back({std::string(s.substr(start, i - start)), 1, Key::Char});
    }
    return row;
}

std::vector<Key> framed(Key left, std::vector<Key> middle, Key right) {
    // Built front to back: GCC 12 at -O2 warns of a null dereference (-Wnull-dereference, a false
    // positive) inside vector::insert at begin() for this type.
    std::vector<Key> row;
    row.reserve(middle.size() + 2);
    row.push_back(std::move(left));
    std::move(middle.begin(), middle.end(), std::back_inserter(row));
    row.push_back(std::move(right));
    return row;
}

std::vector<std::vector<Key>> rows_for(Mode mode, KeyboardKind kind, KeyboardLabels const& l) {
    std::vector<std::vector<Key>> rows;
    if (kind == KeyboardKind::Phone) {
        rows.push_back(chars("123", "123", false));
        rows.push_back(chars("456", "456", false));
        rows.push_back(chars("789", "789", false));
        rows.push_back(
            {{"+", 1, Key::Char}, {"0", 1, Key::Char}, {l.backspace, 1, Key::Backspace}});
        rows.push_back({{l.done, 3, Key::Done}});
        return rows;
    }
    bool up = mode.shift;
    Key shift {l.shift, 1.5f, Key::Shift};
    Key back {l.backspace, 1.5f, Key::Backspace};
    // Search has four rows on every page: no digit row above the letters; on the symbols page
    // the digits come first and the brackets' row goes (a search does not need them).
    bool const search = kind == KeyboardKind::Search;
    if (!search || mode.page == Page::Symbols)
        rows.push_back(chars("1234567890", "1234567890", false));
    switch (mode.page) {
    case Page::Letters: {
        rows.push_back(chars("qwertyuiop", "QWERTYUIOP", up));
        auto r2 = chars("asdfghjkl", "ASDFGHJKL", up);
        r2.push_back({"-", 1, Key::Char});
        rows.push_back(r2);
        rows.push_back(framed(shift, chars("zxcvbnm", "ZXCVBNM", up), back));
        break;
    }
    case Page::Symbols:
        rows.push_back(chars("@#&-_/():;", "", false));
        if (search) {
            auto r = chars("!?\"'+=%*", "", false);
            r.push_back({l.backspace, 2, Key::Backspace});
            rows.push_back(r);
        } else {
            rows.push_back(chars("!?\"'+=%*,.", "", false));
            rows.push_back(framed({"ABC", 1.5f, Key::ToLetters}, chars("<>[]$~", "", false), back));
        }
        break;
    case Page::Accents:
        rows.push_back(chars(accents_lower[0], accents_upper[0], up));
        rows.push_back(chars(accents_lower[1], accents_upper[1], up));
        rows.push_back(framed(shift, chars(accents_lower[2], accents_upper[2], up), back));
        break;
    }
    // Ten units, like the rows above: the last key ends where theirs do.
    Key page = mode.page == Page::Symbols ? Key {"ABC", 1.5f, Key::ToLetters}
                                          : Key {"?123", 1.5f, Key::ToSymbols};
    Key accents = mode.page == Page::Accents ? Key {"ABC", 1, Key::ToLetters}
                                             : Key {accents_key, 1, Key::ToAccents};
    rows.push_back({page, accents, {",", 1, Key::Char}, {l.space, 3.5f, Key::Space},
        {".", 1, Key::Char}, {l.done, 2, Key::Done}});
    return rows;
}

// Gaps shrink before keys do: ten keys across must stay touch targets on a narrow portrait panel.
int key_gap(Theme const& t, int width) {
    return std::clamp((width - 10 * t.min_touch) / 11, 2, t.px(6));
}

bool at_word_start(std::string_view value) {
    return value.empty() || value.back() == ' ';
}

void draw_key(Ui& ui, Key const& k, Rect kr, Press p, Mode mode) {
    auto const& t = ui.theme();
    bool special = k.kind != Key::Char && k.kind != Key::Space;
    bool lit = k.kind == Key::Shift && mode.shift;
    Color fill = p.pressed ? t.teal_tint : (lit ? t.teal : (special ? t.key_special : t.key));
    Color fg = lit ? t.on_dark : t.navy;
    ui.renderer().fill_rounded(kr.translated(0, std::max(1, t.px(2))), t.radius / 2, rgb(0x8A99A8));
    ui.renderer().fill_rounded(kr, t.radius / 2, fill);
    Icon icon = k.kind == Key::Shift ? Icon::Shift
                                     : (k.kind == Key::Backspace ? Icon::Backspace : Icon::None);
    if (icon != Icon::None) {
        int s = std::min(kr.h, kr.w) * 5 / 10;
        draw_icon(
            ui.renderer(), icon, {kr.center().x - s / 2, kr.center().y - s / 2, s, s}, fg, fill);
        return;
    }
    Font f = k.kind == Key::Char ? t.key_font : t.button;
    std::string shown = ellipsize(ui.measurer(), k.label, f, kr.w - t.px(4));
    int tw = ui.measurer().text_width(shown, f);
    int lh = ui.measurer().line_height(f);
    ui.renderer().text({kr.center().x - tw / 2, kr.center().y - lh / 2}, shown, f, fg);
}

// What a tapped key does to the mode, and what it types.
std::optional<KeyPress> press(Key const& k, Mode& mode) {
    switch (k.kind) {
    case Key::Char:
        mode.shift = false; // one capital, as phones do
        if (mode.page == Page::Accents)
            mode.page = Page::Letters; // a name has an accented letter here and there
        return KeyPress {KeyPress::Insert, k.label};
    case Key::Space:
        return KeyPress {KeyPress::Insert, " "};
    case Key::Backspace:
        return KeyPress {KeyPress::Backspace, {}};
    case Key::Done:
        return KeyPress {KeyPress::Done, {}};
    case Key::Shift:
        mode.shift = !mode.shift;
        return std::nullopt;
    case Key::ToSymbols:
        mode.page = Page::Symbols;
        return std::nullopt;
    case Key::ToLetters:
        mode.page = Page::Letters;
        return std::nullopt;
    case Key::ToAccents:
        mode.page = Page::Accents;
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace

int keyboard_height(Theme const& t, Rect area, KeyboardKind kind) {
    int rows = kind == KeyboardKind::Search ? 4 : 5;
    int gap = key_gap(t, area.w);
    int key_w = kind == KeyboardKind::Phone ? std::min(area.w / 3, t.px(120)) : area.w / 10;
    // Landscape panels are short: keys exactly as tall as a touch target leave room for
    // results above. Portrait has height to spare.
    int key_h
        = t.portrait ? std::max(t.min_touch, std::min(key_w * 8 / 10, t.px(64))) : t.min_touch;
    return rows * key_h + (rows + 1) * gap;
}

std::optional<KeyPress> keyboard(Ui& ui, Rect rect, KeyboardKind kind, KeyboardLabels const& l,
    std::string_view id, KeyboardTarget target) {
    auto const& t = ui.theme();
    auto& state = ui.keyboard_state(id);
    Mode mode = Mode::from(state.mode);
    if (target.capitals == Capitals::Words && state.seen_length != target.value.size()) {
        // The value changed (a key, a field just opened): shift follows the start of a word,
        // as on a phone. Turned off by hand, it stays off until the next change.
        if (mode.page != Page::Symbols)
            mode.shift = at_word_start(target.value);
    }
    state.seen_length = target.value.size();
    ui.renderer().fill_rect(rect, t.keyboard_bg);
    ui.record(rect, id, Role::Container);

    auto rows = rows_for(mode, kind, l);
    int gap = key_gap(t, rect.w);
    int n_rows = int(rows.size());
    int key_h = (rect.h - gap * (n_rows + 1)) / n_rows;
    float units = kind == KeyboardKind::Phone ? 3 : 10;
    int max_w = kind == KeyboardKind::Phone ? std::min(rect.w, t.px(120) * 3 + gap * 4) : rect.w;
    // A key unit and the gap after it. A key of w units spans w pitches less one gap, so a row
    // is as wide as the sum of its keys and gaps, whatever the widths of its keys.
    float pitch = float(max_w - gap) / units;
    std::optional<KeyPress> result;
    Mode next = mode;
    for (int r = 0; r < n_rows; ++r) {
        auto const& row = rows[size_t(r)];
        float row_units = 0;
        for (auto const& k : row)
            row_units += k.width;
        int row_w = int(std::lround(row_units * pitch)) - gap;
        int left = rect.x + (rect.w - row_w) / 2;
        int y = rect.y + gap + r * (key_h + gap);
        float at = 0;
        for (auto const& k : row) {
            int x0 = left + int(std::lround(at * pitch));
            at += k.width;
            int x1 = left + int(std::lround(at * pitch)) - gap;
            Rect kr {x0, y, x1 - x0, key_h};
            Press p = ui.pressable(kr, k.label, Role::Key);
            draw_key(ui, k, kr, p, mode);
            if (p.tapped)
                result = press(k, next);
        }
    }
    state.mode = next.to_int();
    return result;
}

void apply_key(std::string& value, KeyPress const& key) {
    if (key.kind == KeyPress::Insert) {
        value += key.text;
    } else if (key.kind == KeyPress::Backspace && !value.empty()) {
        size_t i = value.size() - 1;
        while (i > 0 && (static_cast<unsigned char>(value[i]) & 0xC0) == 0x80)
            --i;
        value.erase(i);
    }
}

std::string pin_mask(std::string_view pin) {
    std::string out;
    for (size_t i = 0; i < ksd::utf8::length(pin); ++i)
        out += i == 0 ? "\u2022" : " \u2022";
    return out;
}

} // namespace kiosk::ui
