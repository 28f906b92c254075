// The ticket status lookup, and the pause after several wrong pairs.
#include "features/status_lookup.h"

#include "ksd/log.h"
#include "ksd/request.h"

namespace kiosk::status_lookup {

using namespace ksd;

bool ready_to_look_up(Ctx& c) {
    auto& st = c.s.status;
    if (c.s.lookup_locked_until > c.now || !c.has_desk)
        return false;
    st.focus = Field::None;
    st.found.reset();
    st.failed = false;
    // An empty field is asked for by name: "does not match" would send the visitor checking a
    // code they typed correctly. Not a guess either, so the count of wrong pairs stays.
    st.missing = tidy_text(st.code).empty() ? Field::Code
        : tidy_text(st.check).empty()       ? Field::Check
                                            : Field::None;
    if (st.missing != Field::None) {
        st.searched = false;
        return false;
    }
    st.searched = true;
    st.failed = false;
    st.found.reset();
    return true;
}

void set_field(Ctx& c, Field field, std::string const& value) {
    auto& st = c.s.status;
    switch (field) {
    case Field::Code:
        st.code = value;
        st.searched = false;
        if (st.missing == Field::Code)
            st.missing = Field::None;
        break;
    case Field::Check:
        st.check = value;
        st.searched = false;
        if (st.missing == Field::Check)
            st.missing = Field::None;
        break;
    case Field::Name:
    case Field::Phone:
    case Field::Email:
    case Field::Organisation:
    case Field::Question:
    case Field::Pin:
    case Field::None:
        break; // not the lookup's
    }
}

void handle(Ctx& c, act::OpenStatus const&) {
    auto& s = c.s;
    // From the status screen itself ("Cek tiket lain"): a fresh form, not a second screen.
    if (s.screen() != ScreenId::Status)
        s.stack.push_back({ScreenId::Status, {}});
    s.status = StatusForm {};
    s.status.locked_until_ms = c.s.lookup_locked_until > c.now ? c.s.lookup_locked_until : 0;
    c.ui_reset = true;
}

void handle(Ctx& c, act::LookUp const&) {
    if (!ready_to_look_up(c))
        return;
    auto& st = c.s.status;
    st.looking_up = true;
    c.effects.push_back(fx::LookUp {st.code, st.check});
}

void handle(Ctx& c, act::LookedUp const& a) {
    if (c.gone(a.visit))
        return;
    auto& s = c.s;
    auto& st = s.status;
    st.looking_up = false;
    if (!a.found.ok()) {
        log::warn("kiosk", "status lookup failed: " + a.found.error().message);
        st.failed = true;
        return;
    }
    st.found = a.found.value();
    // The count of wrong pairs is the device's, not the visit's: leaving the screen, "Cek
    // tiket lain" or the idle reset must not undo it; a right pair does not reset it either.
    if (!st.found && ++s.lookup_wrong >= 5) {
        // Guessing the four digits by hand is slow; a pause makes it slower still.
        s.lookup_locked_until = c.now + 30'000;
        s.lookup_wrong = 0;
    }
    st.locked_until_ms = s.lookup_locked_until > c.now ? s.lookup_locked_until : 0;
}

} // namespace kiosk::status_lookup
