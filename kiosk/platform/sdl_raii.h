// RAII owners for SDL and SDL_ttf objects.
#pragma once

#include <SDL.h>
#include <SDL_ttf.h>
#include <memory>

namespace kiosk::sdl {

struct Deleter {
    void operator()(SDL_Window* p) const { SDL_DestroyWindow(p); }
    void operator()(SDL_Renderer* p) const { SDL_DestroyRenderer(p); }
    void operator()(SDL_Texture* p) const { SDL_DestroyTexture(p); }
    void operator()(SDL_Surface* p) const { SDL_FreeSurface(p); }
    void operator()(TTF_Font* p) const { TTF_CloseFont(p); }
};

using WindowPtr = std::unique_ptr<SDL_Window, Deleter>;
using RendererPtr = std::unique_ptr<SDL_Renderer, Deleter>;
using TexturePtr = std::unique_ptr<SDL_Texture, Deleter>;
using SurfacePtr = std::unique_ptr<SDL_Surface, Deleter>;
using FontPtr = std::unique_ptr<TTF_Font, Deleter>;

} // namespace kiosk::sdl
