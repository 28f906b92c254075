// The ticket status lookup: the code and its check (last four phone digits or the e-mail), the
// answer, and the pause after several wrong pairs (kept by the device, across visitors).
#pragma once

#include "features/context.h"
#include "model/actions.h"

#include <string>

namespace kiosk::status_lookup {

void handle(Ctx&, act::OpenStatus const&);
// "Cek Status": when ready_to_look_up, fx::LookUp; its answer counts wrong pairs.
void handle(Ctx&, act::LookUp const&);
void handle(Ctx&, act::LookedUp const&);
// "Cek Status": the form made ready for a lookup; true when the desk is to be asked; false while
// paused, without a desk, or with a field empty (asked for by name).
bool ready_to_look_up(Ctx&);

// The code or the check typed into (Code, Check; others are not the lookup's).
void set_field(Ctx&, Field, std::string const& value);

} // namespace kiosk::status_lookup
