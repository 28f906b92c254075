// Which of SDL's render drivers draws the kiosk's screen (the full-screen app and the
// technician's page): on KMS/DRM, OpenGL ES 2 before SDL's own first choice, desktop OpenGL.
#pragma once

#include "platform/sdl_raii.h"

#include <string>
#include <string_view>

namespace kiosk::sdl {

// The render driver to try first on this SDL video driver, or "" for SDL's own order.
// `render_driver_env` is SDL_RENDER_DRIVER as set in the environment (nullptr when unset): a
// choice made there is SDL's to honour, not ours to override.
std::string preferred_render_driver(std::string_view video_driver, char const* render_driver_env);

// The window's renderer: the preferred driver (above) with render targets, else SDL's first
// accelerated one with render targets, else the software renderer; null when none works
// (SDL_GetError() says why).
RendererPtr create_screen_renderer(SDL_Window* window);

// "opengles2 (video driver KMSDRM)": for the log.
std::string describe_renderer(SDL_Renderer* renderer);

} // namespace kiosk::sdl
