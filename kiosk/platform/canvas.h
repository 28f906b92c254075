// Rendering without a display: an SDL software renderer drawing into a plain surface, for
// screenshots, golden tests and benchmarks. Works without SDL_INIT_VIDEO.
#pragma once

#include "ksd/result.h"
#include "platform/sdl_raii.h"
#include "ui/geometry.h"

#include <string>
#include <vector>

namespace kiosk::sdl {

class Canvas {
public:
    static ksd::Result<Canvas> create(ui::Size);
    SDL_Renderer* renderer() const { return m_renderer.get(); }
    SDL_Surface* surface() const { return m_surface.get(); }
    ui::Size size() const { return {m_surface->w, m_surface->h}; }
    ksd::Result<void> save_png(std::string const& path) const;
    // RGB bytes, row-major, 3 per pixel.
    std::vector<uint8_t> rgb() const;

private:
    SurfacePtr m_surface;
    RendererPtr m_renderer;
};

struct RgbImage {
    int w {0};
    int h {0};
    std::vector<uint8_t> rgb;
};
ksd::Result<RgbImage> load_png_rgb(std::string const& path);
ksd::Result<void> save_rgb_png(RgbImage const&, std::string const& path);

} // namespace kiosk::sdl
