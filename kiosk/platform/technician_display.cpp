// The technician's page on the screen (see technician_display.h).
#include "platform/technician_display.h"

#include "ksd/technician_config.h"
#include "platform/fonts.h"
#include "platform/offscreen.h"
#include "platform/screen_renderer.h"
#include "platform/sdl_raii.h"
#include "platform/sdl_renderer.h"
#include "platform/service_notify.h"

#include <SDL.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace kiosk::sdl {

int run_technician_display(
    TechnicianDisplay const& d, TechnicianPage const& page, AfterFirstFrame after) {
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    if (!d.video_driver.empty())
        SDL_SetHint(SDL_HINT_VIDEODRIVER, d.video_driver.c_str());
    if (d.drm_device_index >= 0)
        setenv("SDL_KMSDRM_DEVICE_INDEX", std::to_string(d.drm_device_index).c_str(), 1);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        std::fprintf(stderr, "ksd-kiosk: cannot start SDL video: %s\n", SDL_GetError());
        return 1;
    }
    int code = 1;
    {
        TtfGuard ttf;
        auto fonts = Fonts::open(d.font_dir);
        if (!fonts.ok()) {
            std::fprintf(stderr, "ksd-kiosk: %s\n", fonts.error().message.c_str());
            SDL_Quit();
            return 1;
        }
        int w = d.width, h = d.height;
        if (w == 0 || h == 0) {
            SDL_DisplayMode mode;
            bool known = SDL_GetDesktopDisplayMode(0, &mode) == 0;
            w = known ? mode.w : 1280;
            h = known ? mode.h : 800;
        }
        WindowPtr window(SDL_CreateWindow("Anjungan KSD", SDL_WINDOWPOS_CENTERED,
            SDL_WINDOWPOS_CENTERED, w, h, d.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0));
        RendererPtr sdl_renderer;
        if (window)
            sdl_renderer = create_screen_renderer(window.get());
        if (!window || !sdl_renderer) {
            std::fprintf(stderr, "ksd-kiosk: cannot open the screen: %s\n", SDL_GetError());
        } else {
            SDL_ShowCursor(d.fullscreen ? SDL_DISABLE : SDL_ENABLE);
            int pw = 0, ph = 0;
            SDL_GetRendererOutputSize(sdl_renderer.get(), &pw, &ph);
            bool swapped = d.rotation_degrees == 90 || d.rotation_degrees == 270;
            ui::Size logical = swapped ? ui::Size {ph, pw} : ui::Size {pw, ph};
            TexturePtr target;
            if (d.rotation_degrees != 0)
                target.reset(SDL_CreateTexture(sdl_renderer.get(), SDL_PIXELFORMAT_ARGB8888,
                    SDL_TEXTUREACCESS_TARGET, logical.w, logical.h));
            if (!target)
                logical = {pw, ph}; // unrotated rather than nothing
            SdlRenderer renderer(
                sdl_renderer.get(), fonts.value(), [](std::string const&) { return std::nullopt; });
            auto service = ServiceNotifier::from_environment();
            bool dirty = true;
            bool running = true;
            while (running) {
                service.feed(int64_t(SDL_GetTicks64()));
                if (dirty) {
                    dirty = false;
                    if (target)
                        SDL_SetRenderTarget(sdl_renderer.get(), target.get());
                    draw_technician_page(renderer, fonts.value(), logical, page);
                    if (target) {
                        SDL_SetRenderTarget(sdl_renderer.get(), nullptr);
                        SDL_SetRenderDrawColor(sdl_renderer.get(), 0, 0, 0, 255);
                        SDL_RenderClear(sdl_renderer.get());
                        SDL_Rect dst {
                            (pw - logical.w) / 2, (ph - logical.h) / 2, logical.w, logical.h};
                        SDL_RenderCopyEx(sdl_renderer.get(), target.get(), nullptr, &dst,
                            double(d.rotation_degrees), nullptr, SDL_FLIP_NONE);
                    }
                    SDL_RenderPresent(sdl_renderer.get());
                    service.ready();
                    service.status("configuration error: the technician's page is on the screen");
                    if (after == AfterFirstFrame::Exit) {
                        code = ksd::exit_config_error;
                        break;
                    }
                }
                SDL_Event e;
                // Nothing moves on this page: look for the window's events ten times a second
                // (SDL's own wait polls every millisecond on KMSDRM), feeding the watchdog.
                if (SDL_PollEvent(&e) == 0) {
                    SDL_Delay(uint32_t(std::min(service.wait_ms(1000), 100)));
                    continue;
                }
                if (e.type == SDL_QUIT) {
                    running = false;
                    code = 0;
                } else if (e.type == SDL_WINDOWEVENT) {
                    dirty = true;
                }
            }
            service.stopping();
        }
    }
    SDL_Quit();
    return code;
}

} // namespace kiosk::sdl
