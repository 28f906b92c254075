// Wiring of the offscreen kiosk.
#include "shell/offscreen.h"

namespace kiosk::shell {

ksd::Result<std::unique_ptr<Offscreen>> Offscreen::create(ui::Size size,
    std::unique_ptr<Content> content, AppOptions options, std::string const& font_dir) {
    sdl::TtfGuard probe;
    if (!probe.ok())
        return ksd::make_error(probe.error());
    TRY_RESULT(auto fonts, sdl::Fonts::open(font_dir));
    TRY_RESULT(auto canvas, sdl::Canvas::create(size));
    std::unique_ptr<Offscreen> o(new Offscreen(std::move(fonts), std::move(canvas)));
    o->m_app = std::make_unique<App>(std::move(options), std::move(content));
    App* app = o->m_app.get();
    o->m_renderer = std::make_unique<sdl::SdlRenderer>(o->m_canvas.renderer(), o->m_fonts,
        [app](std::string const& name) -> std::optional<std::string> {
            if (!app->content())
                return std::nullopt;
            auto r = app->content()->asset(name);
            if (!r.ok())
                return std::nullopt;
            return r.release_value();
        });
    o->m_host = std::make_unique<Host>(*o->m_app, *o->m_renderer, o->m_fonts, size);
    // Tickets live in memory unless the caller gives a device database (set_desk again).
    DeskConfig memory;
    memory.db_path = ":memory:";
    memory.kiosk_id = "kiosk-offscreen";
    o->m_app->set_desk(make_device_desk(memory));
    sdl::Fonts* font_set = &o->m_fonts;
    o->m_app->set_showable([font_set](char32_t c) { return font_set->can_show(c); });
    return o;
}

ksd::Result<void> Offscreen::screenshot(std::string const& path) {
    m_host->draw();
    return m_canvas.save_png(path);
}

} // namespace kiosk::shell
