// Passes, and the label-driven test helpers.
#include "app/host.h"

#include "ksd/log.h"
#include "ksd/tickets.h"
#include "screens/screens.h"

namespace kiosk {

using namespace ui;

namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

} // namespace

Host::Host(App& app, Renderer& renderer, TextMeasurer& measurer, Size screen)
    : m_app(app)
    , m_renderer(renderer)
    , m_ui(renderer, measurer)
    , m_screen(screen) {
}

Theme Host::theme() const {
    return Theme::make(m_screen, m_app.state().text_size, m_app.state().contrast,
        m_app.options().panel_diagonal_inches);
}

void Host::run_pass(std::optional<InputEvent> event, Renderer& renderer) {
    if (m_app.take_ui_reset())
        m_ui.reset_state();
    if (m_app.take_forget_text()) {
        m_renderer.forget_cached_text();
        m_ui.measurer().forget_cached_text();
        m_ui.forget_cached_text();
    }
    for (auto const& name : m_app.take_scroll_resets())
        m_ui.reset_scroll(name);
    m_ui.set_renderer(renderer);
    std::vector<Action> actions;
    m_ui.begin(theme(), event, m_app.now_ms(), screens::input_layer(m_app.state()));
    screens::draw(m_ui, m_app.state(), actions);
    m_ui.end();
    for (auto const& a : actions)
        m_app.apply(a);
    if (!actions.empty())
        m_dirty = true;
}

bool Host::handle(InputEvent e) {
    m_app.note_input();
    if (m_app.state().idle_prompt && e.kind == PointerKind::Down) {
        // Any touch answers "still there?"; it must not press what lies under the prompt.
        m_app.apply(act::StillHere {});
        m_dirty = true;
        return true;
    }
    MeasureOnlyRenderer measure(m_renderer);
    run_pass(e, measure);
    // Press feedback and drag scrolling change the picture even without an action.
    m_dirty = true;
    return m_dirty;
}

void Host::draw() {
    run_pass(std::nullopt, m_renderer);
    m_last_widgets = m_ui.widgets();
    // A pass that produced actions (none expected without input) leaves m_dirty set.
    m_dirty = false;
}

bool Host::advance(int64_t mono_ms, int64_t unix_seconds) {
    m_app.set_time(mono_ms, unix_seconds);
    if (m_app.tick())
        m_dirty = true;
    return needs_draw();
}

WidgetRecord const* Host::find(std::string_view label, bool keys_only) const {
    WidgetRecord const* fallback = nullptr;
    int top = -1;
    for (auto const& w : m_last_widgets)
        top = std::max(top, w.layer);
    std::string want = lower_ascii(label);
    for (auto const& w : m_last_widgets) {
        if (!w.interactive || w.layer != top)
            continue;
        if (keys_only != (w.role == Role::Key))
            continue;
        if (w.label == label)
            return &w;
        if (!fallback && lower_ascii(w.label) == want)
            fallback = &w;
    }
    return fallback;
}

void Host::tap_at(Point p) {
    // image/test-boot.sh replays these points as touches on the booted image (KSD_LOG_LEVEL=debug).
    ksd::log::debug("host", "tap at " + std::to_string(p.x) + "," + std::to_string(p.y));
    if (needs_draw())
        draw();
    handle({PointerKind::Down, p});
    if (needs_draw())
        draw();
    handle({PointerKind::Up, p});
    if (needs_draw())
        draw();
}

void Host::drag(Point from, Point to) {
    // No time passes during the drag: the scroll view takes no speed from it, so no fling
    // scrolls further than the finger went.
    if (needs_draw())
        draw();
    handle({PointerKind::Down, from});
    handle({PointerKind::Move, to});
    handle({PointerKind::Up, to});
    draw();
}

template <class Found>
bool Host::scroll_until(Found found) {
    if (needs_draw())
        draw();
    if (found())
        return true;
    int top = -1;
    for (auto const& w : m_last_widgets)
        top = std::max(top, w.layer);
    std::vector<Rect> views;
    for (auto const& w : m_last_widgets)
        if (w.role == Role::ScrollView && w.layer == top && w.rect.h > 0)
            views.push_back(w.rect);
    // What is in sight, where: a long text moved up by a drag keeps its label.
    auto picture = [&] {
        std::string out;
        for (auto const& w : m_last_widgets)
            out += w.label + "@" + std::to_string(w.rect.y) + "," + std::to_string(w.full.y) + "\n";
        return out;
    };
    for (Rect v : views) {
        // Half a page per drag: nothing is skipped between two pictures.
        int step = std::max(1, v.h / 2);
        Point low {v.center().x, v.y + v.h * 3 / 4}, high {low.x, low.y - step};
        for (int i = 0; i < 100; ++i) { // back to the top
            auto before = picture();
            drag(high, low);
            if (found())
                return true;
            if (picture() == before)
                break;
        }
        for (int i = 0; i < 100; ++i) { // then down to the end
            auto before = picture();
            drag(low, high);
            if (found())
                return true;
            if (picture() == before)
                break;
        }
        for (int i = 0; i < 100; ++i) { // not there: back to the top, as it was found
            auto before = picture();
            drag(high, low);
            if (picture() == before)
                break;
        }
    }
    return false;
}

ksd::Result<void> Host::tap(std::string_view label) {
    if (needs_draw())
        draw();
    auto const* w = find(label, false);
    if (!w)
        w = find(label, true);
    if (!w && scroll_until([&] { return find(label, false) || find(label, true); })) {
        w = find(label, false);
        if (!w)
            w = find(label, true);
    }
    if (!w)
        return ksd::make_error("no widget labelled \"" + std::string(label)
            + "\" on screen; visible widgets:\n" + describe());
    tap_at(w->rect.center());
    return {};
}

ksd::Result<void> Host::type(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        size_t n = 1;
        while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80)
            ++n;
        std::string ch(text.substr(i, n));
        i += n;
        std::string key = ch == " " ? std::string(ui::tr(m_app.state().lang, ui::S::Space)) : ch;
        if (needs_draw())
            draw();
        auto const* w = find(key, true);
        if (!w) {
            // Switch keyboard page (letters, shift, symbols, accents) until the key shows up.
            for (char const* page :
                {"Shift", "?123", "ABC", "Shift", "\u00e0\u00e9", "Shift", "ABC"}) {
                auto const* p = find(page, true);
                if (!p)
                    continue;
                tap_at(p->rect.center());
                if ((w = find(key, true)) && w->label == key)
                    break;
                w = nullptr;
            }
        } else if (w->label != key) {
            w = nullptr; // case-insensitive hit: the wrong case is showing
            if (auto const* shift = find("Shift", true)) {
                tap_at(shift->rect.center());
                w = find(key, true);
                if (w && w->label != key)
                    w = nullptr;
            }
        }
        if (!w)
            return ksd::make_error("no key \"" + key
                + "\" on the on-screen keyboard; visible widgets:\n" + describe());
        tap_at(w->rect.center());
    }
    return {};
}

bool Host::text_visible(std::string_view text) const {
    for (auto const& w : m_last_widgets)
        if (w.label.find(text) != std::string::npos)
            return true;
    return false;
}

ksd::Result<void> Host::expect(std::string_view text) {
    // Scrolled until the text shows whole, as a visitor would; partly in sight will do when
    // it never does (taller than the view).
    auto whole = [&] {
        for (auto const& w : m_last_widgets)
            if (w.label.find(text) != std::string::npos && w.rect == w.full)
                return true;
        return false;
    };
    if (scroll_until(whole) || text_visible(text))
        return {};
    return ksd::make_error(
        "expected text \"" + std::string(text) + "\" is not visible; visible:\n" + describe());
}

std::optional<std::string> Host::visible_ticket_code() const {
    for (auto const& w : m_last_widgets) {
        std::string_view l = w.label;
        for (size_t i = 0; i + 11 <= l.size(); ++i) {
            if (l[i + 5] != '-')
                continue;
            if (auto code = ksd::normalize_ticket_code(l.substr(i, 11));
                code && *code == l.substr(i, 11))
                return code;
        }
    }
    return std::nullopt;
}

namespace {

// A switch, not an array indexed by the enum: a role added to the toolkit is a compile error
// here (-Wswitch), not a read past the end (it was one).
char const* role_name(Role r) {
    switch (r) {
    case Role::Button:
        return "button";
    case Role::Tile:
        return "tile";
    case Role::ListItem:
        return "item";
    case Role::Key:
        return "key";
    case Role::TextField:
        return "field";
    case Role::Text:
        return "text";
    case Role::Container:
        return "box";
    case Role::Qr:
        return "qr";
    case Role::Image:
        return "image";
    case Role::ScrollView:
        return "scroll";
    case Role::Link:
        return "link";
    }
    return "?";
}

} // namespace

std::string Host::describe() const {
    std::string out;
    for (auto const& w : m_last_widgets) {
        if (w.role == Role::Key)
            continue;
        out += "  [" + std::string(role_name(w.role)) + " L" + std::to_string(w.layer) + "] "
            + w.label + "\n";
    }
    return out;
}

} // namespace kiosk
