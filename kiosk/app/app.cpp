// Action handling and the idle/reload timers.
#include "app/app.h"

#include "ksd/log.h"

#include <charconv>

namespace kiosk {

using namespace ksd;

ksd::Section const* State::section(std::string const& id) const {
    for (auto const& s : sections)
        if (s.id == id)
            return &s;
    return nullptr;
}

App::App(AppOptions options, std::unique_ptr<Content> content)
    : m_options(options)
    , m_content(std::move(content)) {
    m_state.lang = options.default_lang;
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
    m_state.institution = m_content->institution();
    m_state.sections = m_content->sections();
    m_state.highlights = m_content->highlights();
}

void App::set_time(int64_t mono_ms, int64_t unix_seconds) {
    m_now = mono_ms;
    m_state.unix_time = unix_seconds;
    m_state.today = date_in_wib(unix_seconds);
}

void App::note_input() {
    m_last_input = m_now;
}

void App::reset_to_attract() {
    Lang lang = m_options.default_lang;
    auto demo = m_state.demo;
    auto have = m_state.have_pack;
    auto inst = m_state.institution;
    auto sections = m_state.sections;
    auto highlights = m_state.highlights;
    auto today = m_state.today;
    auto unix_time = m_state.unix_time;
    // Everything the visitor did or typed is dropped: a fresh State, keeping only the pack.
    m_state = State {};
    m_state.lang = lang;
    m_state.demo = demo;
    m_state.have_pack = have;
    m_state.institution = std::move(inst);
    m_state.sections = std::move(sections);
    m_state.highlights = std::move(highlights);
    m_state.today = today;
    m_state.unix_time = unix_time;
    m_state.stack = {{have ? ScreenId::Attract : ScreenId::Unavailable, {}}};
    m_ui_reset = true;
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
        // The clock and highlights change every ten seconds of wall time.
        int64_t rotation = m_state.unix_time / 10;
        if (rotation != m_last_rotation) {
            m_last_rotation = rotation;
            changed = true;
        }
        return changed;
    }
    int64_t quiet = m_now - m_last_input;
    if (!m_state.idle_prompt && quiet >= m_options.idle_timeout_ms) {
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
        int64_t id = 0;
        std::from_chars(nav.ref.data(), nav.ref.data() + nav.ref.size(), id); // no exceptions
        auto r = m_content->agreement(id);
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

void App::apply(Action const& a) {
    auto& s = m_state;
    switch (a.kind) {
    case ActionKind::Wake:
        if (s.screen() == ScreenId::Attract) {
            s.stack = {{ScreenId::Attract, {}}, {ScreenId::Home, {}}};
            m_last_input = m_now;
        }
        break;
    case ActionKind::Back:
        if (s.stack.size() > 2) {
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
        }
        break;
    case ActionKind::Home:
        if (s.stack.size() > 2)
            s.stack.resize(2);
        break;
    case ActionKind::SetLang: {
        auto lang = parse_lang(a.ref);
        if (lang && *lang != s.lang) {
            s.lang = *lang;
            reload_current();
        }
        break;
    }
    case ActionKind::ToggleTextSize:
        s.text_size
            = s.text_size == ui::TextSize::Normal ? ui::TextSize::Large : ui::TextSize::Normal;
        break;
    case ActionKind::OpenSection: {
        auto const* sec = s.section(a.ref);
        if (!sec)
            break;
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
        break;
    }
    case ActionKind::OpenPage:
        push(ScreenId::Article, a.ref);
        break;
    case ActionKind::OpenLink:
        if (a.ref.starts_with("page:"))
            push(ScreenId::Article, a.ref.substr(5));
        else if (a.ref.starts_with("section:"))
            apply({ActionKind::OpenSection, a.ref.substr(8)});
        break;
    case ActionKind::OpenAgreement:
        s.reg.keyboard_open = false;
        push(ScreenId::RegisterDetail, std::to_string(a.number));
        break;
    case ActionKind::OpenPotential:
        push(ScreenId::PotentialDetail, a.ref);
        break;
    case ActionKind::SetQuery:
        s.reg.query = a.ref;
        run_register_query();
        break;
    case ActionKind::ShowKeyboard:
        s.reg.keyboard_open = true;
        break;
    case ActionKind::HideKeyboard:
        s.reg.keyboard_open = false;
        break;
    case ActionKind::OpenPicker:
        s.reg.picker = Picker(a.number);
        s.reg.keyboard_open = false;
        m_scroll_resets.push_back("picker");
        break;
    case ActionKind::ClosePicker:
        s.reg.picker = Picker::None;
        break;
    case ActionKind::SetKind:
        s.reg.kind = a.ref.empty() ? std::nullopt : std::optional<std::string>(a.ref);
        s.reg.picker = Picker::None;
        run_register_query();
        break;
    case ActionKind::SetSector:
        s.reg.sector = a.ref.empty() ? std::nullopt : std::optional<std::string>(a.ref);
        s.reg.picker = Picker::None;
        run_register_query();
        break;
    case ActionKind::SetStatus:
        s.reg.status = a.ref.empty() ? std::nullopt : parse_status_code(a.ref);
        s.reg.picker = Picker::None;
        run_register_query();
        break;
    case ActionKind::ToggleFaq:
        if (!s.faq_open.erase(a.ref))
            s.faq_open.insert(a.ref);
        break;
    case ActionKind::StillHere:
        s.idle_prompt = false;
        m_last_input = m_now;
        break;
    }
}

} // namespace kiosk
