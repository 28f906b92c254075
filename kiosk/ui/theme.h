// The one theme: every colour, size and font of the kiosk. Text sizes derive from the panel's
// physical size (body capitals about 4 mm tall on any panel), the other sizes from the screen
// size, so the same screens fit 800x480 up to 1920x1080 and portrait 1080x1920.
#pragma once

#include "ui/geometry.h"
#include "ui/renderer.h"

namespace kiosk::ui {

enum class TextSize : uint8_t { Normal, Large };
// High: every text on its background at a contrast ratio of at least 7:1 (WCAG AAA).
enum class Contrast : uint8_t { Standard, High };

// Open Sans's capital height over its em (capHeight 1462 / unitsPerEm 2048 in its OS/2 table);
// a test measures it from the font the kiosk ships.
inline constexpr float cap_height_per_px = 1462.0f / 2048.0f;
// Body capitals this tall read well from 50-80 cm (issue 13: 2.4 mm was too small).
inline constexpr float body_cap_mm = 4.0f;
// Large text multiplies every text size of the theme by this.
inline constexpr float large_text_factor = 1.5f;

// The panel's diagonal in inches when the config does not say: the usual panel of each
// resolution (7" 800x480 and 1024x600, 10.1" 1280x800, 15.6" 1366x768, 21.5" 1920x1080 in
// either orientation). EDID (SDL_GetDisplayDPI) is not used: DSI panels have none and HDMI
// panels often report a wrong or zero size.
float assumed_diagonal_inches(Size screen);

struct Theme {
    Size screen;
    float scale {1.0f}; // 1.0 at 800x480
    TextSize text_size {TextSize::Normal};
    Contrast contrast {Contrast::Standard};
    bool portrait {false};
    float px_per_mm {5.25f}; // a 7" 800x480 panel
    float text_scale {1.0f}; // font pixels per design font pixel (body: 18 design px)

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
    // Display type, sized with the screen (not the text size: these fill their space): the
    // attract screen's invitation, highlight and clock, a big statement, a ticket code in a
    // prompt and on the page after sending.
    Font attract_invite;
    Font attract_highlight;
    Font clock;
    Font display;
    Font ticket_code;
    Font ticket_code_hero;

    // Metrics in pixels.
    int pad {16};
    int gap {12};
    int radius {10};
    int min_touch {48}; // ~9 mm on a 7" 800x480 panel
    // A button's or field's height: a touch target that also holds a line of body or button
    // text with some air (large text on a small panel needs more than min_touch).
    int control_h {48};
    int top_bar_h {64};
    int banner_h {26};
    int border_w {2};
    int icon {40};
    int drag_threshold {10};

    // Spacing: the one scale every gap, margin and inset of a screen is taken from (design
    // pixels 2, 4, 8, 12, 16, 24, 32 at 800x480; pad and gap above are steps of it too).
    int space_2xs {2};
    int space_xs {4};
    int space_s {8};
    int space_m {12};
    int space_l {16};
    int space_xl {24};
    int space_2xl {32};
    // Marks: the drop shadow under cards and rows, the deeper one under tiles, the extra
    // leading of running text, the accent rule under a heading, the accent stripe along an edge.
    int shadow {2};
    int tile_shadow {3};
    int line_gap {3};
    int rule_w {56};
    int rule_h {4};
    int stripe_w {5};
    // Glyph sizes inside controls: a button's icon, a list row's chevron, a list's indent per
    // level and the room for its bullet or number.
    int button_icon {26};
    int chevron {24};
    int list_indent {26};
    int list_marker_w {30};
    // Measures, by role: the widest column of running text, a dialog or single centred panel,
    // a narrow column (a QR code's column, a message beside a field), a label column of
    // label/value rows (a wider one for staff mode's longer labels), footer buttons, a title in the
    // top bar, the least a search field may shrink to, the clock's column on the attract screen, QR
    // codes' least and most side and the room for their caption, the height of the attract screen's
    // invitation band; the widths from which content splits into two columns (fields, cards).
    int reading_w {860};
    int dialog_w {560};
    int column_w {420};
    int label_col_w {200};
    int wide_label_col_w {300};
    int button_w {260};
    int wide_button_w {300};
    int title_w {240};
    int field_min_w {240};
    int clock_w {230};
    int qr_min {140};
    int qr_max {260};
    int qr_caption_h {50};
    int attract_band_h {100};
    int split_min_w {640};
    int two_cards_min_w {1000};

    // diagonal_inches: the panel's (config screen.diagonal_inches); 0: assumed_diagonal_inches.
    static Theme make(
        Size screen, TextSize, Contrast = Contrast::Standard, float diagonal_inches = 0.0f);
    int px(float design_px) const; // design pixels at 800x480 to screen pixels
    // A text size in design pixels (body: 18) to the font for this panel and text size.
    Font font(Face, float design_size) const;
    // The smallest a tile's label may step down to: 70 % of its size, and with large text
    // never below the normal size (the tiles fill the screen and cannot grow).
    int tile_min_size {8};
    // The capital height of a font in millimetres on this panel.
    float cap_mm(Font f) const { return float(f.size) * cap_height_per_px / px_per_mm; }
};

} // namespace kiosk::ui
