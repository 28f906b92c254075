// The Host runs passes of the UI over the App: one input pass per event (drawing nothing),
// then one drawing pass. It is also the test driver: tap by label, type on the on-screen
// keyboard, expect visible text, all without pixels.
#pragma once

#include "app/app.h"
#include "ui/ui.h"

#include <optional>
#include <string>

namespace kiosk {

class Host {
public:
    Host(App&, ui::Renderer&, ui::TextMeasurer&, ui::Size screen);

    App& app() { return m_app; }
    ui::Ui& ui() { return m_ui; }
    ui::Size screen() const { return m_screen; }
    ui::Theme theme() const;

    // Handles one input event: updates the App; returns true when something changed.
    bool handle(ui::InputEvent);
    // Draws the current state through the real renderer and records the widgets.
    void draw();
    // Whether a drawing pass is needed (changed state, or animation running).
    bool needs_draw() const { return m_dirty || m_ui.animating(); }
    void mark_dirty() { m_dirty = true; }
    bool dirty() const { return m_dirty; }

    // Advances the clock; returns true when the picture must change.
    bool advance(int64_t mono_ms, int64_t unix_seconds);

    // Label-driven testing, on the widgets of the last drawing pass.
    ksd::Result<void> tap(std::string_view label);
    ksd::Result<void> type(std::string_view text);
    bool text_visible(std::string_view text) const;
    // The first visible ticket code ("XXXXX-XXXXX" with a valid check character).
    std::optional<std::string> visible_ticket_code() const;
    // Like a visitor, scrolls the scroll views of the top layer when the text is not in sight.
    ksd::Result<void> expect(std::string_view text);
    // Everything visible, one widget per line, for error messages.
    std::string describe() const;

private:
    void run_pass(std::optional<ui::InputEvent>, ui::Renderer&);
    ui::WidgetRecord const* find(std::string_view label, bool keys_only) const;
    void tap_at(ui::Point);
    // Drags the top layer's scroll views, a page at a time, first back to their tops, then
    // down, until found() holds after a drawing pass; false when it never does.
    template <class Found>
    bool scroll_until(Found found);
    void drag(ui::Point from, ui::Point to);

    App& m_app;
    ui::Renderer& m_renderer;
    ui::Ui m_ui;
    ui::Size m_screen;
    bool m_dirty {true};
    std::vector<ui::WidgetRecord> m_last_widgets;
};

} // namespace kiosk
