// The full-screen app's render loop (see display_loop.h).
#include "shell/display_loop.h"

#include "ksd/log.h"

#include <algorithm>

namespace kiosk::shell {

namespace {

// A dark screen is looked at no more often than this: housekeeping (the purge of personal data
// due) still runs, and the heartbeat's screen_asleep_at stays fresh.
constexpr int64_t asleep_turn_ms = 60'000;
// How often a dark screen looks for a touch: a fifth of a second to wake is not noticed on a
// panel that takes longer to light up, and it spares the CPU 20 wake-ups a second.
constexpr int asleep_poll_ms = 200;
// The heartbeat's frame time and sleep mark are written at most once a minute.
constexpr int64_t note_every_ms = 60'000;

Activity activity_of(ScreenId s) {
    switch (s) {
    case ScreenId::Attract:
    case ScreenId::Unavailable:
        return Activity::AtRest;
    case ScreenId::Home:
    case ScreenId::PageList:
    case ScreenId::Article:
    case ScreenId::Register:
    case ScreenId::RegisterDetail:
    case ScreenId::PotentialList:
    case ScreenId::PotentialDetail:
    case ScreenId::Faq:
    case ScreenId::Contacts:
    case ScreenId::Request:
    case ScreenId::RequestDone:
    case ScreenId::RequestClosed:
    case ScreenId::Status:
    case ScreenId::StaffPin:
    case ScreenId::Staff:
    case ScreenId::Survey:
    case ScreenId::SurveyThanks:
        return Activity::Visit;
    }
    return Activity::Visit;
}

} // namespace

DisplayLoop::DisplayLoop(Host& host, sdl::SdlRenderer& renderer, sdl::SdlPanel& panel,
    sdl::DisplayPower& panel_power, LoopService& service, PowerPolicy policy,
    FirstFrame first_frame)
    : m_host(host)
    , m_app(host.app())
    , m_renderer(renderer)
    , m_panel(panel)
    , m_panel_power(panel_power)
    , m_service(service)
    , m_power(std::move(policy))
    , m_first_frame(first_frame) {
}

LoopWait DisplayLoop::turn(LoopTime const& now) {
    m_service.feed(now.mono_ms);
    take_events(now);
    m_app.set_clock_trusted(now.local.trust == ClockTrust::Trusted);
    // The App runs while the screen is dark too: the idle timer, the pack check at the attract
    // screen, the hourly purge of personal data.
    m_host.advance(now.mono_ms, now.unix_seconds);
    if (m_app.content() && m_app.content()->meta().content_version != m_pack_version) {
        m_pack_version = m_app.content()->meta().content_version;
        m_renderer.set_asset_loader([this](std::string const& name) -> std::optional<std::string> {
            if (!m_app.content())
                return std::nullopt;
            auto r = m_app.content()->asset(name);
            return r.ok() ? std::optional<std::string>(r.release_value()) : std::nullopt;
        });
    }
    PowerDecision decision = update_power(now);
    switch (m_applied) {
    case ScreenPower::Awake:
        if (m_host.needs_draw())
            present(now);
        break;
    case ScreenPower::Asleep:
        if (m_app.has_desk() && now.mono_ms - m_last_asleep_noted >= note_every_ms) {
            m_last_asleep_noted = now.mono_ms;
            m_app.note_screen(ScreenPower::Asleep, now.unix_seconds);
        }
        break;
    }
    return next_wait(decision, now);
}

void DisplayLoop::take_events(LoopTime const& now) {
    for (sdl::TranslatedEvent const& t : m_panel.take_events()) {
        act_on(t.signal);
        auto const& in = t.input;
        if (!in)
            continue;
        m_last_input_ms = now.mono_ms;
        // Where a touch landed, in the UI's coordinates (the boot test's missed taps).
        if (in->kind == ui::PointerKind::Down)
            ksd::log::debug("display",
                "touch at " + std::to_string(in->pos.x) + "," + std::to_string(in->pos.y));
        switch (m_power.on_input(*in, now.mono_ms)) {
        case InputFate::Pass:
            m_app.set_time(now.mono_ms, now.unix_seconds);
            m_host.handle(*in);
            break;
        case InputFate::Swallow:
            // The touch that wakes a dark screen, up to its release: it only lights the screen.
            break;
        }
    }
}

void DisplayLoop::act_on(sdl::LoopSignal signal) {
    switch (signal) {
    case sdl::LoopSignal::None:
        break;
    case sdl::LoopSignal::Quit:
        m_running = false;
        break;
    case sdl::LoopSignal::Redraw:
        m_host.mark_dirty();
        break;
    case sdl::LoopSignal::TexturesLost:
        // The textures' pixels may be gone: every cache is made anew by the next frame.
        m_renderer.forget_textures();
        m_host.mark_dirty();
        break;
    }
}

PowerDecision DisplayLoop::update_power(LoopTime const& now) {
    // The first frame is always shown: it proves the display works, and systemd waits for the
    // READY=1 that follows it.
    if (!m_presented)
        return PowerDecision {ScreenPower::Awake, now.mono_ms};
    PowerDecision d = m_power.update(now.local, activity_of(m_app.state().screen()), now.mono_ms);
    if (d.power != m_applied)
        apply_power(d.power, now);
    return d;
}

void DisplayLoop::apply_power(ScreenPower power, LoopTime const& now) {
    m_applied = power;
    if (auto r = m_panel_power.set(power); !r.ok())
        ksd::log::warn("kiosk", "screen power: " + r.error().message);
    m_app.note_screen(power, now.unix_seconds);
    int64_t wake_min = m_power.policy().wake_ms / 60'000;
    switch (power) {
    case ScreenPower::Asleep:
        ksd::log::info("kiosk",
            "screen asleep: outside the office hours (power.office_hours); a touch wakes it for "
                + std::to_string(wake_min) + " min");
        m_last_asleep_noted = now.mono_ms;
        m_service.status(asleep_status);
        break;
    case ScreenPower::Awake:
        ksd::log::info("kiosk", "screen awake");
        m_host.mark_dirty();
        m_last_frame_noted = -1; // the dashboard sees the lit screen at once
        break;
    }
}

void DisplayLoop::present(LoopTime const& now) {
    m_panel.present([this] { m_host.draw(); });
    ++m_frames;
    // Throttled on the monotonic clock: a wall clock set back must not stop it.
    if (m_app.has_desk()
        && (m_last_frame_noted < 0 || now.mono_ms - m_last_frame_noted >= note_every_ms)) {
        m_last_frame_noted = now.mono_ms;
        m_app.note_frame(now.unix_seconds);
    }
    if (!m_presented) {
        m_presented = true;
        // A sleep mark left by a kiosk killed while dark is stale now.
        m_app.note_screen(ScreenPower::Awake, now.unix_seconds);
        m_service.ready();
        if (m_first_frame == FirstFrame::Exit)
            m_running = false;
    }
    m_service.status(screen_status(m_app.state().screen()));
}

LoopWait DisplayLoop::next_wait(PowerDecision const& d, LoopTime const& now) const {
    switch (m_applied) {
    case ScreenPower::Awake: {
        // Block until input; while something scrolls, wake at ~60 Hz; at rest once a second for
        // the clock, idle timer and pack check (tick draws only when the picture changes).
        // While the worker runs slow work, at ~30 Hz for its progress and its result.
        int wanted = m_host.dirty() ? 0 : m_host.ui().animating() ? 16 : m_app.busy() ? 33 : 1000;
        int64_t quiet_ms = now.mono_ms - m_last_input_ms;
        return LoopWait {m_service.wait_ms(wanted), quiet_ms < 5000 ? 8 : 40};
    }
    case ScreenPower::Asleep: {
        // Until the office opens (or the next minute's housekeeping), cut to the watchdog's pace.
        int64_t until = std::clamp<int64_t>(d.next_change_ms - now.mono_ms, 0, asleep_turn_ms);
        return LoopWait {m_service.wait_ms(int(until)), asleep_poll_ms};
    }
    }
    return LoopWait {};
}

char const* screen_status(ScreenId screen) {
    switch (screen) {
    case ScreenId::Attract:
        return "attract screen";
    case ScreenId::Home:
        return "visit: home";
    case ScreenId::PageList:
        return "visit: page list";
    case ScreenId::Article:
        return "visit: article";
    case ScreenId::Register:
        return "visit: register";
    case ScreenId::RegisterDetail:
        return "visit: register detail";
    case ScreenId::PotentialList:
        return "visit: potentials";
    case ScreenId::PotentialDetail:
        return "visit: potential detail";
    case ScreenId::Faq:
        return "visit: FAQ";
    case ScreenId::Contacts:
        return "visit: contacts";
    case ScreenId::Unavailable:
        return "no usable content pack: the \"being updated\" screen";
    case ScreenId::Request:
        return "visit: request form";
    case ScreenId::RequestDone:
        return "visit: ticket code";
    case ScreenId::RequestClosed:
        return "requests closed (storage full or read-only)";
    case ScreenId::Status:
        return "visit: ticket status";
    case ScreenId::StaffPin:
        return "staff PIN pad";
    case ScreenId::Staff:
        return "staff mode";
    case ScreenId::Survey:
        return "visit: satisfaction survey";
    case ScreenId::SurveyThanks:
        return "visit: survey thanks";
    }
    return "unknown screen";
}

} // namespace kiosk::shell
