// Staff mode: the hidden gesture, the PIN pad, the desk's figures, importing a pack from a USB
// stick and releasing quarantined tickets.
#pragma once

#include "features/context.h"
#include "model/actions.h"

#include <string>

namespace kiosk::staff {

void handle(Ctx&, act::StaffGesture const&);
void handle(Ctx&, act::StaffPinEntered const&);
void handle(Ctx&, act::StaffRefresh const&);
void handle(Ctx&, act::StaffImport const&);
void handle(Ctx&, act::StaffRequeue const&);
void handle(Ctx&, act::StaffExit const&);

void set_pin(Ctx&, std::string const& value);
// Staff mode without the PIN, for screenshots and scripts only.
void preview(Ctx&);

} // namespace kiosk::staff
