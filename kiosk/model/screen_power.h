// When the kiosk's screen is lit: dark outside the office hours (power.office_hours), never on an
// untrusted clock, lit again for power.wake_minutes by a touch. Pure: every time is passed in.
#pragma once

#include "ksd/office_hours.h"
#include "ui/input.h"

#include <cstdint>
#include <optional>

namespace kiosk {

enum class ScreenPower { Awake, Asleep };
// Whether the wall clock can be believed (NTP synchronised). A Pi has no RTC: after a power cut
// its clock is wrong until NTP answers, and a wrong clock must never darken an open lobby.
enum class ClockTrust { Trusted, Untrusted };
// A visit in progress keeps the screen lit whatever the hour (a ticket code on screen, a form
// half filled); only the attract screen (or the calm "being updated" one) may go dark.
enum class Activity { AtRest, Visit };

// The local wall time as the lobby's clock on the wall says it.
struct LocalTime {
    int weekday {0}; // 0 = Monday .. 6 = Sunday
    int minute_of_day {0}; // 0..1439
    int second {0}; // 0..59: the change at hh:mm:00 is looked at on time, not up to 59 s late
    ClockTrust trust {ClockTrust::Untrusted};
};

// Reads the local time (localtime_r: TZ or /etc/localtime) of a Unix time.
LocalTime local_time(int64_t unix_seconds, ClockTrust);

struct PowerPolicy {
    ksd::OfficeHours hours; // always_open: the screen never sleeps
    int64_t wake_ms {5 * 60'000}; // power.wake_minutes: how long a touch lights a dark screen
};

struct PowerDecision {
    ScreenPower power {ScreenPower::Awake};
    // On the monotonic clock: when the answer may change without a touch (office hours start or
    // end, the wake time after a touch runs out). The loop need not look before then.
    int64_t next_change_ms {0};
};

// The decision. mono_ms: the monotonic clock now; last_touch_ms: the last touch on that clock
// (nullopt: none since start).
PowerDecision decide_screen_power(PowerPolicy const&, LocalTime const&, Activity, int64_t mono_ms,
    std::optional<int64_t> last_touch_ms);

// What to do with one input event; the state the render loop keeps around the decision.
enum class InputFate { Pass, Swallow };

class ScreenPowerState {
public:
    explicit ScreenPowerState(PowerPolicy policy)
        : m_policy(std::move(policy)) { }

    ScreenPower power() const { return m_power; }
    PowerPolicy const& policy() const { return m_policy; }

    // A pointer event at mono_ms. On a dark screen a press wakes it (power() becomes Awake at
    // once) and the whole gesture, up to its release, is swallowed: a visitor touching a black
    // screen to wake it must not press whatever button happens to lie under the finger.
    InputFate on_input(ui::InputEvent const&, int64_t mono_ms);

    // Decides again; returns the decision (power() follows it).
    PowerDecision update(LocalTime const&, Activity, int64_t mono_ms);

private:
    PowerPolicy m_policy;
    ScreenPower m_power {ScreenPower::Awake};
    std::optional<int64_t> m_last_touch;
    bool m_swallowing {false};
};

} // namespace kiosk
