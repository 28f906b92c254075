// A complete kiosk without a display: fonts, a software canvas, the SDL renderer, the App and
// its Host. Used by --screenshot, --script, --bench-frames and the tests.
#pragma once

#include "app/host.h"
#include "platform/canvas.h"
#include "platform/fonts.h"
#include "platform/sdl_renderer.h"

#include <memory>

namespace kiosk::sdl {

inline constexpr char const* default_font_dir = "/usr/share/fonts/truetype/open-sans";

// Initialises SDL_ttf (reference-counted by SDL_ttf itself) for as long as it lives.
class TtfGuard {
public:
    TtfGuard();
    ~TtfGuard();
    TtfGuard(TtfGuard const&) = delete;
    TtfGuard& operator=(TtfGuard const&) = delete;
    bool ok() const { return m_ok; }

private:
    bool m_ok;
};

class Offscreen {
public:
    static ksd::Result<std::unique_ptr<Offscreen>> create(ui::Size, std::unique_ptr<Content>,
        AppOptions, std::string const& font_dir = default_font_dir);

    App& app() { return *m_app; }
    Host& host() { return *m_host; }
    Canvas& canvas() { return m_canvas; }
    SdlRenderer& renderer() { return *m_renderer; }
    Fonts& fonts() { return m_fonts; }
    // Draws the current state and writes it as PNG.
    ksd::Result<void> screenshot(std::string const& path);

private:
    Offscreen(Fonts fonts, Canvas canvas)
        : m_fonts(std::move(fonts))
        , m_canvas(std::move(canvas)) { }
    TtfGuard m_ttf;
    Fonts m_fonts;
    Canvas m_canvas;
    std::unique_ptr<SdlRenderer> m_renderer;
    std::unique_ptr<App> m_app;
    std::unique_ptr<Host> m_host;
};

} // namespace kiosk::sdl
