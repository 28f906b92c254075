// What a feature's action handlers work with: the state, the content, whether there is a ticket
// desk (its calls are slow and run on the App's worker: app/app_effects.cpp), the time, and what
// the App's host must forget before the next frame. The App builds one per action.
#pragma once

#include "ksd/request.h"
#include "model/content.h"
#include "model/state.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kiosk {

struct Ctx {
    State& s;
    Content const* content; // null without a usable pack
    bool has_desk; // false without a device database
    ksd::ShowableFn const& showable; // whether the font can draw a character
    std::string const& status_url; // ticket.status_url, or empty
    int64_t now; // the monotonic clock, in milliseconds
    bool& ui_reset; // the Ui's widget state is to be forgotten (navigation)
    bool& forget_text; // what a visitor typed was wiped: text caches forget it too
    std::vector<std::string>& scroll_resets; // scroll areas to put back at the top
    std::function<void()> reset_to_attract; // ends the visit (leaving staff mode)
};

} // namespace kiosk
