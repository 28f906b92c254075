// What a feature's action handlers work with: the state, the content, whether there is a ticket
// desk, the time, the visit, what the App's host must forget before the next frame, and the slow
// work to run (model/effects.h: the App runs it on its worker). The App builds one per action.
#pragma once

#include "ksd/request.h"
#include "model/content.h"
#include "model/effects.h"
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
    uint64_t visit; // the App's count of visits: a result (model/effects.h) of another is dropped
    // Slow work asked for (the desk's calls): the App runs it on its worker once the handler
    // returns, and hands its result back to the feature's handler.
    std::vector<Effect>& effects;

    // Whether a result asked for in `asked_in` arrives after that visitor has gone (an idle
    // reset or leaving the form meanwhile): then it changes nothing on screen.
    bool gone(uint64_t asked_in) const { return asked_in != visit; }
};

} // namespace kiosk
