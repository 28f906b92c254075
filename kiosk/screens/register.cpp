// The register of agreements: search as you type with the on-screen keyboard, filters by
// kind, sector, status and (when the pack has monitoring) implementation state, a list with status
// badges, and the detail view with the last evaluation.
#include "screens/screens.h"

#include "ksd/taxonomy.h"
#include "ui/keyboard.h"

namespace kiosk::screens {

using namespace ui;
using ksd::Lang;

namespace {

// "Joint Agreement (KB)": the English names of document types already carry their code.
std::string with_code(std::string_view name, std::string_view code) {
    std::string suffix = "(" + std::string(code) + ")";
    if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix)
        return std::string(name);
    return std::string(name) + " " + suffix;
}

std::string filter_label(State const& s, Picker p) {
    Lang l = s.lang;
    // Without a filter the button says "All kinds", not "Kind: All".
    switch (p) {
    case Picker::Kind:
        return s.reg.kind ? fill(l, S::KindFilter, {*s.reg.kind}) : tr(l, S::AllKinds);
    case Picker::Sector:
        return s.reg.sector ? fill(l, S::SectorFilter, {sector_name(*s.reg.sector, l)})
                            : tr(l, S::AllSectors);
    case Picker::Status:
        return s.reg.status ? fill(l, S::StatusFilter, {ksd::status_name(*s.reg.status, l)})
                            : tr(l, S::AllStatuses);
    case Picker::Implementation:
        // The state's own words say enough ("Berjalan"), as a chosen filter's button shows.
        return s.reg.implementation
            ? std::string(ksd::implementation_name(*s.reg.implementation, l))
            : tr(l, S::AllImplementations);
    case Picker::None:
        break;
    }
    return {};
}

bool filter_set(State const& s, Picker p) {
    switch (p) {
    case Picker::Kind:
        return s.reg.kind.has_value();
    case Picker::Sector:
        return s.reg.sector.has_value();
    case Picker::Status:
        return s.reg.status.has_value();
    case Picker::Implementation:
        return s.reg.implementation.has_value();
    case Picker::None:
        break;
    }
    return false;
}

// A filter's short label: its chosen value ("Terkendala") or, with none, what it filters
// ("Pelaksanaan"); the Selected style tells which is which.
std::string short_filter_label(State const& s, Picker p) {
    Lang l = s.lang;
    switch (p) {
    case Picker::Kind:
        return s.reg.kind ? *s.reg.kind : tr(l, S::FieldKind);
    case Picker::Sector:
        return s.reg.sector ? sector_name(*s.reg.sector, l) : tr(l, S::FieldSector);
    case Picker::Status:
        return s.reg.status ? std::string(ksd::status_name(*s.reg.status, l))
                            : tr(l, S::FilterStatus);
    case Picker::Implementation:
        return s.reg.implementation
            ? std::string(ksd::implementation_name(*s.reg.implementation, l))
            : tr(l, S::FieldImplementation);
    case Picker::None:
        break;
    }
    return {};
}

struct FilterButton {
    Rect rect;
    std::string label;
};

// Lays the filter buttons out at the top of content (taking what they use): equal thirds or
// quarters with the full labels ("Semua pelaksanaan") when they all fit. Else, with four, the short
// labels ("Pelaksanaan" or the choice), each button as wide as its words need, sharing what is
// left; in portrait, when even those do not fit one row (large text), two rows of two.
std::vector<FilterButton> filter_layout(Ui& ui, State const& s, Rect& content, int h, int n) {
    auto const& t = ui.theme();
    Picker const order[] = {Picker::Kind, Picker::Sector, Picker::Status, Picker::Implementation};
    int const w = content.w;
    int const equal = (w - (n - 1) * t.gap) / n;
    std::vector<FilterButton> out;
    bool fits = true;
    for (int i = 0; i < n; ++i) {
        out.push_back(
            {{content.x + i * (equal + t.gap), content.y, equal, h}, filter_label(s, order[i])});
        fits = fits && ui.button_width(out.back().label, h, Icon::Filter) <= equal;
    }
    // Three filters keep their equal thirds, as before monitoring (a long choice is ellipsized).
    if (fits || n < 4) {
        content.take_top(h);
        return out;
    }
    std::vector<int> need;
    int need_total = 0;
    for (int i = 0; i < n; ++i) {
        out[size_t(i)].label = short_filter_label(s, order[i]);
        need.push_back(ui.button_width(out[size_t(i)].label, h, Icon::Filter));
        need_total += need.back();
    }
    int const avail = w - (n - 1) * t.gap;
    if (need_total > avail && t.portrait) {
        int const half = (w - t.gap) / 2;
        for (int i = 0; i < n; ++i) {
            int row = i / 2, col = i % 2;
            out[size_t(i)].rect = {content.x + col * (half + t.gap),
                content.y + row * (h + t.space_s), col ? w - half - t.gap : half, h};
            // Half a row may hold the full words again.
            auto full = filter_label(s, order[i]);
            if (ui.button_width(full, h, Icon::Filter) <= out[size_t(i)].rect.w)
                out[size_t(i)].label = full;
        }
        content.take_top(2 * h + t.space_s);
        return out;
    }
    int x = content.x;
    for (int i = 0; i < n; ++i) {
        // Room to spare is shared evenly; too little, and each gives up in proportion.
        int width = need_total <= avail
            ? need[size_t(i)] + (avail - need_total) / n
            : int(int64_t(need[size_t(i)]) * avail / std::max(1, need_total));
        if (i == n - 1)
            width = content.x + w - x; // rounding: the row ends where the search row ends
        out[size_t(i)].rect = {x, content.y, width, h};
        x += width + t.gap;
    }
    content.take_top(h);
    return out;
}

// "18 Maret 2026: summary", the date alone or the summary alone when only one is known.
std::string last_evaluation(ksd::Agreement const& a, Lang l) {
    std::string date = a.evaluated_on ? ksd::format_date_long(*a.evaluated_on, l == Lang::En) : "";
    if (date.empty() || a.evaluation.empty())
        return date + a.evaluation;
    return date + " \xE2\x80\x94 " + a.evaluation;
}

enum class RowStyle : uint8_t { Full, Compact };

bool agreement_row(Ui& ui, State const& s, Rect r, ksd::Agreement const& a, RowStyle style) {
    auto const& t = ui.theme();
    Press p = ui.pressable(r, a.partner, Role::ListItem);
    if (!ui.visible(r))
        return p.tapped;
    auto& rd = ui.renderer();
    rd.fill_rounded(r.translated(0, t.shadow), t.radius, t.border);
    rd.fill_rounded(r, t.radius, p.pressed ? t.teal_tint : t.surface);
    auto st = a.status(s.today);
    std::string badge(ksd::status_name(st, s.lang));
    int bw = ui.measurer().text_width(badge, t.small_bold) + t.space_xl;
    int bh = ui.measurer().line_height(t.small_bold) + t.space_s;
    Rect inner = r.inset(t.space_m, t.space_s);
    Rect badge_r {inner.right() - bw, r.y + (r.h - bh) / 2, bw, bh};
    inner.w -= bw + t.space_m;
    int h1 = ui.measurer().line_height(t.body_bold);
    if (style == RowStyle::Compact) {
        ui.label({inner.x, r.y + (r.h - h1) / 2, inner.w, h1},
            a.partner + " \xE2\x80\x94 " + a.subject, t.body_bold, t.navy);
    } else {
        int h2 = ui.measurer().line_height(t.body);
        int h3 = ui.measurer().line_height(t.small);
        int y = r.y + (r.h - h1 - h2 - h3) / 2;
        ui.label({inner.x, y, inner.w, h1}, a.partner, t.body_bold, t.navy);
        ui.label({inner.x, y + h1, inner.w, h2}, a.subject, t.body, t.text);
        std::string meta = a.number + "  \xC2\xB7  " + kind_name(a.kind, s.lang) + "  \xC2\xB7  "
            + fill(s.lang, S::Until, {ksd::format_date_long(a.end, s.lang == Lang::En)});
        ui.label({inner.x, y + h1 + h2, inner.w, h3}, meta, t.small, t.text_muted);
    }
    ui.badge(badge_r, badge, status_color(t, st));
    return p.tapped;
}

} // namespace

void register_list(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    bool kb = s.reg.keyboard_open;
    // Typing on a landscape panel: one line per result, the search field in the top bar in place
    // of the title, and the four-row keyboard (digits on its ?123 page). At 800x480 that leaves
    // three results in sight above the keys, where the full header and five rows left one.
    // Large text would not be large in the bar's field: the full layout then.
    bool compact = kb && !t.portrait && t.text_size == TextSize::Normal;
    Rect bar_slot;
    Rect content
        = chrome(ui, s, section_title(s, s.stack.back().ref), out, compact ? &bar_slot : nullptr);
    if (kb) {
        // Four rows on any landscape panel: a fifth leaves no room for results there.
        KeyboardKind kind = t.portrait ? KeyboardKind::Text : KeyboardKind::Search;
        int kh = keyboard_height(t, content, kind);
        Rect kr = content.take_bottom(kh);
        KeyboardLabels labels {tr(l, S::Space), tr(l, S::Done), tr(l, S::Delete), "Shift"};
        if (auto key = keyboard(ui, kr, kind, labels)) {
            if (key->kind == KeyPress::Done) {
                out.push_back(act::HideKeyboard {});
            } else {
                std::string q = s.reg.query;
                apply_key(q, *key);
                out.push_back(act::SetQuery {q});
            }
        }
    }
    content = content.inset(t.pad, compact ? t.space_xs : (kb ? t.space_s : t.pad));
    int fh = t.control_h;
    Rect search_row = compact ? bar_slot : content.take_top(fh);
    std::string count = counted(l, S::AgreementCount, s.reg.total);
    int cw = ui.measurer().text_width(count, t.body_bold) + t.space_s;
    // In a narrow top bar the field comes first: the count gives way (the results show it).
    if (search_row.w - cw - t.gap - (s.reg.query.empty() ? 0 : fh + t.space_s) < t.field_min_w)
        cw = 0;
    Rect count_r = search_row.take_right(cw);
    if (cw > 0)
        search_row.take_right(t.gap);
    if (!s.reg.query.empty()
        && ui.icon_button(
            search_row.take_right(fh), tr(l, S::ClearSearch), Icon::Close, ButtonStyle::Secondary))
        out.push_back(act::SetQuery {""});
    if (!s.reg.query.empty())
        search_row.take_right(t.space_s);
    if (ui.text_field(search_row, s.reg.query, tr(l, S::SearchPlaceholder),
            kb ? Focus::Focused : Focus::Unfocused))
        out.push_back(act::ShowKeyboard {});
    if (cw > 0)
        ui.label(count_r, count, t.body_bold, compact ? t.on_dark : t.navy, Align::Right);
    if (!compact)
        content.take_top(kb ? t.space_s : t.gap);

    if (!kb) {
        // The implementation filter only when the pack has monitoring (format 2).
        int const n = s.monitoring ? 4 : 3;
        Picker const order[]
            = {Picker::Kind, Picker::Sector, Picker::Status, Picker::Implementation};
        auto buttons = filter_layout(ui, s, content, fh, n);
        for (int i = 0; i < n; ++i) {
            if (ui.button(buttons[size_t(i)].rect, buttons[size_t(i)].label,
                    filter_set(s, order[i]) ? ButtonStyle::Selected : ButtonStyle::Secondary,
                    Icon::Filter))
                out.push_back(act::OpenPicker {order[i]});
        }
        content.take_top(t.gap);
    }

    int lh = ui.measurer().line_height(t.body_bold);
    int rh = compact ? std::max(t.min_touch, lh + t.space_s) // one line: three rows above the keys
                     : std::max(t.control_h,
                         lh + ui.measurer().line_height(t.body) + ui.measurer().line_height(t.small)
                             + t.space_l);
    Point o = ui.begin_scroll("register", content);
    int y = o.y;
    if (s.reg.results.empty()) {
        y += ui.paragraph({o.x, y + t.pad, content.w, 0},
            s.load_error.empty() ? tr(l, S::NoMatchingAgreements) : tr(l, S::ListCannotBeShown),
            t.body, t.text_muted, Align::Center);
    }
    for (auto const& a : s.reg.results) {
        if (agreement_row(ui, s, {o.x, y, content.w - t.space_m, rh}, a,
                compact ? RowStyle::Compact : RowStyle::Full))
            out.push_back(act::OpenAgreement {a.id});
        y += rh + (compact ? t.space_2xs : t.space_m);
    }
    if (compact && cw == 0 && !s.reg.results.empty()) {
        // The count the narrow bar had no room for, after the results.
        y += ui.paragraph({o.x, y, content.w - t.space_m, 0}, count, t.body_bold, t.navy);
    }
    if (s.reg.total > int64_t(s.reg.results.size()) && !s.reg.results.empty()) {
        // The list is capped (App::run_register_query): say so rather than pretend it ends.
        std::string more = fill(
            l, S::ShowingOf, {std::to_string(s.reg.results.size()), std::to_string(s.reg.total)});
        y += t.space_s;
        y += ui.paragraph(
                 {o.x, y, content.w - t.space_m, 0}, more, t.body, t.text_muted, Align::Center)
            + t.pad;
    }
    ui.end_scroll(y - o.y);
}

namespace {

// The action of an option of the register's picker: its filter set to the code (empty: all).
Action picker_choice(Picker picker, std::string const& code) {
    std::optional<std::string> chosen;
    if (!code.empty())
        chosen = code;
    switch (picker) {
    case Picker::Kind:
        return act::SetKind {chosen};
    case Picker::Sector:
        return act::SetSector {chosen};
    case Picker::Status:
        return act::SetStatus {code.empty() ? std::nullopt : ksd::parse_status_code(code)};
    case Picker::Implementation:
        return act::SetImplementation {
            code.empty() ? std::nullopt : ksd::parse_implementation_state(code)};
    case Picker::None:
        break; // no picker open: nothing to choose
    }
    return act::ClosePicker {};
}

} // namespace

void register_picker(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    ui.renderer().fill_rect({0, 0, t.screen.w, t.screen.h}, t.overlay);
    Rect panel = Rect {0, 0, t.screen.w, t.screen.h}.inset(
        t.screen.w / 8 > t.pad * 2 ? t.screen.w / 8 : t.pad * 2, t.pad * 2);
    if (!t.portrait)
        panel = panel.inset((panel.w - std::min(panel.w, t.dialog_w)) / 2, 0);
    ui.card(panel, t.surface, "picker");
    Rect in = panel.inset(t.pad);
    Rect head = in.take_top(t.control_h);
    if (ui.icon_button(
            head.take_right(t.control_h), tr(l, S::Close), Icon::Close, ButtonStyle::Secondary))
        out.push_back(act::ClosePicker {});
    char const* title = s.reg.picker == Picker::Kind ? tr(l, S::ChooseTheKind)
        : s.reg.picker == Picker::Sector             ? tr(l, S::ChooseTheSector)
        : s.reg.picker == Picker::Implementation     ? tr(l, S::ChooseTheImplementation)
                                                     : tr(l, S::ChooseTheStatus);
    ui.label(head, title, t.heading3, t.navy);
    in.take_top(t.gap);

    struct Option {
        std::string code;
        std::string name;
        bool selected;
    };
    std::vector<Option> opts;
    if (s.reg.picker == Picker::Kind) {
        opts.push_back({"", tr(l, S::AllKinds), !s.reg.kind});
        for (auto const& term : ksd::agreement_kinds())
            opts.push_back({std::string(term.code),
                std::string(term.code) + " \xE2\x80\x94 " + std::string(term.name(l)),
                s.reg.kind && *s.reg.kind == term.code});
    } else if (s.reg.picker == Picker::Sector) {
        opts.push_back({"", tr(l, S::AllSectors), !s.reg.sector});
        for (auto const& term : ksd::sectors())
            opts.push_back({std::string(term.code), std::string(term.name(l)),
                s.reg.sector && *s.reg.sector == term.code});
    } else if (s.reg.picker == Picker::Implementation) {
        opts.push_back({"", tr(l, S::AllImplementations), !s.reg.implementation});
        for (auto st : ksd::implementation_states)
            opts.push_back({std::string(ksd::implementation_code(st)),
                std::string(ksd::implementation_name(st, l)),
                s.reg.implementation && *s.reg.implementation == st});
    } else {
        opts.push_back({"", tr(l, S::AllStatuses), !s.reg.status});
        for (auto st : {ksd::AgreementStatus::Active, ksd::AgreementStatus::EndingSoon,
                 ksd::AgreementStatus::Ended, ksd::AgreementStatus::NotYetActive})
            opts.push_back({std::string(ksd::status_code(st)), std::string(ksd::status_name(st, l)),
                s.reg.status && *s.reg.status == st});
    }
    Point o = ui.begin_scroll("picker", in);
    int y = o.y;
    for (auto const& opt : opts) {
        if (ui.button({o.x, y, in.w - t.space_m, t.control_h}, opt.name,
                opt.selected ? ButtonStyle::Selected : ButtonStyle::Secondary))
            out.push_back(picker_choice(s.reg.picker, opt.code));
        y += t.control_h + t.space_s;
    }
    ui.end_scroll(y - o.y);
}

void register_detail(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    Rect content = chrome(ui, s, tr(l, S::AgreementDetails), out);
    Rect col = content.inset(t.pad, 0);
    int max_w = t.reading_w;
    if (col.w > max_w)
        col = col.inset((col.w - max_w) / 2, 0);
    Point o = ui.begin_scroll("agreement", col);
    int w = col.w - t.space_l;
    int y = o.y + t.pad;
    if (!s.agreement) {
        ui.end_scroll(0);
        return;
    }
    auto const& a = *s.agreement;
    y += ui.paragraph({o.x, y, w, 0}, a.partner, t.heading1, t.navy);
    y += t.space_xs;
    y += ui.paragraph({o.x, y, w, 0}, a.subject, t.body, t.text);
    y += t.space_m;
    auto st = a.status(s.today);
    std::string badge(ksd::status_name(st, l));
    int bh = ui.measurer().line_height(t.small_bold) + t.space_s;
    int bw = ui.measurer().text_width(badge, t.small_bold) + t.space_xl;
    ui.badge({o.x, y, bw, bh}, badge, status_color(t, st));
    // Monitoring: the implementation state in sight at once, beside the validity (the rows
    // below also give the last evaluation); on the next line when the two do not fit.
    if (a.implementation) {
        std::string impl = tr(l, S::FieldImplementation) + std::string(": ")
            + std::string(ksd::implementation_name(*a.implementation, l));
        int iw = std::min(w, ui.measurer().text_width(impl, t.small_bold) + t.space_xl);
        int ix = o.x + bw + t.space_s;
        if (ix + iw > o.x + w) {
            ix = o.x;
            y += bh + t.space_s;
        }
        ui.badge({ix, y, iw, bh}, impl, t.navy);
    }
    y += bh + t.space_l;

    auto date = [&](ksd::Date d) { return ksd::format_date_long(d, l == Lang::En); };
    std::string doc_name = a.doc_type;
    if (auto const* dt = ksd::find_document_type(a.doc_type))
        doc_name = with_code(dt->name(l), a.doc_type);
    std::vector<std::pair<std::string, std::string>> fields = {
        {tr(l, S::FieldNumber), a.number},
        {tr(l, S::FieldKind), with_code(kind_name(a.kind, l), a.kind)},
        {tr(l, S::FieldDocument), doc_name},
        {tr(l, S::FieldSector), sector_name(a.sector, l)},
        {tr(l, S::FieldScope), a.scope},
        {tr(l, S::FieldSigned), date(a.signed_on)},
        {tr(l, S::FieldValid), date(a.start) + " \xE2\x80\x93 " + date(a.end)},
        {tr(l, S::FieldAgency), a.agency},
        {tr(l, S::FieldNotes), a.notes},
        // Monitoring (monev): rows without a value are left out, as every other.
        {tr(l, S::FieldImplementation),
            a.implementation ? std::string(ksd::implementation_name(*a.implementation, l)) : ""},
        {tr(l, S::FieldLastEvaluation), last_evaluation(a, l)},
        {tr(l, S::FieldResponsibleUnit), a.responsible_unit},
    };
    int label_w = t.portrait ? w : std::min(w / 3, t.label_col_w);
    Rect card_r {o.x, y, w, 0};
    int start_y = y;
    // Measure first, then draw the card behind the rows.
    std::vector<std::pair<TextBlock, TextBlock>> rows;
    int total = t.space_s;
    for (auto const& [k, v] : fields) {
        if (v.empty())
            continue;
        TextBlock kb = layout_text(
            ui.measurer(), k, t.small_bold, t.text_muted, label_w - t.space_l, Align::Left);
        int vw = t.portrait ? w - t.space_2xl : w - label_w - t.space_2xl;
        TextBlock vb = layout_text(ui.measurer(), v, t.body, t.text, vw, Align::Left, t.line_gap);
        total += (t.portrait ? kb.height + vb.height + t.space_xs : std::max(kb.height, vb.height))
            + t.space_l;
        rows.emplace_back(std::move(kb), std::move(vb));
    }
    card_r.h = total;
    ui.card(card_r, t.surface);
    y = start_y + t.space_m;
    for (size_t i = 0; i < rows.size(); ++i) {
        auto const& [kb, vb] = rows[i];
        int x = o.x + t.space_l;
        ui.text_block(kb, {x, y + t.space_2xs}, label_w - t.space_l);
        if (t.portrait) {
            ui.text_block(vb, {x, y + kb.height + t.space_xs}, w - t.space_2xl);
            y += kb.height + vb.height + t.space_xs + t.space_l;
        } else {
            ui.text_block(vb, {o.x + label_w + t.space_l, y}, w - label_w - t.space_2xl);
            y += std::max(kb.height, vb.height) + t.space_l;
        }
        if (i + 1 < rows.size())
            ui.renderer().fill_rect({x, y - t.space_s, w - t.space_2xl, 1}, t.border);
    }
    y = start_y + total + t.pad;
    ui.end_scroll(y - o.y);
}

} // namespace kiosk::screens
