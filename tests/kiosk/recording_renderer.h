// A Renderer for tests that draws through the real one and keeps every draw call with its
// rectangle, colour and the clip in force, so a check sees everything drawn (each key, each text
// run, what it is drawn on), not only the widgets the Ui recorded.
#pragma once

#include "ui/renderer.h"
#include "ui/text_layout.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

namespace kiosk::test {

struct DrawCall {
    enum Kind : uint8_t { Fill, Rounded, Circle, Line, Text, Image, Qr } kind {Fill};
    ui::Rect rect; // for text: its position, measured width and line height
    ui::Rect clip; // the clips pushed, intersected with the screen
    std::string text; // for text runs
    ui::Font font;
    ui::Color color {}; // of the shape or the text; images and QR codes: none
};

class RecordingRenderer final : public ui::Renderer {
public:
    RecordingRenderer(ui::Renderer& real, ui::TextMeasurer& measurer, ui::Size screen)
        : m_real(real)
        , m_measurer(measurer)
        , m_screen(screen) { }

    std::vector<DrawCall> calls;
    void clear() {
        calls.clear();
        m_clips.clear();
    }

    void fill_rect(ui::Rect r, ui::Color c) override {
        keep(DrawCall::Fill, r, c);
        m_real.fill_rect(r, c);
    }
    void fill_rounded(ui::Rect r, int radius, ui::Color c) override {
        keep(DrawCall::Rounded, r, c);
        m_real.fill_rounded(r, radius, c);
    }
    void fill_circle(ui::Point p, int radius, ui::Color c) override {
        keep(DrawCall::Circle, {p.x - radius, p.y - radius, 2 * radius, 2 * radius}, c);
        m_real.fill_circle(p, radius, c);
    }
    void line(ui::Point a, ui::Point b, int th, ui::Color c) override {
        keep(DrawCall::Line,
            {std::min(a.x, b.x), std::min(a.y, b.y), std::abs(a.x - b.x) + 1,
                std::abs(a.y - b.y) + 1},
            c);
        m_real.line(a, b, th, c);
    }
    void text(ui::Point p, std::string_view s, ui::Font f, ui::Color c) override {
        ui::Rect r {p.x, p.y, m_measurer.text_width(s, f), m_measurer.line_height(f)};
        keep(DrawCall::Text, r, c, s, f);
        m_real.text(p, s, f, c);
    }
    void image(ui::Rect r, std::string const& name) override {
        keep(DrawCall::Image, r, {});
        m_real.image(r, name);
    }
    std::optional<ui::Size> image_size(std::string const& name) override {
        return m_real.image_size(name);
    }
    void qr(ui::Rect r, std::string const& d, ui::Color a, ui::Color b) override {
        keep(DrawCall::Qr, r, {});
        m_real.qr(r, d, a, b);
    }
    void push_clip(ui::Rect r) override {
        m_clips.push_back(r.intersect(clip()));
        m_real.push_clip(r);
    }
    void pop_clip() override {
        if (!m_clips.empty())
            m_clips.pop_back();
        m_real.pop_clip();
    }
    void forget_cached_text() override { m_real.forget_cached_text(); }

    // The text runs drawn, in order.
    std::vector<std::string> texts() const {
        std::vector<std::string> out;
        for (auto const& c : calls)
            if (c.kind == DrawCall::Text)
                out.push_back(c.text);
        return out;
    }

    ui::Rect clip() const {
        return m_clips.empty() ? ui::Rect {0, 0, m_screen.w, m_screen.h} : m_clips.back();
    }

private:
    void keep(
        DrawCall::Kind kind, ui::Rect r, ui::Color c, std::string_view text = {}, ui::Font f = {}) {
        calls.push_back({kind, r, clip(), std::string(text), f, c});
    }

    ui::Renderer& m_real;
    ui::TextMeasurer& m_measurer;
    ui::Size m_screen;
    std::vector<ui::Rect> m_clips;
};

} // namespace kiosk::test
