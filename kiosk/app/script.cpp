// Script interpreter and named-screen navigation.
#include "app/script.h"

#include "ui/keyboard.h"

#include "ksd/number.h"
#include <charconv>

namespace kiosk {

std::vector<std::string> const& screen_names() {
    static std::vector<std::string> const basic
        = {"attract", "home", "article", "article-link-qr", "register", "register-keyboard",
            "register-picker", "register-detail", "potential", "potential-detail", "faq",
            "contacts", "idle", "unavailable", "request", "request-topic", "request-contact",
            "request-keyboard", "request-question", "request-consent", "request-review",
            "request-problems", "request-done", "request-done-idle", "request-discard", "status",
            "status-keyboard", "status-missing", "status-result", "staff-pin", "staff"};
    // The satisfaction survey (issue 14).
    static std::vector<std::string> const names = [] {
        auto all = basic;
        all.insert(all.end(),
            {"survey", "survey-question", "survey-answered", "survey-respondent",
                "survey-respondent-2", "survey-thanks"});
        return all;
    }();
    return names;
}

namespace {

ksd::Section const* first_section(
    State const& s, std::string_view kind, std::string_view prefer = {}) {
    ksd::Section const* found = nullptr;
    for (auto const& sec : s.sections)
        if (sec.kind == kind) {
            if (!found || sec.id == prefer)
                found = &sec;
        }
    return found;
}

ksd::Result<void> open_section(Host& h, std::string_view kind) {
    auto const* sec = first_section(h.app().state(), kind);
    if (!sec)
        return ksd::make_error("the content has no section of kind " + std::string(kind));
    h.app().apply(act::OpenSection {sec->id});
    return {};
}

// Fills the request wizard up to the named step with a fictional visitor, through the same
// actions the screens return.
ksd::Result<void> fill_request(Host& h, std::string_view name) {
    App& app = h.app();
    app.apply(act::OpenRequest {});
    if (app.state().screen() != ScreenId::Request)
        return ksd::make_error("the request form is closed (no usable device database)");
    if (name == "request")
        return {};
    auto next = [&]() { app.apply(act::NextStep {}); };
    if (name == "request-problems") {
        app.apply(act::Choose {Step::Who, "pihak-ketiga"});
        next();
        app.apply(act::Choose {Step::Topic, "rencana"});
        next();
        app.apply(act::SetField {Field::Name, "Siti Rahma"});
        app.apply(act::SetField {Field::Phone, "112"});
        app.apply(act::SetField {Field::Email, "siti@"});
        next(); // refused: the problems show next to their fields
        return {};
    }
    app.apply(act::Choose {Step::Who, "pihak-ketiga"});
    next();
    if (name == "request-topic")
        return {};
    app.apply(act::Choose {Step::Topic, "rencana"});
    app.apply(act::ChooseSector {"pertanian"});
    next();
    if (name == "request-contact")
        return {};
    if (name == "request-discard") {
        app.apply(act::Home {}); // half-filled: "Buang isian?"
        return app.state().discard_prompt ? ksd::Result<void> {}
                                          : ksd::make_error("the discard question did not come");
    }
    if (name == "request-keyboard") {
        app.apply(act::Focus {Field::Name});
        app.apply(act::SetField {Field::Name, "Siti Rahma"});
        return {};
    }
    app.apply(act::SetField {Field::Name, "Siti Rahma"});
    app.apply(act::SetField {Field::Phone, "0812-3456-7890"});
    app.apply(act::SetField {Field::Organisation, "Koperasi Tani Makmur"});
    next();
    app.apply(act::SetField {Field::Question,
        "Kami ingin bekerja sama dalam pengolahan kelapa. Dokumen apa yang perlu disiapkan?"});
    if (name == "request-question")
        return {};
    next();
    if (name == "request-consent")
        return {};
    app.apply(act::ToggleConsent {});
    next();
    if (name == "request-review")
        return {};
    app.apply(act::Submit {});
    if (app.state().screen() != ScreenId::RequestDone || !app.state().ticket)
        return ksd::make_error("the request was not saved");
    if (name == "request-done")
        return {};
    if (name == "request-done-idle") {
        // The code screen's own quiet time, then a few seconds of the countdown.
        int64_t t = app.now_ms() + app.options().idle_done_ms + 3000;
        h.advance(t - 3000, app.state().unix_time + app.options().idle_done_ms / 1000);
        h.advance(t, app.state().unix_time + 3);
        return {};
    }
    // status-result: look the new ticket up as its visitor would.
    std::string code = app.state().ticket->code;
    app.apply(act::Home {});
    app.apply(act::OpenStatus {});
    app.apply(act::SetField {Field::Code, code});
    app.apply(act::SetField {Field::Check, "7890"});
    app.apply(act::LookUp {});
    if (!app.state().status.found)
        return ksd::make_error("the new ticket was not found by its code and phone digits");
    return {};
}

} // namespace

ksd::Result<void> navigate_to(Host& h, std::string_view name) {
    App& app = h.app();
    bool known = false;
    for (auto const& n : screen_names())
        known = known || n == name;
    if (!known)
        return ksd::make_error("unknown screen \"" + std::string(name) + "\"");
    h.mark_dirty();
    if (name == "unavailable") {
        if (app.state().screen() != ScreenId::Unavailable)
            return ksd::make_error("the unavailable screen needs an App without content");
        return {};
    }
    if (!app.state().have_pack)
        return ksd::make_error("no content: only the unavailable screen can be shown");
    if (name == "attract")
        return {};
    app.apply(act::Wake {});
    app.note_input();
    if (name == "home")
        return {};
    if (name == "idle") {
        // Let the quiet time pass, then a few seconds of the countdown.
        int64_t t = app.now_ms() + app.options().idle_timeout_ms + 3000;
        h.advance(t - 3000, app.state().unix_time + app.options().idle_timeout_ms / 1000);
        h.advance(t, app.state().unix_time + 3);
        return {};
    }
    if (name == "article" || name == "article-link-qr") {
        // The first pages section, preferring one that opens an article directly.
        auto const* sec = first_section(app.state(), "pages", "tentang");
        if (!sec)
            return ksd::make_error("the content has no pages section");
        app.apply(act::OpenSection {sec->id});
        if (app.state().screen() == ScreenId::PageList && !app.state().pages.empty())
            app.apply(act::OpenPage {app.state().pages.front().id});
        if (name == "article-link-qr") // as if an outside link in the text had been tapped
            app.apply(act::ShowLinkQr {"https://jdih.example.go.id/perda/2024/7"});
        return app.state().screen() == ScreenId::Article
            ? ksd::Result<void> {}
            : ksd::make_error("no article could be opened");
    }
    if (name.starts_with("register")) {
        TRY_VOID(open_section(h, "register"));
        if (name == "register-keyboard") {
            app.apply(act::ShowKeyboard {});
            app.apply(act::SetQuery {"kelapa"});
        } else if (name == "register-picker") {
            app.apply(act::OpenPicker {Picker::Sector});
        } else if (name == "register-detail") {
            if (app.state().reg.results.empty())
                return ksd::make_error("the register is empty");
            app.apply(act::OpenAgreement {app.state().reg.results.front().id});
        }
        return {};
    }
    if (name.starts_with("potential")) {
        TRY_VOID(open_section(h, "potential"));
        if (name == "potential-detail") {
            if (app.state().potentials.empty())
                return ksd::make_error("no potential in the content");
            app.apply(act::OpenPotential {app.state().potentials.front().id});
        }
        return {};
    }
    if (name == "faq") {
        TRY_VOID(open_section(h, "faq"));
        if (!app.state().faq.empty())
            app.apply(act::ToggleFaq {app.state().faq.front().id});
        return {};
    }
    if (name == "contacts")
        return open_section(h, "contacts");
    if (name.starts_with("survey")) {
        // The survey from the home tile, taken as far as the named page through its actions, a
        // second apart like a visitor (taps right after a page turns are ignored).
        auto step = [&](Action const& a) {
            h.advance(app.now_ms() + 1000, app.state().unix_time + 1);
            app.apply(a);
        };
        step(act::OpenSurvey {});
        if (name == "survey")
            return {};
        step(act::SurveyStart {});
        if (name == "survey-question")
            return {};
        // The third question, after two answers and back to the second (shown chosen).
        step(act::SurveyAnswer {3});
        step(act::SurveyAnswer {4});
        if (name == "survey-answered") {
            step(act::Back {});
            return {};
        }
        for (int i = 2; i < ksd::skm_element_count; ++i)
            step(act::SurveyAnswer {3});
        if (name == "survey-respondent" || name == "survey-respondent-2") {
            step(act::SurveyChoose {SurveyChoice::Gender, "f"});
            step(act::SurveyChoose {SurveyChoice::AgeBand, "30-39"});
            if (name == "survey-respondent-2") {
                step(act::SurveyNext {});
                step(act::SurveyChoose {SurveyChoice::Occupation, "wirausaha"});
            }
            return {};
        }
        step(act::SurveyNext {});
        step(act::SurveySend {});
        return app.state().screen() == ScreenId::SurveyThanks
            ? ksd::Result<void> {}
            : ksd::make_error("the survey was not saved");
    }
    if (name.starts_with("request") || name == "status-result")
        return fill_request(h, name);
    if (name.starts_with("status")) {
        app.apply(act::OpenStatus {});
        if (name == "status-keyboard") {
            app.apply(act::Focus {Field::Code});
            app.apply(act::SetField {Field::Code, "7K3QD"});
        } else if (name == "status-missing") { // "Cek Status" with the second field empty
            app.apply(act::SetField {Field::Code, "7K3QD-9MRT9"});
            app.apply(act::LookUp {});
        }
        return {};
    }
    if (name == "staff") {
        // Shows what the desk (--device-db) holds: queue, quarantine, sync errors.
        app.preview_staff_mode();
        return app.state().screen() == ScreenId::Staff
            ? ksd::Result<void> {}
            : ksd::make_error("staff mode could not be opened");
    }
    if (name == "staff-pin") {
        for (int i = 0; i < 5; ++i)
            app.apply(act::StaffGesture {});
        return app.state().screen() == ScreenId::StaffPin
            ? ksd::Result<void> {}
            : ksd::make_error("the staff gesture did not open the PIN pad");
    }
    return {};
}

ksd::Result<void> run_script(
    Host& h, std::string_view script, ScriptHooks const& hooks, int64_t mono, int64_t unix) {
    h.advance(mono, unix);
    int64_t mono_start = mono;
    std::string remembered_code;
    int line_no = 0;
    size_t pos = 0;
    while (pos <= script.size()) {
        size_t end = script.find('\n', pos);
        std::string_view line = script.substr(
            pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? script.size() + 1 : end + 1;
        ++line_no;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.remove_suffix(1);
        while (!line.empty() && line.front() == ' ')
            line.remove_prefix(1);
        if (line.empty() || line.front() == '#')
            continue;
        size_t sp = line.find(' ');
        std::string_view cmd = line.substr(0, sp);
        std::string_view arg
            = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
        // "{code}" stands for the ticket code read by remember-code.
        std::string expanded;
        if (arg.find("{code}") != std::string_view::npos) {
            expanded = std::string(arg);
            for (size_t at; (at = expanded.find("{code}")) != std::string::npos;)
                expanded.replace(at, 6, remembered_code);
            arg = expanded;
        }
        if (hooks.trace)
            hooks.trace(line_no, std::string(line));
        auto fail = [&](std::string const& msg) {
            return ksd::make_error(
                "script line " + std::to_string(line_no) + " (" + std::string(line) + "): " + msg);
        };
        if (h.needs_draw())
            h.draw();
        ksd::Result<void> r;
        if (cmd == "tap") {
            r = h.tap(arg);
        } else if (cmd == "type") {
            r = h.type(arg);
        } else if (cmd == "expect") {
            r = h.expect(arg);
        } else if (cmd == "expect-not") {
            if (h.text_visible(arg))
                r = ksd::make_error(
                    "text \"" + std::string(arg) + "\" is visible but should not be");
        } else if (cmd == "wait") {
            auto parsed = ksd::parse_int<int64_t>(arg);
            if (!parsed || *parsed < 0)
                return fail("wait needs milliseconds");
            int64_t const ms = *parsed;
            // Step the virtual clock so timers fire in order; draw what changes.
            int64_t target = mono + ms;
            while (mono < target) {
                mono = std::min(target, mono + 250);
                if (h.advance(mono, unix + (mono - mono_start) / 1000))
                    h.draw();
            }
        } else if (cmd == "screen") {
            r = navigate_to(h, arg);
        } else if (cmd == "remember-code") {
            auto code = h.visible_ticket_code();
            if (!code)
                return fail("no ticket code (XXXXX-XXXXX) is visible");
            remembered_code = *code;
            if (hooks.code)
                hooks.code(remembered_code);
        } else if (cmd == "screenshot") {
            if (arg.empty())
                return fail("screenshot needs a file name");
            if (!hooks.screenshot)
                return fail("screenshots are not available here");
            h.draw();
            r = hooks.screenshot(std::string(arg));
        } else {
            return fail("unknown command \"" + std::string(cmd)
                + "\" (tap, type, wait, expect, expect-not, screen, screenshot, remember-code)");
        }
        if (!r.ok())
            return fail(r.error().message);
        if (h.needs_draw())
            h.draw();
    }
    return {};
}

} // namespace kiosk
