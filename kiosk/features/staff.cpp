// Staff mode: the hidden gesture, the PIN, the desk's figures, a pack imported from USB and
// quarantined tickets released.
#include "features/staff.h"

#include "ksd/bytes.h"
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

// The staff screen's figures and the USB stick's packs, read on the worker.
void refresh(Ctx& c) {
    if (c.has_desk)
        c.effects.push_back(fx::RefreshStaff {WallClock {c.s.unix_time, c.s.clock_trusted}});
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
    refresh(c);
}

void handle(Ctx& c, act::StaffGesture const&) {
    staff_gesture(c);
}

void handle(Ctx& c, act::StaffExit const&) {
    c.reset_to_attract();
}

void handle(Ctx& c, act::StaffPinEntered const&) {
    auto& st = c.s.staff;
    std::string pin = std::exchange(st.pin, {});
    if (!c.has_desk) {
        st.message = tr(c.s.lang, S::StaffModeUnavailable);
        return;
    }
    st.checking_pin = true;
    c.effects.push_back(fx::CheckPin {std::move(pin), c.s.unix_time});
}

void handle(Ctx& c, act::PinChecked const& a) {
    if (c.gone(a.visit))
        return;
    auto& st = c.s.staff;
    Lang l = c.s.lang;
    st.checking_pin = false;
    if (!a.attempt.ok()) {
        log::warn("kiosk", "staff PIN check failed: " + a.attempt.error().message);
        st.message = tr(l, S::PinCannotBeChecked);
        return;
    }
    auto const& r = a.attempt.value();
    switch (r.verdict) {
    case PinVerdict::Accepted:
        log::info("kiosk", "staff mode opened");
        c.s.stack.back() = {ScreenId::Staff, {}};
        refresh(c);
        break;
    case PinVerdict::Wrong:
    case PinVerdict::Wait:
        log::warn("kiosk", "staff PIN refused");
        st.message = r.verdict == PinVerdict::Wrong ? tr(l, S::WrongPin) : "";
        if (r.wait_seconds > 0)
            st.message += std::string(st.message.empty() ? "" : " ")
                + counted(l, S::TryAgainIn, r.wait_seconds);
        break;
    case PinVerdict::NotConfigured:
        st.message = tr(l, S::NoStaffPin);
        break;
    }
}

void handle(Ctx& c, act::StaffRefresh const&) {
    refresh(c);
}

void handle(Ctx& c, act::StaffInfoLoaded const& a) {
    if (c.gone(a.visit) || c.s.screen() != ScreenId::Staff)
        return;
    c.s.staff.info = a.info;
    c.s.staff.packs = a.packs;
    c.scroll_resets.push_back("staff");
}

void handle(Ctx& c, act::StaffImport const& a) {
    auto& st = c.s.staff;
    if (!c.has_desk || st.importing)
        return;
    st.importing = true;
    st.import_progress = {};
    // The bar shows the pack's size at once, before the worker reports.
    for (auto const& p : st.packs)
        if (p.path == a.path)
            st.import_progress.size = p.size;
    c.effects.push_back(fx::ImportPack {a.path, c.s.content_version});
}

void handle(Ctx& c, act::PackImported const& a) {
    if (a.imported.ok())
        log::info("kiosk",
            "staff imported content version " + std::to_string(a.imported->content_version)
                + " from " + a.path);
    else
        log::warn("kiosk", "pack import refused: " + a.imported.error().message);
    if (c.gone(a.visit))
        return;
    auto& st = c.s.staff;
    st.importing = false;
    st.import_ok = a.imported.ok();
    st.import_message = a.imported.ok() ? "" : a.imported.error().message;
    if (a.imported.ok())
        st.imported_version = a.imported->content_version;
}

void handle(Ctx& c, act::StaffRequeue const&) {
    if (c.has_desk)
        c.effects.push_back(fx::Requeue {});
}

void handle(Ctx& c, act::Requeued const& a) {
    if (a.released.ok())
        log::info("kiosk",
            "staff released " + std::to_string(a.released.value()) + " quarantined ticket(s)");
    else
        log::warn("kiosk", "release of quarantined tickets: " + a.released.error().message);
    if (c.gone(a.visit))
        return;
    c.s.staff.requeue_message = a.released.ok() ? counted(c.s.lang, S::Requeued, a.released.value())
                                                : a.released.error().message;
    refresh(c);
}

void handle(Ctx& c, act::StaffExportQueue const&) {
    auto& st = c.s.staff;
    if (!c.has_desk || st.usb_busy)
        return;
    st.usb_busy = true;
    st.usb_message = {};
    c.effects.push_back(fx::ExportQueue {WallClock {c.s.unix_time, c.s.clock_trusted}});
}

void handle(Ctx& c, act::QueueExported const& a) {
    if (a.written.ok())
        log::info("kiosk",
            "staff exported " + std::to_string(a.written->requests) + " requests to "
                + a.written->path);
    else
        log::warn("kiosk", "queue export to USB failed: " + a.written.error().message);
    if (c.gone(a.visit))
        return;
    auto& st = c.s.staff;
    st.usb_busy = false;
    st.usb_ok = a.written.ok();
    auto text = [&](Lang l) {
        if (!a.written.ok())
            return fill(l, S::QueueExportFailed, {a.written.error().message});
        auto const& w = a.written.value();
        auto slash = w.path.find_last_of('/');
        std::string out = counted(l, S::QueueExported, w.requests,
            {w.path.substr(slash == std::string::npos ? 0 : slash + 1), format_bytes(w.bytes, l)});
        if (w.surveys > 0)
            out += " " + counted(l, S::QueueExportedSurveys, w.surveys);
        return out + " " + std::string(tr(l, S::UsbMayPull));
    };
    st.usb_message = {text(Lang::Id), text(Lang::En)};
}

void handle(Ctx& c, act::StaffApplyAck const&) {
    auto& st = c.s.staff;
    if (!c.has_desk || st.usb_busy)
        return;
    st.usb_busy = true;
    st.usb_message = {};
    c.effects.push_back(fx::ApplyAcks {});
}

void handle(Ctx& c, act::AcksApplied const& a) {
    if (!a.applied.ok())
        log::warn("kiosk", "acknowledgements from USB: " + a.applied.error().message);
    if (c.gone(a.visit))
        return;
    auto& st = c.s.staff;
    st.usb_busy = false;
    if (!a.applied.ok()) {
        st.usb_ok = false;
        st.usb_message = {fill(Lang::Id, S::AckFailed, {a.applied.error().message}),
            fill(Lang::En, S::AckFailed, {a.applied.error().message})};
        return;
    }
    auto const& r = a.applied.value();
    st.usb_ok = r.refused.empty() && r.files > 0;
    auto text = [&](Lang l) {
        if (r.files == 0)
            return std::string(tr(l, S::NoAckOnUsb));
        std::string out = counted(l, S::AckApplied, r.acknowledged,
            {std::to_string(r.already), std::to_string(r.quarantined)});
        if (r.surveys > 0)
            out += " " + counted(l, S::AckSurveys, r.surveys);
        for (auto const& why : r.refused)
            out += "\n" + fill(l, S::AckRefused, {why});
        return out;
    };
    st.usb_message = {text(Lang::Id), text(Lang::En)};
    refresh(c);
}

} // namespace kiosk::staff
