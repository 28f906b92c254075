// The technician's page rendered without a display (see technician_render.h).
#include "shell/technician_render.h"

#include "platform/fonts.h"
#include "platform/sdl_renderer.h"

namespace kiosk::shell {

ksd::Result<sdl::RgbImage> render_technician_page(
    ui::Size size, TechnicianPage const& page, std::string const& font_dir) {
    sdl::TtfGuard ttf;
    if (!ttf.ok())
        return ksd::make_error(ttf.error());
    TRY_RESULT(auto fonts, sdl::Fonts::open(font_dir));
    TRY_RESULT(auto canvas, sdl::Canvas::create(size));
    {
        // No content pack: the page has no images.
        sdl::SdlRenderer renderer(
            canvas.renderer(), fonts, [](std::string const&) { return std::nullopt; });
        draw_technician_page(renderer, fonts, size, page);
    }
    return sdl::RgbImage {size.w, size.h, canvas.rgb()};
}

} // namespace kiosk::shell
