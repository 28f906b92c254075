// The App applies the actions screens return, handing each to its feature (kiosk/features/), runs
// the effects they ask for on its worker and hands their results back to them, and runs idle
// handling and taking a newer content pack at the attract screen. It owns the State.
#pragma once

#include "app/desk.h"
#include "app/effects.h"
#include "model/actions.h"
#include "model/content.h"
#include "model/effects.h"
#include "model/speaker.h"
#include "model/state.h"

#include <functional>
#include <memory>

namespace kiosk {

struct Ctx;

struct AppOptions {
    ksd::Lang default_lang {ksd::Lang::Id};
    int64_t idle_timeout_ms {60'000}; // quiet time before "Masih di sana?"
    int64_t idle_countdown_ms {15'000}; // then back to attract
    // The quiet time on the screen with the ticket code: long enough to write it down, photograph
    // it or scan its QR code (config idle.done_seconds).
    int64_t idle_done_ms {180'000};
    // ticket.status_url: the public status page's URL with "{code}", or empty (checked by the
    // config loader: http(s) and {code}).
    std::string status_url;
    int64_t reload_check_ms {10'000}; // how often the attract screen looks for a newer pack
    int64_t housekeeping_ms {3'600'000}; // how often, at rest, personal data due is purged
    int retention_days {30}; // told to visitors in the privacy notice
    OfficeContact office; // config [contact]: shown when the pack (and its contacts) is missing
    ksd::Zone zone; // the office's (ksd.toml time.timezone): the clock, dates and receipts
    // The panel's diagonal in inches (config screen.diagonal_inches); 0: assumed from its
    // resolution (ui::assumed_diagonal_inches).
    float panel_diagonal_inches {0.0f};
};

// Whether the App waits for the slow work it starts: Settle finishes each effect where it is
// started (scripts, screenshots, tests: every step deterministic, as if it ran inline);
// Background leaves it to the worker while the screen goes on (the kiosk's display).
enum class EffectWait : uint8_t { Settle, Background };

class App {
public:
    // Returns a newer valid content to switch to, or null to keep the current one. It is only
    // called on the attract (or unavailable) screen, never during a visit.
    using PackLoader = std::function<std::unique_ptr<Content>(Content const* current)>;

    App(AppOptions, std::unique_ptr<Content>);
    void set_pack_loader(PackLoader loader) { m_loader = std::move(loader); }
    // The ticket desk; without one the request and status screens say the service is closed.
    void set_desk(std::unique_ptr<Desk> desk);
    bool has_desk() const { return m_desk != nullptr; }
    // Slow work (every Desk call that can block, the pack loader) runs on one worker thread;
    // see effects.h. The default, Settle, waits for it where it is started.
    void set_effect_wait(EffectWait wait) { m_wait = wait; }
    // Waits until the worker is idle and applies what the finished jobs changed (also those of
    // the jobs they started): tests and scripts running with EffectWait::Background.
    void settle();
    // Whether slow work is under way or its result not applied yet (the display loop then turns
    // at a steady pace to show progress and the result).
    bool busy() const { return m_effects.busy(); }
    // The heartbeat's fields, written by the worker (the database may be locked).
    void note_frame(int64_t unix_seconds);
    void note_screen(ScreenPower, int64_t unix_seconds);
    // Whether the kiosk's font can draw a character (the form refuses what it cannot show).
    void set_showable(ksd::ShowableFn fn) { m_showable = std::move(fn); }
    // The read-aloud (issue 14): the sound output, espeak-ng's rate and volume, and the program
    // (espeak-ng; a test may name another). Without a speaker no screen offers the button.
    void set_speaker(
        std::unique_ptr<Speaker>, ksd::SpeechSettings, std::string program = ksd::espeak_program);
    // Whether the wall clock is synchronised (NTP); a Pi has no RTC.
    void set_clock_trusted(bool trusted) { m_state.clock_trusted = trusted; }
    // Staff mode without the PIN, for screenshots and scripts (`--screen staff`) only: the
    // touch app reaches it solely through the gesture and the PIN.
    void preview_staff_mode();

    State const& state() const { return m_state; }
    Content const* content() const { return m_content.get(); }
    AppOptions const& options() const { return m_options; }

    // The clock: a monotonic millisecond counter and the wall time, both passed in.
    void set_time(int64_t mono_ms, int64_t unix_seconds);
    int64_t now_ms() const { return m_now; }
    // A visitor touched the screen.
    void note_input();
    // Time-driven changes (idle prompt, countdown, attract rotation, pack reload). Returns
    // true when the picture changed and must be drawn again.
    bool tick();

    void apply(Action const&);
    void reset_to_attract();

    // UI state to forget before the next pass (set by navigation).
    bool take_ui_reset() { return std::exchange(m_ui_reset, false); }
    // Whether what a visitor typed was just wiped, so text caches must forget it too.
    bool take_forget_text() { return std::exchange(m_forget_text, false); }
    std::vector<std::string> take_scroll_resets() { return std::exchange(m_scroll_resets, {}); }

private:
    void load_pack_header();
    // What the features' handlers work with (features/context.h).
    Ctx ctx();
    // The App's own actions: navigation, language, text size, the idle prompt, the focused field
    // and typing (routed to the feature the field belongs to). apply dispatches with std::visit;
    // every other action type is handled in kiosk/features/.
    void on(act::Wake const&);
    void on(act::Back const&);
    void on(act::Home const&);
    void on(act::SetLang const&);
    void on(act::ToggleTextSize const&);
    void on(act::ToggleContrast const&);
    void on(act::ReadAloud const&);
    void on(act::StillHere const&);
    void on(act::KeepForm const&);
    void on(act::DiscardForm const&);
    void on(act::Focus const&);
    void on(act::SetField const&);
    void ask_or_leave(LeaveBy); // Back or Home: "Buang isian?" first if a request is half-filled
    void leave(LeaveBy); // after "Buang isian?" if it was asked
    void leave_forms(); // wipes everything typed
    // The read-aloud: silence now (and a rendering under way is dropped when it arrives); and,
    // after every action and tick, silence when the visitor has left the place it was started
    // in or off when it has played to its end. true when the picture changed.
    void stop_speech();
    bool watch_speech();
    // Renders the next piece of the text on the worker; its completion plays it (the first) or
    // queues it after the others, then starts the next.
    void render_next_piece();

    // Slow work (app_effects.cpp): each starts a job on the worker; its completion applies the
    // result on the UI thread (at once with EffectWait::Settle).
    void start(Job);
    bool run_completions(); // true when any ran (the picture changed)
    bool take_import_progress(); // copies the import's progress into the state; true if new
    // The effects the features' handlers asked for (m_due), each run on the worker by its run()
    // overload against the Desk; its result goes back to its feature through deliver().
    void run_due();
    void run(fx::OpenRequest const&);
    void run(fx::SaveTicket const&);
    void run(fx::PrintReceipt const&);
    void run(fx::LookUp const&);
    void run(fx::CheckPin const&);
    void run(fx::RefreshStaff const&);
    void run(fx::ImportPack const&);
    void run(fx::Requeue const&);
    void run(fx::SaveSurvey const&);
    void run(fx::ExportQueue const&);
    void run(fx::ApplyAcks const&);
    // Made on the worker: the completion that hands a result to its feature's handler on the UI
    // thread (deliver(), in app.cpp next to apply()).
    Completion to_feature(EffectResult);
    void deliver(EffectResult const&);
    // The App's own slow work, not a feature's: the device's housekeeping.
    void check_pack(); // the pack loader, at attract
    void start_housekeeping();
    void reread_ticket();

    AppOptions m_options;
    std::unique_ptr<Content> m_content;
    PackLoader m_loader;
    std::unique_ptr<Desk> m_desk;
    ksd::ShowableFn m_showable;
    int64_t m_next_housekeeping {0};
    int64_t m_next_ticket_refresh {0};
    State m_state;
    int64_t m_now {0};
    int64_t m_last_input {0};
    int64_t m_prompt_start {0};
    int64_t m_next_reload {0};
    int64_t m_last_rotation {-1};
    bool m_ui_reset {false};
    bool m_forget_text {false};
    std::vector<std::string> m_scroll_resets;
    EffectWait m_wait {EffectWait::Settle};
    // Counts visits (reset_to_attract, leave_forms): a completion for a visitor who has gone
    // changes nothing on screen.
    uint64_t m_visit {0};
    bool m_checking_pack {false}; // one loader job at a time
    bool m_rereading {false};
    std::vector<Effect> m_due; // asked for by a handler, started once it returns
    bool m_completed {false}; // a completion ran since tick() last said so
    std::unique_ptr<Speaker> m_speaker;
    ksd::SpeechSettings m_speech_settings;
    std::string m_speech_program;
    std::string m_speech_place; // screens::speech_place where it was started
    uint64_t m_speech_token {0}; // counts starts and stops: a late rendering is dropped
    std::vector<std::string> m_speech_pieces; // ksd::speech_chunks of the text being read
    size_t m_speech_next {0}; // the next piece to render
    bool m_speech_rendering {false}; // a piece is being rendered
    struct ImportWatch; // the import's progress, written by the worker
    std::shared_ptr<ImportWatch> m_import_watch;
    // Last: destroyed first, so the worker stops before the Desk and loader it uses go.
    Effects m_effects;
};

} // namespace kiosk
