// The on-screen keyboard: QWERTY letters with a digit row, a symbols page, shift, backspace and
// space, or a numeric pad for phone numbers. Keys are big and registered by their label, so
// tests type by pressing keys. The request form reuses it.
#pragma once

#include "ui/ui.h"

#include <optional>
#include <string>

namespace kiosk::ui {

// Search: Text without the digit row (digits on the ?123 page, as phones do), a row lower so
// that results stay in sight above it on a short landscape panel.
enum class KeyboardKind : uint8_t { Text, Search, Phone };

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

// Height the keyboard wants for a given width (keys near-square, at least min_touch).
int keyboard_height(Theme const&, Rect area, KeyboardKind);
// Draws the keyboard in rect (its id keeps the shift/symbol mode) and returns a key press.
std::optional<KeyPress> keyboard(
    Ui&, Rect, KeyboardKind, KeyboardLabels const& = {}, std::string_view id = "keyboard");
// Applies a key press to a text value (backspace removes one code point).
void apply_key(std::string& value, KeyPress const&);

} // namespace kiosk::ui
