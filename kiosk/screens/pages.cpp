// Page lists and articles (Markdown pages with QR links), and regional potential.
#include "screens/screens.h"

namespace kiosk::screens {

using namespace ui;
using ksd::Lang;

namespace {

// A readable measure: very long lines tire the eye on a wide panel.
Rect reading_column(Theme const& t, Rect content) {
    int max_w = t.reading_w;
    if (content.w > max_w)
        return {content.x + (content.w - max_w) / 2, content.y, max_w, content.h};
    return content;
}

// A list row: bold title, muted summary, chevron. Returns true when tapped.
bool list_row(Ui& ui, Rect r, std::string const& title, std::string const& summary) {
    auto const& t = ui.theme();
    Press p = ui.pressable(r, title, Role::ListItem);
    if (!ui.visible(r))
        return p.tapped;
    ui.renderer().fill_rounded(r.translated(0, t.shadow), t.radius, t.border);
    ui.renderer().fill_rounded(r, t.radius, p.pressed ? t.teal_tint : t.surface);
    ui.renderer().fill_rounded({r.x, r.y, t.stripe_w, r.h}, t.stripe_w / 2, t.teal);
    int chev = t.chevron;
    Rect inner = r.inset(t.space_l, t.space_m);
    inner.w -= chev + t.space_m;
    int th = ui.measurer().line_height(t.body_bold);
    int sh = summary.empty() ? 0 : ui.measurer().line_height(t.small);
    int y = r.y + (r.h - th - sh) / 2;
    ui.label({inner.x, y, inner.w, th}, title, t.body_bold, t.navy);
    if (sh)
        ui.label({inner.x, y + th, inner.w, sh}, summary, t.small, t.text_muted);
    draw_icon(ui.renderer(), Icon::ChevronRight,
        {r.right() - chev - t.space_m, r.center().y - chev / 2, chev, chev}, t.teal,
        p.pressed ? t.teal_tint : t.surface);
    return p.tapped;
}

int row_height(Ui& ui) {
    auto const& t = ui.theme();
    return std::max(t.control_h,
        ui.measurer().line_height(t.body_bold) + ui.measurer().line_height(t.small) + t.space_xl);
}

} // namespace

void page_list(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    std::string title = section_title(s, s.stack.back().ref);
    Rect content = reading_column(t, chrome(ui, s, title, out).inset(t.pad, 0));
    content.take_top(t.pad);
    Point o = ui.begin_scroll("pages", content);
    int y = o.y;
    int rh = row_height(ui);
    for (auto const& p : s.pages) {
        if (list_row(ui, {o.x, y, content.w - t.space_m, rh}, p.title, p.summary))
            out.push_back(act::OpenPage {p.id});
        y += rh + t.gap;
    }
    ui.end_scroll(y - o.y + t.pad);
}

void article(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    std::string title = section_title(s, s.page ? s.page->section : std::string());
    Rect content = chrome(ui, s, title.empty() && s.page ? s.page->title : title, out);
    Rect col = reading_column(t, content.inset(t.pad, 0));
    Point o = ui.begin_scroll("article", col);
    int w = col.w - t.space_l;
    int y = o.y + t.pad;
    if (s.page) {
        y += ui.paragraph({o.x, y, w, 0}, s.page->title, t.heading1, t.navy);
        if (!s.page->summary.empty()) {
            y += t.space_s;
            y += ui.paragraph({o.x, y, w, 0}, s.page->summary, t.body_italic, t.text_muted);
        }
        ui.renderer().fill_rect({o.x, y + t.space_m, t.rule_w, t.rule_h}, t.accent);
        y += t.space_xl;
        y += doc_view(ui, s.doc, {o.x, y}, w, out);
        y += t.space_xl;
        if (int h = related_view(ui, s, s.doc, {o.x, y}, w, out))
            y += h + t.space_xl;
        y += links_view(ui, s, s.page->links, {o.x, y}, w);
    } else {
        y += ui.paragraph(
            {o.x, y, w, 0}, tr(s.lang, S::ThisPageIsNotAvailable), t.body, t.text_muted);
    }
    ui.end_scroll(y - o.y + t.pad);
}

void potential_list(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    std::string title = section_title(s, s.stack.back().ref);
    Rect content = reading_column(t, chrome(ui, s, title, out).inset(t.pad, 0));
    content.take_top(t.pad);
    Point o = ui.begin_scroll("potential", content);
    int y = o.y;
    int rh = row_height(ui);
    for (auto const& p : s.potentials) {
        std::string sub
            = sector_name(p.sector, s.lang) + (p.summary.empty() ? "" : " \xC2\xB7 " + p.summary);
        if (list_row(ui, {o.x, y, content.w - t.space_m, rh}, p.title, sub))
            out.push_back(act::OpenPotential {p.id});
        y += rh + t.gap;
    }
    ui.end_scroll(y - o.y + t.pad);
}

void potential_detail(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Rect content = chrome(ui, s, section_title(s, s.stack[s.stack.size() - 2].ref), out);
    Rect col = reading_column(t, content.inset(t.pad, 0));
    Point o = ui.begin_scroll("potential-detail", col);
    int w = col.w - t.space_l;
    int y = o.y + t.pad;
    if (s.potential) {
        auto const& p = *s.potential;
        y += ui.paragraph({o.x, y, w, 0}, p.title, t.heading1, t.navy);
        y += t.space_s;
        int ih = ui.measurer().line_height(t.body);
        draw_icon(ui.renderer(), Icon::Potential, {o.x, y + ih / 6, ih * 2 / 3, ih * 2 / 3}, t.teal,
            t.background);
        ui.label({o.x + ih, y, w - ih, ih}, sector_name(p.sector, s.lang), t.body, t.text_muted);
        y += ih;
        if (!p.location.empty()) {
            draw_icon(ui.renderer(), Icon::Location, {o.x, y + ih / 6, ih * 2 / 3, ih * 2 / 3},
                t.teal, t.background);
            ui.label({o.x + ih, y, w - ih, ih}, p.location, t.body, t.text_muted);
            y += ih;
        }
        if (!p.summary.empty()) {
            y += t.space_m;
            y += ui.paragraph({o.x, y, w, 0}, p.summary, t.body_italic, t.text);
        }
        ui.renderer().fill_rect({o.x, y + t.space_m, t.rule_w, t.rule_h}, t.accent);
        y += t.space_xl;
        y += doc_view(ui, s.doc, {o.x, y}, w, out);
        y += t.space_xl;
        y += related_view(ui, s, s.doc, {o.x, y}, w, out);
    }
    ui.end_scroll(y - o.y + t.pad);
}

} // namespace kiosk::screens
