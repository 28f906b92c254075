// The screen power decision (app/screen_power.h): dark outside office hours on a trusted clock
// only, lit by a touch for wake_minutes, never during a visit; the waking touch is swallowed.
#include "model/screen_power.h"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace kiosk;

namespace {

PowerPolicy policy(char const* hours, int wake_minutes = 5) {
    auto parsed = ksd::parse_office_hours(hours);
    REQUIRE(parsed.ok());
    return PowerPolicy {parsed.value(), int64_t {wake_minutes} * 60'000};
}

// Monday hh:mm:ss, trusted clock.
LocalTime monday(int h, int m, int s = 0, ClockTrust trust = ClockTrust::Trusted) {
    return LocalTime {0, h * 60 + m, s, trust};
}

constexpr int64_t t = 1'000'000; // the monotonic clock now (any value)

} // namespace

TEST_CASE("screen power: lit in office hours, dark outside, until the next change") {
    auto p = policy("mon-fri 07:30-16:00");
    auto open = decide_screen_power(p, monday(9, 0), Activity::AtRest, t, std::nullopt);
    CHECK(open.power == ScreenPower::Awake);
    CHECK(open.next_change_ms == t + 7 * 3600'000); // 16:00
    auto evening = decide_screen_power(p, monday(20, 15, 30), Activity::AtRest, t, std::nullopt);
    CHECK(evening.power == ScreenPower::Asleep);
    // Tuesday 07:30 is 11 h 14 min 30 s away.
    CHECK(evening.next_change_ms == t + (11 * 3600 + 14 * 60 + 30) * 1000);
    // The boundaries themselves: open at 07:30:00, closed at 16:00:00.
    CHECK(
        decide_screen_power(p, monday(7, 30), Activity::AtRest, t, {}).power == ScreenPower::Awake);
    CHECK(decide_screen_power(p, monday(7, 29, 59), Activity::AtRest, t, {}).power
        == ScreenPower::Asleep);
    CHECK(decide_screen_power(p, monday(7, 29, 59), Activity::AtRest, t, {}).next_change_ms
        == t + 1000);
    CHECK(decide_screen_power(p, monday(16, 0), Activity::AtRest, t, {}).power
        == ScreenPower::Asleep);
    // Sunday: dark the whole day.
    CHECK(decide_screen_power(
              p, LocalTime {6, 12 * 60, 0, ClockTrust::Trusted}, Activity::AtRest, t, {})
              .power
        == ScreenPower::Asleep);
}

TEST_CASE("screen power: never dark on an untrusted clock or without office hours") {
    auto p = policy("mon-fri 07:30-16:00");
    // A Pi after a power cut believes it is 1970 until NTP answers: a Thursday at 00:00.
    auto d = decide_screen_power(
        p, monday(23, 0, 0, ClockTrust::Untrusted), Activity::AtRest, t, std::nullopt);
    CHECK(d.power == ScreenPower::Awake);
    CHECK(d.next_change_ms <= t + 60'000); // looks again soon: NTP may answer
    auto always = policy("");
    CHECK(decide_screen_power(always, monday(23, 0), Activity::AtRest, t, {}).power
        == ScreenPower::Awake);
}

TEST_CASE("screen power: a touch lights a dark screen for wake_minutes, a visit keeps it lit") {
    auto p = policy("mon-fri 07:30-16:00", 5);
    auto touched
        = decide_screen_power(p, monday(20, 0), Activity::AtRest, t, t - 4 * 60'000 - 59'000);
    CHECK(touched.power == ScreenPower::Awake);
    CHECK(touched.next_change_ms == t + 1000); // the five minutes run out in one second
    CHECK(decide_screen_power(p, monday(20, 0), Activity::AtRest, t, t - 5 * 60'000).power
        == ScreenPower::Asleep);
    // A visit (a ticket code on screen, a form) is never darkened, however long ago the touch.
    CHECK(decide_screen_power(p, monday(20, 0), Activity::Visit, t, t - 3600'000).power
        == ScreenPower::Awake);
    // Touched at 07:29: the office opens before the wake time ends; next change at 16:00.
    auto opening = decide_screen_power(p, monday(7, 29), Activity::AtRest, t, t);
    CHECK(opening.power == ScreenPower::Awake);
    CHECK(opening.next_change_ms == t + 60'000);
}

TEST_CASE("screen power: the touch that wakes the screen is swallowed, the next one passes") {
    ScreenPowerState s(policy("mon-fri 07:30-16:00", 5));
    CHECK(s.update(monday(20, 0), Activity::AtRest, t).power == ScreenPower::Asleep);
    auto ev = [](ui::PointerKind k) { return ui::InputEvent {k, {100, 100}}; };
    // A stray move or release on a dark screen does nothing: no wake, nothing to the UI.
    CHECK(s.on_input(ev(ui::PointerKind::Move), t) == InputFate::Swallow);
    CHECK(s.on_input(ev(ui::PointerKind::Up), t + 5) == InputFate::Swallow);
    CHECK(s.power() == ScreenPower::Asleep);
    CHECK(s.update(monday(20, 0), Activity::AtRest, t + 10).power == ScreenPower::Asleep);
    int64_t at = t + 6 * 60'000;
    CHECK(s.on_input(ev(ui::PointerKind::Down), at) == InputFate::Swallow);
    CHECK(s.power() == ScreenPower::Awake); // at once, before the next decision
    CHECK(s.on_input(ev(ui::PointerKind::Move), at + 30) == InputFate::Swallow);
    CHECK(s.on_input(ev(ui::PointerKind::Up), at + 80) == InputFate::Swallow);
    CHECK(s.update(monday(20, 6, 1), Activity::AtRest, at + 1000).power == ScreenPower::Awake);
    // The next gesture reaches the UI.
    CHECK(s.on_input(ev(ui::PointerKind::Down), at + 2000) == InputFate::Pass);
    CHECK(s.on_input(ev(ui::PointerKind::Up), at + 2100) == InputFate::Pass);
    // Lit for five minutes after the last touch, then dark.
    CHECK(s.update(monday(20, 11), Activity::AtRest, at + 2100 + 4 * 60'000).power
        == ScreenPower::Awake);
    CHECK(s.update(monday(20, 12), Activity::AtRest, at + 2100 + 5 * 60'000).power
        == ScreenPower::Asleep);
}

TEST_CASE("screen power: the local time of a Unix time") {
    // 2026-11-30 is a Monday; 01:02:03 UTC is 08:02:03 in Asia/Jakarta (UTC+7, no DST).
    char const* old = std::getenv("TZ");
    std::string saved = old ? old : "";
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    LocalTime utc = local_time(1796000523, ClockTrust::Trusted);
    ::setenv("TZ", "Asia/Jakarta", 1);
    ::tzset();
    LocalTime jakarta = local_time(1796000523, ClockTrust::Trusted);
    if (old)
        ::setenv("TZ", saved.c_str(), 1);
    else
        ::unsetenv("TZ");
    ::tzset();
    CHECK(utc.weekday == 0);
    CHECK(utc.minute_of_day == 62);
    CHECK(utc.second == 3);
    CHECK(utc.trust == ClockTrust::Trusted);
    CHECK(jakarta.weekday == 0);
    CHECK(jakarta.minute_of_day == 8 * 60 + 2);
}
