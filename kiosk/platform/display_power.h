// Switching the panel off while the kiosk sleeps, on KMS without X: DPMS on the DRM connectors
// through SDL's kmsdrm fd (libdrm). A DSI panel's backlight goes off with it (the kernel's panel
// driver switches it when the CRTC is disabled), so /sys/class/backlight is not written.
#pragma once

#include "ksd/result.h"
#include "model/screen_power.h"

#include <string>

struct SDL_Window;

namespace kiosk::sdl {

class DisplayPower {
public:
    // For the kiosk's window. Only SDL's kmsdrm driver hands us a panel to switch (its DRM fd);
    // under the dummy and offscreen drivers (tests,
    // benchmarks) and a desktop's x11/wayland, set() is a no-op that says so in the log once: the
    // loop still draws and presents nothing while asleep, which is what saves the CPU.
    static DisplayPower for_window(SDL_Window*);
    // Explicit: drm_fd < 0 for none.
    DisplayPower(int drm_fd, std::string driver);

    // Switches every connected connector's DPMS. Each connector is tried; the error names the
    // ones that failed (the others did switch).
    ksd::Result<void> set(ScreenPower);
    // What set() acts on, for the log: "DPMS on the DRM connectors".
    std::string describe() const;

private:
    ksd::Result<void> set_dpms(ScreenPower);

    int m_drm_fd {-1};
    std::string m_driver;
    bool m_said_noop {false};
};

} // namespace kiosk::sdl
