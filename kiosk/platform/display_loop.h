// The full-screen app's render loop, one turn at a time with the time passed in: SDL events to
// our input events, a frame presented only when the picture changed, the screen dark outside
// office hours (nothing drawn, the panel off, a touch wakes it), sd_notify through LoopService.
// main.cpp turns it against the real clocks; tests turn it on SDL's dummy driver.
#pragma once

#include "app/host.h"
#include "app/screen_power.h"
#include "platform/display_power.h"
#include "platform/sdl_input.h"
#include "platform/sdl_renderer.h"

#include <SDL.h>
#include <cstdint>

namespace kiosk::sdl {

// What the loop tells the service manager: ServiceNotifier (systemd) in the app.
class LoopService {
public:
    virtual ~LoopService() = default;
    virtual void ready() = 0; // after the first frame
    virtual void status(char const* text) = 0; // what `systemctl status` shows
    virtual void feed(int64_t mono_ms) = 0; // every turn; WATCHDOG=1 when due
    virtual int wait_ms(int wanted_ms) const = 0; // the longest wait the watchdog allows
};

// The panel as the loop draws on it.
struct LoopDisplay {
    SDL_Renderer* renderer {nullptr};
    SDL_Texture* target {nullptr}; // the rotated UI's render target; null at rotation 0
    ui::Rotation rotation {ui::Rotation::R0};
    ui::Size panel; // renderer output, pixels
    ui::Size logical; // the UI, already swapped for 90/270
    bool fullscreen {true}; // Escape quits a window only
};

struct LoopTime {
    int64_t mono_ms {0}; // monotonic clock
    int64_t unix_seconds {0}; // wall clock
    LocalTime local; // the wall clock in local time, with whether it is trusted
};

// How long to wait for input before the next turn, and how often to look meanwhile.
struct LoopWait {
    int timeout_ms {0};
    int poll_ms {40};
};

enum class FirstFrame { KeepRunning, Exit };

class DisplayLoop {
public:
    DisplayLoop(Host&, SdlRenderer&, LoopDisplay, DisplayPower&, LoopService&, PowerPolicy,
        FirstFrame = FirstFrame::KeepRunning);

    // One turn: feeds the watchdog, takes every waiting SDL event, advances the App and, unless
    // the screen sleeps, draws and presents when the picture changed. Returns the wait before
    // the next turn.
    LoopWait turn(LoopTime const&);

    bool running() const { return m_running; }
    int64_t frames_presented() const { return m_frames; }
    ScreenPower power() const { return m_applied; }

private:
    void take_events(LoopTime const&);
    std::optional<ui::InputEvent> translate(SDL_Event const&);
    PowerDecision update_power(LoopTime const&);
    void apply_power(ScreenPower, LoopTime const&);
    void present(LoopTime const&);
    LoopWait next_wait(PowerDecision const&, LoopTime const&) const;

    Host& m_host;
    App& m_app;
    SdlRenderer& m_renderer;
    LoopDisplay m_display;
    InputTranslator m_input;
    DisplayPower& m_panel;
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

// Blocks until an SDL event is waiting (leaving it for the next turn) or the timeout passes.
// SDL 2.26's SDL_WaitEventTimeout has no native wait on KMSDRM (nor on the dummy driver) and
// falls back to polling every millisecond: some 850 wake-ups a second. Pacing the polls keeps
// the CPU near zero; poll_ms is short while a visitor touches, longer at rest and asleep.
void wait_for_events(LoopWait);

// The screen as `systemctl status ksd-kiosk` shows it (the service's STATUS=).
char const* screen_status(ScreenId);
inline constexpr char const* asleep_status = "screen asleep (outside office hours)";

} // namespace kiosk::sdl
