// Derivation of theme sizes from the panel's physical size and resolution, and the
// high-contrast colours.
#include "ui/theme.h"

#include <algorithm>
#include <cmath>

namespace kiosk::ui {

namespace {

constexpr float mm_per_inch = 25.4f;

float panel_px_per_mm(Size screen, float diagonal_inches) {
    return std::hypot(float(screen.w), float(screen.h)) / (diagonal_inches * mm_per_inch);
}

constexpr float design_body_px = 18.0f;

// Every colour a text is drawn in, darkened (or the background lightened) until each text on
// each background the screens use reaches 7:1 (tests/kiosk/test_theme.cpp checks every run).
void use_high_contrast(Theme& t) {
    t.background = rgb(0xFFFFFF);
    t.surface_alt = rgb(0xEEF2F5);
    t.pressed = rgb(0xE4EAEF);
    t.teal = rgb(0x00474B);
    t.teal_pressed = rgb(0x002E31);
    t.teal_tint = rgb(0xE6F4F4);
    t.on_dark_muted = rgb(0xFFFFFF);
    t.text = rgb(0x000000);
    t.text_muted = rgb(0x1F2A36);
    t.border = rgb(0x4A5868);
    t.link = rgb(0x00474B);
    t.status_active = rgb(0x0E4D29);
    t.status_soon = rgb(0x6B3E00);
    t.status_ended = rgb(0x3A4148);
    t.status_future = rgb(0x1B3D66);
    t.danger = rgb(0x8A1A14);
    t.on_demo_banner = rgb(0x000000);
    t.key_special = rgb(0xE4EAEF);
}

} // namespace

float assumed_diagonal_inches(Size screen) {
    int longer = std::max(screen.w, screen.h);
    if (longer <= 1024)
        return 7.0f;
    if (longer <= 1280)
        return 10.1f;
    if (longer <= 1440)
        return 15.6f;
    return 21.5f;
}

int Theme::px(float design_px) const {
    return int(std::lround(design_px * scale));
}

Font Theme::font(Face face, float design_size) const {
    int normal = std::max(8, int(std::lround(design_size * text_scale)));
    switch (text_size) {
    case TextSize::Normal:
        return {face, normal};
    case TextSize::Large:
        // Rounded up from the normal size: every size is at least 1.5 times its normal one.
        return {face, int(std::ceil(float(normal) * large_text_factor))};
    }
    return {face, normal};
}

Theme Theme::make(Size screen, TextSize text_size, Contrast contrast, float diagonal_inches) {
    Theme t;
    t.screen = screen;
    t.text_size = text_size;
    t.contrast = contrast;
    t.portrait = screen.h > screen.w;
    float diagonal = diagonal_inches > 0 ? diagonal_inches : assumed_diagonal_inches(screen);
    t.px_per_mm = panel_px_per_mm(screen, diagonal);
    // Paddings, bars and touch targets follow the resolution as they did (the design canvas is
    // 800x480, 480x800 in portrait; bigger screens scale a little less than proportionally):
    // the screens' fixed-height rows must hold large text too.
    float sx = float(screen.w) / (t.portrait ? 480.0f : 800.0f);
    float sy = float(screen.h) / (t.portrait ? 800.0f : 480.0f);
    float s = std::max(0.5f, std::min(sx, sy));
    t.scale = s <= 1.0f ? s : std::pow(s, 0.85f);
    // Body capitals at least body_cap_mm tall; the other text sizes keep their ratio to the body.
    // On a big panel (a 21.5" lobby totem) 4 mm is less than the type its resolution was
    // designed with: text keeps that size there, it is read from further away.
    t.text_scale
        = std::max(t.scale, body_cap_mm * t.px_per_mm / cap_height_per_px / design_body_px);
    if (contrast == Contrast::High)
        use_high_contrast(t);

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
    switch (text_size) {
    case TextSize::Normal:
        t.tile_min_size = t.tile.size * 7 / 10;
        break;
    case TextSize::Large:
        t.tile_min_size = std::max(8, int(std::lround(19 * t.text_scale)));
        break;
    }

    t.pad = t.px(16);
    t.gap = t.px(12);
    t.radius = t.px(10);
    t.min_touch = t.px(48);
    // Open Sans's line is 1.36 x its size.
    t.control_h
        = std::max(t.min_touch, std::max(t.body.size, t.button.size) * 136 / 100 + t.px(10));
    // The title's line (Open Sans: 1.36 x the size) with some air, large text too.
    t.top_bar_h = std::max(t.px(64), t.title.size * 136 / 100 + t.px(12));
    // Its line of small bold text with some air, large text too.
    t.banner_h = std::max(t.px(24), t.small_bold.size * 3 / 2);
    t.border_w = std::max(1, t.px(2));
    t.icon = t.px(44);
    t.drag_threshold = t.px(12);

    t.space_2xs = t.px(2);
    t.space_xs = t.px(4);
    t.space_s = t.px(8);
    t.space_m = t.px(12);
    t.space_l = t.px(16);
    t.space_xl = t.px(24);
    t.space_2xl = t.px(32);
    t.shadow = std::max(1, t.px(2));
    t.tile_shadow = std::max(1, t.px(3));
    t.line_gap = t.px(3);
    t.rule_w = t.px(56);
    t.rule_h = std::max(2, t.px(4));
    t.stripe_w = std::max(3, t.px(5));
    t.button_icon = t.px(26);
    t.chevron = t.px(24);
    t.list_indent = t.px(26);
    t.list_marker_w = t.px(30);
    t.reading_w = t.px(860);
    t.dialog_w = t.px(560);
    t.column_w = t.px(420);
    t.label_col_w = t.px(200);
    t.wide_label_col_w = t.px(300);
    t.button_w = t.px(260);
    t.wide_button_w = t.px(300);
    t.title_w = t.px(240);
    t.field_min_w = t.px(240);
    t.clock_w = t.px(230);
    t.qr_min = t.px(140);
    t.qr_max = t.px(260);
    t.qr_caption_h = t.px(50);
    t.attract_band_h = t.portrait ? t.px(130) : t.px(100);
    t.split_min_w = t.px(640);
    t.two_cards_min_w = t.px(1000);
    t.attract_invite = {Face::Bold, t.portrait ? t.px(34) : t.px(28)};
    t.attract_highlight = {Face::Semibold, t.portrait ? t.px(34) : t.px(26)};
    t.clock = {Face::Bold, t.portrait ? t.px(110) : t.px(72)};
    t.display = {Face::Bold, t.px(32)};
    t.ticket_code = {Face::Bold, t.px(48)};
    t.ticket_code_hero = {Face::Bold, t.portrait ? t.px(64) : t.px(54)};
    return t;
}

} // namespace kiosk::ui
