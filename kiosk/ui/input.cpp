// Touch coordinate mapping for rotated screens.
#include "ui/input.h"

#include <cmath>

namespace kiosk::ui {

Point map_touch(float nx, float ny, Rotation rotation, Size logical) {
    nx = std::clamp(nx, 0.0f, 1.0f);
    ny = std::clamp(ny, 0.0f, 1.0f);
    float u = nx, v = ny; // normalised logical coordinates
    switch (rotation) {
    case Rotation::R0:
        break;
    case Rotation::R90: // UI rotated clockwise onto the panel: panel x grows along UI y.
        u = ny;
        v = 1.0f - nx;
        break;
    case Rotation::R180:
        u = 1.0f - nx;
        v = 1.0f - ny;
        break;
    case Rotation::R270:
        u = 1.0f - ny;
        v = nx;
        break;
    }
    int x = std::min(logical.w - 1, int(std::lround(u * float(logical.w - 1))));
    int y = std::min(logical.h - 1, int(std::lround(v * float(logical.h - 1))));
    return {std::max(0, x), std::max(0, y)};
}

Point map_panel_point(Point p, Size panel, Rotation rotation, Size logical) {
    float nx = panel.w > 1 ? float(p.x) / float(panel.w - 1) : 0.0f;
    float ny = panel.h > 1 ? float(p.y) / float(panel.h - 1) : 0.0f;
    return map_touch(nx, ny, rotation, logical);
}

} // namespace kiosk::ui
