// The drawing interface every widget and screen draws through. Only kiosk/platform implements
// it with SDL; tests use a null implementation. Kept to a handful of functions on purpose.
#pragma once

#include "ui/geometry.h"

#include <optional>
#include <string>
#include <string_view>

namespace kiosk::ui {

enum class Face : uint8_t { Regular, Bold, Italic, BoldItalic, Semibold };
inline constexpr int face_count = 5;

struct Font {
    Face face {Face::Regular};
    int size {20}; // pixel size handed to the font engine
    bool operator==(Font const&) const = default;
};

// Text metrics, separate from drawing so layout can run without a screen.
class TextMeasurer {
public:
    virtual ~TextMeasurer() = default;
    virtual int text_width(std::string_view utf8, Font) = 0;
    virtual int line_height(Font) = 0;
    // Drops cached measurements keyed by text: what a visitor typed must not outlive the form.
    virtual void forget_cached_text() { }
};

class Renderer;

// A drawing that depends only on its id, its two colours and the size of its box (an icon:
// fg drawn on bg). draw paints it with the renderer's primitives into box; a renderer may do
// that once and copy the result afterwards (see Renderer::picture).
struct Picture {
    using Draw = void (*)(Renderer&, Picture const&, Rect box);
    Draw draw {nullptr};
    uint32_t id {0};
    Color fg {};
    Color bg {};
};

class Renderer {
public:
    virtual ~Renderer() = default;
    virtual void fill_rect(Rect, Color) = 0;
    virtual void fill_rounded(Rect, int radius, Color) = 0;
    virtual void fill_circle(Point center, int radius, Color) = 0;
    virtual void line(Point a, Point b, int thickness, Color) = 0;
    // One line of text, top-left at pos (no wrapping: see text_layout.h).
    virtual void text(Point pos, std::string_view utf8, Font, Color) = 0;
    // An image from the content pack's assets, scaled into rect.
    virtual void image(Rect, std::string const& name) = 0;
    virtual std::optional<Size> image_size(std::string const& name) = 0;
    // A QR code for data, with its quiet zone, fitted into the square rect.
    virtual void qr(Rect, std::string const& data, Color dark, Color light) = 0;
    virtual void push_clip(Rect) = 0;
    virtual void pop_clip() = 0;
    // Draws p into box. Drawn here from the primitives; the SDL renderer keeps it as a texture
    // per (picture, size), since rasterising its triangles every frame cost most of a frame.
    virtual void picture(Rect box, Picture const& p) { p.draw(*this, p, box); }
    // Drops cached renderings of text (a visitor's typed name must not stay in memory after
    // the form is wiped).
    virtual void forget_cached_text() { }
};

// Draws nothing; used for the input passes and for layout tests.
class NullRenderer final : public Renderer {
public:
    void fill_rect(Rect, Color) override { }
    void fill_rounded(Rect, int, Color) override { }
    void fill_circle(Point, int, Color) override { }
    void line(Point, Point, int, Color) override { }
    void text(Point, std::string_view, Font, Color) override { }
    void image(Rect, std::string const&) override { }
    std::optional<Size> image_size(std::string const&) override { return Size {400, 300}; }
    void qr(Rect, std::string const&, Color, Color) override { }
    void push_clip(Rect) override { }
    void pop_clip() override { }
    void picture(Rect, Picture const&) override { }
};

// Lays out like the real renderer (same image sizes) but draws nothing: input passes and
// off-screen measuring must place things exactly where the drawing pass puts them.
class MeasureOnlyRenderer final : public Renderer {
public:
    explicit MeasureOnlyRenderer(Renderer& real)
        : m_real(real) { }
    void fill_rect(Rect, Color) override { }
    void fill_rounded(Rect, int, Color) override { }
    void fill_circle(Point, int, Color) override { }
    void line(Point, Point, int, Color) override { }
    void text(Point, std::string_view, Font, Color) override { }
    void image(Rect, std::string const&) override { }
    std::optional<Size> image_size(std::string const& name) override {
        return m_real.image_size(name);
    }
    void qr(Rect, std::string const&, Color, Color) override { }
    void push_clip(Rect) override { }
    void pop_clip() override { }
    void picture(Rect, Picture const&) override { }

private:
    Renderer& m_real;
};

} // namespace kiosk::ui
