// The display loop of a kiosk whose config is bad: it opens the screen with safe settings and
// shows only the technician's page, answering the service manager (READY=1, WATCHDOG=1) so
// systemd neither restarts it in a loop nor leaves the screen black. Part of the executable.
#pragma once

#include "screens/technician.h"

#include <string>

namespace kiosk::shell {

struct TechnicianDisplay {
    std::string video_driver; // "" : SDL's choice
    int drm_device_index {-1};
    int width {0}; // 0: the display's size
    int height {0};
    bool fullscreen {true};
    int rotation_degrees {0}; // 0, 90, 180, 270
    std::string font_dir;
};

enum class AfterFirstFrame { KeepShowing, Exit };

// Returns 0 when asked to quit (SIGTERM, the window closed), 78 after the first frame with
// AfterFirstFrame::Exit (the tests' --first-frame-exit), 1 when the screen cannot be opened.
int run_technician_display(TechnicianDisplay const&, TechnicianPage const&, AfterFirstFrame);

} // namespace kiosk::shell
