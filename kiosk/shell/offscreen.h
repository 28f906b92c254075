// A complete kiosk without a display: fonts, a software canvas, the SDL renderer (platform/),
// the App and its Host (app/). Used by --screenshot, --script, --bench-frames and the tests.
#pragma once

#include "app/host.h"
#include "platform/canvas.h"
#include "platform/fonts.h"
#include "platform/sdl_renderer.h"

#include <memory>

namespace kiosk::shell {

class Offscreen {
public:
    static ksd::Result<std::unique_ptr<Offscreen>> create(ui::Size, std::unique_ptr<Content>,
        AppOptions, std::string const& font_dir = sdl::default_font_dir);

    App& app() { return *m_app; }
    Host& host() { return *m_host; }
    sdl::Canvas& canvas() { return m_canvas; }
    sdl::SdlRenderer& renderer() { return *m_renderer; }
    sdl::Fonts& fonts() { return m_fonts; }
    // Draws the current state and writes it as PNG.
    ksd::Result<void> screenshot(std::string const& path);

private:
    Offscreen(sdl::Fonts fonts, sdl::Canvas canvas)
        : m_fonts(std::move(fonts))
        , m_canvas(std::move(canvas)) { }
    sdl::TtfGuard m_ttf;
    sdl::Fonts m_fonts;
    sdl::Canvas m_canvas;
    std::unique_ptr<sdl::SdlRenderer> m_renderer;
    std::unique_ptr<App> m_app;
    std::unique_ptr<Host> m_host;
};

} // namespace kiosk::shell
