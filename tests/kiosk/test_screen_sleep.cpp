// The real render loop (platform/display_loop.h) on SDL's dummy video driver, turned with the
// time passed in: outside office hours it presents no frame, still feeds the watchdog and marks
// its sleep in the device database (for the heartbeat); a touch wakes it and does nothing else.
#include "app/desk.h"
#include "app/memory_content.h"
#include "app/script.h"
#include "ksd/device_db.h"
#include "ksd/number.h"
#include "shell/display_loop.h"
#include "shell/offscreen.h"
#include "test_support.h"

#include <catch2/catch.hpp>

using namespace kiosk;

namespace {

// A stand-in for systemd's notify socket (systemd is not PID 1 here; the real ServiceNotifier is
// tested with the binary in tests/image): records what the loop sends, with WatchdogSec=15.
class RecordingService final : public sdl::LoopService {
public:
    static constexpr int64_t watchdog_ms = 15'000;
    void ready() override { ++readies; }
    void status(char const* text) override { last_status = text; }
    void feed(int64_t mono_ms) override { feeds.push_back(mono_ms); }
    int wait_ms(int wanted_ms) const override {
        return int(std::min<int64_t>(wanted_ms, watchdog_ms / 4));
    }
    int readies {0};
    std::string last_status;
    std::vector<int64_t> feeds;
};

// SDL's video subsystem on the dummy driver (the ctest environment sets SDL_VIDEODRIVER=dummy).
struct SdlVideo {
    SdlVideo() { ok = SDL_InitSubSystem(SDL_INIT_VIDEO) == 0; }
    ~SdlVideo() {
        if (ok)
            SDL_QuitSubSystem(SDL_INIT_VIDEO);
    }
    bool ok {false};
};

void push_finger(Uint32 type, float x, float y) {
    SDL_Event e {};
    e.type = type;
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = 7;
    e.tfinger.x = x;
    e.tfinger.y = y;
    REQUIRE(SDL_PushEvent(&e) == 1);
}

std::string asleep_mark(std::string const& db_path) {
    auto db = ksd::open_device_db(db_path);
    REQUIRE(db.ok());
    auto v = ksd::get_state(db.value(), ksd::screen_asleep_key);
    REQUIRE(v.ok());
    return v.value().value_or("<none>");
}

} // namespace

TEST_CASE("the render loop sleeps outside office hours: no frame, watchdog fed, touch wakes") {
    SdlVideo video;
    REQUIRE(video.ok);
    INFO("video driver " << SDL_GetCurrentVideoDriver());
    auto screen = sdl::SdlPanel::open({"", -1, {800, 480}, false, ui::Rotation::R0});
    REQUIRE(screen.ok());
    sdl::SdlPanel& panel_screen = *screen.value();
    REQUIRE(panel_screen.logical() == ui::Size {800, 480});
    sdl::TtfGuard ttf;
    auto fonts = sdl::Fonts::open(sdl::default_font_dir);
    REQUIRE(fonts.ok());
    ksd::test::TempDir dir;
    App app(AppOptions {}, make_sample_content());
    DeskConfig desk;
    desk.db_path = dir / "device.db";
    desk.kiosk_id = "kiosk-test";
    app.set_desk(make_device_desk(desk));
    sdl::SdlRenderer renderer(panel_screen.renderer(), fonts.value(), {});
    Host host(app, renderer, fonts.value(), {800, 480});
    auto panel = sdl::DisplayPower::for_window(panel_screen.window());
    RecordingService service;
    auto hours = ksd::parse_office_hours("mon-fri 07:30-16:00");
    REQUIRE(hours.ok());
    shell::DisplayLoop loop(
        host, renderer, panel_screen, panel, service, PowerPolicy {hours.value(), 5 * 60'000});

    // The clocks: monotonic from 0, the wall clock from Monday 15:59:00 local time.
    int64_t mono = 0;
    int const start_minute = 15 * 60 + 59;
    auto at = [&](int64_t mono_ms) {
        int64_t s = mono_ms / 1000;
        int64_t minute = start_minute + s / 60;
        return shell::LoopTime {mono_ms, fixed_unix_time + s,
            LocalTime {int(minute / 1440), int(minute % 1440), int(s % 60), ClockTrust::Trusted}};
    };
    // Turns the loop as main.cpp does, each wait passing in full (no input), until `until`.
    auto run_until = [&](int64_t until) {
        int64_t longest = 0;
        while (mono < until) {
            sdl::LoopWait w = loop.turn(at(mono));
            longest = std::max<int64_t>(longest, w.timeout_ms);
            mono += std::max(w.timeout_ms, 1);
        }
        return longest;
    };

    // 15:59: open. The first frame, READY=1, the attract screen.
    run_until(30'000);
    REQUIRE(loop.frames_presented() >= 1);
    CHECK(service.readies == 1);
    CHECK(loop.power() == ScreenPower::Awake);
    CHECK(asleep_mark(desk.db_path) == "");

    // 16:00: closed. Two hours of night: no frame.
    run_until(61'000);
    REQUIRE(loop.power() == ScreenPower::Asleep);
    CHECK(service.last_status == shell::asleep_status);
    int64_t const frames_before = loop.frames_presented();
    size_t const feeds_before = service.feeds.size();
    int64_t const slept_from = mono;
    int64_t longest_wait = run_until(slept_from + 2 * 3600'000);
    CHECK(loop.frames_presented() - frames_before == 0);
    CHECK(loop.power() == ScreenPower::Asleep);
    // The watchdog: fed on every turn, never more than a quarter of WatchdogSec apart.
    int64_t longest_gap = 0;
    for (size_t i = feeds_before + 1; i < service.feeds.size(); ++i)
        longest_gap = std::max(longest_gap, service.feeds[i] - service.feeds[i - 1]);
    std::printf("asleep 2 h: %lld frames presented, %zu watchdog feeds, longest gap %lld ms, "
                "longest wait %lld ms\n",
        static_cast<long long>(loop.frames_presented() - frames_before),
        service.feeds.size() - feeds_before, static_cast<long long>(longest_gap),
        static_cast<long long>(longest_wait));
    CHECK(service.feeds.size() - feeds_before >= size_t(2 * 3600'000 / 3750));
    CHECK(longest_gap <= RecordingService::watchdog_ms / 4);
    // The heartbeat's mark: the wall time of the last minute's turn, on the kiosk's clock.
    std::string mark = asleep_mark(desk.db_path);
    REQUIRE(mark != "");
    CHECK(ksd::parse_int<int64_t>(mark).value_or(0) > fixed_unix_time + 2 * 3600 - 120);

    // A touch on the middle of the dark attract screen: the screen lights, the touch does
    // nothing else (the attract screen would otherwise open home).
    REQUIRE(app.state().screen() == ScreenId::Attract);
    push_finger(SDL_FINGERDOWN, 0.5f, 0.5f);
    loop.turn(at(mono));
    push_finger(SDL_FINGERUP, 0.5f, 0.5f);
    mono += 80;
    loop.turn(at(mono));
    CHECK(loop.power() == ScreenPower::Awake);
    CHECK(loop.frames_presented() - frames_before >= 1);
    CHECK(app.state().screen() == ScreenId::Attract);
    CHECK(asleep_mark(desk.db_path) == "");
    // The next touch is a visitor's: home opens.
    mono += 1000;
    push_finger(SDL_FINGERDOWN, 0.5f, 0.5f);
    push_finger(SDL_FINGERUP, 0.5f, 0.5f);
    loop.turn(at(mono));
    CHECK(app.state().screen() == ScreenId::Home);

    // The visitor leaves; the idle timer returns to attract, and five minutes after the last
    // touch the screen sleeps again.
    int64_t const last_touch = mono;
    run_until(last_touch + 4 * 60'000);
    CHECK(app.state().screen() == ScreenId::Attract);
    CHECK(loop.power() == ScreenPower::Awake);
    run_until(last_touch + 5 * 60'000 + 5000);
    CHECK(loop.power() == ScreenPower::Asleep);
    CHECK(asleep_mark(desk.db_path) != "");

    // Tuesday 07:30: the office opens and the screen lights by itself.
    int64_t const opening = (24 * 60 + 7 * 60 + 30 - start_minute) * 60'000;
    int64_t frames_night = loop.frames_presented();
    run_until(opening - 1000);
    CHECK(loop.power() == ScreenPower::Asleep);
    CHECK(loop.frames_presented() == frames_night);
    run_until(opening + 2000);
    CHECK(loop.power() == ScreenPower::Awake);
    CHECK(loop.frames_presented() > frames_night);
    CHECK(asleep_mark(desk.db_path) == "");
}

TEST_CASE("the render loop never sleeps on an untrusted clock") {
    SdlVideo video;
    REQUIRE(video.ok);
    auto screen = sdl::SdlPanel::open({"", -1, {800, 480}, false, ui::Rotation::R0});
    REQUIRE(screen.ok());
    sdl::SdlPanel& panel_screen = *screen.value();
    REQUIRE(panel_screen.logical() == ui::Size {800, 480});
    sdl::TtfGuard ttf;
    auto fonts = sdl::Fonts::open(sdl::default_font_dir);
    REQUIRE(fonts.ok());
    App app(AppOptions {}, make_sample_content());
    sdl::SdlRenderer renderer(panel_screen.renderer(), fonts.value(), {});
    Host host(app, renderer, fonts.value(), {800, 480});
    auto panel = sdl::DisplayPower::for_window(panel_screen.window());
    RecordingService service;
    auto hours = ksd::parse_office_hours("mon-fri 07:30-16:00");
    REQUIRE(hours.ok());
    shell::DisplayLoop loop(
        host, renderer, panel_screen, panel, service, PowerPolicy {hours.value(), 60'000});
    // Sunday 03:00 by a clock that NTP has not set: lit for 20 minutes without a touch.
    int64_t mono = 0;
    auto sunday = [&] {
        return shell::LoopTime {
            mono, 0, LocalTime {6, 3 * 60 + int(mono / 60'000), 0, ClockTrust::Untrusted}};
    };
    while (mono < 20 * 60'000) {
        sdl::LoopWait w = loop.turn(sunday());
        CHECK(loop.power() == ScreenPower::Awake);
        // Waits as an awake kiosk does (a second at rest), not as a sleeping one.
        CHECK(w.timeout_ms <= 1000);
        mono += std::max(w.timeout_ms, 1);
    }
    CHECK(loop.frames_presented() >= 1);
    CHECK(service.last_status != shell::asleep_status);
    // A touch is a visitor's, not a waking one: home opens at once.
    REQUIRE(app.state().screen() == ScreenId::Attract);
    push_finger(SDL_FINGERDOWN, 0.5f, 0.5f);
    push_finger(SDL_FINGERUP, 0.5f, 0.5f);
    loop.turn(sunday());
    CHECK(app.state().screen() == ScreenId::Home);
}
