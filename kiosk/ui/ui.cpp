// Immediate-mode widgets: press tracking, scroll physics and the standard drawings.
#include "ui/ui.h"

#include "ksd/log.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>

namespace kiosk::ui {

namespace {

uint64_t fnv1a(std::string_view s, uint64_t h = 1469598103934665603ull) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

// Time constant of the inertia decay; 325 ms feels like a phone's fling.
constexpr float inertia_tau_ms = 325.0f;
constexpr float min_velocity = 0.02f; // px per ms
constexpr size_t max_tile_label_bytes = 400; // a tile shows a few short lines

constexpr size_t max_fit_entries = 2048;

// The key of a fitting question: the text, then the numbers it depends on.
std::string fit_key(std::string_view text, std::initializer_list<int> numbers) {
    std::string key(text);
    for (int n : numbers) {
        key.push_back('\0');
        key += std::to_string(n);
    }
    return key;
}

template <typename Map, typename Make>
typename Map::mapped_type const& remembered(Map& map, std::string key, Make make) {
    if (auto it = map.find(key); it != map.end())
        return it->second;
    if (map.size() >= max_fit_entries)
        map.clear();
    return map.emplace(std::move(key), make()).first->second;
}

int widest_word_width(TextMeasurer& m, std::string_view text, Font f) {
    int widest = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find(' ', pos);
        if (end == std::string_view::npos)
            end = text.size();
        widest = std::max(widest, m.text_width(text.substr(pos, end - pos), f));
        pos = end + 1;
    }
    return widest;
}

} // namespace

int Ui::tile_min_height(std::string_view text, int width) {
    auto const& t = m_theme;
    int inner_w = width - 2 * t.px(12);
    if (text.size() > max_tile_label_bytes)
        text = text.substr(0, max_tile_label_bytes);
    // The first size Ui::tile would keep: every word on a line, the label in half the tile,
    // and under the icon's smallest circle.
    auto least = [&] {
        for (int size = t.tile.size; size >= std::min(t.tile.size, t.tile_min_size); --size) {
            Font f {t.tile.face, size};
            if (widest_word_width(m_measurer, text, f) > inner_w)
                continue;
            int block = layout_text(m_measurer, text, f, t.navy, inner_w, Align::Center).height;
            return std::max(2 * block, block + t.px(44) + t.px(34));
        }
        return -1;
    };
    return remembered(m_tile_fit,
        fit_key(text,
            {0, int(t.tile.face), t.tile.size, t.tile_min_size, inner_w, t.px(44) + t.px(34)}),
        least);
}

Ui::Ui(Renderer& renderer, TextMeasurer& measurer)
    : m_renderer(&renderer)
    , m_measurer(measurer) {
}

void Ui::begin(
    Theme const& theme, std::optional<InputEvent> event, int64_t now_ms, int input_layer) {
    m_theme = theme;
    m_event = event;
    m_now = now_ms;
    m_input_layer = input_layer;
    m_layer = 0;
    m_animating = false;
    m_widgets.clear();
    m_id_counts.clear();
    m_scroll_stack.clear();
    m_clip_stack.clear();
    m_clip_stack.push_back({0, 0, theme.screen.w, theme.screen.h});
}

char const* describe(StackError e) {
    switch (e) {
    case StackError::None:
        return "none";
    case StackError::UnclosedScroll:
        return "Ui::end with a scroll view still open: call end_scroll(content_height) once for "
               "each begin_scroll, before Ui::end";
    case StackError::ExtraEndScroll:
        return "Ui::end_scroll without a begin_scroll: each end_scroll closes the begin_scroll "
               "before it";
    }
    return "unknown";
}

StackError Ui::misuse(StackError e) {
    if (e == StackError::None)
        return e;
    switch (m_on_misuse) {
    case OnMisuse::Abort:
        std::fprintf(stderr, "kiosk ui: programming error: %s\n", describe(e));
        std::abort();
    case OnMisuse::Repair:
        // Once: a screen that misuses the stack does so every frame.
        if (!m_misuse_logged)
            ksd::log::error(
                "kiosk", std::string("ui: programming error (repaired): ") + describe(e));
        m_misuse_logged = true;
        break;
    }
    return e;
}

StackError Ui::end() {
    StackError error = m_scroll_stack.empty() ? StackError::None : StackError::UnclosedScroll;
    m_scroll_stack.clear();
    // The base clip (the screen) stays; begin_scroll pushed every other one.
    while (m_clip_stack.size() > 1) {
        m_clip_stack.pop_back();
        m_renderer->pop_clip();
    }
    if (m_event && (m_event->kind == PointerKind::Up || m_event->kind == PointerKind::Cancel)) {
        m_active = 0;
        for (auto& [id, s] : m_scroll) {
            s.candidate = false;
            s.dragging = false;
        }
    }
    return misuse(error);
}

void Ui::forget_cached_text() {
    m_tile_fit.clear();
    m_elided.clear();
}

void Ui::reset_state() {
    m_active = 0;
    m_scroll.clear();
    m_keyboard_state.clear();
}

void Ui::reset_scroll(std::string_view id) {
    m_scroll.erase(fnv1a(id, fnv1a("scroll")));
}

uint64_t Ui::make_id(std::string_view label, Role role) {
    uint64_t h = fnv1a(label, 1469598103934665603ull ^ (uint64_t(role) << 32));
    if (!m_scroll_stack.empty())
        h ^= m_scroll_stack.back().id * 31;
    int n = m_id_counts[h]++;
    return h + uint64_t(n) * 0x9E3779B97F4A7C15ull;
}

Rect Ui::clip_rect() const {
    return m_clip_stack.back();
}

bool Ui::visible(Rect r) const {
    return !r.intersect(clip_rect()).empty();
}

void Ui::record(Rect rect, std::string_view label, Role role) {
    Rect vis = rect.intersect(clip_rect());
    if (vis.empty())
        return;
    bool interactive = role != Role::Text && role != Role::Container && role != Role::Qr
        && role != Role::Image && role != Role::ScrollView;
    m_widgets.push_back({std::string(label), role, vis, rect, m_layer, interactive});
}

Press Ui::pressable(Rect rect, std::string_view label, Role role) {
    uint64_t id = make_id(label, role);
    Rect vis = rect.intersect(clip_rect());
    if (!vis.empty())
        m_widgets.push_back({std::string(label), role, vis, rect, m_layer, true});
    Press p;
    if (takes_input() && m_event) {
        auto const& e = *m_event;
        if (e.kind == PointerKind::Down && m_active == 0 && vis.contains(e.pos))
            m_active = id;
        if (e.kind == PointerKind::Up && m_active == id && vis.contains(e.pos))
            p.tapped = true;
    }
    p.pressed = m_active == id && !p.tapped;
    return p;
}

int Ui::button_width(std::string_view text, int h, Icon icon) const {
    auto const& t = m_theme;
    // Mirrors button(): the border of a Secondary button, padding, icon and its space.
    int inner_h = h - 2 * t.border_w;
    int icon_w = icon == Icon::None ? 0 : std::min(inner_h * 5 / 10, t.button_icon);
    int space = icon_w ? t.px(8) : 0;
    return m_measurer.text_width(text, t.button) + 2 * t.px(10) + icon_w + space + 2 * t.border_w
        + 1;
}

bool Ui::button(Rect rect, std::string_view text, ButtonStyle style, Icon icon) {
    Press p = pressable(rect, text, Role::Button);
    if (!visible(rect))
        return p.tapped;
    auto const& t = m_theme;
    Color fill = t.teal, fg = t.on_dark;
    switch (style) {
    case ButtonStyle::Primary:
        fill = p.pressed ? t.teal_pressed : t.teal;
        break;
    case ButtonStyle::Secondary:
        m_renderer->fill_rounded(rect, t.radius, p.pressed ? t.teal : t.border);
        fill = p.pressed ? t.pressed : t.surface;
        fg = t.navy;
        rect = rect.inset(t.border_w);
        break;
    case ButtonStyle::Selected:
        fill = p.pressed ? t.navy_light : t.navy;
        break;
    case ButtonStyle::OnDark:
        fill = p.pressed ? t.teal : t.navy_light;
        break;
    case ButtonStyle::OnDarkSelected:
        fill = p.pressed ? t.pressed : t.surface;
        fg = t.navy;
        break;
    }
    m_renderer->fill_rounded(
        rect, std::max(0, t.radius - (style == ButtonStyle::Secondary ? t.border_w : 0)), fill);
    int icon_w = icon == Icon::None ? 0 : std::min(rect.h * 5 / 10, t.button_icon);
    int space = icon_w ? t.px(8) : 0;
    int avail = rect.w - 2 * t.px(10) - icon_w - space;
    std::string shown = ellipsize(m_measurer, text, t.button, std::max(1, avail));
    int tw = shown.empty() ? 0 : m_measurer.text_width(shown, t.button);
    int total = icon_w + (tw ? space + tw : 0);
    int x = rect.x + (rect.w - total) / 2;
    if (icon_w) {
        draw_icon(*m_renderer, icon, {x, rect.y + (rect.h - icon_w) / 2, icon_w, icon_w}, fg, fill);
        x += icon_w + space;
    }
    if (!shown.empty()) {
        int lh = m_measurer.line_height(t.button);
        m_renderer->text({x, rect.y + (rect.h - lh) / 2}, shown, t.button, fg);
    }
    return p.tapped;
}

bool Ui::icon_button(Rect rect, std::string_view label, Icon icon, ButtonStyle style) {
    Press p = pressable(rect, label, Role::Button);
    if (!visible(rect))
        return p.tapped;
    auto const& t = m_theme;
    Color fill = t.navy_light, fg = t.on_dark;
    if (style == ButtonStyle::Secondary || style == ButtonStyle::OnDarkSelected) {
        fill = p.pressed ? t.pressed : t.surface;
        fg = t.navy;
    } else if (style == ButtonStyle::Primary) {
        fill = p.pressed ? t.teal_pressed : t.teal;
    } else if (p.pressed) {
        fill = t.teal;
    }
    m_renderer->fill_rounded(rect, t.radius, fill);
    int side = std::min(rect.w, rect.h) * 11 / 20;
    draw_icon(*m_renderer, icon,
        {rect.x + (rect.w - side) / 2, rect.y + (rect.h - side) / 2, side, side}, fg, fill);
    return p.tapped;
}

bool Ui::tile(Rect rect, std::string_view text, Icon icon) {
    Press p = pressable(rect, text, Role::Tile);
    if (!visible(rect))
        return p.tapped;
    auto const& t = m_theme;
    int shadow = t.tile_shadow;
    m_renderer->fill_rounded(rect.translated(0, shadow), t.radius, t.border);
    Color fill = p.pressed ? t.teal_tint : t.surface;
    m_renderer->fill_rounded(rect, t.radius, fill);
    // An accent strip along the top edge ties the tiles to the navy bar.
    m_renderer->fill_rounded({rect.x, rect.y, rect.w, t.radius * 2}, t.radius, t.teal);
    m_renderer->fill_rect({rect.x, rect.y + t.px(5), rect.w, t.radius * 2}, fill);

    Font font = m_theme.tile;
    int inner_w = rect.w - 2 * t.px(12);
    // A tile shows a few short lines; a label far longer (a hostile pack: the builder allows
    // 200 characters) is cut before it is laid out several times a frame.
    std::string shortened;
    if (text.size() > max_tile_label_bytes) {
        size_t cut = max_tile_label_bytes;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut;
        shortened = std::string(text.substr(0, cut)) + std::string(ellipsis);
        text = shortened;
    }
    // A word split across lines reads badly on a tile: step the size down until each word
    // fits on a line and the label leaves room for the icon (not below the theme's floor: 70 %,
    // and never below the normal size with large text).
    // Remembered across passes: the search lays the label out at every size it tries.
    auto fitting_size = [&] {
        int size = font.size;
        for (; size >= std::min(font.size, t.tile_min_size); --size) {
            Font f {font.face, size};
            int height = layout_text(m_measurer, text, f, t.navy, inner_w, Align::Center).height;
            if (widest_word_width(m_measurer, text, f) <= inner_w && height <= rect.h / 2)
                return size;
        }
        return size + 1; // the smallest tried
    };
    int size = remembered(m_tile_fit,
        fit_key(text, {1, int(font.face), font.size, t.tile_min_size, inner_w, rect.h / 2}),
        fitting_size);
    TextBlock block
        = layout_text(m_measurer, text, Font {font.face, size}, t.navy, inner_w, Align::Center);
    int circle = std::min({t.px(76), rect.h - block.height - t.px(34), rect.w - 2 * t.px(12)});
    circle = std::max(circle, t.px(30));
    int content_h = circle + t.px(12) + block.height;
    int y = rect.y + std::max(t.px(8), (rect.h - content_h) / 2 + t.px(3));
    Point c {rect.x + rect.w / 2, y + circle / 2};
    m_renderer->fill_circle(c, circle / 2, p.pressed ? t.teal_pressed : t.teal);
    int is = circle * 56 / 100;
    draw_icon(*m_renderer, icon, {c.x - is / 2, c.y - is / 2, is, is}, t.on_dark,
        p.pressed ? t.teal_pressed : t.teal);
    Point origin {rect.x + t.px(12), y + circle + t.px(12)};
    // Whatever does not fit stays inside the tile.
    m_renderer->push_clip(rect.intersect(clip_rect()));
    for (auto const& run : block.runs)
        m_renderer->text(
            {origin.x + run.pos.x, origin.y + run.pos.y}, run.text, run.font, run.color);
    m_renderer->pop_clip();
    return p.tapped;
}

bool Ui::radio(Rect r, std::string_view text, Selected selected) {
    bool on = selected == Selected::Yes;
    auto const& t = m_theme;
    Press p = pressable(r, text, Role::ListItem);
    if (!visible(r))
        return p.tapped;
    auto& rd = *m_renderer;
    rd.fill_rounded(r, t.radius, on ? t.navy : t.border);
    Rect inner = r.inset(on ? t.border_w * 2 : t.border_w);
    Color fill = p.pressed ? t.teal_tint : (on ? t.teal_tint : t.surface);
    rd.fill_rounded(inner, std::max(0, t.radius - t.border_w), fill);
    int d = t.px(24);
    Point c {r.x + t.px(14) + d / 2, r.y + r.h / 2};
    rd.fill_circle(c, d / 2, on ? t.navy : t.text_muted);
    rd.fill_circle(c, d / 2 - std::max(2, t.px(3)), fill);
    if (on)
        rd.fill_circle(c, d / 4, t.navy);
    int tx = r.x + t.px(14) + d + t.px(14);
    int tw = r.right() - t.px(12) - tx;
    TextBlock b = layout_text(m_measurer, text, on ? t.body_bold : t.body, t.text, tw, Align::Left);
    text_block(b, {tx, r.y + (r.h - b.height) / 2}, tw);
    return p.tapped;
}

bool Ui::checkbox(Rect r, std::string_view text, Checked checked) {
    bool on = checked == Checked::Yes;
    auto const& t = m_theme;
    Press p = pressable(r, text, Role::ListItem);
    if (!visible(r))
        return p.tapped;
    auto& rd = *m_renderer;
    rd.fill_rounded(r, t.radius, on ? t.navy : t.border);
    Color fill = p.pressed || on ? t.teal_tint : t.surface;
    rd.fill_rounded(r.inset(t.border_w * 2), t.radius, fill);
    int d = t.px(28);
    Rect box {r.x + t.px(14), r.y + (r.h - d) / 2, d, d};
    rd.fill_rounded(box, t.px(4), on ? t.navy : t.text_muted);
    rd.fill_rounded(box.inset(std::max(2, t.px(3))), t.px(3), on ? t.navy : t.surface);
    if (on) {
        int th = std::max(2, t.px(4));
        rd.line(
            {box.x + d / 5, box.y + d / 2}, {box.x + d * 2 / 5, box.y + d * 3 / 4}, th, t.on_dark);
        rd.line({box.x + d * 2 / 5, box.y + d * 3 / 4}, {box.x + d * 4 / 5, box.y + d / 4}, th,
            t.on_dark);
    }
    int tx = box.right() + t.px(14);
    int tw = r.right() - t.px(12) - tx;
    TextBlock b = layout_text(m_measurer, text, t.body_bold, t.text, tw, Align::Left);
    text_block(b, {tx, r.y + (r.h - b.height) / 2}, tw);
    return p.tapped;
}

int Ui::choice_height(std::string_view text, int width) {
    auto const& t = m_theme;
    // Measured in bold: a radio's label turns bold when selected and its row must not grow.
    int tw = width - t.px(14) - t.px(24) - t.px(14) - t.px(12);
    TextBlock b = layout_text(m_measurer, text, t.body_bold, t.text, tw, Align::Left);
    return std::max(t.control_h + t.px(8), b.height + t.px(20));
}

void Ui::label(Rect rect, std::string_view text, Font font, Color color, Align align) {
    if (text.empty())
        return;
    std::string const& shown
        = remembered(m_elided, fit_key(text, {int(font.face), font.size, rect.w}),
            [&] { return ellipsize(m_measurer, text, font, rect.w); });
    int w = m_measurer.text_width(shown, font);
    int lh = m_measurer.line_height(font);
    int x = rect.x;
    if (align == Align::Center)
        x += (rect.w - w) / 2;
    else if (align == Align::Right)
        x += rect.w - w;
    Rect used {x, rect.y + (rect.h - lh) / 2, w, lh};
    record(used.intersect(rect), shown, Role::Text);
    if (visible(used))
        m_renderer->text({used.x, used.y}, shown, font, color);
}

int Ui::paragraph(
    Rect rect, std::string_view text, Font font, Color color, Align align, int line_gap) {
    TextBlock block = layout_text(m_measurer, text, font, color, rect.w, align, line_gap);
    text_block(block, {rect.x, rect.y}, rect.w);
    return block.height;
}

void Ui::text_block(TextBlock const& block, Point origin, int width) {
    if (block.runs.empty())
        return;
    Rect r {origin.x, origin.y, width, block.height};
    if (!visible(r))
        return;
    std::string all;
    for (auto const& run : block.runs) {
        if (!all.empty())
            all += ' ';
        all += run.text;
    }
    record(r, all, Role::Text);
    // Only the lines inside the clip: a long block scrolled through would otherwise render a
    // texture for every one of its lines each frame.
    for (auto const& run : block.runs) {
        Rect line {origin.x + run.pos.x, origin.y + run.pos.y, std::max(1, run.width),
            std::max(1, run.height)};
        if (visible(line))
            draw_text_run(*m_renderer, run, origin);
    }
}

int Ui::qr_caption_height(std::string_view caption, int width) {
    auto const& t = m_theme;
    int h = layout_text(m_measurer, caption, t.small, t.text_muted, width, Align::Center).height;
    return h ? h + t.px(6) : 0;
}

void Ui::qr(Rect rect, std::string const& data, std::string_view caption) {
    auto const& t = m_theme;
    TextBlock cap = layout_text(m_measurer, caption, t.small, t.text_muted, rect.w, Align::Center);
    int side = std::min(rect.w, rect.h - (cap.height ? cap.height + t.px(6) : 0));
    side = std::max(side, 0);
    Rect q {rect.x + (rect.w - side) / 2, rect.y, side, side};
    record(rect, caption.empty() ? std::string_view("QR") : caption, Role::Qr);
    if (!visible(rect))
        return;
    m_renderer->qr(q, data, t.navy, t.surface);
    draw_text_block(*m_renderer, cap, {rect.x, q.bottom() + t.px(6)});
}

void Ui::badge(Rect rect, std::string_view text, Color background) {
    auto const& t = m_theme;
    record(rect, text, Role::Text);
    if (!visible(rect))
        return;
    m_renderer->fill_rounded(rect, rect.h / 2, background);
    std::string shown = ellipsize(m_measurer, text, t.small_bold, rect.w - t.px(12));
    int w = m_measurer.text_width(shown, t.small_bold);
    int lh = m_measurer.line_height(t.small_bold);
    m_renderer->text(
        {rect.x + (rect.w - w) / 2, rect.y + (rect.h - lh) / 2}, shown, t.small_bold, t.on_dark);
}

bool Ui::text_field(
    Rect rect, std::string_view value, std::string_view placeholder, Focus focus, Icon icon_kind) {
    bool focused = focus == Focus::Focused;
    auto const& t = m_theme;
    Press p = pressable(rect, placeholder, Role::TextField);
    if (!visible(rect))
        return p.tapped;
    m_renderer->fill_rounded(rect, t.radius, focused ? t.teal : t.border);
    int bw = focused ? t.border_w * 2 : t.border_w;
    Rect inner = rect.inset(bw);
    m_renderer->fill_rounded(inner, std::max(0, t.radius - bw), t.surface);
    int icon = std::min(rect.h / 2, t.px(24));
    int x = inner.x + t.px(10);
    if (icon_kind != Icon::None) {
        draw_icon(*m_renderer, icon_kind, {x, rect.y + (rect.h - icon) / 2, icon, icon},
            t.text_muted, t.surface);
        x += icon + t.px(10);
    }
    int avail = inner.right() - t.px(12) - x;
    Font font = t.body;
    int lh = m_measurer.line_height(font);
    int y = rect.y + (rect.h - lh) / 2;
    if (value.empty()) {
        std::string shown = ellipsize(m_measurer, placeholder, font, avail);
        m_renderer->text({x, y}, shown, font, t.text_muted);
        if (focused)
            m_renderer->fill_rect({x, y + lh / 8, std::max(2, t.px(2.5f)), lh * 3 / 4}, t.teal);
        return p.tapped;
    }
    // Show the end of a long value: that is where the visitor types.
    std::string_view shown = value;
    while (!shown.empty() && m_measurer.text_width(shown, font) > avail - t.px(4)) {
        size_t i = 1;
        while (i < shown.size() && (static_cast<unsigned char>(shown[i]) & 0xC0) == 0x80)
            ++i;
        shown.remove_prefix(i);
    }
    int w = m_measurer.text_width(shown, font);
    m_renderer->text({x, y}, shown, font, t.text);
    record({x, y, std::max(1, w), lh}, value, Role::Text);
    if (focused)
        m_renderer->fill_rect({x + w + 1, y + lh / 8, std::max(2, t.px(2.5f)), lh * 3 / 4}, t.teal);
    return p.tapped;
}

void Ui::card(Rect rect, Color fill, std::string_view label) {
    record(rect, label, Role::Container);
    if (!visible(rect))
        return;
    m_renderer->fill_rounded(rect.translated(0, m_theme.shadow), m_theme.radius, m_theme.border);
    m_renderer->fill_rounded(rect, m_theme.radius, fill);
}

void Ui::progress_bar(Rect rect, double fraction, std::string_view label) {
    record(rect, label, Role::Container);
    if (!visible(rect))
        return;
    int filled = int(std::lround(rect.w * std::clamp(fraction, 0.0, 1.0)));
    m_renderer->fill_rounded(rect, rect.h / 2, m_theme.border);
    if (filled > 0)
        m_renderer->fill_rounded(
            {rect.x, rect.y, std::max(filled, rect.h), rect.h}, rect.h / 2, m_theme.navy);
}

Point Ui::begin_scroll(std::string_view name, Rect viewport) {
    uint64_t id = fnv1a(name, fnv1a("scroll"));
    auto& s = m_scroll[id];
    s.viewport_h = viewport.h;
    Rect vis = viewport.intersect(clip_rect());
    m_widgets.push_back({std::string(name), Role::ScrollView, vis, viewport, m_layer, false});
    if (takes_input() && m_event) {
        auto const& e = *m_event;
        switch (e.kind) {
        case PointerKind::Down:
            if (vis.contains(e.pos)) {
                s.candidate = true;
                s.dragging = false;
                s.start = s.last = e.pos;
                s.last_time = m_now;
                s.velocity = 0;
            }
            break;
        case PointerKind::Move:
            if (!s.candidate)
                break;
            if (!s.dragging && std::abs(e.pos.y - s.start.y) > m_theme.drag_threshold) {
                s.dragging = true;
                m_active = 0; // a drag is not a tap on what lies under the finger
                s.last = s.start;
            }
            if (s.dragging) {
                int dy = e.pos.y - s.last.y;
                s.offset -= float(dy);
                int64_t dt = m_now - s.last_time;
                if (dt > 0) {
                    float v = -float(dy) / float(dt);
                    s.velocity = 0.6f * v + 0.4f * s.velocity;
                    s.last_time = m_now;
                }
                s.last = e.pos;
            }
            break;
        case PointerKind::Up:
            if (s.dragging && m_now - s.last_time > 80)
                s.velocity = 0; // the finger rested before lifting: no fling
            if (!s.dragging)
                s.velocity = 0;
            s.last_step = m_now;
            break;
        case PointerKind::Cancel:
            s.velocity = 0;
            break;
        }
    } else if (!m_event && !s.dragging && s.velocity != 0) {
        int64_t dt = std::clamp<int64_t>(m_now - s.last_step, 0, 100);
        s.offset += s.velocity * float(dt);
        s.velocity *= std::exp(-float(dt) / inertia_tau_ms);
        s.last_step = m_now;
        if (std::abs(s.velocity) < min_velocity)
            s.velocity = 0;
    }
    float max_off = float(std::max(0, s.content_h - viewport.h));
    if (s.offset < 0 || s.offset > max_off) {
        s.offset = std::clamp(s.offset, 0.0f, max_off);
        if (!s.dragging)
            s.velocity = 0;
    }
    if (s.velocity != 0)
        m_animating = true;

    m_scroll_stack.push_back({id, viewport});
    m_clip_stack.push_back(vis);
    m_renderer->push_clip(vis);
    return {viewport.x, viewport.y - int(std::lround(s.offset))};
}

StackError Ui::end_scroll(int content_height) {
    if (m_scroll_stack.empty())
        return misuse(StackError::ExtraEndScroll);
    ScrollFrame f = m_scroll_stack.back();
    m_scroll_stack.pop_back();
    auto& s = m_scroll[f.id];
    s.content_h = content_height;
    float max_off = float(std::max(0, content_height - f.viewport.h));
    s.offset = std::clamp(s.offset, 0.0f, max_off);
    m_clip_stack.pop_back();
    m_renderer->pop_clip();
    if (content_height > f.viewport.h) {
        // A thin bar shows there is more: a touch screen has no other hint. It goes in the
        // margin beside the viewport, where there is one: drawn inside, it covered the last
        // letters of the lines that reach the right edge (issue 13).
        int bar_w = std::max(3, m_theme.px(5));
        int track = f.viewport.h - m_theme.px(8);
        int len = std::max(m_theme.px(30), track * f.viewport.h / content_height);
        int pos = max_off > 0 ? int(float(track - len) * s.offset / max_off) : 0;
        int space = m_theme.px(2);
        bool margin = clip_rect().right() - f.viewport.right() >= bar_w + 2 * space;
        int x = margin ? f.viewport.right() + space : f.viewport.right() - bar_w - space;
        Rect bar {x, f.viewport.y + m_theme.px(4) + pos, bar_w, len};
        if (visible(bar))
            m_renderer->fill_rounded(bar, bar_w / 2, m_theme.border);
    }
    return StackError::None;
}

} // namespace kiosk::ui
