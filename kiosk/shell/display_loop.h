// The full-screen app's render loop, one turn at a time with the time passed in: SDL events to
// our input events, a frame presented only when the picture changed, the screen dark outside
// office hours (nothing drawn, the panel off, a touch wakes it), sd_notify through LoopService.
// main.cpp turns it against the real clocks; tests turn it on SDL's dummy driver. The panel
// (platform/sdl_panel.h) does every SDL call; this is the loop's logic only.
#pragma once

#include "app/host.h"
#include "model/screen_power.h"
#include "platform/display_power.h"
#include "platform/sdl_panel.h"
#include "platform/sdl_renderer.h"
#include "platform/service_notify.h"

#include <cstdint>

namespace kiosk::shell {

using sdl::LoopService;
using sdl::LoopWait;

struct LoopTime {
    int64_t mono_ms {0}; // monotonic clock
    int64_t unix_seconds {0}; // wall clock
    LocalTime local; // the wall clock in local time, with whether it is trusted
};

enum class FirstFrame { KeepRunning, Exit };

class DisplayLoop {
public:
    DisplayLoop(Host&, sdl::SdlRenderer&, sdl::SdlPanel&, sdl::DisplayPower&, LoopService&,
        PowerPolicy, FirstFrame = FirstFrame::KeepRunning);

    // One turn: feeds the watchdog, takes every waiting SDL event, advances the App and, unless
    // the screen sleeps, draws and presents when the picture changed. Returns the wait before
    // the next turn.
    LoopWait turn(LoopTime const&);

    bool running() const { return m_running; }
    int64_t frames_presented() const { return m_frames; }
    ScreenPower power() const { return m_applied; }

private:
    void take_events(LoopTime const&);
    void act_on(sdl::LoopSignal);
    PowerDecision update_power(LoopTime const&);
    void apply_power(ScreenPower, LoopTime const&);
    void present(LoopTime const&);
    LoopWait next_wait(PowerDecision const&, LoopTime const&) const;

    Host& m_host;
    App& m_app;
    sdl::SdlRenderer& m_renderer;
    sdl::SdlPanel& m_panel;
    sdl::DisplayPower& m_panel_power;
    LoopService& m_service;
    ScreenPowerState m_power;
    FirstFrame m_first_frame;
    ScreenPower m_applied {ScreenPower::Awake}; // what the panel was last switched to
    bool m_running {true};
    bool m_presented {false};
    int64_t m_frames {0};
    int64_t m_last_input_ms {-1'000'000};
    int64_t m_last_frame_noted {-1};
    int64_t m_last_asleep_noted {-1};
    int64_t m_pack_version {-1};
};

// The screen as `systemctl status ksd-kiosk` shows it (the service's STATUS=).
char const* screen_status(ScreenId);
inline constexpr char const* asleep_status = "screen asleep (outside office hours)";

} // namespace kiosk::shell
