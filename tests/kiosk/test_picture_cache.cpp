// Issue 13: icons are drawn once per (icon, size, colours) into a texture and copied afterwards.
// On SDL's real software renderer: the copies have the pixels of drawing directly, the cache
// stays within its bounds, and it is dropped when the renderer loses its textures.
#include "platform/canvas.h"
#include "platform/fonts.h"
#include "platform/sdl_renderer.h"
#include "shell/offscreen.h"
#include "ui/icons.h"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace kiosk;

namespace {

// Forwards the primitives to an SdlRenderer but keeps Renderer::picture's plain drawing: the
// way every icon was drawn before the cache.
class Direct final : public ui::Renderer {
public:
    explicit Direct(ui::Renderer& r)
        : m_r(r) { }
    void fill_rect(ui::Rect r, ui::Color c) override { m_r.fill_rect(r, c); }
    void fill_rounded(ui::Rect r, int radius, ui::Color c) override {
        m_r.fill_rounded(r, radius, c);
    }
    void fill_circle(ui::Point p, int radius, ui::Color c) override {
        m_r.fill_circle(p, radius, c);
    }
    void line(ui::Point a, ui::Point b, int t, ui::Color c) override { m_r.line(a, b, t, c); }
    void text(ui::Point p, std::string_view s, ui::Font f, ui::Color c) override {
        m_r.text(p, s, f, c);
    }
    void image(ui::Rect r, std::string const& name) override { m_r.image(r, name); }
    std::optional<ui::Size> image_size(std::string const& name) override {
        return m_r.image_size(name);
    }
    void qr(ui::Rect r, std::string const& d, ui::Color a, ui::Color b) override {
        m_r.qr(r, d, a, b);
    }
    void push_clip(ui::Rect r) override { m_r.push_clip(r); }
    void pop_clip() override { m_r.pop_clip(); }

private:
    ui::Renderer& m_r;
};

struct Drawing {
    sdl::Canvas canvas;
    std::unique_ptr<sdl::SdlRenderer> renderer;
};

Drawing make_drawing(sdl::Fonts& fonts, ui::Size size) {
    auto canvas = sdl::Canvas::create(size);
    REQUIRE(canvas.ok());
    Drawing d {std::move(canvas.value()), nullptr};
    d.renderer = std::make_unique<sdl::SdlRenderer>(d.canvas.renderer(), fonts, nullptr);
    return d;
}

constexpr ui::Icon last_icon = ui::Icon::Filter;

// Every icon at a few sizes, in two colour pairs (light on teal as on a tile, navy on white as on
// a button), in a grid on a background of its own.
void draw_sheet(ui::Renderer& r, ui::Size size) {
    r.fill_rect({0, 0, size.w, size.h}, ui::rgb(0xF3F4F6));
    ui::Color const teal = ui::rgb(0x0F766E), white = ui::rgb(0xFFFFFF), navy = ui::rgb(0x0B3D4F);
    int x = 4, y = 4;
    for (int side : {13, 24, 37, 58}) {
        for (int i = 0; i <= int(last_icon); ++i) {
            for (bool on_tile : {true, false}) {
                if (x + side + 8 > size.w) {
                    x = 4;
                    y += 66;
                }
                ui::Rect box {x, y, side, side};
                r.fill_rect(box.inset(-3), on_tile ? teal : white);
                ui::draw_icon(r, ui::Icon(i), box, on_tile ? white : navy, on_tile ? teal : white);
                x += side + 10;
            }
        }
    }
}

// The largest difference of a channel; where is the pixel differing most (when by more than 2).
int max_difference(sdl::Canvas const& a, sdl::Canvas const& b, int& differing, std::string& where) {
    auto pa = a.rgb(), pb = b.rgb();
    REQUIRE(pa.size() == pb.size());
    int worst = 0;
    differing = 0;
    for (size_t i = 0; i < pa.size(); ++i) {
        int d = std::abs(int(pa[i]) - int(pb[i]));
        if (d > worst && d > 2) {
            size_t px = i / 3 * 3;
            int w = a.size().w;
            where = "worst at x " + std::to_string(px / 3 % size_t(w)) + " y "
                + std::to_string(px / 3 / size_t(w)) + ": direct " + std::to_string(pa[px]) + ","
                + std::to_string(pa[px + 1]) + "," + std::to_string(pa[px + 2]) + " cached "
                + std::to_string(pb[px]) + "," + std::to_string(pb[px + 1]) + ","
                + std::to_string(pb[px + 2]);
        }
        worst = std::max(worst, d);
        differing += d > 0;
    }
    return worst;
}

} // namespace

TEST_CASE("picture cache: a cached icon has the pixels of the icon drawn directly") {
    sdl::TtfGuard ttf;
    auto fonts = sdl::Fonts::open(sdl::default_font_dir);
    REQUIRE(fonts.ok());
    ui::Size const size {1200, 600};
    Drawing direct = make_drawing(*fonts, size), cached = make_drawing(*fonts, size);
    Direct plain(*direct.renderer);
    draw_sheet(plain, size);
    CHECK(direct.renderer->picture_cache_size() == 0);
    // Twice: the first frame draws into the textures, the second only copies them.
    for (int frame = 0; frame < 2; ++frame) {
        draw_sheet(*cached.renderer, size);
        int differing = 0;
        std::string where;
        int worst = max_difference(direct.canvas, cached.canvas, differing, where);
        INFO("frame " << frame << ": " << differing << " channel values differ; " << where);
        // One 8-bit blend more than drawing directly (SDL's blitters round down): up to 3
        // levels on anti-aliased edges. The goldens allow 5; the cache must not use that up.
        CHECK(worst <= 3);
        if (worst > 3) {
            (void)direct.canvas.save_png("picture_cache_direct.png");
            (void)cached.canvas.save_png("picture_cache_cached.png");
        }
    }
    CHECK(cached.renderer->picture_cache_size() > 0);
    CHECK(cached.renderer->picture_renders() == cached.renderer->picture_cache_size());
}

TEST_CASE("picture cache: bounded, least recently used evicted, dropped on a renderer reset") {
    sdl::TtfGuard ttf;
    auto fonts = sdl::Fonts::open(sdl::default_font_dir);
    REQUIRE(fonts.ok());
    Drawing d = make_drawing(*fonts, {400, 400});
    auto& r = *d.renderer;
    ui::Color const fg = ui::rgb(0xFFFFFF), bg = ui::rgb(0x0F766E);

    ui::draw_icon(r, ui::Icon::Home, {10, 10, 40, 40}, fg, bg);
    ui::draw_icon(r, ui::Icon::Home, {200, 90, 40, 40}, fg, bg); // moved: the same texture
    CHECK(r.picture_renders() == 1);
    ui::draw_icon(r, ui::Icon::Home, {10, 10, 41, 41}, fg, bg); // another size
    ui::draw_icon(r, ui::Icon::Home, {10, 10, 40, 40}, bg, fg); // another theme's colours
    CHECK(r.picture_renders() == 3);

    // Many sizes and colours, more than the cap allows: the count and the pixels stay bounded.
    uint64_t renders = r.picture_renders();
    for (int i = 0; i < 600; ++i) {
        ui::Color c {uint8_t(i), uint8_t(i / 256), 0x40, 0xFF};
        ui::draw_icon(r, ui::Icon(1 + i % int(last_icon)), {0, 0, 8 + i % 120, 8 + i % 120}, c, bg);
        ui::draw_icon(r, ui::Icon::Search, {0, 0, 30, 30}, fg, bg); // used all the time
        REQUIRE(r.picture_cache_size() <= sdl::SdlRenderer::picture_cap);
        REQUIRE(r.picture_cache_pixels() <= sdl::SdlRenderer::picture_pixel_budget);
    }
    // The one used every time was never evicted: drawn once only.
    CHECK(r.picture_renders() == renders + 600 + 1);
    // A picture larger than a texture is worth is drawn directly, not kept.
    size_t kept = r.picture_cache_size();
    ui::draw_icon(r, ui::Icon::Home, {0, 0, 300, 300}, fg, bg);
    CHECK(r.picture_cache_size() == kept);

    // SDL_RENDER_DEVICE_RESET (the display loop's answer to it): the textures' pixels are gone,
    // so the cache is emptied and the next frame draws the icons anew.
    r.forget_textures();
    CHECK(r.picture_cache_size() == 0);
    CHECK(r.picture_cache_pixels() == 0);
    renders = r.picture_renders();
    ui::draw_icon(r, ui::Icon::Search, {0, 0, 30, 30}, fg, bg);
    CHECK(r.picture_renders() == renders + 1);
}
