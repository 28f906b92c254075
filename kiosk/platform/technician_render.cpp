// The technician's page rendered without a display (see technician_render.h).
#include "platform/technician_render.h"

#include "platform/fonts.h"
#include "platform/offscreen.h"
#include "platform/sdl_renderer.h"

#include <SDL_ttf.h>

namespace kiosk::sdl {

ksd::Result<RgbImage> render_technician_page(
    ui::Size size, TechnicianPage const& page, std::string const& font_dir) {
    TtfGuard ttf;
    if (!ttf.ok())
        return ksd::make_error(std::string("cannot initialise SDL_ttf: ") + TTF_GetError());
    TRY_RESULT(auto fonts, Fonts::open(font_dir));
    TRY_RESULT(auto canvas, Canvas::create(size));
    {
        // No content pack: the page has no images.
        SdlRenderer renderer(
            canvas.renderer(), fonts, [](std::string const&) { return std::nullopt; });
        draw_technician_page(renderer, fonts, size, page);
    }
    return RgbImage {size.w, size.h, canvas.rgb()};
}

} // namespace kiosk::sdl
