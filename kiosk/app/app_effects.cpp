// The App's slow work: each effect a feature asks for (model/effects.h) runs on the worker
// (effects.h) against the Desk, one run() per effect type, and its result goes back to the
// feature as an act:: result on the UI thread. Every Desk call but has_printer() is made here, on
// the worker; the features make none. Also the device's own housekeeping jobs.
#include "app/app.h"

#include "ksd/log.h"

#include <memory>
#include <mutex>
#include <utility>
#include <variant>

namespace kiosk {

using namespace ksd;

struct App::ImportWatch {
    std::mutex mutex;
    ImportProgress progress;
    bool fresh {false}; // changed since the UI thread last copied it
};

Completion App::to_feature(EffectResult result) {
    return [this, r = std::move(result)] { deliver(r); };
}

void App::run_due() {
    // Taken first: with EffectWait::Settle a result is handled inside start(), and its handler
    // may ask for more (a PIN accepted reads the staff figures).
    auto due = std::exchange(m_due, {});
    for (auto const& effect : due) {
        if (!m_desk) {
            // Each feature asks only with a desk (Ctx::has_desk); its busy flag would stay set.
            log::error("kiosk", "slow work asked for without a ticket desk: dropped");
            continue;
        }
        // An effect type without its run() does not compile.
        std::visit([this](auto const& e) { run(e); }, effect);
    }
}

void App::start(Job job) {
    m_effects.post(std::move(job));
    if (m_wait == EffectWait::Settle)
        settle();
}

void App::settle() {
    do
        m_effects.wait_idle();
    while (run_completions());
}

bool App::run_completions() {
    auto done = m_effects.take_done();
    for (auto& completion : done)
        completion();
    if (!done.empty())
        m_completed = true;
    return !done.empty();
}

bool App::take_import_progress() {
    if (!m_import_watch || !m_state.staff.importing)
        return false;
    std::lock_guard lock(m_import_watch->mutex);
    if (!std::exchange(m_import_watch->fresh, false))
        return false;
    m_state.staff.import_progress = m_import_watch->progress;
    return true;
}

void App::note_frame(int64_t unix_seconds) {
    if (Desk* desk = m_desk.get())
        start([desk, unix_seconds](std::stop_token const&) -> Completion {
            desk->note_frame(unix_seconds);
            return {};
        });
}

void App::note_screen(ScreenPower power, int64_t unix_seconds) {
    if (Desk* desk = m_desk.get())
        start([desk, power, unix_seconds](std::stop_token const&) -> Completion {
            desk->note_screen(power, unix_seconds);
            return {};
        });
}

void App::check_pack() {
    if (m_checking_pack)
        return;
    m_checking_pack = true;
    // The loader only reads the current pack's version; the UI thread does not replace the pack
    // while this job runs (only its completion does).
    start([this, loader = m_loader, current = m_content.get()](std::stop_token const&) {
        auto fresh = std::make_shared<std::unique_ptr<Content>>(loader(current));
        return [this, fresh] {
            m_checking_pack = false;
            if (!*fresh)
                return;
            ScreenId screen = m_state.screen();
            if (screen != ScreenId::Attract && screen != ScreenId::Unavailable)
                return; // a visit began meanwhile: taken at the next attract screen
            log::info("kiosk",
                "showing content version " + std::to_string((*fresh)->meta().content_version));
            m_content = std::move(*fresh);
            load_pack_header();
            reset_to_attract();
        };
    });
}

void App::start_housekeeping() {
    start([desk = m_desk.get(), now = WallClock {m_state.unix_time, m_state.clock_trusted}](
              std::stop_token const&) -> Completion {
        desk->housekeeping(now);
        return {};
    });
}

void App::reread_ticket() {
    if (m_rereading || !m_state.ticket)
        return;
    m_rereading = true;
    start([this, desk = m_desk.get(), code = m_state.ticket->code](std::stop_token const&) {
        auto fresh = desk->reread(code);
        return [this, fresh, code] {
            m_rereading = false;
            if (!m_state.ticket || m_state.ticket->code != code)
                return;
            auto const& old = *m_state.ticket;
            if (fresh.ok() && fresh->has_value()
                && (fresh->value().state != old.state
                    || fresh->value().server_status != old.server_status
                    || fresh->value().staff_reply != old.staff_reply
                    || fresh->value().replies.size() != old.replies.size()))
                m_state.ticket = fresh->value();
        };
    });
}

void App::run(fx::OpenRequest const& e) {
    start([this, desk = m_desk.get(), e, visit = m_visit](std::stop_token const&) {
        return to_feature(act::RequestHealth {desk->health(), e.from, visit});
    });
}

void App::run(fx::SaveTicket const& e) {
    start([this, desk = m_desk.get(), e, visit = m_visit](std::stop_token const&) {
        return to_feature(act::TicketSaved {desk->submit(e.input, e.clock), visit});
    });
}

void App::run(fx::PrintReceipt const& e) {
    start([this, desk = m_desk.get(), e, visit = m_visit](std::stop_token const&) {
        return to_feature(
            act::ReceiptPrinted {desk->print(e.ticket, e.qr, e.lang, e.institution), visit});
    });
}

void App::run(fx::LookUp const& e) {
    start([this, desk = m_desk.get(), e, visit = m_visit](std::stop_token const&) {
        return to_feature(act::LookedUp {desk->lookup(e.code, e.check), visit});
    });
}

void App::run(fx::CheckPin const& e) {
    start([this, desk = m_desk.get(), e, visit = m_visit](std::stop_token const&) {
        return to_feature(act::PinChecked {desk->check_pin(e.pin, e.now), visit});
    });
}

void App::run(fx::RefreshStaff const& e) {
    start([this, desk = m_desk.get(), e, visit = m_visit](std::stop_token const&) {
        StaffInfo info = desk->staff_info(e.now);
        return to_feature(act::StaffInfoLoaded {std::move(info), desk->usb_packs(), visit});
    });
}

void App::run(fx::ImportPack const& e) {
    // The worker reports the import's progress here; tick() copies it into the state.
    auto watch = std::make_shared<ImportWatch>();
    m_import_watch = watch;
    start([this, desk = m_desk.get(), e, watch, visit = m_visit](std::stop_token const& stop) {
        auto meter = [&stop, &watch](ImportProgress const& p) {
            {
                std::lock_guard lock(watch->mutex);
                watch->progress = p;
                watch->fresh = true;
            }
            // The kiosk is shutting down: the import is abandoned, the old pack stays.
            return stop.stop_requested() ? Proceed::Stop : Proceed::Go;
        };
        return to_feature(
            act::PackImported {desk->import_pack(e.path, e.current_version, meter), e.path, visit});
    });
}

void App::run(fx::ExportQueue const& e) {
    start([this, desk = m_desk.get(), e, visit = m_visit](std::stop_token const&) {
        return to_feature(act::QueueExported {desk->export_queue(e.now), visit});
    });
}

void App::run(fx::ApplyAcks const&) {
    start([this, desk = m_desk.get(), visit = m_visit](std::stop_token const&) {
        return to_feature(act::AcksApplied {desk->apply_usb_acks(), visit});
    });
}

void App::run(fx::Requeue const&) {
    start([this, desk = m_desk.get(), visit = m_visit](std::stop_token const&) {
        return to_feature(act::Requeued {desk->requeue_held(), visit});
    });
}

void App::run(fx::SaveSurvey const& e) {
    start([this, desk = m_desk.get(), e, visit = m_visit](std::stop_token const&) {
        return to_feature(act::SurveySaved {desk->save_survey(e.input, e.clock), visit});
    });
}

} // namespace kiosk
