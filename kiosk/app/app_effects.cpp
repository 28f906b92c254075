// The App's slow work: the actions that need the Desk, what runs on the worker (effects.h) and
// how each result comes back to the state on the UI thread. Every Desk call but has_printer() is
// made here, on the worker; the features (kiosk/features/) make none.
#include "app/app.h"

#include "features/context.h"
#include "features/request.h"
#include "features/status_lookup.h"

#include "ksd/log.h"

#include <memory>
#include <mutex>
#include <utility>

namespace kiosk {

using namespace ksd;

struct App::ImportWatch {
    std::mutex mutex;
    ImportProgress progress;
    bool fresh {false}; // changed since the UI thread last copied it
};

// The actions whose work is slow: the checks stay in their feature, the Desk call runs on the
// worker and its completion (below) applies the result.
void App::on(act::OpenRequest const&) {
    open_request();
}

void App::on(act::Submit const&) {
    if (m_state.form.saving)
        return; // saved once
    Ctx c = ctx();
    if (auto in = request::checked_input(c))
        save_ticket(std::move(*in));
}

void App::on(act::PrintReceipt const&) {
    print_receipt();
}

void App::on(act::LookUp const&) {
    Ctx c = ctx();
    if (!status_lookup::ready_to_look_up(c))
        return;
    auto& st = m_state.status;
    st.looking_up = true;
    start([this, desk = m_desk.get(), code = st.code, check = st.check, visit = m_visit](
              std::stop_token const&) {
        auto r = desk->lookup(code, check);
        return [this, r, visit] {
            if (visit == m_visit)
                looked_up(r);
        };
    });
}

void App::on(act::StaffPinEntered const&) {
    auto& st = m_state.staff;
    std::string pin = std::exchange(st.pin, {});
    if (!m_desk) {
        st.message = tr(m_state.lang, S::StaffModeUnavailable);
        return;
    }
    st.checking_pin = true;
    start([this, desk = m_desk.get(), pin = std::move(pin), now = m_state.unix_time,
              visit = m_visit](std::stop_token const&) {
        auto r = desk->check_pin(pin, now);
        return [this, r, visit] {
            if (visit == m_visit)
                pin_checked(r);
        };
    });
}

void App::on(act::StaffRefresh const&) {
    refresh_staff();
}

void App::on(act::StaffImport const& a) {
    import_pack(a.path);
}

void App::on(act::StaffRequeue const&) {
    requeue_held();
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

void App::open_request() {
    if (!m_desk) {
        m_state.form = RequestForm {};
        log::warn("kiosk", "request form closed: no desk");
        m_state.stack.push_back({ScreenId::RequestClosed, {}});
        m_scroll_resets.push_back("request");
        return;
    }
    if (m_opening_request)
        return; // a second tap while the first is checked
    m_opening_request = true;
    start([this, desk = m_desk.get(), from = m_state.screen(), visit = m_visit](
              std::stop_token const&) {
        DeskHealth h = desk->health();
        return [this, h, from, visit] {
            m_opening_request = false;
            if (visit != m_visit || m_state.screen() != from)
                return; // the visitor went elsewhere meanwhile
            m_state.form = RequestForm {};
            if (!h.accepting) {
                log::warn("kiosk", "request form closed: " + h.detail);
                m_state.stack.push_back({ScreenId::RequestClosed, {}});
            } else {
                m_state.stack.push_back({ScreenId::Request, {}});
            }
            m_scroll_resets.push_back("request");
        };
    });
}

void App::save_ticket(TicketInput in) {
    m_state.form.saving = true;
    start([this, desk = m_desk.get(), in = std::move(in),
              clock = WallClock {m_state.unix_time, m_state.clock_trusted},
              visit = m_visit](std::stop_token const&) {
        auto saved = desk->submit(in, clock);
        return [this, saved, visit] { this->saved(saved, visit); };
    });
}

void App::saved(Result<TicketView> const& saved, uint64_t visit) {
    auto& s = m_state;
    if (!saved.ok()) {
        log::error("kiosk", "request NOT saved: " + saved.error().message);
        if (visit == m_visit) {
            s.form.saving = false;
            s.form.save_failed = true;
        }
        return;
    }
    // The one line tests (and staff) rely on: printed only after the durable commit.
    log::info("kiosk", "request saved as ticket " + saved->code);
    if (visit != m_visit)
        return; // the visitor is gone (idle reset): the ticket is kept, the code not shown
    s.form = RequestForm {};
    m_forget_text = true;
    s.ticket = saved.value();
    Ctx c = ctx();
    request::make_ticket_qr(c);
    s.print_message.clear();
    s.stack.resize(s.home_depth());
    s.stack.push_back({ScreenId::RequestDone, {}});
    m_ui_reset = true;
}

void App::print_receipt() {
    auto& s = m_state;
    if (!s.ticket || !m_desk || s.printing)
        return; // a second tap while printing prints once
    s.printing = true;
    start(
        [this, desk = m_desk.get(), ticket = *s.ticket, qr = s.ticket_qr, lang = s.lang,
            institution = s.institution.name.get(s.lang), visit = m_visit](std::stop_token const&) {
            auto printed = desk->print(ticket, qr, lang, institution);
            return [this, printed, visit] {
                if (!printed.ok())
                    log::warn("kiosk", "receipt: " + printed.error().message);
                if (visit != m_visit)
                    return;
                m_state.printing = false;
                m_state.print_message
                    = tr(m_state.lang, printed.ok() ? S::ReceiptPrinting : S::PrinterUnavailable);
            };
        });
}

void App::looked_up(Result<std::optional<TicketView>> const& r) {
    auto& s = m_state;
    auto& st = s.status;
    st.looking_up = false;
    if (!r.ok()) {
        log::warn("kiosk", "status lookup failed: " + r.error().message);
        st.failed = true;
        return;
    }
    st.found = r.value();
    // The count of wrong pairs is the device's, not the visit's: leaving the screen, "Cek
    // tiket lain" or the idle reset must not undo it; a right pair does not reset it either.
    if (!st.found && ++s.lookup_wrong >= 5) {
        // Guessing the four digits by hand is slow; a pause makes it slower still.
        s.lookup_locked_until = m_now + 30'000;
        s.lookup_wrong = 0;
    }
    st.locked_until_ms = s.lookup_locked_until > m_now ? s.lookup_locked_until : 0;
}

void App::pin_checked(Result<PinAttempt> const& r) {
    auto& st = m_state.staff;
    Lang l = m_state.lang;
    st.checking_pin = false;
    if (!r.ok()) {
        log::warn("kiosk", "staff PIN check failed: " + r.error().message);
        st.message = tr(l, S::PinCannotBeChecked);
        return;
    }
    switch (r->verdict) {
    case PinVerdict::Accepted:
        log::info("kiosk", "staff mode opened");
        m_state.stack.back() = {ScreenId::Staff, {}};
        refresh_staff();
        break;
    case PinVerdict::Wrong:
    case PinVerdict::Wait:
        log::warn("kiosk", "staff PIN refused");
        st.message = r->verdict == PinVerdict::Wrong ? tr(l, S::WrongPin) : "";
        if (r->wait_seconds > 0)
            st.message += std::string(st.message.empty() ? "" : " ")
                + counted(l, S::TryAgainIn, r->wait_seconds);
        break;
    case PinVerdict::NotConfigured:
        st.message = tr(l, S::NoStaffPin);
        break;
    }
}

void App::import_pack(std::string const& path) {
    auto& st = m_state.staff;
    if (!m_desk || st.importing)
        return;
    st.importing = true;
    st.import_progress = {};
    // The bar shows the pack's size at once, before the worker reports.
    for (auto const& p : st.packs)
        if (p.path == path)
            st.import_progress.size = p.size;
    auto watch = std::make_shared<ImportWatch>();
    m_import_watch = watch;
    start([this, desk = m_desk.get(), path, version = m_state.content_version, watch,
              visit = m_visit](std::stop_token const& stop) {
        auto meter = [&stop, &watch](ImportProgress const& p) {
            {
                std::lock_guard lock(watch->mutex);
                watch->progress = p;
                watch->fresh = true;
            }
            // The kiosk is shutting down: the import is abandoned, the old pack stays.
            return stop.stop_requested() ? Proceed::Stop : Proceed::Go;
        };
        auto imported = desk->import_pack(path, version, meter);
        return [this, imported, path, visit] {
            if (imported.ok())
                log::info("kiosk",
                    "staff imported content version " + std::to_string(imported->content_version)
                        + " from " + path);
            else
                log::warn("kiosk", "pack import refused: " + imported.error().message);
            if (visit != m_visit)
                return;
            auto& staff = m_state.staff;
            staff.importing = false;
            staff.import_ok = imported.ok();
            staff.import_message = imported.ok() ? "" : imported.error().message;
            if (imported.ok())
                staff.imported_version = imported->content_version;
        };
    });
}

void App::requeue_held() {
    if (!m_desk)
        return;
    start([this, desk = m_desk.get(), visit = m_visit](std::stop_token const&) {
        auto released = desk->requeue_held();
        return [this, released, visit] {
            if (released.ok())
                log::info("kiosk",
                    "staff released " + std::to_string(released.value())
                        + " quarantined ticket(s)");
            else
                log::warn("kiosk", "release of quarantined tickets: " + released.error().message);
            if (visit != m_visit)
                return;
            m_state.staff.requeue_message = released.ok()
                ? counted(m_state.lang, S::Requeued, released.value())
                : released.error().message;
            refresh_staff();
        };
    });
}

void App::refresh_staff() {
    if (!m_desk)
        return;
    start([this, desk = m_desk.get(), now = WallClock {m_state.unix_time, m_state.clock_trusted},
              visit = m_visit](std::stop_token const&) {
        auto info = std::make_shared<StaffInfo>(desk->staff_info(now));
        auto packs = desk->usb_packs();
        return [this, info, packs, visit] {
            if (visit != m_visit || m_state.screen() != ScreenId::Staff)
                return;
            m_state.staff.info = std::move(*info);
            m_state.staff.packs = packs;
            m_scroll_resets.push_back("staff");
        };
    });
}

} // namespace kiosk
