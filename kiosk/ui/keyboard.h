// The on-screen keyboard: QWERTY letters with a digit row, a symbols page, a page of accented
// letters (partners' names: é, ü, ñ, ç ...), shift, backspace and space, or a numeric pad for
// phone numbers. Keys are big and registered by their label, so tests type by pressing keys.
// The request form reuses it.
#pragma once

#include "ui/ui.h"

#include <optional>
#include <string>

namespace kiosk::ui {

// Search: Text without the digit row (digits on the ?123 page, as phones do), a row lower so
// that results stay in sight above it on a short landscape panel.
enum class KeyboardKind : uint8_t { Text, Search, Phone };

// Words: shift comes on by itself at the start of the value and after a space (names);
// None: never (e-mail, phone, codes, search).
enum class Capitals : uint8_t { None, Words };

struct KeyPress {
    enum Kind : uint8_t { Insert, Backspace, Done } kind {Insert};
    std::string text; // for Insert: UTF-8 of the key
};

struct KeyboardLabels {
    std::string space {"Spasi"};
    std::string done {"Selesai"};
    std::string backspace {"Hapus"};
    std::string shift {"Shift"};
};

// The field being typed into: its current value (for automatic capitals) and whether it gets
// them.
struct KeyboardTarget {
    std::string_view value;
    Capitals capitals {Capitals::None};
};

// Height the keyboard wants for a given width (keys near-square, at least min_touch).
int keyboard_height(Theme const&, Rect area, KeyboardKind);
// Draws the keyboard in rect (its id keeps the page and shift state; give each field its own)
// and returns a key press.
std::optional<KeyPress> keyboard(Ui&, Rect, KeyboardKind, KeyboardLabels const& = {},
    std::string_view id = "keyboard", KeyboardTarget = {});
// Applies a key press to a text value (backspace removes one code point).
void apply_key(std::string& value, KeyPress const&);
// A PIN as shown while typed: a bullet per digit. U+2022, which the bundled Open Sans has
// ("\u25CF", used before, it has not: it showed as empty boxes).
std::string pin_mask(std::string_view pin);

} // namespace kiosk::ui
