// Keyboard layout and key handling.
#include "ui/keyboard.h"

#include <array>
#include <vector>

namespace kiosk::ui {

namespace {

enum Mode : int { Lower = 0, Upper = 1, Symbols = 2 };

struct Key {
    std::string label; // what is shown and inserted
    float width {1}; // in key units
    enum Kind : uint8_t { Char, Shift, Backspace, Space, Done, ToSymbols, ToLetters } kind {Char};
};

std::vector<std::vector<Key>> rows_for(Mode mode, KeyboardKind kind, KeyboardLabels const& l) {
    std::vector<std::vector<Key>> rows;
    auto chars = [](std::string_view s, bool upper) {
        std::vector<Key> row;
        for (char c : s) {
            char shown = upper && c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
            row.push_back({std::string(1, shown), 1, Key::Char});
        }
        return row;
    };
    if (kind == KeyboardKind::Phone) {
        rows.push_back(chars("123", false));
        rows.push_back(chars("456", false));
        rows.push_back(chars("789", false));
        rows.push_back(
            {{"+", 1, Key::Char}, {"0", 1, Key::Char}, {l.backspace, 1, Key::Backspace}});
        rows.push_back({{l.done, 3, Key::Done}});
        return rows;
    }
    // Search has four rows on both pages: no digit row above the letters; on the symbols page
    // the digits come first and the brackets' row goes (a search does not need them).
    bool search = kind == KeyboardKind::Search;
    if (!search || mode == Symbols)
        rows.push_back(chars("1234567890", false));
    if (mode == Symbols && search) {
        rows.push_back(chars("@#&-_/():;", false));
        auto r = chars("!?\"'+=%*", false);
        r.push_back({l.backspace, 2, Key::Backspace});
        rows.push_back(r);
    } else if (mode == Symbols) {
        rows.push_back(chars("@#&-_/():;", false));
        auto r = chars("!?\"'+=%*,.", false);
        rows.push_back(r);
        std::vector<Key> r3 {{"ABC", 1.5f, Key::ToLetters}};
        for (auto& k : chars("<>[]$~", false))
            r3.push_back(k);
        r3.push_back({l.backspace, 1.5f, Key::Backspace});
        rows.push_back(r3);
    } else {
        bool up = mode == Upper;
        rows.push_back(chars("qwertyuiop", up));
        auto r2 = chars("asdfghjkl", up);
        r2.push_back({"-", 1, Key::Char});
        rows.push_back(r2);
        std::vector<Key> r3 {{l.shift, 1.5f, Key::Shift}};
        for (auto& k : chars("zxcvbnm", up))
            r3.push_back(k);
        r3.push_back({l.backspace, 1.5f, Key::Backspace});
        rows.push_back(r3);
    }
    rows.push_back({{mode == Symbols ? "ABC" : "?123", 1.5f,
                        mode == Symbols ? Key::ToLetters : Key::ToSymbols},
        {",", 1, Key::Char}, {l.space, 4.5f, Key::Space}, {".", 1, Key::Char},
        {l.done, 2, Key::Done}});
    return rows;
}

// Gaps shrink before keys do: ten keys across must stay touch targets on a narrow portrait panel.
int key_gap(Theme const& t, int width) {
    return std::clamp((width - 10 * t.min_touch) / 11, 2, t.px(6));
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

std::optional<KeyPress> keyboard(
    Ui& ui, Rect rect, KeyboardKind kind, KeyboardLabels const& l, std::string_view id) {
    auto const& t = ui.theme();
    int& mode = ui.keyboard_mode(id);
    ui.renderer().fill_rect(rect, t.keyboard_bg);
    ui.record(rect, id, Role::Container);

    auto rows = rows_for(Mode(mode), kind, l);
    int gap = key_gap(t, rect.w);
    int n_rows = int(rows.size());
    int key_h = (rect.h - gap * (n_rows + 1)) / n_rows;
    float units = kind == KeyboardKind::Phone ? 3 : 10;
    int max_w = kind == KeyboardKind::Phone ? std::min(rect.w, t.px(120) * 3 + gap * 4) : rect.w;
    float unit = float(max_w - gap * (int(units) + 1)) / units;
    std::optional<KeyPress> result;
    for (int r = 0; r < n_rows; ++r) {
        auto const& row = rows[size_t(r)];
        float row_units = 0;
        for (auto const& k : row)
            row_units += k.width;
        int row_w = int(row_units * unit + float(gap) * (float(row.size()) - 1));
        int x = rect.x + (rect.w - row_w) / 2;
        int y = rect.y + gap + r * (key_h + gap);
        for (auto const& k : row) {
            int w = int(k.width * unit + float(gap) * (k.width - 1));
            Rect kr {x, y, w, key_h};
            x += w + gap;
            Press p = ui.pressable(kr, k.label, Role::Key);
            bool special = k.kind != Key::Char && k.kind != Key::Space;
            bool lit = k.kind == Key::Shift && mode == Upper;
            Color fill
                = p.pressed ? t.teal_tint : (lit ? t.teal : (special ? t.key_special : t.key));
            Color fg = lit ? t.on_dark : t.navy;
            ui.renderer().fill_rounded(
                kr.translated(0, std::max(1, t.px(2))), t.radius / 2, rgb(0x8A99A8));
            ui.renderer().fill_rounded(kr, t.radius / 2, fill);
            Icon icon = k.kind == Key::Shift
                ? Icon::Shift
                : (k.kind == Key::Backspace ? Icon::Backspace : Icon::None);
            if (icon != Icon::None) {
                int s = std::min(kr.h, kr.w) * 5 / 10;
                draw_icon(ui.renderer(), icon, {kr.center().x - s / 2, kr.center().y - s / 2, s, s},
                    fg, fill);
            } else {
                Font f = k.kind == Key::Char ? t.key_font : t.button;
                std::string shown = ellipsize(ui.measurer(), k.label, f, kr.w - t.px(4));
                int tw = ui.measurer().text_width(shown, f);
                int lh = ui.measurer().line_height(f);
                ui.renderer().text({kr.center().x - tw / 2, kr.center().y - lh / 2}, shown, f, fg);
            }
            if (!p.tapped)
                continue;
            switch (k.kind) {
            case Key::Char:
                result = KeyPress {KeyPress::Insert, k.label};
                if (mode == Upper)
                    mode = Lower; // one capital, as phones do
                break;
            case Key::Space:
                result = KeyPress {KeyPress::Insert, " "};
                break;
            case Key::Backspace:
                result = KeyPress {KeyPress::Backspace, {}};
                break;
            case Key::Done:
                result = KeyPress {KeyPress::Done, {}};
                break;
            case Key::Shift:
                mode = mode == Upper ? Lower : Upper;
                break;
            case Key::ToSymbols:
                mode = Symbols;
                break;
            case Key::ToLetters:
                mode = Lower;
                break;
            }
        }
    }
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

} // namespace kiosk::ui
