// The technician's page on the screen (see technician_display.h).
#include "shell/technician_display.h"

#include "ksd/log.h"
#include "ksd/technician_config.h"
#include "platform/fonts.h"
#include "platform/sdl_panel.h"
#include "platform/sdl_renderer.h"
#include "platform/service_notify.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace kiosk::shell {

namespace {

ui::Rotation rotation_of(int degrees) {
    return degrees == 90 ? ui::Rotation::R90
        : degrees == 180 ? ui::Rotation::R180
        : degrees == 270 ? ui::Rotation::R270
                         : ui::Rotation::R0;
}

// Nothing moves on this page: look for the window's events ten times a second, feeding the
// watchdog meanwhile.
constexpr int poll_ms = 100;

} // namespace

int run_technician_display(
    TechnicianDisplay const& d, TechnicianPage const& page, AfterFirstFrame after) {
    sdl::PanelOptions options {d.video_driver, d.drm_device_index, {d.width, d.height},
        d.fullscreen, rotation_of(d.rotation_degrees)};
    auto panel = sdl::SdlPanel::open(options);
    if (!panel.ok() && options.rotation != ui::Rotation::R0) {
        // Unrotated rather than nothing: the page must reach the technician.
        std::fprintf(
            stderr, "ksd-kiosk: %s; the page is shown unrotated\n", panel.error().message.c_str());
        options.rotation = ui::Rotation::R0;
        panel = sdl::SdlPanel::open(options);
    }
    if (!panel.ok()) {
        std::fprintf(
            stderr, "ksd-kiosk: cannot open the screen: %s\n", panel.error().message.c_str());
        return 1;
    }
    sdl::SdlPanel& screen = *panel.value();
    sdl::TtfGuard ttf;
    if (!ttf.ok()) {
        std::fprintf(stderr, "ksd-kiosk: %s\n", ttf.error().c_str());
        return 1;
    }
    auto fonts = sdl::Fonts::open(d.font_dir);
    if (!fonts.ok()) {
        std::fprintf(stderr, "ksd-kiosk: %s\n", fonts.error().message.c_str());
        return 1;
    }
    sdl::SdlRenderer renderer(
        screen.renderer(), fonts.value(), [](std::string const&) { return std::nullopt; });
    auto service = sdl::ServiceNotifier::from_environment();
    int code = 0;
    bool dirty = true;
    bool running = true;
    while (running) {
        service.feed(sdl::SdlPanel::ticks_ms());
        if (dirty) {
            dirty = false;
            screen.present(
                [&] { draw_technician_page(renderer, fonts.value(), screen.logical(), page); });
            service.ready();
            service.status("configuration error: the technician's page is on the screen");
            if (after == AfterFirstFrame::Exit) {
                code = ksd::exit_config_error;
                break;
            }
        }
        for (sdl::TranslatedEvent const& t : screen.take_events()) {
            switch (t.signal) {
            case sdl::LoopSignal::None:
                break;
            case sdl::LoopSignal::Quit:
                running = false;
                break;
            case sdl::LoopSignal::Redraw:
            case sdl::LoopSignal::TexturesLost:
                dirty = true;
                break;
            }
        }
        if (running && !dirty)
            sdl::wait_for_events({service.wait_ms(1000), poll_ms});
    }
    service.stopping();
    return code;
}

} // namespace kiosk::shell
