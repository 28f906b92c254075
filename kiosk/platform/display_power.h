// Switching the panel off while the kiosk sleeps, on KMS without X: DPMS on the DRM connectors
// through SDL's kmsdrm fd (libdrm), and bl_power of /sys/class/backlight/* (DSI touch panels).
#pragma once

#include "app/screen_power.h"
#include "ksd/result.h"

#include <string>

struct SDL_Window;

namespace kiosk::sdl {

inline constexpr char const* default_backlight_root = "/sys/class/backlight";

class DisplayPower {
public:
    // For the kiosk's window. Only SDL's kmsdrm driver hands us a panel to switch (its DRM fd,
    // and then the backlights under backlight_root); under the dummy and offscreen drivers (tests,
    // benchmarks) and a desktop's x11/wayland, set() is a no-op that says so in the log once: the
    // loop still draws and presents nothing while asleep, which is what saves the CPU.
    static DisplayPower for_window(
        SDL_Window*, std::string backlight_root = default_backlight_root);
    // Explicit parts: drm_fd < 0 for none; backlight_root "" for none.
    DisplayPower(int drm_fd, std::string backlight_root, std::string driver);

    // Switches every connected connector's DPMS and every backlight's bl_power. Each part is
    // tried; the error names the parts that failed (the others did switch).
    ksd::Result<void> set(ScreenPower);
    // What set() acts on, for the log: "DPMS on the DRM connectors, /sys/class/backlight/*".
    std::string describe() const;

private:
    ksd::Result<void> set_dpms(ScreenPower);
    ksd::Result<void> set_backlights(ScreenPower);

    int m_drm_fd {-1};
    std::string m_backlight_root;
    std::string m_driver;
    bool m_said_noop {false};
};

} // namespace kiosk::sdl
