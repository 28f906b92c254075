// Script interpreter and named-screen navigation.
#include "app/script.h"

#include "ui/keyboard.h"

#include <charconv>

namespace kiosk {

std::vector<std::string> const& screen_names() {
    static std::vector<std::string> const names = {"attract", "home", "article", "register",
        "register-keyboard", "register-picker", "register-detail", "potential", "potential-detail",
        "faq", "contacts", "idle", "unavailable"};
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
    h.app().apply({ActionKind::OpenSection, sec->id});
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
    app.apply({ActionKind::Wake});
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
    if (name == "article") {
        // The first pages section, preferring one that opens an article directly.
        auto const* sec = first_section(app.state(), "pages", "tentang");
        if (!sec)
            return ksd::make_error("the content has no pages section");
        app.apply({ActionKind::OpenSection, sec->id});
        if (app.state().screen() == ScreenId::PageList && !app.state().pages.empty())
            app.apply({ActionKind::OpenPage, app.state().pages.front().id});
        return app.state().screen() == ScreenId::Article
            ? ksd::Result<void> {}
            : ksd::make_error("no article could be opened");
    }
    if (name.starts_with("register")) {
        TRY_VOID(open_section(h, "register"));
        if (name == "register-keyboard") {
            app.apply({ActionKind::ShowKeyboard});
            app.apply({ActionKind::SetQuery, "kelapa"});
        } else if (name == "register-picker") {
            app.apply({ActionKind::OpenPicker, {}, int64_t(Picker::Sector)});
        } else if (name == "register-detail") {
            if (app.state().reg.results.empty())
                return ksd::make_error("the register is empty");
            app.apply({ActionKind::OpenAgreement, {}, app.state().reg.results.front().id});
        }
        return {};
    }
    if (name.starts_with("potential")) {
        TRY_VOID(open_section(h, "potential"));
        if (name == "potential-detail") {
            if (app.state().potentials.empty())
                return ksd::make_error("no potential in the content");
            app.apply({ActionKind::OpenPotential, app.state().potentials.front().id});
        }
        return {};
    }
    if (name == "faq") {
        TRY_VOID(open_section(h, "faq"));
        if (!app.state().faq.empty())
            app.apply({ActionKind::ToggleFaq, app.state().faq.front().id});
        return {};
    }
    if (name == "contacts")
        return open_section(h, "contacts");
    return {};
}

ksd::Result<void> run_script(
    Host& h, std::string_view script, ScriptHooks const& hooks, int64_t mono, int64_t unix) {
    h.advance(mono, unix);
    int64_t mono_start = mono;
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
            int64_t ms = 0;
            auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), ms);
            if (ec != std::errc() || p != arg.data() + arg.size() || ms < 0)
                return fail("wait needs milliseconds");
            // Step the virtual clock so timers fire in order; draw what changes.
            int64_t target = mono + ms;
            while (mono < target) {
                mono = std::min(target, mono + 250);
                if (h.advance(mono, unix + (mono - mono_start) / 1000))
                    h.draw();
            }
        } else if (cmd == "screen") {
            r = navigate_to(h, arg);
        } else if (cmd == "screenshot") {
            if (arg.empty())
                return fail("screenshot needs a file name");
            if (!hooks.screenshot)
                return fail("screenshots are not available here");
            h.draw();
            r = hooks.screenshot(std::string(arg));
        } else {
            return fail("unknown command \"" + std::string(cmd)
                + "\" (tap, type, wait, expect, expect-not, screen, screenshot)");
        }
        if (!r.ok())
            return fail(r.error().message);
        if (h.needs_draw())
            h.draw();
    }
    return {};
}

} // namespace kiosk
