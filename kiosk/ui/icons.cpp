// Icon drawings on a 24-unit grid, scaled to the box.
#include "ui/icons.h"

#include <cmath>

namespace kiosk::ui {

Icon icon_from_name(std::string_view name) {
    struct Entry {
        std::string_view name;
        Icon icon;
    };
    static constexpr Entry entries[] = {
        {"info", Icon::Info},
        {"steps", Icon::Steps},
        {"register", Icon::Register},
        {"potential", Icon::Potential},
        {"documents", Icon::Documents},
        {"faq", Icon::Faq},
        {"contacts", Icon::Contacts},
        {"search", Icon::Search},
    };
    for (auto const& e : entries)
        if (e.name == name)
            return e.icon;
    return Icon::Info;
}

namespace {

struct Grid {
    Rect box;
    float unit;
    int ox, oy;
    Grid(Rect b)
        : box(b) {
        int side = std::min(b.w, b.h);
        unit = float(side) / 24.0f;
        ox = b.x + (b.w - side) / 2;
        oy = b.y + (b.h - side) / 2;
    }
    Point p(float x, float y) const {
        return {ox + int(std::lround(x * unit)), oy + int(std::lround(y * unit))};
    }
    int n(float v) const { return std::max(1, int(std::lround(v * unit))); }
    Rect r(float x, float y, float w, float h) const {
        Point a = p(x, y);
        return {a.x, a.y, n(w), n(h)};
    }
};

} // namespace

namespace {

// The icon's shapes from the primitives; through Renderer::picture, so a renderer can keep the
// result (the SDL renderer draws each icon, size and colour pair once).
void draw_icon_shapes(Renderer& rd, Picture const& pic, Rect box) {
    auto icon = static_cast<Icon>(pic.id);
    Color c = pic.fg, bg = pic.bg;
    Grid g(box);
    int t = g.n(2.2f); // stroke
    auto line
        = [&](float x1, float y1, float x2, float y2) { rd.line(g.p(x1, y1), g.p(x2, y2), t, c); };
    auto ring = [&](float cx, float cy, float radius, float width) {
        rd.fill_circle(g.p(cx, cy), g.n(radius), c);
        rd.fill_circle(g.p(cx, cy), g.n(radius - width), bg);
    };
    switch (icon) {
    case Icon::None:
        break;
    case Icon::Info:
        ring(12, 12, 10.5f, 2.2f);
        rd.fill_circle(g.p(12, 7.2f), g.n(1.6f), c);
        rd.fill_rounded(g.r(10.8f, 10, 2.4f, 8.5f), g.n(1), c);
        break;
    case Icon::Steps:
        rd.fill_circle(g.p(5, 5), g.n(2.6f), c);
        rd.fill_circle(g.p(5, 12), g.n(2.6f), c);
        rd.fill_circle(g.p(5, 19), g.n(2.6f), c);
        rd.fill_rounded(g.r(10, 3.8f, 12, 2.4f), g.n(1), c);
        rd.fill_rounded(g.r(10, 10.8f, 12, 2.4f), g.n(1), c);
        rd.fill_rounded(g.r(10, 17.8f, 12, 2.4f), g.n(1), c);
        break;
    case Icon::Register:
    case Icon::Documents: {
        rd.fill_rounded(g.r(4, 2, 16, 20), g.n(2), c);
        rd.fill_rounded(g.r(6.2f, 4.2f, 11.6f, 15.6f), g.n(1), bg);
        rd.fill_rect(g.r(8, 7, 8, 2), c);
        rd.fill_rect(g.r(8, 11, 8, 2), c);
        rd.fill_rect(g.r(8, 15, icon == Icon::Register ? 5.0f : 8.0f, 2), c);
        if (icon == Icon::Register) {
            rd.fill_circle(g.p(18, 18), g.n(4.6f), bg);
            rd.fill_circle(g.p(18, 18), g.n(3.6f), c);
        }
        break;
    }
    case Icon::Potential:
        rd.fill_rounded(g.r(3, 15, 4, 7), g.n(1), c);
        rd.fill_rounded(g.r(10, 10, 4, 12), g.n(1), c);
        rd.fill_rounded(g.r(17, 4, 4, 18), g.n(1), c);
        line(3, 10, 9, 5);
        line(9, 5, 13, 7);
        break;
    case Icon::Faq:
        ring(12, 12, 10.5f, 2.2f);
        rd.fill_circle(g.p(12, 17.5f), g.n(1.6f), c);
        line(9, 9, 10.5f, 6.8f);
        line(10.5f, 6.8f, 13.5f, 6.8f);
        line(13.5f, 6.8f, 15, 9);
        line(15, 9, 12, 11.5f);
        line(12, 11.5f, 12, 14);
        break;
    case Icon::Contacts:
        rd.fill_circle(g.p(12, 8), g.n(5), c);
        rd.fill_rounded(g.r(3, 14.5f, 18, 8), g.n(4), c);
        break;
    case Icon::Back:
        line(15, 4, 7, 12);
        line(7, 12, 15, 20);
        break;
    case Icon::ChevronRight:
        line(9, 4, 17, 12);
        line(17, 12, 9, 20);
        break;
    case Icon::ChevronDown:
        line(4, 9, 12, 17);
        line(12, 17, 20, 9);
        break;
    case Icon::ChevronUp:
        line(4, 15, 12, 7);
        line(12, 7, 20, 15);
        break;
    case Icon::Home:
        line(2.5f, 12, 12, 3.5f);
        line(12, 3.5f, 21.5f, 12);
        rd.fill_rect(g.r(5.5f, 11, 13, 10.5f), c);
        rd.fill_rect(g.r(10, 15, 4, 6.5f), bg);
        break;
    case Icon::Search:
        ring(10, 10, 7, 2.4f);
        line(15, 15, 21, 21);
        break;
    case Icon::Close:
        line(5, 5, 19, 19);
        line(19, 5, 5, 19);
        break;
    case Icon::Backspace:
        line(2, 12, 8, 5);
        line(2, 12, 8, 19);
        line(8, 5, 22, 5);
        line(8, 19, 22, 19);
        line(22, 5, 22, 19);
        line(11, 9, 17, 15);
        line(17, 9, 11, 15);
        break;
    case Icon::Shift:
        line(12, 3, 3, 12);
        line(12, 3, 21, 12);
        line(3, 12, 8, 12);
        line(21, 12, 16, 12);
        line(8, 12, 8, 20);
        line(16, 12, 16, 20);
        line(8, 20, 16, 20);
        break;
    case Icon::TextSize:
        line(2, 20, 7, 7);
        line(7, 7, 12, 20);
        line(4, 15, 10, 15);
        line(13, 20, 17, 10);
        line(17, 10, 21, 20);
        break;
    case Icon::Phone:
        rd.fill_rounded(g.r(6, 2, 12, 20), g.n(2.5f), c);
        rd.fill_rect(g.r(8, 5, 8, 12), bg);
        rd.fill_circle(g.p(12, 19.5f), g.n(1.1f), bg);
        break;
    case Icon::Chat:
        rd.fill_rounded(g.r(2, 3, 20, 14), g.n(4), c);
        line(6, 16, 5, 21);
        line(5, 21, 11, 16);
        rd.fill_circle(g.p(7.5f, 10), g.n(1.4f), bg);
        rd.fill_circle(g.p(12, 10), g.n(1.4f), bg);
        rd.fill_circle(g.p(16.5f, 10), g.n(1.4f), bg);
        break;
    case Icon::Mail:
        rd.fill_rounded(g.r(2, 5, 20, 14), g.n(2), c);
        rd.fill_rect(g.r(4, 7, 16, 10), bg);
        line(4, 7.5f, 12, 13);
        line(12, 13, 20, 7.5f);
        break;
    case Icon::Clock:
        ring(12, 12, 10, 2.2f);
        line(12, 12, 12, 6);
        line(12, 12, 16, 14);
        break;
    case Icon::Location:
        rd.fill_circle(g.p(12, 9), g.n(7), c);
        line(6.5f, 13, 12, 22);
        line(17.5f, 13, 12, 22);
        rd.fill_circle(g.p(12, 9), g.n(2.6f), bg);
        break;
    case Icon::Filter:
        line(3, 5, 21, 5);
        line(6, 12, 18, 12);
        line(9, 19, 15, 19);
        break;
    case Icon::Speaker: {
        // Two sound waves, only their right halves, then the loudspeaker over them.
        Point a = g.p(15, 0);
        rd.push_clip({a.x, box.y, box.right() - a.x, box.h});
        ring(12, 12, 6, 2);
        ring(12, 12, 10.5f, 2);
        rd.pop_clip();
        rd.fill_rect(g.r(2, 9, 4.5f, 6), c);
        for (float x = 6; x <= 12.5f; x += 0.5f) {
            float spread = (x - 6) * 0.75f;
            rd.line(g.p(x, 9 - spread), g.p(x, 15 + spread), g.n(1.0f), c);
        }
        break;
    }
    case Icon::Stop:
        rd.fill_rect(g.r(6, 6, 12, 12), c);
        break;
    case Icon::Smile:
        ring(12, 12, 10.5f, 2.2f);
        rd.fill_circle(g.p(8.6f, 9.5f), g.n(1.5f), c);
        rd.fill_circle(g.p(15.4f, 9.5f), g.n(1.5f), c);
        line(7.5f, 14.5f, 10, 16.8f);
        line(10, 16.8f, 14, 16.8f);
        line(14, 16.8f, 16.5f, 14.5f);
        break;
    }
}

} // namespace

void draw_icon(Renderer& rd, Icon icon, Rect box, Color c, Color bg) {
    if (icon == Icon::None || box.empty())
        return;
    rd.picture(box, Picture {draw_icon_shapes, static_cast<uint32_t>(icon), c, bg});
}

} // namespace kiosk::ui
