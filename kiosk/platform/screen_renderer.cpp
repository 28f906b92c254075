// The screen's SDL renderer (see screen_renderer.h).
#include "platform/screen_renderer.h"

#include <SDL.h>

namespace kiosk::sdl {

std::string preferred_render_driver(std::string_view video_driver, char const* render_driver_env) {
    if (render_driver_env != nullptr && *render_driver_env != '\0')
        return "";
    // On KMS/DRM SDL's GL is EGL on GBM, where OpenGL ES is the API every driver has (the Pi's
    // V3D, Mesa's llvmpipe). SDL 2.26 tries its desktop "opengl" renderer first, which needs
    // libGL.so.1: without it (our image installs libEGL and libGLESv2 only) SDL loads
    // libGLESv2 for a desktop context and the renderer is created, but draws nothing except
    // its clears (measured under QEMU: a black screen, only glClear reached the buffer).
    if (video_driver == "KMSDRM")
        return "opengles2";
    return "";
}

namespace {

int render_driver_index(std::string const& name) {
    int const n = SDL_GetNumRenderDrivers();
    for (int i = 0; i < n; ++i) {
        SDL_RendererInfo info;
        if (SDL_GetRenderDriverInfo(i, &info) == 0 && name == info.name)
            return i;
    }
    return -1;
}

} // namespace

RendererPtr create_screen_renderer(SDL_Window* window) {
    Uint32 const accelerated = SDL_RENDERER_ACCELERATED | SDL_RENDERER_TARGETTEXTURE;
    char const* video = SDL_GetCurrentVideoDriver();
    std::string const preferred
        = preferred_render_driver(video ? video : "", SDL_getenv("SDL_RENDER_DRIVER"));
    RendererPtr renderer;
    if (int index = preferred.empty() ? -1 : render_driver_index(preferred); index >= 0) {
        // A driver picked by index is not batched unless asked; the kiosk makes no GL calls
        // of its own, so SDL may batch.
        SDL_SetHint(SDL_HINT_RENDER_BATCHING, "1");
        renderer.reset(SDL_CreateRenderer(window, index, accelerated));
    }
    if (!renderer)
        renderer.reset(SDL_CreateRenderer(window, -1, accelerated));
    if (!renderer)
        renderer.reset(SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE));
    return renderer;
}

std::string describe_renderer(SDL_Renderer* renderer) {
    SDL_RendererInfo info;
    std::string name = renderer && SDL_GetRendererInfo(renderer, &info) == 0 ? info.name : "none";
    char const* video = SDL_GetCurrentVideoDriver();
    return name + " (video driver " + (video ? video : "none") + ")";
}

} // namespace kiosk::sdl
