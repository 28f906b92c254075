// The kiosk's screen through SDL (see sdl_panel.h).
#include "platform/sdl_panel.h"

#include "platform/screen_renderer.h"

#include <algorithm>
#include <cstdlib>

namespace kiosk::sdl {

namespace {

constexpr Uint32 video_subsystems = SDL_INIT_VIDEO | SDL_INIT_EVENTS;

ksd::Error sdl_error(std::string const& what) {
    return ksd::make_error(what + ": " + SDL_GetError());
}

} // namespace

int rotation_degrees(ui::Rotation r) {
    switch (r) {
    case ui::Rotation::R0:
        return 0;
    case ui::Rotation::R90:
        return 90;
    case ui::Rotation::R180:
        return 180;
    case ui::Rotation::R270:
        return 270;
    }
    return 0;
}

ksd::Result<std::unique_ptr<SdlPanel>> SdlPanel::open(PanelOptions const& o) {
    // A touch must be one tap: SDL must not also synthesise mouse events from it (InputTranslator
    // drops any that come anyway).
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");
    if (!o.video_driver.empty())
        SDL_SetHint(SDL_HINT_VIDEODRIVER, o.video_driver.c_str());
    if (o.drm_device_index >= 0) // read by SDL 2.26's kmsdrm
        setenv("SDL_KMSDRM_DEVICE_INDEX", std::to_string(o.drm_device_index).c_str(), 1);
    std::unique_ptr<SdlPanel> p(new SdlPanel());
    if (SDL_InitSubSystem(video_subsystems) != 0)
        return sdl_error("cannot start SDL video");
    p->m_video_started = true;
    ui::Size size = o.size;
    if (size.w <= 0 || size.h <= 0) {
        SDL_DisplayMode mode;
        bool known = SDL_GetDesktopDisplayMode(0, &mode) == 0;
        size = known ? ui::Size {mode.w, mode.h} : ui::Size {1280, 800};
    }
    p->m_fullscreen = o.fullscreen;
    p->m_window.reset(SDL_CreateWindow("Anjungan KSD", SDL_WINDOWPOS_CENTERED,
        SDL_WINDOWPOS_CENTERED, size.w, size.h, o.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0));
    if (!p->m_window)
        return sdl_error("cannot open a window");
    p->m_renderer = create_screen_renderer(p->m_window.get());
    if (!p->m_renderer)
        return sdl_error("cannot create a renderer");
    SDL_ShowCursor(o.fullscreen ? SDL_DISABLE : SDL_ENABLE);
    int pw = 0, ph = 0;
    SDL_GetRendererOutputSize(p->m_renderer.get(), &pw, &ph);
    p->m_output = {pw, ph};
    p->m_rotation = o.rotation;
    bool swapped = o.rotation == ui::Rotation::R90 || o.rotation == ui::Rotation::R270;
    p->m_logical = swapped ? ui::Size {ph, pw} : ui::Size {pw, ph};
    if (o.rotation != ui::Rotation::R0) {
        p->m_target.reset(SDL_CreateTexture(p->m_renderer.get(), SDL_PIXELFORMAT_ARGB8888,
            SDL_TEXTUREACCESS_TARGET, p->m_logical.w, p->m_logical.h));
        if (!p->m_target)
            return sdl_error("rotation needs render targets");
    }
    p->m_input = std::make_unique<InputTranslator>(
        InputGeometry {p->m_rotation, p->m_output, p->m_logical, p->m_fullscreen});
    return p;
}

SdlPanel::~SdlPanel() {
    m_target.reset();
    m_renderer.reset();
    m_window.reset();
    if (m_video_started)
        SDL_QuitSubSystem(video_subsystems);
}

std::string SdlPanel::describe() const {
    return describe_renderer(m_renderer.get());
}

std::vector<TranslatedEvent> SdlPanel::take_events() {
    std::vector<TranslatedEvent> out;
    SDL_Event e;
    while (SDL_PollEvent(&e) != 0) {
        TranslatedEvent t = m_input->translate(e);
        if (t.input || t.signal != LoopSignal::None)
            out.push_back(t);
    }
    return out;
}

void SdlPanel::present(std::function<void()> const& draw) {
    SDL_Renderer* r = m_renderer.get();
    if (m_target)
        SDL_SetRenderTarget(r, m_target.get());
    draw();
    if (m_target) {
        SDL_SetRenderTarget(r, nullptr);
        SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
        SDL_RenderClear(r);
        SDL_Rect dst {(m_output.w - m_logical.w) / 2, (m_output.h - m_logical.h) / 2, m_logical.w,
            m_logical.h};
        SDL_RenderCopyEx(r, m_target.get(), nullptr, &dst, double(rotation_degrees(m_rotation)),
            nullptr, SDL_FLIP_NONE);
    }
    SDL_RenderPresent(r);
}

int64_t SdlPanel::ticks_ms() {
    return int64_t(SDL_GetTicks64());
}

void wait_for_events(LoopWait w) {
    uint64_t const start = SDL_GetTicks64();
    while (true) {
        SDL_PumpEvents();
        if (SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT) == SDL_TRUE)
            return;
        uint64_t elapsed = SDL_GetTicks64() - start;
        if (elapsed >= uint64_t(std::max(w.timeout_ms, 0)))
            return;
        SDL_Delay(uint32_t(std::min<uint64_t>(
            uint64_t(std::max(w.poll_ms, 1)), uint64_t(w.timeout_ms) - elapsed)));
    }
}

} // namespace kiosk::sdl
