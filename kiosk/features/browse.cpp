// Browsing the content: sections, pages and their links, the register with its search and
// filters, potentials, the FAQ and contacts; each screen's data queried as it opens.
#include "features/browse.h"

#include "ksd/log.h"
#include "ksd/number.h"

#include <string>

namespace kiosk::browse {

using namespace ksd;

namespace {

void set_error(Ctx& c, Error const& e) {
    log::warn("kiosk", "content query failed: " + e.message);
    c.s.load_error = e.message;
}

void run_register_query(Ctx& c) {
    if (!c.content)
        return;
    AgreementFilter f;
    f.kind = c.s.reg.kind;
    f.sector = c.s.reg.sector;
    f.status = c.s.reg.status;
    f.implementation = c.s.reg.implementation;
    f.query = c.s.reg.query;
    f.today = c.s.today;
    f.limit = 100;
    auto r = c.content->agreements(f);
    auto n = c.content->count_agreements(f);
    if (r.ok() && n.ok()) {
        c.s.reg.results = r.release_value();
        c.s.reg.total = n.value();
        c.s.load_error.clear();
    } else {
        c.s.reg.results.clear();
        c.s.reg.total = 0;
        set_error(c, r.ok() ? n.error() : r.error());
    }
    c.scroll_resets.push_back("register");
}

void push(Ctx& c, ScreenId screen, std::string ref) {
    c.s.link_qr.clear();
    c.s.stack.push_back({screen, std::move(ref)});
    load(c, c.s.stack.back());
}

} // namespace

void load(Ctx& c, NavEntry const& nav) {
    if (!c.content)
        return;
    c.s.load_error.clear();
    Lang l = c.s.lang;
    switch (nav.screen) {
    case ScreenId::PageList: {
        auto r = c.content->pages_in_section(nav.ref, l);
        if (r.ok())
            c.s.pages = r.release_value();
        else
            set_error(c, r.error());
        c.scroll_resets.push_back("pages");
        break;
    }
    case ScreenId::Article: {
        auto r = c.content->page(nav.ref, l);
        if (r.ok()) {
            c.s.page = r.release_value();
            c.s.doc = md::parse(c.s.page->markdown);
        } else {
            c.s.page.reset();
            c.s.doc = {};
            set_error(c, r.error());
        }
        c.scroll_resets.push_back("article");
        break;
    }
    case ScreenId::Register:
        run_register_query(c);
        break;
    case ScreenId::RegisterDetail: {
        // A ref that is not a number finds no agreement (id 0), which the screen says calmly.
        auto r = c.content->agreement(ksd::parse_int<int64_t>(nav.ref).value_or(0));
        if (r.ok())
            c.s.agreement = r.release_value();
        else
            set_error(c, r.error());
        c.scroll_resets.push_back("agreement");
        break;
    }
    case ScreenId::PotentialList: {
        auto r = c.content->potential(l);
        if (r.ok())
            c.s.potentials = r.release_value();
        else
            set_error(c, r.error());
        break;
    }
    case ScreenId::PotentialDetail: {
        auto r = c.content->potential(l);
        c.s.potential.reset();
        c.s.doc = {};
        if (r.ok()) {
            c.s.potentials = r.release_value();
            for (auto const& p : c.s.potentials)
                if (p.id == nav.ref) {
                    c.s.potential = p;
                    c.s.doc = md::parse(p.markdown);
                }
        } else {
            set_error(c, r.error());
        }
        c.scroll_resets.push_back("potential-detail");
        break;
    }
    case ScreenId::Faq: {
        auto r = c.content->faq(l);
        if (r.ok()) {
            c.s.faq = r.release_value();
            c.s.faq_docs.clear();
            for (auto const& f : c.s.faq)
                c.s.faq_docs.push_back(md::parse(f.answer_markdown));
        } else {
            set_error(c, r.error());
        }
        break;
    }
    case ScreenId::Contacts: {
        auto r = c.content->contacts(l);
        if (r.ok())
            c.s.contacts = r.release_value();
        else
            set_error(c, r.error());
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
    case ScreenId::Survey:
    case ScreenId::SurveyThanks:
        break;
    }
}

void reload_stack(Ctx& c) {
    // Reload every entry of the stack whose data is language-dependent, bottom to top, so that
    // "Back" shows the new language too; the top one last so its data wins.
    for (auto const& nav : c.s.stack)
        load(c, nav);
}

void handle(Ctx& c, act::OpenSection const& a) {
    auto& s = c.s;
    auto const* sec = s.section(a.id);
    if (!sec)
        return;
    if (sec->kind == "register") {
        s.reg = RegisterState {};
        push(c, ScreenId::Register, sec->id);
    } else if (sec->kind == "potential") {
        push(c, ScreenId::PotentialList, sec->id);
    } else if (sec->kind == "faq") {
        s.faq_open.clear();
        push(c, ScreenId::Faq, sec->id);
    } else if (sec->kind == "contacts") {
        push(c, ScreenId::Contacts, sec->id);
    } else {
        push(c, ScreenId::PageList, sec->id);
        // A section of one page opens the page itself, replacing the list.
        if (s.pages.size() == 1 && s.load_error.empty()) {
            std::string id = s.pages.front().id;
            s.stack.back() = {ScreenId::Article, id};
            load(c, s.stack.back());
        }
    }
}

void handle(Ctx& c, act::OpenPage const& a) {
    push(c, ScreenId::Article, a.id);
}

void handle(Ctx& c, act::ShowLinkQr const& a) {
    if (a.url.starts_with("https://") || a.url.starts_with("http://"))
        c.s.link_qr = a.url;
}

void handle(Ctx& c, act::CloseLinkQr const&) {
    c.s.link_qr.clear();
}

void handle(Ctx& c, act::OpenLink const& a) {
    if (a.href.starts_with("page:"))
        push(c, ScreenId::Article, a.href.substr(5));
    else if (a.href.starts_with("section:"))
        handle(c, act::OpenSection {a.href.substr(8)});
}

void handle(Ctx& c, act::OpenAgreement const& a) {
    c.s.reg.keyboard_open = false;
    push(c, ScreenId::RegisterDetail, std::to_string(a.id));
}

void handle(Ctx& c, act::OpenPotential const& a) {
    push(c, ScreenId::PotentialDetail, a.id);
}

void handle(Ctx& c, act::SetQuery const& a) {
    c.s.reg.query = a.text;
    run_register_query(c);
}

void handle(Ctx& c, act::ShowKeyboard const&) {
    c.s.reg.keyboard_open = true;
}

void handle(Ctx& c, act::HideKeyboard const&) {
    c.s.reg.keyboard_open = false;
}

void handle(Ctx& c, act::OpenPicker const& a) {
    c.s.reg.picker = a.picker;
    c.s.reg.keyboard_open = false;
    c.scroll_resets.push_back("picker");
}

void handle(Ctx& c, act::ClosePicker const&) {
    c.s.reg.picker = Picker::None;
}

void handle(Ctx& c, act::SetKind const& a) {
    c.s.reg.kind = a.kind;
    c.s.reg.picker = Picker::None;
    run_register_query(c);
}

void handle(Ctx& c, act::SetSector const& a) {
    c.s.reg.sector = a.sector;
    c.s.reg.picker = Picker::None;
    run_register_query(c);
}

void handle(Ctx& c, act::SetStatus const& a) {
    c.s.reg.status = a.status;
    c.s.reg.picker = Picker::None;
    run_register_query(c);
}

void handle(Ctx& c, act::SetImplementation const& a) {
    c.s.reg.implementation = a.state;
    c.s.reg.picker = Picker::None;
    run_register_query(c);
}

void handle(Ctx& c, act::ToggleFaq const& a) {
    auto& s = c.s;
    if (!s.faq_open.erase(a.id))
        s.faq_open.insert(a.id);
}

} // namespace kiosk::browse
