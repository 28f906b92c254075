// Our own input events: touch and mouse arrive here already unified into one pointer, so a
// tap is one Down and one Up whatever the device. The SDL layer does the translation.
#pragma once

#include "ui/geometry.h"

#include <cstdint>

namespace kiosk::ui {

enum class PointerKind : uint8_t { Down, Move, Up, Cancel };

struct InputEvent {
    PointerKind kind {PointerKind::Down};
    Point pos;
};

enum class Rotation : uint8_t { R0, R90, R180, R270 };

// Maps a touch in normalised panel coordinates (0..1, as SDL_FINGERDOWN gives them) to the
// logical, rotated UI of size logical (already swapped for 90/270). Rotation is clockwise: the
// UI's top edge lies at the panel's right edge with R90.
Point map_touch(float nx, float ny, Rotation, Size logical);
// Same for a pixel position on a panel of size panel (mouse events).
Point map_panel_point(Point p, Size panel, Rotation, Size logical);

} // namespace kiosk::ui
