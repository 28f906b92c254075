// The technician's page on the screen (a display loop that only shows it, feeding the service
// watchdog) and without one (a PNG for --screenshot and the tests).
#pragma once

#include "platform/canvas.h"
#include "screens/technician.h"

#include <string>

namespace kiosk::shell {

ksd::Result<sdl::RgbImage> render_technician_page(
    ui::Size, TechnicianPage const&, std::string const& font_dir);

} // namespace kiosk::shell
