// Staff mode: the hidden gesture, the PIN, the desk's figures, a pack imported from USB and
// quarantined tickets released.
#include "features/staff.h"

#include "ksd/log.h"

#include <algorithm>
#include <string>
#include <utility>

namespace kiosk::staff {

using namespace ksd;

namespace {

void staff_gesture(Ctx& c) {
    // Five taps on the hidden corner within three seconds.
    c.s.staff_taps.push_back(c.now);
    std::erase_if(c.s.staff_taps, [&c](int64_t t) { return c.now - t > 3000; });
    if (c.s.staff_taps.size() < 5)
        return;
    c.s.staff_taps.clear();
    c.s.staff = StaffState {};
    // From the "being updated" screen too: a USB import is how a kiosk without a usable pack
    // gets one when there is no network.
    if (c.s.screen() == ScreenId::Unavailable)
        c.s.stack = {{ScreenId::Unavailable, {}}, {ScreenId::StaffPin, {}}};
    else {
        c.s.stack.resize(2);
        c.s.stack.push_back({ScreenId::StaffPin, {}});
    }
    c.ui_reset = true;
}

} // namespace

void set_pin(Ctx& c, std::string const& value) {
    c.s.staff.pin = value;
}

bool preview(Ctx& c) {
    staff_gesture(c);
    for (int i = 0; i < 4 && c.s.screen() != ScreenId::StaffPin; ++i)
        staff_gesture(c);
    if (c.s.screen() != ScreenId::StaffPin)
        return false;
    c.s.stack.back() = {ScreenId::Staff, {}};
    return true;
}

void handle(Ctx& c, act::StaffGesture const&) {
    staff_gesture(c);
}

void handle(Ctx& c, act::StaffExit const&) {
    c.reset_to_attract();
}

} // namespace kiosk::staff
