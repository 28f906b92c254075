// Staff mode: the hidden gesture, the PIN pad, the desk's figures, importing a pack from a USB
// stick and releasing quarantined tickets.
#pragma once

#include "features/context.h"
#include "model/actions.h"

#include <string>

namespace kiosk::staff {

void handle(Ctx&, act::StaffGesture const&);
void handle(Ctx&, act::StaffExit const&);

void set_pin(Ctx&, std::string const& value);
// Staff mode without the PIN, for screenshots and scripts only. True when the staff screen is
// shown (the App then reads its figures on the worker). The PIN, the figures, the import and
// the release of held tickets call the desk: the App's (app_effects.cpp).
bool preview(Ctx&);

} // namespace kiosk::staff
