// Plain geometry and colour types shared by the UI, the screens and the SDL layer.
#pragma once

#include <algorithm>
#include <cstdint>

namespace kiosk::ui {

struct Point {
    int x {0};
    int y {0};
    bool operator==(Point const&) const = default;
};

struct Size {
    int w {0};
    int h {0};
    bool operator==(Size const&) const = default;
};

struct Rect {
    int x {0};
    int y {0};
    int w {0};
    int h {0};

    bool operator==(Rect const&) const = default;
    int right() const { return x + w; }
    int bottom() const { return y + h; }
    Point center() const { return {x + w / 2, y + h / 2}; }
    bool empty() const { return w <= 0 || h <= 0; }
    bool contains(Point p) const { return p.x >= x && p.x < x + w && p.y >= y && p.y < y + h; }
    bool contains(Rect const& r) const {
        return r.x >= x && r.y >= y && r.right() <= right() && r.bottom() <= bottom();
    }
    bool intersects(Rect const& r) const {
        return r.x < right() && x < r.right() && r.y < bottom() && y < r.bottom();
    }
    Rect intersect(Rect const& r) const {
        int nx = std::max(x, r.x);
        int ny = std::max(y, r.y);
        int nr = std::min(right(), r.right());
        int nb = std::min(bottom(), r.bottom());
        return {nx, ny, std::max(0, nr - nx), std::max(0, nb - ny)};
    }
    Rect inset(int d) const { return {x + d, y + d, w - 2 * d, h - 2 * d}; }
    Rect inset(int dx, int dy) const { return {x + dx, y + dy, w - 2 * dx, h - 2 * dy}; }
    Rect translated(int dx, int dy) const { return {x + dx, y + dy, w, h}; }
    // Slices for row/column layout: take a strip off one side and return it.
    Rect take_top(int n) {
        Rect r {x, y, w, std::min(n, h)};
        y += r.h;
        h -= r.h;
        return r;
    }
    Rect take_bottom(int n) {
        Rect r {x, bottom() - std::min(n, h), w, std::min(n, h)};
        h -= r.h;
        return r;
    }
    Rect take_left(int n) {
        Rect r {x, y, std::min(n, w), h};
        x += r.w;
        w -= r.w;
        return r;
    }
    Rect take_right(int n) {
        Rect r {right() - std::min(n, w), y, std::min(n, w), h};
        w -= r.w;
        return r;
    }
};

struct Color {
    uint8_t r {0};
    uint8_t g {0};
    uint8_t b {0};
    uint8_t a {255};
    bool operator==(Color const&) const = default;
};

constexpr Color rgb(uint32_t hex) {
    return {uint8_t(hex >> 16), uint8_t(hex >> 8), uint8_t(hex)};
}

} // namespace kiosk::ui
