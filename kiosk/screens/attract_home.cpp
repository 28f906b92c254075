// The attract screen (the kiosk at rest), the calm "being updated" screen and home's tiles.
#include "screens/screens.h"
#include "ui/layout.h"

#include <cstdio>

namespace kiosk::screens {

using namespace ui;
using ksd::Lang;

namespace { } // namespace

void attract(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Rect screen {0, 0, t.screen.w, t.screen.h};
    // The whole screen is one target; the first touch only wakes the kiosk (on Down, so the
    // Up lands on a home screen that never saw the Down and presses nothing).
    ui.pressable(screen, tr(Lang::Id, S::TouchToStart), Role::Container);
    if (ui.event() && ui.event()->kind == PointerKind::Down)
        out.push_back(act::Wake {});
    auto& r = ui.renderer();
    r.fill_rect(screen, t.navy);

    // Vertically a single pad on a short panel: large text needs the room.
    Rect area = screen.inset(t.pad * 2, t.portrait ? t.pad * 2 : t.pad);
    if (s.demo)
        area.take_bottom(t.banner_h);
    auto& m = ui.measurer();
    // A tall portrait panel (the lobby totem) is seen from across the hall: bigger type that
    // uses its height, not a phone's layout stretched.
    Font name_font = t.portrait ? t.heading1 : t.title;
    Font big = t.attract_invite;
    Font invite_en = t.portrait ? t.body : t.small;
    int lh = m.line_height(big);
    int sh = m.line_height(invite_en);
    int dh = m.line_height(t.body);
    // The invitation's band holds its two lines, whatever the text size.
    int bottom_h = std::max(t.attract_band_h, lh + sh + t.space_xl);
    Font clock_font = t.clock;
    int ch = m.line_height(clock_font);
    std::string clock = ksd::clock_in(s.unix_time, s.zone);
    std::string date = ksd::format_date_long(s.today, false);

    // Institution at the top, with a small accent rule.
    auto head_height = [&](TextBlock const& parent, TextBlock const& name) {
        return t.space_m + parent.height + t.space_2xs + name.height + t.space_m;
    };
    TextBlock parent = layout_text(
        m, s.institution.parent.get(Lang::Id), t.body, t.on_dark_muted, area.w, Align::Left);
    TextBlock name = layout_text(
        m, s.institution.name.get(Lang::Id), name_font, t.on_dark, area.w, Align::Left);
    // Large text on a small panel: the parent body goes before the clock would not fit.
    bool show_date = true;
    if (!t.portrait && head_height(parent, name) + bottom_h + ch + dh > area.h)
        parent = {};
    if (!t.portrait && head_height(parent, name) + bottom_h + ch + dh > area.h)
        show_date = false;
    int head_h = head_height(parent, name);
    // The logo, when the content has one, stands left of the name at the height of the block.
    int logo_w = 0;
    if (auto size = s.institution.logo.empty() ? std::nullopt : r.image_size(s.institution.logo)) {
        int logo_h = head_h - t.space_m;
        logo_w = size->h > 0 ? std::min(area.w / 4, size->w * logo_h / size->h) : 0;
        Rect logo {area.x, area.y, logo_w, logo_h};
        ui.record(logo, "logo", Role::Image);
        r.image(logo, s.institution.logo);
        if (logo_w) {
            logo_w += t.space_l;
            // The texts wrap in what the logo leaves of the width.
            if (!parent.runs.empty())
                parent = layout_text(m, s.institution.parent.get(Lang::Id), t.body, t.on_dark_muted,
                    area.w - logo_w, Align::Left);
            name = layout_text(m, s.institution.name.get(Lang::Id), name_font, t.on_dark,
                area.w - logo_w, Align::Left);
            head_h = std::max(head_h, head_height(parent, name));
        }
    }
    Rect head = area.take_top(head_h);
    head.take_left(logo_w);
    r.fill_rect({head.x, head.y, t.rule_w, t.rule_h}, t.accent);
    int y = head.y + t.space_m;
    ui.text_block(parent, {head.x, y}, head.w);
    ui.text_block(
        name, {head.x, y + parent.height + (parent.runs.empty() ? 0 : t.space_2xs)}, head.w);

    // Clock and date on the right of the middle band (below in portrait).
    Rect mid = area;
    Rect bottom = mid.take_bottom(bottom_h);
    int clock_w = m.text_width(clock, clock_font);
    int date_w = show_date ? m.text_width(date, t.body) : 0;
    int sh_date = show_date ? dh : 0;
    Rect clock_box = t.portrait ? mid.take_top(ch + sh_date + t.space_xl)
                                : mid.take_right(std::max({clock_w, date_w, t.clock_w}));
    int cy = clock_box.y + (clock_box.h - ch - sh_date) / 2;
    Align ca = t.portrait ? Align::Left : Align::Right;
    ui.label({clock_box.x, cy, clock_box.w, ch}, clock, clock_font, t.on_dark, ca);
    if (show_date)
        ui.label({clock_box.x, cy + ch, clock_box.w, dh}, date, t.body, t.on_dark_muted, ca);

    // A rotating highlight: the time decides which, so it changes without state.
    Rect hb = mid.inset(0, t.space_m);
    hb.w -= t.pad * 2;
    if (!s.highlights.empty() && hb.h > 0) {
        size_t i = size_t((s.unix_time / 10) % int64_t(s.highlights.size()));
        auto const& h = s.highlights[i];
        Font f = t.attract_highlight;
        TextBlock id_block = layout_text(
            ui.measurer(), h.text.get(Lang::Id), f, t.on_dark, hb.w, Align::Left, t.line_gap);
        TextBlock en_block = layout_text(
            ui.measurer(), h.text.get(Lang::En), t.body_italic, t.on_dark_muted, hb.w, Align::Left);
        int total = id_block.height + t.space_m + en_block.height;
        // A small panel with large text has room for one language only: Indonesian.
        if (total > hb.h) {
            en_block = {};
            total = id_block.height;
        }
        // Not even that fits (large text on a small panel): the poster goes without it.
        if (total > hb.h) {
            id_block = en_block = {};
            total = 0;
        }
        int hy = hb.y + std::max(0, (hb.h - total) / 2);
        r.fill_rect({hb.x, hy, t.stripe_w, total}, t.teal);
        ui.text_block(id_block, {hb.x + t.space_l, hy}, hb.w - t.space_l);
        ui.text_block(
            en_block, {hb.x + t.space_l, hy + id_block.height + t.space_m}, hb.w - t.space_l);
    }

    // The invitation, large and centred, on a teal band.
    Rect band = bottom.inset(0, t.space_m);
    r.fill_rounded(band, band.h / 2, t.teal);
    int by = band.y + (band.h - lh - sh) / 2;
    ui.label(
        {band.x, by, band.w, lh}, tr(Lang::Id, S::TouchToStart), big, t.on_dark, Align::Center);
    ui.label({band.x, by + lh, band.w, sh}, tr(Lang::En, S::TouchToStart), invite_en,
        t.on_dark_muted, Align::Center);

    if (s.demo)
        demo_banner(ui, s, {0, t.screen.h - t.banner_h, t.screen.w, t.banner_h});
}

namespace {

// A button labelled in both languages, Indonesian first (no language is chosen on this screen);
// tests tap it by its Indonesian label.
int bilingual_button_height(Ui& ui) {
    auto const& t = ui.theme();
    return std::max(t.control_h,
        ui.measurer().line_height(t.button) + ui.measurer().line_height(t.small) + t.space_m);
}

bool bilingual_button(Ui& ui, Rect r, S key, Icon icon) {
    auto const& t = ui.theme();
    std::string id = tr(Lang::Id, key), en = tr(Lang::En, key);
    Press p = ui.pressable(r, id, Role::Button);
    ui.renderer().fill_rounded(r, t.radius, p.pressed ? t.teal_pressed : t.teal);
    int is = std::min(r.h / 2, t.button_icon);
    Rect inner = r.inset(t.space_m, 0);
    draw_icon(ui.renderer(), icon, {inner.x, r.center().y - is / 2, is, is}, t.on_dark,
        p.pressed ? t.teal_pressed : t.teal);
    inner.take_left(is + t.space_m);
    int h1 = ui.measurer().line_height(t.button), h2 = ui.measurer().line_height(t.small);
    int y = r.y + (r.h - h1 - h2) / 2;
    ui.label({inner.x, y, inner.w, h1}, id, t.button, t.on_dark);
    ui.label({inner.x, y + h1, inner.w, h2}, en, t.small, t.on_dark_muted);
    return p.tapped;
}

} // namespace

// No usable pack: calm words in both languages, and what needs no pack stays at hand: the
// request wizard, the status lookup and the office's contacts from the kiosk's own config.
void unavailable(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Rect screen {0, 0, t.screen.w, t.screen.h};
    ui.renderer().fill_rect(screen, t.navy);
    Rect box = screen.inset(t.pad * 2, t.pad);
    auto& m = ui.measurer();
    Font big = t.display;
    int lh = m.line_height(t.body);
    Rect foot = box.take_bottom(lh);
    ui.label(foot,
        ksd::clock_in(s.unix_time, s.zone) + "  \xC2\xB7  " + ksd::format_date_long(s.today, false),
        t.body, t.on_dark_muted, Align::Center);
    box.take_bottom(t.gap);
    // Both languages at once: nobody has chosen one yet.
    TextBlock b1 = layout_text(
        m, tr(Lang::Id, S::InformationBeingUpdated), big, t.on_dark, box.w, Align::Center);
    TextBlock b2 = layout_text(m, tr(Lang::En, S::InformationBeingUpdated), t.body_italic,
        t.on_dark_muted, box.w, Align::Center);
    TextBlock b3 = layout_text(
        m, tr(Lang::Id, S::RequestsStillOpen), t.body, t.on_dark, box.w, Align::Center);
    TextBlock b4 = layout_text(
        m, tr(Lang::En, S::RequestsStillOpen), t.body, t.on_dark_muted, box.w, Align::Center);

    // Buttons and the office's contacts: side by side on a landscape panel, stacked in portrait.
    bool side = !t.portrait && !s.office.empty();
    int col_w = side ? (box.w - 2 * t.gap) / 2 : std::min(box.w, t.dialog_w);
    int bh = bilingual_button_height(ui);
    int buttons_h = 2 * bh + t.gap;
    std::string contact_head
        = std::string(tr(Lang::Id, S::ContactUs)) + " \xC2\xB7 " + tr(Lang::En, S::ContactUs);
    int card_h = s.office.empty() ? 0 : office_contact_height(ui, s.office, contact_head, col_w);
    int middle_h = side ? std::max(buttons_h, card_h) : buttons_h + (card_h ? t.gap + card_h : 0);
    int text_h = b1.height + t.space_xs + b2.height + t.space_m + b3.height + b4.height;
    int icon = t.icon;
    // The clock icon only where there is room for it: the buttons and contacts come first.
    bool show_icon = box.h >= icon + t.space_l + text_h + t.pad + middle_h;
    int total = (show_icon ? icon + t.space_l : 0) + text_h + t.pad + middle_h;
    // Large text on a short panel: what does not fit scrolls (the contacts come last).
    bool scrolls = total > box.h;
    int y = scrolls ? ui.begin_scroll("unavailable", box).y
                    : box.y + std::max(0, (box.h - total) / 2);
    if (show_icon) {
        ui.renderer().fill_circle({box.center().x, y + icon / 2}, icon / 2, t.teal);
        draw_icon(ui.renderer(), Icon::Clock,
            {box.center().x - icon / 3, y + icon / 6, icon * 2 / 3, icon * 2 / 3}, t.on_dark,
            t.teal);
        y += icon + t.space_l;
    }
    // Staff mode's hidden gesture here too (five taps on the heading): a USB stick is how a
    // kiosk without a usable pack and without network gets one.
    int gh = std::max(b1.height, t.control_h);
    if (ui.pressable({box.x, y - (gh - b1.height) / 2, box.w, gh}, "staff-gesture", Role::Button)
            .tapped)
        out.push_back(act::StaffGesture {});
    ui.text_block(b1, {box.x, y}, box.w);
    y += b1.height + t.space_xs;
    ui.text_block(b2, {box.x, y}, box.w);
    y += b2.height + t.space_m;
    ui.text_block(b3, {box.x, y}, box.w);
    y += b3.height;
    ui.text_block(b4, {box.x, y}, box.w);
    y += b4.height + t.pad;

    int x0 = box.x + (box.w - (side ? 2 * col_w + 2 * t.gap : col_w)) / 2;
    int by = side ? y + (middle_h - buttons_h) / 2 : y;
    if (bilingual_button(ui, {x0, by, col_w, bh}, S::RequestAConsultation, Icon::Chat))
        out.push_back(act::OpenRequest {});
    if (bilingual_button(ui, {x0, by + bh + t.gap, col_w, bh}, S::CheckTicketStatus, Icon::Clock))
        out.push_back(act::OpenStatus {});
    if (card_h > 0) {
        Rect card = side ? Rect {x0 + col_w + 2 * t.gap, y + (middle_h - card_h) / 2, col_w, card_h}
                         : Rect {x0, y + buttons_h + t.gap, col_w, card_h};
        office_contact(ui, s.office, contact_head, card);
    }
    if (scrolls)
        ui.end_scroll(total);
}

void home(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    std::string name = s.institution.name.get(s.lang);
    Rect title_row;
    Rect content = chrome(ui, s, name, out, &title_row).inset(t.pad);
    // The institution's name whole: in the bar when it fits on one line, else wrapped above
    // the tiles (a portrait bar is narrow: it was cut to "Bagian Kerja Sama dan Per…").
    if (ui.measurer().text_width(name, t.title) <= title_row.w) {
        ui.label(title_row, name, t.title, t.on_dark);
    } else {
        TextBlock b = layout_text(ui.measurer(), name, t.heading2, t.navy, content.w, Align::Left);
        ui.text_block(b, {content.x, content.y}, content.w);
        content.take_top(b.height + t.gap);
    }
    // The pack's sections, then the services of the kiosk itself (requests, status, survey).
    enum class Kind : uint8_t { Section, Request, Status, Survey };
    struct Entry {
        std::string label;
        Icon icon;
        Kind kind;
    };
    std::vector<Entry> entries;
    for (auto const& sec : s.sections)
        entries.push_back({sec.title.get(s.lang), icon_from_name(sec.icon), Kind::Section});
    entries.push_back({tr(s.lang, S::RequestAConsultation), Icon::Chat, Kind::Request});
    entries.push_back({tr(s.lang, S::CheckTicketStatus), Icon::Clock, Kind::Status});
    entries.push_back({tr(s.lang, S::SatisfactionSurvey), Icon::Smile, Kind::Survey});
    int n = int(entries.size());
    // Room under the last row for the tiles' shadow.
    Rect area = content;
    area.h -= t.tile_shadow;
    // Columns for the largest tiles whose labels show whole; rows that do not fit scroll.
    Grid grid = grid_for(area, n, t.gap, 1.25f, [&](int w) {
        int need = 0;
        for (auto const& e : entries) {
            int h = ui.tile_min_height(e.label, w);
            if (h < 0)
                return -1;
            need = std::max(need, h);
        }
        return need;
    });
    bool scrolls = grid.height() > area.h;
    if (scrolls) {
        // The scroll bar goes in the margin: the grid keeps clear of it.
        Point o = ui.begin_scroll("home", content);
        grid.area = {o.x, o.y, content.w, grid.height()};
    }
    for (int i = 0; i < n; ++i) {
        auto const& e = entries[size_t(i)];
        if (!ui.tile(grid.cell(i), e.label, e.icon))
            continue;
        switch (e.kind) {
        case Kind::Section:
            out.push_back(act::OpenSection {s.sections[size_t(i)].id});
            break;
        case Kind::Request:
            out.push_back(act::OpenRequest {});
            break;
        case Kind::Status:
            out.push_back(act::OpenStatus {});
            break;
        case Kind::Survey:
            out.push_back(act::OpenSurvey {});
            break;
        }
    }
    if (scrolls)
        ui.end_scroll(grid.height() + t.tile_shadow);
}

} // namespace kiosk::screens
