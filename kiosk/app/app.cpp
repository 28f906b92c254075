// The dispatcher: each action goes to the feature that owns it (kiosk/features/), except
// navigation, language and text size, which are the App's own; plus the idle/reload timers.
#include "app/app.h"

#include "features/browse.h"
#include "features/context.h"
#include "features/request.h"
#include "features/staff.h"
#include "features/status_lookup.h"
#include "features/survey.h"

#include "ksd/log.h"
#include "ksd/number.h"
#include "ksd/request_options.h"
#include "ksd/utf8.h"

#include <algorithm>
#include <variant>

namespace kiosk {

using namespace ksd;

ksd::Section const* State::section(std::string const& id) const {
    for (auto const& s : sections)
        if (s.id == id)
            return &s;
    return nullptr;
}

App::App(AppOptions options, std::unique_ptr<Content> content)
    : m_options(std::move(options))
    , m_content(std::move(content)) {
    m_state.default_lang = m_options.default_lang;
    m_state.retention_days = m_options.retention_days;
    m_state.office = m_options.office;
    m_state.zone = m_options.zone;
    load_pack_header();
    reset_to_attract();
}

void App::load_pack_header() {
    m_state.have_pack = m_content != nullptr;
    if (!m_content) {
        m_state.demo = false;
        m_state.monitoring = false;
        m_state.sections.clear();
        m_state.highlights.clear();
        return;
    }
    m_state.demo = m_content->meta().demo;
    m_state.monitoring = m_content->meta().monitoring;
    m_state.content_version = m_content->meta().content_version;
    m_state.institution = m_content->institution();
    m_state.sections = m_content->sections();
    m_state.highlights = m_content->highlights();
}

void App::set_time(int64_t mono_ms, int64_t unix_seconds) {
    m_now = mono_ms;
    m_state.unix_time = unix_seconds;
    m_state.today = ksd::date_in(unix_seconds, m_options.zone);
}

void App::note_input() {
    m_last_input = m_now;
}

void App::reset_to_attract() {
    // Everything the visitor did or typed goes with the visit; the device part stays as it is.
    stop_speech();
    ScreenId first = m_state.have_pack ? ScreenId::Attract : ScreenId::Unavailable;
    m_state.visit() = Visit {};
    m_state.lang = m_state.default_lang;
    m_state.stack = {{first, {}}};
    m_ui_reset = true;
    m_forget_text = true;
    m_next_reload = m_now; // look for a newer pack right away
    ++m_visit;
}

bool App::tick() {
    // What the worker finished (a saved ticket, an import) changes the picture.
    bool changed = run_completions();
    changed = take_import_progress() || changed;
    changed = watch_speech() || changed;
    ScreenId screen = m_state.screen();
    if (screen == ScreenId::Attract || screen == ScreenId::Unavailable) {
        if (m_loader && m_now >= m_next_reload) {
            m_next_reload = m_now + m_options.reload_check_ms;
            check_pack();
        }
        if (m_desk && m_now >= m_next_housekeeping) {
            m_next_housekeeping = m_now + m_options.housekeeping_ms;
            start_housekeeping();
        }
        // The clock and highlights change every ten seconds of wall time.
        int64_t rotation = m_state.unix_time / 10;
        if (rotation != m_last_rotation) {
            m_last_rotation = rotation;
            changed = true;
        }
        return std::exchange(m_completed, false) || changed;
    }
    if (screen == ScreenId::RequestDone && m_state.ticket && m_desk
        && m_now >= m_next_ticket_refresh) {
        // "Tersimpan" turns into "Terkirim" while the visitor looks, once sync delivers it.
        m_next_ticket_refresh = m_now + 2000;
        reread_ticket();
    }
    if (survey::thanks_over(m_state, m_now)) {
        // The survey's thank-you goes home by itself: the next visitor finds the tiles.
        leave(LeaveBy::Home);
        return true;
    }
    if (screen == ScreenId::Status && m_state.status.locked_until_ms != 0
        && m_now >= m_state.status.locked_until_ms) {
        m_state.status.locked_until_ms = 0;
        changed = true;
    }
    int64_t quiet = m_now - m_last_input;
    // The code screen has its own, longer quiet time: the visitor is writing the code down.
    int64_t timeout
        = screen == ScreenId::RequestDone ? m_options.idle_done_ms : m_options.idle_timeout_ms;
    if (!m_state.idle_prompt && quiet >= timeout) {
        m_state.idle_prompt = true;
        m_prompt_start = m_now;
        changed = true;
    }
    if (m_state.idle_prompt) {
        int64_t left_ms = m_options.idle_countdown_ms - (m_now - m_prompt_start);
        if (left_ms <= 0) {
            reset_to_attract();
            return true;
        }
        int left = int((left_ms + 999) / 1000);
        if (left != m_state.idle_seconds_left) {
            m_state.idle_seconds_left = left;
            changed = true;
        }
    }
    return std::exchange(m_completed, false) || changed;
}

namespace {

// What "Buang isian?" lets through while it is open: its own answers, the idle prompt's, and the
// chrome's language, text size and contrast. Anything else waits until the visitor keeps or
// discards.
bool passes_discard_prompt(Action const& a) {
    return std::holds_alternative<act::KeepForm>(a) || std::holds_alternative<act::DiscardForm>(a)
        || std::holds_alternative<act::StillHere>(a) || std::holds_alternative<act::SetLang>(a)
        || std::holds_alternative<act::ToggleTextSize>(a)
        || std::holds_alternative<act::ToggleContrast>(a);
}

} // namespace

// The features' handlers, found by overload resolution on the action's type.
using browse::handle;
using request::handle;
using staff::handle;
using status_lookup::handle;
using survey::handle;

Ctx App::ctx() {
    return Ctx {m_state, m_content.get(), m_desk != nullptr, m_showable, m_options.status_url,
        m_now, m_ui_reset, m_forget_text, m_scroll_resets, [this] { reset_to_attract(); }, m_visit,
        m_due};
}

void App::apply(Action const& a) {
    if (m_state.discard_prompt && !passes_discard_prompt(a))
        return;
    // While the worker saves the request, checks the PIN, looks a ticket up or imports a pack,
    // the screen waits for its answer (a second tap on "Kirim" saves nothing twice).
    auto const& s = m_state;
    if ((s.form.saving || s.status.looking_up || s.staff.checking_pin || s.staff.importing
            || s.survey.saving)
        && !std::holds_alternative<act::StillHere>(a) && !std::holds_alternative<act::SetLang>(a)
        && !std::holds_alternative<act::ToggleTextSize>(a)
        && !std::holds_alternative<act::ToggleContrast>(a))
        return;
    // The App's own actions here, every other one by its feature: an action type handled
    // nowhere does not compile.
    std::visit(
        [this](auto const& action) {
            if constexpr (requires { this->on(action); }) {
                on(action);
            } else {
                Ctx c = ctx();
                handle(c, action);
            }
        },
        a);
    run_due();
    watch_speech();
}

void App::deliver(EffectResult const& r) {
    // Past apply()'s filters: the screen waits for this very answer. Each feature drops a result
    // whose visit is gone (Ctx::gone).
    std::visit(
        [this](auto const& result) {
            Ctx c = ctx();
            handle(c, result);
        },
        r);
    run_due();
}

void App::preview_staff_mode() {
    Ctx c = ctx();
    staff::preview(c);
    run_due();
}

void App::on(act::KeepForm const&) {
    m_state.discard_prompt.reset();
}

void App::on(act::DiscardForm const&) {
    auto& s = m_state;
    auto leaving = s.discard_prompt;
    s.discard_prompt.reset();
    if (leaving)
        leave(*leaving);
}

void App::on(act::Back const&) {
    ask_or_leave(LeaveBy::Back);
}

void App::on(act::Home const&) {
    ask_or_leave(LeaveBy::Home);
}

void App::ask_or_leave(LeaveBy by) {
    auto& s = m_state;
    // Leaving a half-filled request asks first; a step back inside the wizard does not.
    if (s.screen() == ScreenId::Request && request::has_input(s)
        && (by == LeaveBy::Home
            || (!s.form.sector_picker && s.form.focus == Field::None
                && s.form.step == Step::Who))) {
        s.discard_prompt = by;
        return;
    }
    leave(by);
}

void App::on(act::Wake const&) {
    auto& s = m_state;
    if (s.screen() == ScreenId::Attract) {
        s.stack = {{ScreenId::Attract, {}}, {ScreenId::Home, {}}};
        m_last_input = m_now;
    }
}

void App::on(act::SetLang const& a) {
    auto& s = m_state;
    if (a.lang != s.lang) {
        s.lang = a.lang;
        Ctx c = ctx();
        browse::reload_stack(c);
        request::make_ticket_qr(c); // the WhatsApp message is in the visitor's language
    }
}

void App::on(act::ToggleTextSize const&) {
    auto& s = m_state;
    s.text_size = s.text_size == ui::TextSize::Normal ? ui::TextSize::Large : ui::TextSize::Normal;
}

void App::on(act::ToggleContrast const&) {
    auto& s = m_state;
    s.contrast = s.contrast == ui::Contrast::Standard ? ui::Contrast::High : ui::Contrast::Standard;
}

void App::on(act::StillHere const&) {
    m_state.idle_prompt = false;
    m_last_input = m_now;
}

void App::leave(LeaveBy by) {
    auto& s = m_state;
    s.link_qr.clear(); // a link's QR code belongs to the page it was tapped on
    switch (by) {
    case LeaveBy::Back:
        if (s.screen() == ScreenId::Request && s.form.sector_picker) {
            s.form.sector_picker = false;
            break;
        }
        // With the keyboard open, "Kembali" closes it first (what was typed stays).
        if (s.screen() == ScreenId::Request && s.form.focus != Field::None) {
            s.form.focus = Field::None;
            break;
        }
        if (s.screen() == ScreenId::Status && s.status.focus != Field::None) {
            s.status.focus = Field::None;
            break;
        }
        if (s.screen() == ScreenId::Request && s.form.step != Step::Who) {
            s.form.step = Step(int(s.form.step) - 1);
            s.form.focus = Field::None;
            s.form.show_problems = false;
            s.form.save_failed = false;
            m_scroll_resets.push_back("request");
            break;
        }
        if (s.screen() == ScreenId::Survey) {
            Ctx c = ctx();
            if (survey::step_back(c))
                break;
        }
        if (s.screen() == ScreenId::Staff || s.screen() == ScreenId::StaffPin) {
            // Leaving staff mode ends at the attract screen, where an imported pack is taken.
            reset_to_attract();
            break;
        }
        if (s.stack.size() > s.home_depth()) {
            ScreenId leaving = s.screen();
            s.stack.pop_back();
            // Usually the data of the screen below is still in the State; a link from one
            // article to another replaced it, though. Reload only then, to keep the scroll.
            auto const& top = s.stack.back();
            bool stale = (top.screen == ScreenId::Article && (!s.page || s.page->id != top.ref))
                || (top.screen == ScreenId::PotentialDetail
                    && (!s.potential || s.potential->id != top.ref))
                || (top.screen == ScreenId::RegisterDetail
                    && (!s.agreement || std::to_string(s.agreement->id) != top.ref))
                || (top.screen == ScreenId::PageList
                    && (s.pages.empty() || s.pages.front().section != top.ref));
            if (stale) {
                Ctx c = ctx();
                browse::load(c, top);
            }
            if (leaving == ScreenId::Request || leaving == ScreenId::Status
                || leaving == ScreenId::RequestDone || leaving == ScreenId::StaffPin
                || leaving == ScreenId::Staff || leaving == ScreenId::Survey
                || leaving == ScreenId::SurveyThanks)
                leave_forms();
        }
        break;
    case LeaveBy::Home:
        if (s.screen() == ScreenId::Staff || s.screen() == ScreenId::StaffPin) {
            reset_to_attract();
            break;
        }
        if (s.stack.size() > s.home_depth())
            s.stack.resize(s.home_depth());
        leave_forms();
        break;
    }
}

void App::set_desk(std::unique_ptr<Desk> desk) {
    settle(); // no job may still use the desk it replaces
    m_desk = std::move(desk);
    m_state.has_printer = m_desk && m_desk->has_printer();
}

void App::leave_forms() {
    // Nothing typed survives leaving the screen it was typed on, not even in text caches.
    auto const& f = m_state.form;
    if (!f.name.empty() || !f.phone.empty() || !f.email.empty() || !f.organisation.empty()
        || !f.question.empty() || !m_state.status.code.empty() || !m_state.status.check.empty())
        m_forget_text = true;
    m_state.form = RequestForm {};
    m_state.status = StatusForm {};
    m_state.staff = StaffState {};
    m_state.survey = SurveyForm {};
    m_state.ticket.reset();
    m_state.ticket_qr = {};
    m_state.discard_prompt.reset();
    m_state.print_message.clear();
    m_state.printing = false;
    m_ui_reset = true;
    ++m_visit;
}

namespace {

size_t field_limit(Field f) {
    switch (f) {
    case Field::Name:
        return RequestLimits::name_max;
    case Field::Phone:
        return RequestLimits::phone_max;
    case Field::Email:
        return RequestLimits::email_max;
    case Field::Organisation:
        return RequestLimits::organisation_max;
    case Field::Question:
        return RequestLimits::question_max;
    case Field::Code:
        return 16;
    case Field::Check:
        return RequestLimits::email_max;
    case Field::Pin:
        return 12;
    case Field::None:
        break;
    }
    return 0;
}

} // namespace

void App::on(act::Focus const& a) {
    auto& s = m_state;
    if (s.screen() == ScreenId::Status)
        s.status.focus = a.field;
    else
        s.form.focus = a.field;
}

void App::on(act::SetField const& a) {
    // Typing stops at the limit (the counter shows it); invalid UTF-8 cannot come from the
    // on-screen keyboard, but is refused here all the same.
    if (!utf8::is_valid(a.value) || utf8::length(a.value) > field_limit(a.field))
        return;
    Ctx c = ctx();
    switch (a.field) {
    case Field::Name:
    case Field::Phone:
    case Field::Email:
    case Field::Organisation:
    case Field::Question:
        request::set_field(c, a.field, a.value);
        break;
    case Field::Code:
    case Field::Check:
        status_lookup::set_field(c, a.field, a.value);
        break;
    case Field::Pin:
        staff::set_pin(c, a.value);
        break;
    case Field::None:
        break;
    }
    request::revalidate(c);
}

} // namespace kiosk
