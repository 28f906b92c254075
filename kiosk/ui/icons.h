// Simple icons drawn from the renderer's primitives, so no icon font is needed.
#pragma once

#include "ui/renderer.h"

#include <string_view>

namespace kiosk::ui {

enum class Icon : uint8_t {
    None,
    Info,
    Steps,
    Register,
    Potential,
    Documents,
    Faq,
    Contacts,
    Back,
    Home,
    Search,
    Close,
    ChevronRight,
    ChevronDown,
    ChevronUp,
    Backspace,
    Shift,
    TextSize,
    Phone,
    Chat,
    Mail,
    Clock,
    Location,
    Filter,
    Speaker, // read aloud (issue 14)
    Stop, // stop reading
    Smile, // the satisfaction survey
};

// Maps the icon names of content/site.toml ("info", "steps", ...) to icons.
Icon icon_from_name(std::string_view);
// Draws icon centred in box (a square is best), in colour c.
void draw_icon(Renderer&, Icon, Rect box, Color c, Color background);

} // namespace kiosk::ui
