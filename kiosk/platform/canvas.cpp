// Software canvas and PNG input/output through SDL_image.
#include "platform/canvas.h"

#include <SDL_image.h>
#include <cstring>

namespace kiosk::sdl {

ksd::Result<Canvas> Canvas::create(ui::Size size) {
    Canvas c;
    c.m_surface.reset(
        SDL_CreateRGBSurfaceWithFormat(0, size.w, size.h, 32, SDL_PIXELFORMAT_ARGB8888));
    if (!c.m_surface)
        return ksd::make_error(std::string("cannot create surface: ") + SDL_GetError());
    c.m_renderer.reset(SDL_CreateSoftwareRenderer(c.m_surface.get()));
    if (!c.m_renderer)
        return ksd::make_error(std::string("cannot create software renderer: ") + SDL_GetError());
    return c;
}

ksd::Result<void> Canvas::save_png(std::string const& path) const {
    if (IMG_SavePNG(m_surface.get(), path.c_str()) != 0)
        return ksd::make_error("cannot write " + path + ": " + IMG_GetError());
    return {};
}

std::vector<uint8_t> Canvas::rgb() const {
    std::vector<uint8_t> out;
    SDL_Surface* s = m_surface.get();
    out.reserve(size_t(s->w) * size_t(s->h) * 3);
    SDL_LockSurface(s);
    for (int y = 0; y < s->h; ++y) {
        auto const* row = reinterpret_cast<uint32_t const*>(
            static_cast<uint8_t const*>(s->pixels) + y * s->pitch);
        for (int x = 0; x < s->w; ++x) {
            uint32_t p = row[x];
            out.push_back(uint8_t(p >> 16));
            out.push_back(uint8_t(p >> 8));
            out.push_back(uint8_t(p));
        }
    }
    SDL_UnlockSurface(s);
    return out;
}

ksd::Result<RgbImage> load_png_rgb(std::string const& path) {
    SurfacePtr raw(IMG_Load(path.c_str()));
    if (!raw)
        return ksd::make_error("cannot read " + path + ": " + IMG_GetError());
    SurfacePtr s(SDL_ConvertSurfaceFormat(raw.get(), SDL_PIXELFORMAT_RGB24, 0));
    if (!s)
        return ksd::make_error("cannot convert " + path + ": " + SDL_GetError());
    RgbImage img {s->w, s->h, {}};
    img.rgb.resize(size_t(s->w) * size_t(s->h) * 3);
    for (int y = 0; y < s->h; ++y)
        std::memcpy(img.rgb.data() + size_t(y) * size_t(s->w) * 3,
            static_cast<uint8_t*>(s->pixels) + y * s->pitch, size_t(s->w) * 3);
    return img;
}

ksd::Result<void> save_rgb_png(RgbImage const& img, std::string const& path) {
    SurfacePtr s(SDL_CreateRGBSurfaceWithFormat(0, img.w, img.h, 24, SDL_PIXELFORMAT_RGB24));
    if (!s)
        return ksd::make_error(std::string("cannot create surface: ") + SDL_GetError());
    for (int y = 0; y < img.h; ++y)
        std::memcpy(static_cast<uint8_t*>(s->pixels) + y * s->pitch,
            img.rgb.data() + size_t(y) * size_t(img.w) * 3, size_t(img.w) * 3);
    if (IMG_SavePNG(s.get(), path.c_str()) != 0)
        return ksd::make_error("cannot write " + path + ": " + IMG_GetError());
    return {};
}

} // namespace kiosk::sdl
