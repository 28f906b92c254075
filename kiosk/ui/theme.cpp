// Derivation of theme sizes from the screen size.
#include "ui/theme.h"

#include <cmath>

namespace kiosk::ui {

int Theme::px(float design_px) const {
    return int(std::lround(design_px * scale));
}

Font Theme::font(Face face, float design_size) const {
    float factor = text_size == TextSize::Large ? 1.25f : 1.0f;
    return {face, std::max(8, int(std::lround(design_size * scale * factor)))};
}

Theme Theme::make(Size screen, TextSize text_size) {
    Theme t;
    t.screen = screen;
    t.text_size = text_size;
    t.portrait = screen.h > screen.w;
    // The design canvas is 800x480 (480x800 in portrait). Bigger panels are physically bigger
    // too, so scale a little less than proportionally: they show somewhat more content.
    float sx = float(screen.w) / (t.portrait ? 480.0f : 800.0f);
    float sy = float(screen.h) / (t.portrait ? 800.0f : 480.0f);
    float s = std::max(0.5f, std::min(sx, sy));
    t.scale = s <= 1.0f ? s : std::pow(s, 0.85f);

    t.huge = t.font(Face::Bold, 44);
    t.title = t.font(Face::Bold, 22);
    t.heading1 = t.font(Face::Bold, 27);
    t.heading2 = t.font(Face::Bold, 23);
    t.heading3 = t.font(Face::Semibold, 20);
    t.body = t.font(Face::Regular, 18);
    t.body_bold = t.font(Face::Bold, 18);
    t.body_italic = t.font(Face::Italic, 18);
    t.body_bold_italic = t.font(Face::BoldItalic, 18);
    t.small = t.font(Face::Regular, 15);
    t.small_bold = t.font(Face::Bold, 15);
    t.button = t.font(Face::Semibold, 18);
    t.tile = t.font(Face::Bold, 19);
    t.key_font = {Face::Semibold, t.px(22)}; // keys do not grow with large text: they must fit

    t.pad = t.px(16);
    t.gap = t.px(12);
    t.radius = t.px(10);
    t.min_touch = t.px(48);
    t.top_bar_h = t.px(64);
    // Its line of small bold text (Open Sans: 1.36 x the size) with some air, large text too.
    t.banner_h = std::max(t.px(24), t.small_bold.size * 3 / 2);
    t.border_w = std::max(1, t.px(2));
    t.icon = t.px(44);
    t.drag_threshold = t.px(12);
    return t;
}

} // namespace kiosk::ui
