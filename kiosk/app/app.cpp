// Action handling and the idle/reload timers.
#include "app/app.h"

#include "ksd/log.h"
#include "ksd/number.h"
#include "ksd/request_options.h"
#include "ksd/ticket_qr.h"
#include "ksd/utf8.h"

#include <algorithm>
#include <charconv>
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
        m_state.sections.clear();
        m_state.highlights.clear();
        return;
    }
    m_state.demo = m_content->meta().demo;
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
    ScreenId first = m_state.have_pack ? ScreenId::Attract : ScreenId::Unavailable;
    m_state.visit() = Visit {};
    m_state.lang = m_state.default_lang;
    m_state.stack = {{first, {}}};
    m_ui_reset = true;
    m_forget_text = true;
    m_next_reload = m_now; // look for a newer pack right away
}

bool App::tick() {
    bool changed = false;
    ScreenId screen = m_state.screen();
    if (screen == ScreenId::Attract || screen == ScreenId::Unavailable) {
        if (m_loader && m_now >= m_next_reload) {
            m_next_reload = m_now + m_options.reload_check_ms;
            if (auto fresh = m_loader(m_content.get())) {
                log::info("kiosk",
                    "showing content version " + std::to_string(fresh->meta().content_version));
                m_content = std::move(fresh);
                load_pack_header();
                reset_to_attract();
                changed = true;
            }
        }
        if (m_desk && m_now >= m_next_housekeeping) {
            m_next_housekeeping = m_now + m_options.housekeeping_ms;
            m_desk->housekeeping({m_state.unix_time, m_state.clock_trusted});
        }
        // The clock and highlights change every ten seconds of wall time.
        int64_t rotation = m_state.unix_time / 10;
        if (rotation != m_last_rotation) {
            m_last_rotation = rotation;
            changed = true;
        }
        return changed;
    }
    if (screen == ScreenId::RequestDone && m_state.ticket && m_desk
        && m_now >= m_next_ticket_refresh) {
        // "Tersimpan" turns into "Terkirim" while the visitor looks, once sync delivers it.
        m_next_ticket_refresh = m_now + 2000;
        auto fresh = m_desk->reread(m_state.ticket->code);
        auto const& old = *m_state.ticket;
        if (fresh.ok() && fresh->has_value()
            && (fresh->value().state != old.state
                || fresh->value().server_status != old.server_status
                || fresh->value().staff_reply != old.staff_reply
                || fresh->value().replies.size() != old.replies.size())) {
            m_state.ticket = fresh->value();
            changed = true;
        }
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
    return changed;
}

void App::push(ScreenId screen, std::string ref) {
    m_state.link_qr.clear();
    m_state.stack.push_back({screen, std::move(ref)});
    load(m_state.stack.back());
}

void App::set_error(Error const& e) {
    log::warn("kiosk", "content query failed: " + e.message);
    m_state.load_error = e.message;
}

void App::load(NavEntry const& nav) {
    if (!m_content)
        return;
    m_state.load_error.clear();
    Lang l = m_state.lang;
    switch (nav.screen) {
    case ScreenId::PageList: {
        auto r = m_content->pages_in_section(nav.ref, l);
        if (r.ok())
            m_state.pages = r.release_value();
        else
            set_error(r.error());
        m_scroll_resets.push_back("pages");
        break;
    }
    case ScreenId::Article: {
        auto r = m_content->page(nav.ref, l);
        if (r.ok()) {
            m_state.page = r.release_value();
            m_state.doc = md::parse(m_state.page->markdown);
        } else {
            m_state.page.reset();
            m_state.doc = {};
            set_error(r.error());
        }
        m_scroll_resets.push_back("article");
        break;
    }
    case ScreenId::Register:
        run_register_query();
        break;
    case ScreenId::RegisterDetail: {
        // A ref that is not a number finds no agreement (id 0), which the screen says calmly.
        auto r = m_content->agreement(ksd::parse_int<int64_t>(nav.ref).value_or(0));
        if (r.ok())
            m_state.agreement = r.release_value();
        else
            set_error(r.error());
        m_scroll_resets.push_back("agreement");
        break;
    }
    case ScreenId::PotentialList: {
        auto r = m_content->potential(l);
        if (r.ok())
            m_state.potentials = r.release_value();
        else
            set_error(r.error());
        break;
    }
    case ScreenId::PotentialDetail: {
        auto r = m_content->potential(l);
        m_state.potential.reset();
        m_state.doc = {};
        if (r.ok()) {
            m_state.potentials = r.release_value();
            for (auto const& p : m_state.potentials)
                if (p.id == nav.ref) {
                    m_state.potential = p;
                    m_state.doc = md::parse(p.markdown);
                }
        } else {
            set_error(r.error());
        }
        m_scroll_resets.push_back("potential-detail");
        break;
    }
    case ScreenId::Faq: {
        auto r = m_content->faq(l);
        if (r.ok()) {
            m_state.faq = r.release_value();
            m_state.faq_docs.clear();
            for (auto const& f : m_state.faq)
                m_state.faq_docs.push_back(md::parse(f.answer_markdown));
        } else {
            set_error(r.error());
        }
        break;
    }
    case ScreenId::Contacts: {
        auto r = m_content->contacts(l);
        if (r.ok())
            m_state.contacts = r.release_value();
        else
            set_error(r.error());
        break;
    }
    case ScreenId::Attract:
    case ScreenId::Home:
    case ScreenId::Unavailable:
    case ScreenId::Request:
    case ScreenId::RequestDone:
    case ScreenId::RequestClosed:
    case ScreenId::Status:
    case ScreenId::StaffPin:
    case ScreenId::Staff:
        break;
    }
}

void App::reload_current() {
    // Reload every entry of the stack whose data is language-dependent, bottom to top, so that
    // "Back" shows the new language too; the top one last so its data wins.
    for (auto const& nav : m_state.stack)
        load(nav);
}

void App::run_register_query() {
    if (!m_content)
        return;
    AgreementFilter f;
    f.kind = m_state.reg.kind;
    f.sector = m_state.reg.sector;
    f.status = m_state.reg.status;
    f.query = m_state.reg.query;
    f.today = m_state.today;
    f.limit = 100;
    auto r = m_content->agreements(f);
    auto n = m_content->count_agreements(f);
    if (r.ok() && n.ok()) {
        m_state.reg.results = r.release_value();
        m_state.reg.total = n.value();
        m_state.load_error.clear();
    } else {
        m_state.reg.results.clear();
        m_state.reg.total = 0;
        set_error(r.ok() ? n.error() : r.error());
    }
    m_scroll_resets.push_back("register");
}

bool App::form_has_input() const {
    auto const& f = m_state.form;
    return !f.category.empty() || !f.topic.empty() || !f.sector.empty() || !f.name.empty()
        || !f.phone.empty() || !f.email.empty() || !f.organisation.empty() || !f.question.empty()
        || f.consent || f.email_replies == ReplyByEmail::Yes;
}

namespace {

// What "Buang isian?" lets through while it is open: its own answers, the idle prompt's, and the
// chrome's language and text size. Anything else waits until the visitor keeps or discards.
bool passes_discard_prompt(Action const& a) {
    return std::holds_alternative<act::KeepForm>(a) || std::holds_alternative<act::DiscardForm>(a)
        || std::holds_alternative<act::StillHere>(a) || std::holds_alternative<act::SetLang>(a)
        || std::holds_alternative<act::ToggleTextSize>(a);
}

} // namespace

void App::apply(Action const& a) {
    if (m_state.discard_prompt && !passes_discard_prompt(a))
        return;
    // One handler per action type: an action type without one does not compile.
    std::visit([this](auto const& action) { on(action); }, a);
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
    if (s.screen() == ScreenId::Request && form_has_input()
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
        reload_current();
        make_ticket_qr(); // the WhatsApp message is in the visitor's language
    }
}

void App::on(act::ToggleTextSize const&) {
    auto& s = m_state;
    s.text_size = s.text_size == ui::TextSize::Normal ? ui::TextSize::Large : ui::TextSize::Normal;
}

void App::on(act::OpenSection const& a) {
    auto& s = m_state;
    auto const* sec = s.section(a.id);
    if (!sec)
        return;
    if (sec->kind == "register") {
        s.reg = RegisterState {};
        push(ScreenId::Register, sec->id);
    } else if (sec->kind == "potential") {
        push(ScreenId::PotentialList, sec->id);
    } else if (sec->kind == "faq") {
        s.faq_open.clear();
        push(ScreenId::Faq, sec->id);
    } else if (sec->kind == "contacts") {
        push(ScreenId::Contacts, sec->id);
    } else {
        push(ScreenId::PageList, sec->id);
        // A section of one page opens the page itself, replacing the list.
        if (s.pages.size() == 1 && s.load_error.empty()) {
            std::string id = s.pages.front().id;
            s.stack.back() = {ScreenId::Article, id};
            load(s.stack.back());
        }
    }
}

void App::on(act::OpenPage const& a) {
    push(ScreenId::Article, a.id);
}

void App::on(act::ShowLinkQr const& a) {
    if (a.url.starts_with("https://") || a.url.starts_with("http://"))
        m_state.link_qr = a.url;
}

void App::on(act::CloseLinkQr const&) {
    m_state.link_qr.clear();
}

void App::on(act::OpenLink const& a) {
    if (a.href.starts_with("page:"))
        push(ScreenId::Article, a.href.substr(5));
    else if (a.href.starts_with("section:"))
        on(act::OpenSection {a.href.substr(8)});
}

void App::on(act::OpenAgreement const& a) {
    m_state.reg.keyboard_open = false;
    push(ScreenId::RegisterDetail, std::to_string(a.id));
}

void App::on(act::OpenPotential const& a) {
    push(ScreenId::PotentialDetail, a.id);
}

void App::on(act::SetQuery const& a) {
    m_state.reg.query = a.text;
    run_register_query();
}

void App::on(act::ShowKeyboard const&) {
    m_state.reg.keyboard_open = true;
}

void App::on(act::HideKeyboard const&) {
    m_state.reg.keyboard_open = false;
}

void App::on(act::OpenPicker const& a) {
    m_state.reg.picker = a.picker;
    m_state.reg.keyboard_open = false;
    m_scroll_resets.push_back("picker");
}

void App::on(act::ClosePicker const&) {
    m_state.reg.picker = Picker::None;
}

void App::on(act::SetKind const& a) {
    m_state.reg.kind = a.kind;
    m_state.reg.picker = Picker::None;
    run_register_query();
}

void App::on(act::SetSector const& a) {
    m_state.reg.sector = a.sector;
    m_state.reg.picker = Picker::None;
    run_register_query();
}

void App::on(act::SetStatus const& a) {
    m_state.reg.status = a.status;
    m_state.reg.picker = Picker::None;
    run_register_query();
}

void App::on(act::ToggleFaq const& a) {
    auto& s = m_state;
    if (!s.faq_open.erase(a.id))
        s.faq_open.insert(a.id);
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
            if (stale)
                load(top);
            if (leaving == ScreenId::Request || leaving == ScreenId::Status
                || leaving == ScreenId::RequestDone || leaving == ScreenId::StaffPin
                || leaving == ScreenId::Staff)
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
    m_state.ticket.reset();
    m_state.ticket_qr = {};
    m_state.discard_prompt.reset();
    m_state.print_message.clear();
    m_ui_reset = true;
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

void App::validate_step() {
    auto& f = m_state.form;
    f.choice_missing = false;
    switch (f.step) {
    case Step::Who:
        f.choice_missing = f.category.empty();
        break;
    case Step::Topic:
        f.choice_missing = f.topic.empty();
        break;
    case Step::Contact:
        f.contact = check_contact({f.name, f.phone, f.email, f.organisation}, m_showable);
        break;
    case Step::Question:
        f.question_problem = check_question(f.question, m_showable);
        break;
    case Step::Consent:
        f.choice_missing = !f.consent;
        break;
    case Step::Review:
        break;
    }
}

void App::on(act::OpenRequest const&) {
    auto& s = m_state;
    s.form = RequestForm {};
    DeskHealth h = m_desk ? m_desk->health() : DeskHealth {false, StorageProblem::Other, "no desk"};
    if (!h.accepting) {
        log::warn("kiosk", "request form closed: " + h.detail);
        s.stack.push_back({ScreenId::RequestClosed, {}});
    } else {
        s.stack.push_back({ScreenId::Request, {}});
    }
    m_scroll_resets.push_back("request");
}

void App::on(act::OpenStatus const&) {
    auto& s = m_state;
    // From the status screen itself ("Cek tiket lain"): a fresh form, not a second screen.
    if (s.screen() != ScreenId::Status)
        s.stack.push_back({ScreenId::Status, {}});
    s.status = StatusForm {};
    s.status.locked_until_ms
        = m_state.lookup_locked_until > m_now ? m_state.lookup_locked_until : 0;
    m_ui_reset = true;
}

void App::on(act::Choose const& a) {
    auto& f = m_state.form;
    switch (a.step) {
    case Step::Who:
        f.category = a.code;
        break;
    case Step::Topic:
        f.topic = a.code;
        break;
    case Step::Contact:
    case Step::Question:
    case Step::Consent:
    case Step::Review:
        break; // no options to choose on these steps
    }
    if (f.show_problems)
        validate_step();
}

void App::on(act::ChooseSector const& a) {
    auto& f = m_state.form;
    f.sector = a.code;
    f.sector_picker = false;
    if (f.show_problems)
        validate_step();
}

void App::on(act::OpenSectorPicker const&) {
    m_state.form.sector_picker = true;
    m_scroll_resets.push_back("sector-picker");
}

void App::on(act::CloseSectorPicker const&) {
    m_state.form.sector_picker = false;
}

void App::on(act::Focus const& a) {
    auto& s = m_state;
    if (s.screen() == ScreenId::Status)
        s.status.focus = a.field;
    else
        s.form.focus = a.field;
}

void App::on(act::SetField const& a) {
    auto& s = m_state;
    auto& f = s.form;
    // Typing stops at the limit (the counter shows it); invalid UTF-8 cannot come from the
    // on-screen keyboard, but is refused here all the same.
    if (!utf8::is_valid(a.value) || utf8::length(a.value) > field_limit(a.field))
        return;
    switch (a.field) {
    case Field::Name:
        f.name = a.value;
        break;
    case Field::Phone:
        f.phone = a.value;
        break;
    case Field::Email:
        f.email = a.value;
        break;
    case Field::Organisation:
        f.organisation = a.value;
        break;
    case Field::Question:
        f.question = a.value;
        break;
    case Field::Code:
        s.status.code = a.value;
        s.status.searched = false;
        if (s.status.missing == Field::Code)
            s.status.missing = Field::None;
        break;
    case Field::Check:
        s.status.check = a.value;
        s.status.searched = false;
        if (s.status.missing == Field::Check)
            s.status.missing = Field::None;
        break;
    case Field::Pin:
        s.staff.pin = a.value;
        break;
    case Field::None:
        break;
    }
    if (f.show_problems && s.screen() == ScreenId::Request)
        validate_step();
}

void App::on(act::ToggleEmailReplies const&) {
    auto& f = m_state.form;
    f.email_replies = f.email_replies == ReplyByEmail::Yes ? ReplyByEmail::No : ReplyByEmail::Yes;
}

void App::on(act::ToggleConsent const&) {
    auto& f = m_state.form;
    f.consent = !f.consent;
    if (f.show_problems)
        validate_step();
}

void App::on(act::NextStep const&) {
    auto& f = m_state.form;
    validate_step();
    bool ok = !f.choice_missing && (f.step != Step::Contact || f.contact.ok())
        && (f.step != Step::Question || f.question_problem == FieldProblem::None);
    if (!ok) {
        f.show_problems = true;
        return;
    }
    if (f.step != Step::Review) {
        f.step = Step(int(f.step) + 1);
        f.focus = Field::None;
        f.show_problems = false;
        m_scroll_resets.push_back("request");
    }
}

void App::on(act::Submit const&) {
    submit();
}

void App::on(act::PrintReceipt const&) {
    auto& s = m_state;
    if (s.ticket && m_desk) {
        auto printed
            = m_desk->print(*s.ticket, s.ticket_qr, s.lang, s.institution.name.get(s.lang));
        if (printed.ok()) {
            s.print_message = tr(s.lang, S::ReceiptPrinting);
        } else {
            log::warn("kiosk", "receipt: " + printed.error().message);
            s.print_message = tr(s.lang, S::PrinterUnavailable);
        }
    }
}

void App::on(act::LookUp const&) {
    look_up();
}

void App::on(act::StaffGesture const&) {
    staff_gesture();
}

void App::on(act::StaffPinEntered const&) {
    enter_pin();
}

void App::on(act::StaffRefresh const&) {
    refresh_staff();
}

void App::on(act::StaffImport const& a) {
    auto& s = m_state;
    if (m_desk) {
        auto imported = m_desk->import_pack(a.path, s.content_version);
        if (imported.ok()) {
            s.staff.import_ok = true;
            s.staff.import_message.clear();
            s.staff.imported_version = imported->content_version;
            log::info("kiosk",
                "staff imported content version " + std::to_string(imported->content_version)
                    + " from " + a.path);
        } else {
            s.staff.import_ok = false;
            s.staff.import_message = imported.error().message;
            log::warn("kiosk", "pack import refused: " + imported.error().message);
        }
    }
}

void App::on(act::StaffRequeue const&) {
    auto& s = m_state;
    if (m_desk) {
        auto released = m_desk->requeue_held();
        if (released.ok()) {
            s.staff.requeue_message = counted(s.lang, S::Requeued, released.value());
            log::info("kiosk",
                "staff released " + std::to_string(released.value()) + " quarantined ticket(s)");
        } else {
            s.staff.requeue_message = released.error().message;
            log::warn("kiosk", "release of quarantined tickets: " + released.error().message);
        }
        refresh_staff();
    }
}

void App::on(act::StaffExit const&) {
    reset_to_attract();
}

void App::submit() {
    auto& s = m_state;
    auto& f = s.form;
    // Every step is checked again: the review must never send what a step would refuse.
    for (Step st : {Step::Who, Step::Topic, Step::Contact, Step::Question, Step::Consent}) {
        Step keep = f.step;
        f.step = st;
        validate_step();
        bool ok = !f.choice_missing && (st != Step::Contact || f.contact.ok())
            && (st != Step::Question || f.question_problem == FieldProblem::None);
        if (!ok) {
            f.show_problems = true;
            f.focus = Field::None;
            m_scroll_resets.push_back("request");
            return; // stays on the failing step
        }
        f.step = keep;
    }
    if (!m_desk) {
        f.save_failed = true;
        return;
    }
    TicketInput in;
    in.category = f.category;
    in.topic = f.topic;
    in.sector = f.sector;
    in.name = tidy_text(f.name);
    in.phone = f.contact.phone_e164;
    in.email = tidy_text(f.email);
    in.organisation = tidy_text(f.organisation);
    in.question = tidy_text(f.question, true);
    in.consent_version = std::string(consent_version);
    in.lang = s.lang;
    // Only with an e-mail: the box is not shown without one (and an e-mail removed after ticking
    // it takes the wish with it).
    in.email_replies = in.email.empty() ? ReplyByEmail::No : f.email_replies;
    auto saved = m_desk->submit(in, WallClock {s.unix_time, s.clock_trusted});
    if (!saved.ok()) {
        log::error("kiosk", "request NOT saved: " + saved.error().message);
        f.save_failed = true;
        return;
    }
    // The one line tests (and staff) rely on: printed only after the durable commit.
    log::info("kiosk", "request saved as ticket " + saved->code);
    s.form = RequestForm {};
    m_forget_text = true;
    s.ticket = saved.value();
    make_ticket_qr();
    s.print_message.clear();
    s.stack.resize(s.home_depth());
    s.stack.push_back({ScreenId::RequestDone, {}});
    m_ui_reset = true;
}

void App::make_ticket_qr() {
    auto& s = m_state;
    if (!s.ticket) {
        s.ticket_qr = {};
        return;
    }
    // The office's WhatsApp: the first contact of the pack that has one.
    std::string whatsapp;
    if (m_content) {
        if (auto contacts = m_content->contacts(s.lang); contacts.ok()) {
            for (auto const& c : contacts.value())
                if (!c.whatsapp.empty()) {
                    whatsapp = c.whatsapp;
                    break;
                }
        } else {
            log::warn("kiosk", "contacts for the ticket's QR code: " + contacts.error().message);
        }
    }
    s.ticket_qr = ticket_qr(s.ticket->code, m_options.status_url, whatsapp, s.lang);
}

void App::look_up() {
    auto& st = m_state.status;
    if (m_state.lookup_locked_until > m_now || !m_desk)
        return;
    st.focus = Field::None;
    st.found.reset();
    st.failed = false;
    // An empty field is asked for by name: "does not match" would send the visitor checking a
    // code they typed correctly. Not a guess either, so the count of wrong pairs stays.
    st.missing = tidy_text(st.code).empty() ? Field::Code
        : tidy_text(st.check).empty()       ? Field::Check
                                            : Field::None;
    if (st.missing != Field::None) {
        st.searched = false;
        return;
    }
    st.searched = true;
    st.failed = false;
    st.found.reset();
    auto r = m_desk->lookup(st.code, st.check);
    if (!r.ok()) {
        log::warn("kiosk", "status lookup failed: " + r.error().message);
        st.failed = true;
        return;
    }
    st.found = r.value();
    // The count of wrong pairs is the device's, not the visit's: leaving the screen, "Cek
    // tiket lain" or the idle reset must not undo it; a right pair does not reset it either.
    if (!st.found && ++m_state.lookup_wrong >= 5) {
        // Guessing the four digits by hand is slow; a pause makes it slower still.
        m_state.lookup_locked_until = m_now + 30'000;
        m_state.lookup_wrong = 0;
    }
    st.locked_until_ms = m_state.lookup_locked_until > m_now ? m_state.lookup_locked_until : 0;
}

void App::staff_gesture() {
    // Five taps on the hidden corner within three seconds.
    m_state.staff_taps.push_back(m_now);
    std::erase_if(m_state.staff_taps, [this](int64_t t) { return m_now - t > 3000; });
    if (m_state.staff_taps.size() < 5)
        return;
    m_state.staff_taps.clear();
    m_state.staff = StaffState {};
    // From the "being updated" screen too: a USB import is how a kiosk without a usable pack
    // gets one when there is no network.
    if (m_state.screen() == ScreenId::Unavailable)
        m_state.stack = {{ScreenId::Unavailable, {}}, {ScreenId::StaffPin, {}}};
    else {
        m_state.stack.resize(2);
        m_state.stack.push_back({ScreenId::StaffPin, {}});
    }
    m_ui_reset = true;
}

void App::enter_pin() {
    auto& st = m_state.staff;
    Lang l = m_state.lang;
    std::string pin = std::exchange(st.pin, {});
    if (!m_desk) {
        st.message = tr(l, S::StaffModeUnavailable);
        return;
    }
    auto r = m_desk->check_pin(pin, m_state.unix_time);
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

void App::preview_staff_mode() {
    staff_gesture();
    for (int i = 0; i < 4 && m_state.screen() != ScreenId::StaffPin; ++i)
        staff_gesture();
    if (m_state.screen() != ScreenId::StaffPin)
        return;
    m_state.stack.back() = {ScreenId::Staff, {}};
    refresh_staff();
}

void App::refresh_staff() {
    if (!m_desk)
        return;
    m_state.staff.info = m_desk->staff_info({m_state.unix_time, m_state.clock_trusted});
    m_state.staff.packs = m_desk->usb_packs();
    m_scroll_resets.push_back("staff");
}

} // namespace kiosk
