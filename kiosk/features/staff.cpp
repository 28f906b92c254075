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

void refresh_staff(Ctx& c) {
    if (!c.desk)
        return;
    c.s.staff.info = c.desk->staff_info({c.s.unix_time, c.s.clock_trusted});
    c.s.staff.packs = c.desk->usb_packs();
    c.scroll_resets.push_back("staff");
}

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

void enter_pin(Ctx& c) {
    auto& st = c.s.staff;
    Lang l = c.s.lang;
    std::string pin = std::exchange(st.pin, {});
    if (!c.desk) {
        st.message = tr(l, S::StaffModeUnavailable);
        return;
    }
    auto r = c.desk->check_pin(pin, c.s.unix_time);
    if (!r.ok()) {
        log::warn("kiosk", "staff PIN check failed: " + r.error().message);
        st.message = tr(l, S::PinCannotBeChecked);
        return;
    }
    switch (r->verdict) {
    case PinVerdict::Accepted:
        log::info("kiosk", "staff mode opened");
        c.s.stack.back() = {ScreenId::Staff, {}};
        refresh_staff(c);
        break;
    case PinVerdict::Wrong:
    case PinVerdict::Wait:
        log::warn("kiosk", "staff PIN refused");
        st.message = r->verdict == PinVerdict::Wrong ? tr(l, S::WrongPin) : "";
        if (r->wait_seconds > 0)
            st.message += std::string(st.message.empty() ? "" : " ")
                + counted(l, S::TryAgainIn, r->wait_seconds);
        break;
    case PinVerdict::NotConfigured:
        st.message = tr(l, S::NoStaffPin);
        break;
    }
}

} // namespace

void set_pin(Ctx& c, std::string const& value) {
    c.s.staff.pin = value;
}

void preview(Ctx& c) {
    staff_gesture(c);
    for (int i = 0; i < 4 && c.s.screen() != ScreenId::StaffPin; ++i)
        staff_gesture(c);
    if (c.s.screen() != ScreenId::StaffPin)
        return;
    c.s.stack.back() = {ScreenId::Staff, {}};
    refresh_staff(c);
}

void handle(Ctx& c, act::StaffGesture const&) {
    staff_gesture(c);
}

void handle(Ctx& c, act::StaffPinEntered const&) {
    enter_pin(c);
}

void handle(Ctx& c, act::StaffRefresh const&) {
    refresh_staff(c);
}

void handle(Ctx& c, act::StaffImport const& a) {
    auto& s = c.s;
    if (c.desk) {
        auto imported = c.desk->import_pack(a.path, s.content_version);
        if (imported.ok()) {
            s.staff.import_ok = true;
            s.staff.import_message.clear();
            s.staff.imported_version = imported->content_version;
            log::info("kiosk",
                "staff imported content version " + std::to_string(imported->content_version)
                    + " from " + a.path);
        } else {
            s.staff.import_ok = false;
            s.staff.import_message = imported.error().message;
            log::warn("kiosk", "pack import refused: " + imported.error().message);
        }
    }
}

void handle(Ctx& c, act::StaffRequeue const&) {
    auto& s = c.s;
    if (c.desk) {
        auto released = c.desk->requeue_held();
        if (released.ok()) {
            s.staff.requeue_message = counted(s.lang, S::Requeued, released.value());
            log::info("kiosk",
                "staff released " + std::to_string(released.value()) + " quarantined ticket(s)");
        } else {
            s.staff.requeue_message = released.error().message;
            log::warn("kiosk", "release of quarantined tickets: " + released.error().message);
        }
        refresh_staff(c);
    }
}

void handle(Ctx& c, act::StaffExit const&) {
    c.reset_to_attract();
}

} // namespace kiosk::staff
