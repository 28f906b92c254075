// The immediate-mode UI context: screens call widget functions that draw through the Renderer
// and return what happened (tapped, changed). One pass handles at most one input event, so the
// order of Down and Up is never lost. Every pass also records the widgets it placed (label,
// rectangle, role) for label-driven tests and the layout test.
#pragma once

#include "ui/geometry.h"
#include "ui/icons.h"
#include "ui/input.h"
#include "ui/renderer.h"
#include "ui/text_layout.h"
#include "ui/theme.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kiosk::ui {

// ScrollView: the viewport of a scroll view (what it holds may be cut at its top and bottom).
// Link: underlined words inside running text, as tall as their line (smaller than a touch
// target by nature; the "Lihat juga" buttons under the text are the full-size way).
enum class Role : uint8_t {
    Button,
    Tile,
    ListItem,
    Key,
    TextField,
    Text,
    Container,
    Qr,
    Image,
    ScrollView,
    Link
};

struct WidgetRecord {
    std::string label; // what a visitor reads, or the name of an icon-only button
    Role role;
    Rect rect; // the visible part (clipped by scroll views)
    Rect full; // the whole widget
    int layer {0};
    bool interactive {false};
};

enum class ButtonStyle : uint8_t {
    Primary, // teal, white text
    Secondary, // white with a border
    Selected, // navy, white text: the chosen option of a group
    OnDark, // on the navy top bar
    OnDarkSelected,
};

struct Press {
    bool pressed {false}; // held down now: draw feedback
    bool tapped {false}; // released inside: act
};

enum class Focus : uint8_t { Focused, Unfocused };

// A screen's misuse of the scroll (and so clip) stack, found by Ui::end and Ui::end_scroll:
// a bug in the caller, never bad input. UnclosedScroll: a begin_scroll without its end_scroll
// by the end of the pass; ExtraEndScroll: an end_scroll without a begin_scroll.
enum class StackError : uint8_t { None, UnclosedScroll, ExtraEndScroll };
// What the Ui does on a StackError. Abort: print how to fix it and abort (debug and sanitizer
// builds, so a test run catches it). Repair: log an error once, repair the stacks and go on
// (release builds: a visitor never sees a crash; tests of the check itself).
enum class OnMisuse : uint8_t { Abort, Repair };
// Abort where asserts are on (dev: Debug; asan: its RelWithDebInfo flags are "-O1 -g1", no
// NDEBUG) and in any address-sanitized build (fuzz); Repair in release (NDEBUG).
#if !defined(NDEBUG) || defined(__SANITIZE_ADDRESS__)
inline constexpr OnMisuse default_on_misuse = OnMisuse::Abort;
#else
inline constexpr OnMisuse default_on_misuse = OnMisuse::Repair;
#endif
char const* describe(StackError);
// The state of a checkbox and of a radio button as the screen knows it (the toolkit keeps none).
enum class Checked : uint8_t { No, Yes };
enum class Selected : uint8_t { No, Yes };

class Ui {
public:
    Ui(Renderer&, TextMeasurer&);

    // A pass: event is the one input event it handles (none for a pure drawing pass);
    // input_layer is the layer whose widgets take input (modal overlays use higher layers).
    void begin(Theme const&, std::optional<InputEvent>, int64_t now_ms, int input_layer = 0);
    // Ends the pass; a scroll view left open is a StackError (see OnMisuse), then closed.
    StackError end();
    void set_on_misuse(OnMisuse m) { m_on_misuse = m; }
    // Forgets pressed widgets, scroll positions and keyboard modes (visitor left, new screen).
    void reset_state();
    void reset_scroll(std::string_view id);
    // Forgets the text fitting remembered across passes (what a visitor typed may be in it).
    void forget_cached_text();

    void set_renderer(Renderer& r) { m_renderer = &r; }
    Renderer& renderer() { return *m_renderer; }
    TextMeasurer& measurer() { return m_measurer; }
    Theme const& theme() const { return m_theme; }
    int64_t now_ms() const { return m_now; }
    std::optional<InputEvent> const& event() const { return m_event; }
    void set_layer(int layer) { m_layer = layer; }
    int layer() const { return m_layer; }

    // True when something moves (inertia) and the caller should draw again soon.
    bool animating() const { return m_animating; }
    std::vector<WidgetRecord> const& widgets() const { return m_widgets; }

    // Core interaction: registers rect under label and tracks press/tap. Screens draw the
    // contents themselves for anything but the standard widgets below.
    Press pressable(Rect, std::string_view label, Role);
    void record(Rect, std::string_view label, Role);

    bool button(
        Rect, std::string_view label, ButtonStyle = ButtonStyle::Primary, Icon icon = Icon::None);
    // The width a button of height h needs to show text whole (with its icon), as button() lays
    // it out: rows of buttons can share their width by their words.
    int button_width(std::string_view text, int h, Icon icon = Icon::None) const;
    // An icon-only button; label is its name for tests and screen readers of the future.
    bool icon_button(Rect, std::string_view label, Icon, ButtonStyle = ButtonStyle::OnDark);
    bool tile(Rect, std::string_view label, Icon);
    // A row with a tick box and wrapped bold text; returns true when tapped (the caller
    // toggles what it shows). Checkbox and radio rows are recorded as Role::ListItem.
    bool checkbox(Rect, std::string_view label, Checked);
    // A row with a radio mark and wrapped text (bold when selected), one of a group the caller
    // keeps; returns true when tapped.
    bool radio(Rect, std::string_view label, Selected);
    // The height a checkbox or radio row of this width needs: a touch target with some air, or
    // its label's wrapped lines.
    int choice_height(std::string_view label, int width);
    // The least height a tile of this width needs to show its label whole at a size it may
    // take, or -1 when a word of it does not fit the width even at the smallest.
    int tile_min_height(std::string_view label, int width);
    // A single line of text, ellipsized to fit; vertically centred in rect.
    void label(Rect, std::string_view text, Font, Color, Align = Align::Left);
    // Wrapped text starting at rect's top-left, width rect.w; returns the height used.
    int paragraph(Rect, std::string_view text, Font, Color, Align = Align::Left, int line_gap = 0);
    // A laid-out block at origin; records its text.
    void text_block(TextBlock const&, Point origin, int width);
    // A QR code with a caption under it inside rect, the code as large as the caption leaves
    // room for (a caller reserves qr_caption_height() under a code that must keep its size).
    void qr(Rect, std::string const& data, std::string_view caption);
    // The height the caption takes under a QR code of that width (with its gap); 0 without one.
    int qr_caption_height(std::string_view caption, int width);
    void badge(Rect, std::string_view text, Color background);
    // A single-line text field; returns true when tapped (to focus it).
    bool text_field(Rect, std::string_view value, std::string_view placeholder, Focus,
        Icon icon = Icon::Search);

    // Scroll view with drag and inertia. Returns the content origin: draw children relative to
    // it (y already shifted by the scroll offset). Call end_scroll with the content height,
    // once per begin_scroll, before Ui::end.
    Point begin_scroll(std::string_view id, Rect viewport);
    StackError end_scroll(int content_height);
    // Whether a rect in content coordinates is visible at all in the current scroll view (to
    // skip drawing what lies outside).
    bool visible(Rect) const;

    // Draws a background panel (card) and registers it as a container.
    void card(Rect, Color fill, std::string_view label = {});
    // A bar filled to fraction (0..1): how far slow work is (a pack import); label names it
    // for tests ("Menyalin paket… 12 MiB dari 35 MiB").
    void progress_bar(Rect, double fraction, std::string_view label);

    // State of an on-screen keyboard (page, shift, the length of the value it last saw: no
    // text, so nothing typed is kept here), kept across passes.
    struct KeyboardState {
        int mode {0};
        std::optional<size_t> seen_length;
    };
    KeyboardState& keyboard_state(std::string_view id) { return m_keyboard_state[std::string(id)]; }

private:
    struct ScrollState {
        float offset {0};
        float velocity {0}; // px per ms, positive scrolls content up
        int content_h {0};
        int viewport_h {0};
        bool dragging {false};
        bool candidate {false};
        Point start;
        Point last;
        int64_t last_time {0};
        int64_t last_step {0};
    };
    struct ScrollFrame {
        uint64_t id;
        Rect viewport;
    };

    uint64_t make_id(std::string_view label, Role);
    Rect clip_rect() const;
    bool takes_input() const { return m_layer == m_input_layer; }
    StackError misuse(StackError);

    Renderer* m_renderer;
    TextMeasurer& m_measurer;
    Theme m_theme;
    std::optional<InputEvent> m_event;
    int64_t m_now {0};
    int m_layer {0};
    int m_input_layer {0};
    bool m_animating {false};
    OnMisuse m_on_misuse {default_on_misuse};
    bool m_misuse_logged {false};
    uint64_t m_active {0}; // the widget held down
    std::map<uint64_t, int> m_id_counts; // per pass, to tell identical labels apart
    std::map<uint64_t, ScrollState> m_scroll;
    std::vector<ScrollFrame> m_scroll_stack;
    std::vector<Rect> m_clip_stack;
    std::vector<WidgetRecord> m_widgets;
    std::map<std::string, KeyboardState, std::less<>> m_keyboard_state;
    // Text fitting asked again every pass while a screen scrolls, remembered by (text, font,
    // room): the size a tile's label takes, a tile's least height, an elided label. Each is
    // dropped whole past max_fit_entries (a hostile pack's endless labels) and on
    // forget_cached_text().
    std::unordered_map<std::string, int> m_tile_fit;
    std::unordered_map<std::string, std::string> m_elided;
};

} // namespace kiosk::ui
