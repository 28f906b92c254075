// The one theme: every colour, size and font of the kiosk. Sizes derive from the screen size so
// the same screens fit 800x480 up to 1920x1080 and portrait 1080x1920.
#pragma once

#include "ui/geometry.h"
#include "ui/renderer.h"

namespace kiosk::ui {

enum class TextSize : uint8_t { Normal, Large };

struct Theme {
    Size screen;
    float scale {1.0f}; // 1.0 at 800x480
    TextSize text_size {TextSize::Normal};
    bool portrait {false};

    // Colours: deep navy and teal on white, one warm accent.
    Color background = rgb(0xF3F5F7);
    Color surface = rgb(0xFFFFFF);
    Color surface_alt = rgb(0xE8EEF2);
    Color navy = rgb(0x0B2545);
    Color navy_light = rgb(0x16385F);
    Color teal = rgb(0x0E6E73);
    Color teal_pressed = rgb(0x0A5256);
    Color teal_tint = rgb(0xDDEFEF);
    Color accent = rgb(0xE8A317);
    Color on_dark = rgb(0xFFFFFF);
    Color on_dark_muted = rgb(0xB9C7D6);
    Color text = rgb(0x14202E);
    Color text_muted = rgb(0x4A5868);
    Color border = rgb(0xC9D3DC);
    Color pressed = rgb(0xD3DEE6);
    Color link = rgb(0x0B6A78);
    Color status_active = rgb(0x1D7A46);
    Color status_soon = rgb(0xA35F00);
    Color status_ended = rgb(0x5E6873);
    Color status_future = rgb(0x2D5C94);
    Color danger = rgb(0xB3261E); // a field's problem, next to it
    Color demo_banner = rgb(0xE8A317);
    Color on_demo_banner = rgb(0x14202E);
    Color overlay = {11, 37, 69, 200};
    Color key = rgb(0xFFFFFF);
    Color key_special = rgb(0xD5DEE6);
    Color keyboard_bg = rgb(0xB8C4CF);

    // Fonts.
    Font huge; // attract screen clock / title
    Font title; // top bar, screen titles
    Font heading1;
    Font heading2;
    Font heading3;
    Font body;
    Font body_bold;
    Font body_italic;
    Font body_bold_italic;
    Font small;
    Font small_bold;
    Font button;
    Font tile;
    Font key_font;

    // Metrics in pixels.
    int pad {16};
    int gap {12};
    int radius {10};
    int min_touch {48}; // ~9 mm on a 7" 800x480 panel
    int top_bar_h {64};
    int banner_h {26};
    int border_w {2};
    int icon {40};
    int drag_threshold {10};

    static Theme make(Size screen, TextSize);
    int px(float design_px) const; // design pixels at 800x480 to screen pixels
    // Applies the large-text factor to a body-relative size.
    Font font(Face, float design_size) const;
};

} // namespace kiosk::ui
