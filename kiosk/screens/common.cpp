// Chrome (top bar, language switch, demo banner), the Markdown document view and dispatch.
#include "screens/screens.h"
#include "screens/speech.h"

#include "ksd/taxonomy.h"
#include "ui/keyboard.h"

namespace kiosk::screens {

using namespace ui;
using ksd::Lang;

int input_layer(State const& s) {
    if (s.idle_prompt)
        return layer_idle;
    if (s.screen() == ScreenId::Register && s.reg.picker != Picker::None)
        return layer_picker;
    if (s.screen() == ScreenId::Request && (s.form.sector_picker || s.discard_prompt))
        return layer_picker;
    if (!s.link_qr.empty())
        return layer_picker;
    return layer_screen;
}

void draw(Ui& ui, State const& s, Actions& out) {
    auto& r = ui.renderer();
    r.fill_rect({0, 0, ui.theme().screen.w, ui.theme().screen.h}, ui.theme().background);
    ui.set_layer(layer_screen);
    switch (s.screen()) {
    case ScreenId::Attract:
        attract(ui, s, out);
        break;
    case ScreenId::Home:
        home(ui, s, out);
        break;
    case ScreenId::PageList:
        page_list(ui, s, out);
        break;
    case ScreenId::Article:
        article(ui, s, out);
        break;
    case ScreenId::Register:
        register_list(ui, s, out);
        if (s.reg.picker != Picker::None) {
            ui.set_layer(layer_picker);
            register_picker(ui, s, out);
        }
        break;
    case ScreenId::RegisterDetail:
        register_detail(ui, s, out);
        break;
    case ScreenId::PotentialList:
        potential_list(ui, s, out);
        break;
    case ScreenId::PotentialDetail:
        potential_detail(ui, s, out);
        break;
    case ScreenId::Faq:
        faq(ui, s, out);
        break;
    case ScreenId::Contacts:
        contacts(ui, s, out);
        break;
    case ScreenId::Unavailable:
        unavailable(ui, s, out);
        break;
    case ScreenId::Request:
        request_form(ui, s, out);
        if (s.form.sector_picker) {
            ui.set_layer(layer_picker);
            request_sector_picker(ui, s, out);
        }
        if (s.discard_prompt) {
            ui.set_layer(layer_picker);
            request_discard_dialog(ui, s, out);
        }
        break;
    case ScreenId::RequestDone:
        request_done(ui, s, out);
        break;
    case ScreenId::RequestClosed:
        request_closed(ui, s, out);
        break;
    case ScreenId::Status:
        status_lookup(ui, s, out);
        break;
    case ScreenId::StaffPin:
        staff_pin(ui, s, out);
        break;
    case ScreenId::Staff:
        staff(ui, s, out);
        break;
    case ScreenId::Survey:
        survey(ui, s, out);
        break;
    case ScreenId::SurveyThanks:
        survey_thanks(ui, s, out);
        break;
    }
    if (!s.link_qr.empty()) {
        ui.set_layer(layer_picker);
        link_qr_dialog(ui, s, out);
    }
    if (s.idle_prompt) {
        ui.set_layer(layer_idle);
        idle_prompt(ui, s, out);
    }
}

void link_qr_dialog(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    Rect screen {0, 0, t.screen.w, t.screen.h};
    ui.renderer().fill_rect(screen, t.overlay);
    int w = std::min(screen.w - 2 * t.pad, t.dialog_w);
    auto& m = ui.measurer();
    TextBlock lead
        = layout_text(m, tr(l, S::ScanToOpenLink), t.body, t.text, w - 2 * t.pad, Align::Left);
    // The address under the code, whole: it is what the visitor checks before opening it.
    TextBlock url = layout_text(m, s.link_qr, t.small, t.text_muted, w - 2 * t.pad, Align::Center);
    int head_h = t.control_h;
    int rest = t.pad + head_h + t.space_s + lead.height + t.gap + t.space_s + url.height + t.pad;
    int room = screen.h - 2 * t.space_s;
    // A short landscape panel with large text has no room for the code under the words: the
    // code goes left of them, as tall as the panel allows.
    bool beside = !t.portrait && rest + t.qr_min > room;
    int qr_side = 0;
    if (beside) {
        w = screen.w - 2 * t.pad;
        qr_side = std::min(room - 2 * t.pad, (w - 2 * t.pad - t.gap) / 3);
        int tw = w - 2 * t.pad - qr_side - t.gap;
        lead = layout_text(m, tr(l, S::ScanToOpenLink), t.body, t.text, tw, Align::Left);
        url = layout_text(m, s.link_qr, t.small, t.text_muted, tw, Align::Left);
        rest = t.pad + head_h + t.space_s + lead.height + t.gap + url.height + t.pad;
        // Still too tall (large text on 800x480): the heading, the code and its address say it.
        if (rest > room) {
            rest -= lead.height + t.gap;
            lead = {};
        }
    } else {
        // The code as large as the panel allows: a phone held at arm's length must read it.
        qr_side = std::max(t.control_h, std::min(t.qr_max, room - rest));
    }
    int h = std::min(beside ? std::max(rest, qr_side + 2 * t.pad) : rest + qr_side, room);
    Rect panel {(screen.w - w) / 2, (screen.h - h) / 2, w, h};
    ui.card(panel, t.surface, "link-qr");
    Rect in = panel.inset(t.pad);
    if (beside) {
        Rect code = in.take_left(qr_side);
        ui.qr({code.x, code.y + (code.h - qr_side) / 2, qr_side, qr_side}, s.link_qr, "");
        in.take_left(t.gap);
    }
    Rect head = in.take_top(head_h);
    if (ui.icon_button(
            head.take_right(t.control_h), tr(l, S::Close), Icon::Close, ButtonStyle::Secondary))
        out.push_back(act::CloseLinkQr {});
    ui.label(head, tr(l, S::LinkToAnotherSite), t.heading3, t.navy);
    in.take_top(t.space_s);
    ui.text_block(lead, {in.x, in.y}, in.w);
    if (lead.height > 0)
        in.take_top(lead.height + t.gap);
    if (!beside) {
        int side = std::max(t.control_h, std::min(qr_side, in.h - url.height - t.space_s));
        ui.qr({in.x + (in.w - side) / 2, in.y, side, side}, s.link_qr, "");
        in.take_top(side + t.space_s);
    }
    ui.text_block(url, {in.x, in.y}, in.w);
}

std::string section_title(State const& s, std::string const& id) {
    if (auto const* sec = s.section(id))
        return sec->title.get(s.lang);
    return {};
}

std::string sector_name(std::string const& code, Lang l) {
    if (auto const* t = ksd::find_sector(code))
        return std::string(t->name(l));
    return code;
}

std::string kind_name(std::string const& code, Lang l) {
    if (auto const* t = ksd::find_kind(code))
        return std::string(t->name(l));
    return code;
}

std::string institution_name(State const& s) {
    std::string name = s.institution.name.get(s.lang);
    if (name.empty() && !s.office.institution.empty())
        return s.office.institution; // no pack: the kiosk's config names the office
    if (name.empty())
        return tr(s.lang, S::TheSecretariat);
    std::string parent = s.institution.parent.get(s.lang);
    if (!parent.empty())
        name += ", " + parent;
    // English names of offices are common nouns: "the Cooperation Division".
    if (s.lang == Lang::En && name.rfind("The ", 0) != 0 && name.rfind("the ", 0) != 0)
        name = "the " + name;
    return name;
}

Color status_color(Theme const& t, ksd::AgreementStatus st) {
    switch (st) {
    case ksd::AgreementStatus::NotYetActive:
        return t.status_future;
    case ksd::AgreementStatus::Active:
        return t.status_active;
    case ksd::AgreementStatus::EndingSoon:
        return t.status_soon;
    case ksd::AgreementStatus::Ended:
        return t.status_ended;
    }
    return t.status_ended;
}

namespace {

struct OfficeLayout {
    TextBlock head;
    std::vector<std::pair<Icon, TextBlock>> lines;
    int height {0};
};

OfficeLayout layout_office(Ui& ui, OfficeContact const& c, std::string_view heading, int width) {
    auto const& t = ui.theme();
    auto& m = ui.measurer();
    int inner = width - 2 * t.space_l;
    int ih = m.line_height(t.body);
    OfficeLayout o;
    o.head = layout_text(m, heading, t.body_bold, t.text_muted, inner, Align::Left);
    o.height = t.space_m + o.head.height + t.space_s;
    if (!c.institution.empty()) {
        o.lines.emplace_back(
            Icon::None, layout_text(m, c.institution, t.body_bold, t.navy, inner, Align::Left));
    }
    std::pair<Icon, std::string const*> rows[]
        = {{Icon::Phone, &c.phone}, {Icon::Location, &c.address}, {Icon::Clock, &c.hours}};
    for (auto const& [icon, text] : rows)
        if (!text->empty())
            o.lines.emplace_back(
                icon, layout_text(m, *text, t.body, t.text, inner - ih - t.space_s, Align::Left));
    for (auto const& l : o.lines)
        o.height += l.second.height + t.space_xs;
    o.height += t.space_m;
    return o;
}

} // namespace

int office_contact_height(Ui& ui, OfficeContact const& c, std::string_view heading, int width) {
    return layout_office(ui, c, heading, width).height;
}

void office_contact(Ui& ui, OfficeContact const& c, std::string_view heading, Rect r) {
    auto const& t = ui.theme();
    OfficeLayout o = layout_office(ui, c, heading, r.w);
    ui.card(r, t.surface, "office-contact");
    int x = r.x + t.space_l;
    int inner = r.w - 2 * t.space_l;
    int y = r.y + t.space_m;
    ui.text_block(o.head, {x, y}, inner);
    y += o.head.height + t.space_s;
    int ih = ui.measurer().line_height(t.body);
    for (auto const& [icon, block] : o.lines) {
        if (icon == Icon::None) {
            ui.text_block(block, {x, y}, inner);
        } else {
            int is = ih * 3 / 4;
            draw_icon(ui.renderer(), icon, {x, y + (ih - is) / 2, is, is}, t.teal, t.surface);
            ui.text_block(block, {x + ih + t.space_s, y}, inner - ih - t.space_s);
        }
        y += block.height + t.space_xs;
    }
}

void demo_banner(Ui& ui, State const& s, Rect r) {
    if (!s.demo)
        return;
    auto const& t = ui.theme();
    ui.renderer().fill_rect(r, t.demo_banner);
    ui.label(r, tr(s.lang, S::DemoBanner), t.small_bold, t.on_demo_banner, Align::Center);
}

namespace {

// A half-filled circle reads as "contrast" in any language; the label names it for tests.
void contrast_toggle(Ui& ui, State const& s, Rect r, Actions& out) {
    auto const& t = ui.theme();
    bool high = s.contrast == Contrast::High;
    Press p = ui.pressable(r, tr(s.lang, S::HighContrast), Role::Button);
    Color fill = p.pressed ? t.teal : (high ? t.surface : t.navy_light);
    Color fg = high && !p.pressed ? t.navy : t.on_dark;
    auto& out_r = ui.renderer();
    out_r.fill_rounded(r, t.radius, fill);
    Point c {r.x + r.w / 2, r.y + r.h / 2};
    int radius = r.h * 30 / 100;
    out_r.fill_circle(c, radius, fg);
    out_r.push_clip({c.x, r.y, r.right() - c.x, r.h});
    out_r.fill_circle(c, radius - std::max(2, t.border_w), fill);
    out_r.pop_clip();
    if (p.tapped)
        out.push_back(act::ToggleContrast {});
}

} // namespace

Rect chrome(Ui& ui, State const& s, std::string_view title, Actions& out, Rect* title_area) {
    auto const& t = ui.theme();
    Rect screen {0, 0, t.screen.w, t.screen.h};
    Rect bar = screen.take_top(t.top_bar_h);
    ui.renderer().fill_rect(bar, t.navy);
    int m = (t.top_bar_h - t.min_touch) / 2;
    Rect row = bar.inset(t.pad / 2 + m / 2, m);
    bool home = s.screen() == ScreenId::Home;
    int b = row.h;

    // Right side, from the edge inwards: language, text size, contrast, home.
    Rect en = row.take_right(b + b / 4);
    row.take_right(t.space_xs);
    Rect id = row.take_right(b + b / 4);
    if (ui.button(id, "ID", s.lang == Lang::Id ? ButtonStyle::OnDarkSelected : ButtonStyle::OnDark))
        out.push_back(act::SetLang {ksd::Lang::Id});
    if (ui.button(en, "EN", s.lang == Lang::En ? ButtonStyle::OnDarkSelected : ButtonStyle::OnDark))
        out.push_back(act::SetLang {ksd::Lang::En});
    row.take_right(t.gap);
    Rect size = row.take_right(b);
    bool large = s.text_size == TextSize::Large;
    // "A" in two sizes reads as "text size" in any language; the label names it for tests.
    Press tp = ui.pressable(size, tr(s.lang, S::LargeText), Role::Button);
    Color fill = tp.pressed ? t.teal : (large ? t.surface : t.navy_light);
    Color fg = large && !tp.pressed ? t.navy : t.on_dark;
    ui.renderer().fill_rounded(size, t.radius, fill);
    Font small_a {Face::Bold, size.h * 30 / 100}, big_a {Face::Bold, size.h * 46 / 100};
    int wa = ui.measurer().text_width("A", small_a), wb = ui.measurer().text_width("A", big_a);
    int base = size.y + size.h * 78 / 100; // common baseline, approximately
    int x0 = size.x + (size.w - wa - wb - t.space_2xs) / 2;
    ui.renderer().text(
        {x0, base - ui.measurer().line_height(small_a) * 80 / 100}, "A", small_a, fg);
    ui.renderer().text({x0 + wa + t.space_2xs, base - ui.measurer().line_height(big_a) * 80 / 100},
        "A", big_a, fg);
    if (tp.tapped)
        out.push_back(act::ToggleTextSize {});
    row.take_right(t.space_xs);
    contrast_toggle(ui, s, row.take_right(b), out);
    // The read-aloud, where a screen has text to read and the kiosk has sound (issue 14).
    if (s.speech_available && speech_offered(s)) {
        row.take_right(t.space_xs);
        bool on = s.speech != Speech::Off;
        if (ui.icon_button(row.take_right(b), tr(s.lang, on ? S::StopReading : S::ReadAloud),
                on ? Icon::Stop : Icon::Speaker,
                on ? ButtonStyle::OnDarkSelected : ButtonStyle::OnDark))
            out.push_back(act::ReadAloud {});
    }
    if (!home && s.stack.size() > s.home_depth()) {
        row.take_right(t.space_xs);
        if (ui.icon_button(row.take_right(b), tr(s.lang, S::Home), Icon::Home))
            out.push_back(act::Home {});
    }
    row.take_right(t.gap);
    if (!home) {
        std::string back = tr(s.lang, S::Back);
        // Icon, gap and padding as Ui::button lays them out, so the label is never cut.
        int w = std::max(t.control_h * 2,
            ui.measurer().text_width(back, t.button) + std::min(b / 2, t.button_icon) + t.space_s
                + t.space_xl);
        // The word says more than the arrow to a visitor: it stays in a portrait bar too
        // (the title wraps under the bar there).
        // (a portrait title that does not fit beside it wraps under the bar).
        // In a landscape bar the title comes first: the arrow alone when the word would cut it.
        int title_w = title_area ? t.title_w : ui.measurer().text_width(title, t.title);
        bool narrow = t.portrait ? row.w < w : row.w - w - t.gap < title_w;
        if (narrow ? ui.icon_button(row.take_left(b), back, Icon::Back)
                   : ui.button(row.take_left(w), back, ButtonStyle::OnDark, Icon::Back))
            out.push_back(act::Back {});
        row.take_left(t.gap);
    }
    // Staff mode's hidden gesture: five taps on the home screen's title. Nothing shows it.
    if (home && ui.pressable(row, "staff-gesture", Role::Button).tapped)
        out.push_back(act::StaffGesture {});
    // A portrait bar is narrow: a title that does not fit goes whole under it, wrapped, rather
    // than cut (the totem showed "Ajukan Konsul…").
    bool below = !title_area && t.portrait && ui.measurer().text_width(title, t.title) > row.w;
    if (title_area)
        *title_area = row;
    else if (!below)
        ui.label(row, title, t.title, t.on_dark);

    if (s.demo)
        demo_banner(ui, s, screen.take_top(t.banner_h));
    if (below) {
        Rect band = screen.inset(t.pad, 0);
        TextBlock tb = layout_text(ui.measurer(), title, t.heading2, t.navy, band.w, Align::Left);
        ui.text_block(tb, {band.x, band.y + t.pad}, band.w);
        screen.take_top(t.pad + tb.height);
    }
    return screen;
}

namespace {

Font span_font(Theme const& t, uint8_t style, Font base) {
    bool bold = style & ksd::md::Bold;
    bool italic = style & ksd::md::Italic;
    Face f = bold && italic ? Face::BoldItalic
        : bold              ? Face::Bold
        : italic            ? Face::Italic
                            : base.face;
    if (base.face == Face::Bold && italic)
        f = Face::BoldItalic;
    (void)t;
    return {f, base.size};
}

std::vector<StyledText> styled(
    Theme const& t, std::vector<ksd::md::Span> const& spans, Font base, Color color) {
    std::vector<StyledText> out;
    for (auto const& sp : spans) {
        bool link = sp.style & ksd::md::Link;
        out.push_back({sp.text, span_font(t, sp.style, base), link ? t.link : color, link});
    }
    return out;
}

// Underlined words do what they say: a page or a section of the pack opens; an outside address
// shows its QR code, since the kiosk has no browser. Other targets (mailto:, tel:) stay text.
void link_areas(Ui& ui, TextBlock const& tb, std::vector<ksd::md::Span> const& spans, Point origin,
    int width, Actions& out) {
    for (auto const& run : tb.runs) {
        if (run.source >= spans.size())
            continue;
        auto const& sp = spans[run.source];
        if (!(sp.style & ksd::md::Link) || sp.href.empty())
            continue;
        Rect r {origin.x + run.pos.x, origin.y + run.pos.y, std::max(1, run.width), run.height};
        // Within the paragraph's own rectangle: a line's last word measured alone can end a
        // few pixels past the width the line was fitted to (kerning).
        r = r.intersect({origin.x, origin.y, width, tb.height});
        if (!ui.pressable(r, run.text, Role::Link).tapped)
            continue;
        if (sp.href.starts_with("page:") || sp.href.starts_with("section:"))
            out.push_back(act::OpenLink {sp.href});
        else if (sp.href.starts_with("https://") || sp.href.starts_with("http://"))
            out.push_back(act::ShowLinkQr {sp.href});
    }
}

// A laid-out text of spans, drawn with its links made tappable.
void styled_block(Ui& ui, TextBlock const& tb, std::vector<ksd::md::Span> const& spans,
    Point origin, int width, Actions& out) {
    ui.text_block(tb, origin, width);
    link_areas(ui, tb, spans, origin, width, out);
}

} // namespace

int doc_view(Ui& ui, ksd::md::Document const& doc, Point origin, int width, Actions& out) {
    auto const& t = ui.theme();
    auto& m = ui.measurer();
    int y = origin.y;
    int block_gap = t.space_m;
    bool first = true;
    for (auto const& b : doc.blocks) {
        if (!first)
            y += block_gap;
        first = false;
        switch (b.kind) {
        case ksd::md::BlockKind::Heading: {
            Font f = b.level <= 1 ? t.heading1 : b.level == 2 ? t.heading2 : t.heading3;
            y += t.space_s;
            TextBlock tb = layout_text(m, styled(t, b.spans, f, t.navy), width, Align::Left);
            styled_block(ui, tb, b.spans, {origin.x, y}, width, out);
            y += tb.height;
            break;
        }
        case ksd::md::BlockKind::Paragraph:
        case ksd::md::BlockKind::CodeBlock: {
            TextBlock tb = layout_text(
                m, styled(t, b.spans, t.body, t.text), width, Align::Left, t.line_gap);
            styled_block(ui, tb, b.spans, {origin.x, y}, width, out);
            y += tb.height;
            break;
        }
        case ksd::md::BlockKind::Quote: {
            int bar = t.space_xs;
            int indent = bar + t.space_m;
            TextBlock tb = layout_text(m, styled(t, b.spans, t.body_italic, t.text_muted),
                width - indent, Align::Left, t.line_gap);
            ui.renderer().fill_rect({origin.x, y, bar, tb.height}, t.teal);
            styled_block(ui, tb, b.spans, {origin.x + indent, y}, width - indent, out);
            y += tb.height;
            break;
        }
        case ksd::md::BlockKind::ListItem: {
            int indent = t.list_indent * std::max(0, b.level - 1);
            int marker_w = t.list_marker_w;
            std::string marker = b.ordered ? std::to_string(b.number) + "." : "\xE2\x80\xA2";
            TextBlock tb = layout_text(m, styled(t, b.spans, t.body, t.text),
                width - indent - marker_w, Align::Left, t.line_gap);
            if (ui.visible({origin.x, y, width, tb.height}))
                ui.renderer().text({origin.x + indent + (b.ordered ? 0 : t.space_s), y}, marker,
                    t.body_bold, t.teal);
            styled_block(
                ui, tb, b.spans, {origin.x + indent + marker_w, y}, width - indent - marker_w, out);
            y += tb.height - block_gap / 2;
            break;
        }
        case ksd::md::BlockKind::Rule:
            ui.renderer().fill_rect({origin.x, y + t.space_xs, width, t.border_w}, t.border);
            y += t.space_m;
            break;
        case ksd::md::BlockKind::Image: {
            auto size = ui.renderer().image_size(b.src);
            if (!size || size->w <= 0 || size->h <= 0)
                break;
            int w = std::min(width, int(float(size->w) * t.scale));
            int h = size->h * w / size->w;
            Rect r {origin.x, y, w, h};
            ui.record(r, b.alt.empty() ? b.src : b.alt, Role::Image);
            if (ui.visible(r))
                ui.renderer().image(r, b.src);
            y += h;
            if (!b.alt.empty()) {
                y += t.space_xs;
                y += ui.paragraph({origin.x, y, width, 0}, b.alt, t.small, t.text_muted);
            }
            break;
        }
        case ksd::md::BlockKind::Table: {
            size_t cols = 0;
            for (auto const& row : b.rows)
                cols = std::max(cols, row.size());
            if (cols == 0)
                break;
            int cell_pad = t.space_s;
            int col_w = width / int(cols);
            int table_y = y;
            for (size_t ri = 0; ri < b.rows.size(); ++ri) {
                auto const& row = b.rows[ri];
                Font f = ri == 0 ? t.body_bold : t.body;
                std::vector<TextBlock> cells;
                int row_h = 0;
                for (size_t ci = 0; ci < cols; ++ci) {
                    TextBlock tb = ci < row.size()
                        ? layout_text(m, styled(t, row[ci], f, ri == 0 ? t.navy : t.text),
                            col_w - 2 * cell_pad, Align::Left)
                        : TextBlock {};
                    row_h = std::max(row_h, tb.height);
                    cells.push_back(std::move(tb));
                }
                row_h += 2 * cell_pad;
                Rect rr {origin.x, y, col_w * int(cols), row_h};
                if (ui.visible(rr)) {
                    ui.renderer().fill_rect(
                        rr, ri == 0 ? t.teal_tint : (ri % 2 ? t.surface : t.background));
                    ui.renderer().fill_rect({rr.x, rr.bottom() - 1, rr.w, 1}, t.border);
                }
                static std::vector<ksd::md::Span> const no_spans;
                for (size_t ci = 0; ci < cols; ++ci)
                    styled_block(ui, cells[ci], ci < row.size() ? row[ci] : no_spans,
                        {origin.x + int(ci) * col_w + cell_pad, y + cell_pad}, col_w - 2 * cell_pad,
                        out);
                y += row_h;
            }
            Rect whole {origin.x, table_y, col_w * int(cols), y - table_y};
            if (ui.visible(whole)) {
                ui.renderer().fill_rect({whole.x, whole.y, whole.w, 1}, t.border);
                for (size_t ci = 0; ci <= cols; ++ci)
                    ui.renderer().fill_rect(
                        {whole.x + std::min(int(ci) * col_w, whole.w - 1), whole.y, 1, whole.h},
                        t.border);
            }
            break;
        }
        }
    }
    return y - origin.y;
}

int related_view(
    Ui& ui, State const& s, ksd::md::Document const& doc, Point origin, int width, Actions& out) {
    auto const& t = ui.theme();
    std::vector<std::pair<std::string, std::string>> links; // text, href
    auto collect = [&](std::vector<ksd::md::Span> const& spans) {
        for (auto const& sp : spans) {
            if (!(sp.style & ksd::md::Link)
                || !(sp.href.starts_with("page:") || sp.href.starts_with("section:")))
                continue;
            bool seen = false;
            for (auto const& l : links)
                seen = seen || l.second == sp.href;
            if (!seen && !sp.text.empty())
                links.emplace_back(sp.text, sp.href);
        }
    };
    for (auto const& b : doc.blocks) {
        collect(b.spans);
        for (auto const& row : b.rows)
            for (auto const& cell : row)
                collect(cell);
    }
    if (links.empty())
        return 0;
    int y = origin.y;
    y += ui.paragraph({origin.x, y, width, 0}, tr(s.lang, S::SeeAlso), t.heading3, t.navy);
    y += t.space_s;
    int x = origin.x;
    int h = t.control_h;
    for (auto const& [text, href] : links) {
        int w = std::min(
            width, ui.measurer().text_width(text, t.button) + t.button_icon + t.space_2xl);
        if (x > origin.x && x + w > origin.x + width) {
            x = origin.x;
            y += h + t.space_s;
        }
        if (ui.button({x, y, w, h}, text, ButtonStyle::Secondary, Icon::ChevronRight))
            out.push_back(act::OpenLink {href});
        x += w + t.space_s;
    }
    return y + h - origin.y;
}

int links_view(
    Ui& ui, State const& s, std::vector<ksd::PageLink> const& links, Point origin, int width) {
    if (links.empty())
        return 0;
    auto const& t = ui.theme();
    int y = origin.y;
    y += ui.paragraph(
        {origin.x, y, width, 0}, tr(s.lang, S::ScanWithYourPhone), t.heading3, t.navy);
    y += t.space_s;
    int qr_side = std::max(t.qr_min, t.control_h * 2);
    int cell_w = qr_side + 2 * t.space_2xl;
    int per_row = std::max(1, width / cell_w);
    int cap_h = t.qr_caption_h;
    for (size_t i = 0; i < links.size(); ++i) {
        int col = int(i) % per_row;
        int row = int(i) / per_row;
        Rect cell {origin.x + col * cell_w, y + row * (qr_side + cap_h + t.gap), cell_w - t.gap,
            qr_side + cap_h};
        ui.card(cell, t.surface);
        ui.qr({cell.x + t.space_s, cell.y + t.space_s, cell.w - t.space_l, cell.h - t.space_m},
            links[i].url, links[i].label);
    }
    int rows = (int(links.size()) + per_row - 1) / per_row;
    return y + rows * (qr_side + cap_h + t.gap) - origin.y;
}

void field_keyboard(Ui& ui, State const& s, Rect kr, KeyboardKind kind, Field field,
    std::string const& value, Actions& out, S done) {
    Lang l = s.lang;
    KeyboardLabels labels {tr(l, S::Space), tr(l, done), tr(l, S::Delete), "Shift"};
    // Each field its own keyboard state: shift turned on for a name must not carry over to the
    // e-mail.
    std::string id
        = (kind == KeyboardKind::Phone ? "keypad-" : "keyboard-") + std::to_string(int(field));
    Capitals caps = field == Field::Name ? Capitals::Words : Capitals::None;
    if (auto key = keyboard(ui, kr, kind, labels, id, {value, caps})) {
        if (key->kind == KeyPress::Done) {
            // "Done" on the PIN pad enters the PIN; elsewhere it closes the keyboard.
            if (field == Field::Pin)
                out.push_back(act::StaffPinEntered {});
            else
                out.push_back(act::Focus {Field::None});
        } else {
            std::string v = value;
            apply_key(v, *key);
            out.push_back(act::SetField {field, v});
        }
    }
}

} // namespace kiosk::screens
