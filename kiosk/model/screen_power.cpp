// The screen's power by office hours (see screen_power.h).
#include "model/screen_power.h"

#include <algorithm>
#include <ctime>

namespace kiosk {

namespace {

constexpr int64_t minute_ms = 60'000;
constexpr int64_t week_ms = 7 * 1440 * minute_ms;
// An untrusted clock may become trusted any moment (NTP answers): look again then.
constexpr int64_t untrusted_recheck_ms = minute_ms;

} // namespace

LocalTime local_time(int64_t unix_seconds, ClockTrust trust) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm {};
    if (::localtime_r(&t, &tm) == nullptr)
        return LocalTime {0, 0, 0, ClockTrust::Untrusted}; // out of range: not a time to act on
    return LocalTime {
        (tm.tm_wday + 6) % 7, tm.tm_hour * 60 + tm.tm_min, std::min(tm.tm_sec, 59), trust};
}

PowerDecision decide_screen_power(PowerPolicy const& policy, LocalTime const& now,
    Activity activity, int64_t mono_ms, std::optional<int64_t> last_touch_ms) {
    if (policy.hours.always_open)
        return {ScreenPower::Awake, mono_ms + week_ms};
    switch (now.trust) {
    case ClockTrust::Trusted:
        break;
    case ClockTrust::Untrusted:
        return {ScreenPower::Awake, mono_ms + untrusted_recheck_ms};
    }
    // Office hours change on a minute boundary: at hh:mm:ss the next one is ss seconds nearer.
    int64_t to_boundary = std::max<int64_t>(
        ksd::minutes_until_change(policy.hours, now.weekday, now.minute_of_day) * minute_ms
            - int64_t {now.second} * 1000,
        1000);
    int64_t boundary = mono_ms + to_boundary;
    if (ksd::office_open(policy.hours, now.weekday, now.minute_of_day))
        return {ScreenPower::Awake, boundary};
    switch (activity) {
    case Activity::Visit:
        // The visit ends by the visitor or the idle timer; the loop decides again each turn.
        return {ScreenPower::Awake, boundary};
    case Activity::AtRest:
        break;
    }
    if (last_touch_ms && mono_ms - *last_touch_ms < policy.wake_ms)
        return {ScreenPower::Awake, std::min(*last_touch_ms + policy.wake_ms, boundary)};
    return {ScreenPower::Asleep, boundary};
}

InputFate ScreenPowerState::on_input(ui::InputEvent const& in, int64_t mono_ms) {
    if (m_swallowing) {
        m_last_touch = mono_ms;
        switch (in.kind) {
        case ui::PointerKind::Down:
            // The release of the waking touch was lost (a second finger, a dropped event):
            // this is a new gesture on a lit screen.
            m_swallowing = false;
            return InputFate::Pass;
        case ui::PointerKind::Move:
            return InputFate::Swallow;
        case ui::PointerKind::Up:
        case ui::PointerKind::Cancel:
            m_swallowing = false;
            return InputFate::Swallow;
        }
    }
    switch (m_power) {
    case ScreenPower::Awake:
        // Any touch, also during office hours, keeps the screen lit wake_ms longer: a visitor
        // reading at closing time is not left in the dark.
        m_last_touch = mono_ms;
        return InputFate::Pass;
    case ScreenPower::Asleep:
        // Only a press wakes: a stray move or release (a finger already down when the screen
        // went dark) neither wakes the screen nor reaches the UI.
        if (in.kind == ui::PointerKind::Down) {
            m_power = ScreenPower::Awake;
            m_swallowing = true;
            m_last_touch = mono_ms;
        }
        return InputFate::Swallow;
    }
    return InputFate::Pass;
}

PowerDecision ScreenPowerState::update(LocalTime const& now, Activity activity, int64_t mono_ms) {
    PowerDecision d = decide_screen_power(m_policy, now, activity, mono_ms, m_last_touch);
    m_power = d.power;
    return d;
}

} // namespace kiosk
