// The consultation request: a six-step wizard typed on the on-screen keyboard, the ticket code
// after submitting, and the calm page shown when requests cannot be taken. Problems are shown
// next to their field, in the visitor's language, once "Lanjut" was pressed.
#include "screens/screens.h"

#include "ksd/request_options.h"
#include "ksd/taxonomy.h"
#include "ksd/ticket_qr.h"
#include "ksd/utf8.h"
#include "ui/keyboard.h"

namespace kiosk::screens {

using namespace ui;
using ksd::FieldProblem;
using ksd::Lang;

namespace {

char const* step_title(Step s, Lang l) {
    switch (s) {
    case Step::Who:
        return tr(l, S::StepWho);
    case Step::Topic:
        return tr(l, S::StepTopic);
    case Step::Contact:
        return tr(l, S::StepContact);
    case Step::Question:
        return tr(l, S::StepQuestion);
    case Step::Consent:
        return tr(l, S::StepConsent);
    case Step::Review:
        return tr(l, S::StepReview);
    }
    return "";
}

// Two columns on a landscape panel, so that every choice fits without scrolling.
bool two_columns(Theme const& t, int width) {
    return !t.portrait && width >= t.split_min_w;
}

// A field's problem, in the danger colour under it; returns the height used.
int problem_line(Ui& ui, Point at, int width, FieldProblem p, Lang l) {
    if (p == FieldProblem::None)
        return 0;
    auto const& t = ui.theme();
    return ui.paragraph({at.x, at.y, width, 0}, std::string(ksd::problem_message(p, l)),
               t.small_bold, t.danger)
        + t.space_xs;
}

struct FieldSpec {
    Field field;
    std::string label;
    std::string const* value;
    FieldProblem problem;
    size_t limit;
};

std::vector<FieldSpec> contact_fields(State const& s) {
    Lang l = s.lang;
    auto const& f = s.form;
    bool show = f.show_problems;
    auto shown = [&](FieldProblem p) { return show ? p : FieldProblem::None; };
    return {
        {Field::Name, tr(l, S::Name), &f.name, shown(f.contact.name), ksd::RequestLimits::name_max},
        {Field::Phone, tr(l, S::PhoneNumber), &f.phone, shown(f.contact.phone),
            ksd::RequestLimits::phone_max},
        {Field::Email, tr(l, S::Email), &f.email, shown(f.contact.email),
            ksd::RequestLimits::email_max},
        {Field::Organisation, tr(l, S::OrganisationOptional), &f.organisation,
            shown(f.contact.organisation), ksd::RequestLimits::organisation_max},
    };
}

std::string counter(std::string const& value, size_t limit) {
    return std::to_string(ksd::utf8::length(value)) + "/" + std::to_string(limit);
}

// The keyboard for the focused field, with the field itself (label, value, counter, problem)
// right above it: on a short landscape panel nothing else fits, and nothing else is needed.
void editing_view(Ui& ui, State const& s, Rect content, FieldSpec const& spec, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    bool phone = spec.field == Field::Phone || spec.field == Field::Pin;
    KeyboardKind kind = phone ? KeyboardKind::Phone : KeyboardKind::Text;
    int kh = keyboard_height(t, content, kind);
    Rect kr = content.take_bottom(kh);
    field_keyboard(ui, s, kr, kind, spec.field, *spec.value, out);
    Rect area = content.inset(t.pad, t.space_xs);
    int lh = ui.measurer().line_height(t.body_bold);
    Rect head = area.take_top(lh);
    std::string count = counter(*spec.value, spec.limit);
    int cw = ui.measurer().text_width(count, t.small) + t.space_s;
    ui.label(head.take_right(cw), count, t.small, t.text_muted, Align::Right);
    ui.label(head, spec.label, t.body_bold, t.navy);
    area.take_top(t.space_xs);
    if (spec.field == Field::Question) {
        // Multi-line: the end of the text, where the visitor types, stays in view.
        int ph = ui.measurer().line_height(t.small_bold) + t.space_s;
        Rect box = area;
        if (spec.problem != FieldProblem::None)
            box.h -= ph;
        box.h = std::max(box.h, t.control_h);
        ui.renderer().fill_rounded(box, t.radius, t.teal);
        Rect inner = box.inset(t.border_w * 2);
        ui.renderer().fill_rounded(inner, t.radius, t.surface);
        ui.record(box, spec.label, Role::Container);
        Rect text_r = inner.inset(t.space_m, t.space_s);
        TextBlock b
            = layout_text(ui.measurer(), *spec.value + "|", t.body, t.text, text_r.w, Align::Left);
        ui.renderer().push_clip(text_r);
        int y = text_r.y + std::min(0, text_r.h - b.height);
        draw_text_block(ui.renderer(), b, {text_r.x, y});
        ui.renderer().pop_clip();
        if (!spec.value->empty())
            ui.record(text_r, *spec.value, Role::Text);
        problem_line(ui, {box.x, box.bottom() + t.space_xs}, box.w, spec.problem, l);
        return;
    }
    Rect field_r = area.take_top(t.control_h);
    ui.text_field(field_r, *spec.value, spec.label, Focus::Focused, Icon::None);
    problem_line(ui, {field_r.x, field_r.bottom() + t.space_xs}, field_r.w, spec.problem, l);
}

void sector_picker(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    Rect screen {0, 0, t.screen.w, t.screen.h};
    ui.renderer().fill_rect(screen, t.overlay);
    Rect panel = screen.inset(t.pad * 2, t.pad);
    ui.card(panel, t.surface, tr(l, S::ChooseASector));
    Rect inner = panel.inset(t.pad);
    Rect head = inner.take_top(t.control_h);
    if (ui.icon_button(
            head.take_right(t.control_h), tr(l, S::Close), Icon::Close, ButtonStyle::Secondary))
        out.push_back(act::CloseSectorPicker {});
    ui.label(head, tr(l, S::SectorOptional), t.heading3, t.navy);
    inner.take_top(t.gap);
    Point o = ui.begin_scroll("sector-picker", inner);
    std::vector<std::pair<std::string, std::string>> items {{"", tr(l, S::SectorNone)}};
    for (auto const& sec : ksd::sectors())
        items.emplace_back(std::string(sec.code), std::string(sec.name(l)));
    int cols = two_columns(t, inner.w) ? 2 : 1;
    int cw = (inner.w - (cols - 1) * t.gap) / cols;
    int y = o.y;
    for (size_t i = 0; i < items.size(); i += size_t(cols)) {
        int h = 0;
        for (size_t j = i; j < std::min(items.size(), i + size_t(cols)); ++j)
            h = std::max(h, ui.choice_height(items[j].second, cw));
        for (size_t j = i; j < std::min(items.size(), i + size_t(cols)); ++j) {
            int x = o.x + int(j - i) * (cw + t.gap);
            if (ui.radio({x, y, cw, h}, items[j].second,
                    s.form.sector == items[j].first ? Selected::Yes : Selected::No))
                out.push_back(act::ChooseSector {items[j].first});
        }
        y += h + t.space_s;
    }
    ui.end_scroll(y - o.y);
}

template <size_t N>
int choices(Ui& ui, State const& s, std::array<ksd::Term, N> const& options,
    std::string const& chosen, Step step, Point o, int width, Actions& out) {
    auto const& t = ui.theme();
    int cols = two_columns(t, width) ? 2 : 1;
    int cw = (width - (cols - 1) * t.gap) / cols;
    int y = o.y;
    for (size_t i = 0; i < options.size(); i += size_t(cols)) {
        int h = 0;
        for (size_t j = i; j < std::min(options.size(), i + size_t(cols)); ++j)
            h = std::max(h, ui.choice_height(options[j].name(s.lang), cw));
        for (size_t j = i; j < std::min(options.size(), i + size_t(cols)); ++j) {
            auto const& opt = options[j];
            int x = o.x + int(j - i) * (cw + t.gap);
            if (ui.radio({x, y, cw, h}, opt.name(s.lang),
                    chosen == opt.code ? Selected::Yes : Selected::No))
                out.push_back(act::Choose {step, std::string(opt.code)});
        }
        y += h + t.space_s;
    }
    return y - o.y;
}

std::string privacy_text(State const& s) {
    // The office named is the one the content pack configures, not a fixed name.
    return counted(s.lang, S::Privacy, s.retention_days, {institution_name(s)});
}

int review_row(Ui& ui, Point o, int width, std::string_view label, std::string_view value) {
    auto const& t = ui.theme();
    int lw = std::min(width / 3, t.label_col_w);
    int h1 = ui.paragraph({o.x, o.y, lw - t.gap, 0}, label, t.body_bold, t.text_muted);
    int h2 = ui.paragraph(
        {o.x + lw, o.y, width - lw, 0}, value.empty() ? "\xE2\x80\x94" : value, t.body, t.text);
    return std::max(h1, h2) + t.space_m;
}

int step_body(Ui& ui, State const& s, Point o, int width, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    auto const& f = s.form;
    int y = o.y;
    auto missing = [&](S what) {
        if (f.show_problems && f.choice_missing)
            y += ui.paragraph({o.x, y, width, 0}, tr(l, what), t.body_bold, t.danger) + t.space_s;
    };
    switch (f.step) {
    case Step::Who:
        missing(S::ChooseOne);
        y += choices(ui, s, ksd::visitor_categories, f.category, Step::Who, {o.x, y}, width, out);
        break;
    case Step::Topic: {
        missing(S::ChooseATopic);
        y += choices(ui, s, ksd::request_topics, f.topic, Step::Topic, {o.x, y}, width, out);
        y += t.space_xs;
        std::string sector
            = f.sector.empty() ? std::string(tr(l, S::NotChosen)) : sector_name(f.sector, l);
        if (ui.button({o.x, y, width, t.control_h}, fill(l, S::SectorButton, {sector}),
                f.sector.empty() ? ButtonStyle::Secondary : ButtonStyle::Selected, Icon::Filter))
            out.push_back(act::OpenSectorPicker {});
        y += t.control_h + t.space_s;
        break;
    }
    case Step::Contact: {
        // Once problems show, they say what to fix and the hint gives way: at 800x480 the hint,
        // four fields and two problems of two lines each do not fit above the buttons, and
        // the last problem lost its example below the fold.
        auto const& c = f.contact;
        if (!f.show_problems || c.ok())
            y += ui.paragraph({o.x, y, width, 0}, tr(l, S::ContactHint), t.body, t.text_muted)
                + t.gap;
        else if (c.contact != FieldProblem::None)
            y += problem_line(ui, {o.x, y}, width, c.contact, l) + t.space_xs;
        auto fields = contact_fields(s);
        int cols = two_columns(t, width) ? 2 : 1;
        int cw = (width - (cols - 1) * t.gap) / cols;
        int lh = ui.measurer().line_height(t.body_bold);
        for (size_t i = 0; i < fields.size(); i += size_t(cols)) {
            int row_h = 0;
            for (size_t j = i; j < std::min(fields.size(), i + size_t(cols)); ++j) {
                auto const& spec = fields[j];
                int x = o.x + int(j - i) * (cw + t.gap);
                int fy = y;
                ui.label({x, fy, cw, lh}, spec.label, t.body_bold, t.navy);
                fy += lh + t.space_xs;
                if (ui.text_field({x, fy, cw, t.control_h}, *spec.value, spec.label,
                        Focus::Unfocused, Icon::None))
                    out.push_back(act::Focus {spec.field});
                fy += t.control_h + t.space_xs;
                fy += problem_line(ui, {x, fy}, cw, spec.problem, l);
                row_h = std::max(row_h, fy - y);
            }
            y += row_h + t.space_s;
        }
        break;
    }
    case Step::Question: {
        int lh = ui.measurer().line_height(t.body_bold);
        std::string count = counter(f.question, ksd::RequestLimits::question_max);
        int cw = ui.measurer().text_width(count, t.small) + t.space_s;
        ui.label({o.x + width - cw, y, cw, lh}, count, t.small, t.text_muted, Align::Right);
        ui.label({o.x, y, width - cw, lh}, tr(l, S::WriteYourQuestion), t.body_bold, t.navy);
        y += lh + t.space_s;
        TextBlock b = layout_text(ui.measurer(),
            f.question.empty() ? std::string(tr(l, S::TouchHereToWrite)) : f.question, t.body,
            f.question.empty() ? t.text_muted : t.text, width - t.space_xl, Align::Left);
        int bh = std::max(t.control_h * 3, b.height + t.space_xl);
        Rect box {o.x, y, width, bh};
        Press p = ui.pressable(box, tr(l, S::Question), Role::TextField);
        ui.renderer().fill_rounded(box, t.radius, t.border);
        ui.renderer().fill_rounded(box.inset(t.border_w), t.radius, t.surface);
        ui.text_block(b, {o.x + t.space_m, y + t.space_m}, width - t.space_xl);
        if (p.tapped)
            out.push_back(act::Focus {Field::Question});
        y += bh + t.space_s;
        if (f.show_problems)
            y += problem_line(ui, {o.x, y}, width, f.question_problem, l);
        y += ui.paragraph({o.x, y, width, 0}, tr(l, S::NoPersonalData), t.small, t.text_muted);
        break;
    }
    case Step::Consent: {
        y += ui.paragraph(
                 {o.x, y, width, 0}, privacy_text(s), t.body, t.text, Align::Left, t.line_gap)
            + t.gap;
        missing(S::TickToContinue);
        std::string label = tr(l, S::IAgree);
        int h = ui.choice_height(label, width);
        if (ui.checkbox({o.x, y, width, h}, label, f.consent ? Checked::Yes : Checked::No))
            out.push_back(act::ToggleConsent {});
        if (!ksd::tidy_text(f.email).empty()) {
            // A separate wish, never pre-ticked and not needed to send the request.
            y += h + t.gap;
            std::string mail = tr(l, S::RepliesByEmailOptional);
            h = ui.choice_height(mail, width);
            if (ui.checkbox({o.x, y, width, h}, mail,
                    f.email_replies == ksd::ReplyByEmail::Yes ? Checked::Yes : Checked::No))
                out.push_back(act::ToggleEmailReplies {});
        }
        y += h;
        break;
    }
    case Step::Review: {
        auto name_of = [&](auto const& options, std::string const& code) {
            auto const* term = ksd::find_option(options, code);
            return term ? std::string(term->name(l)) : code;
        };
        y += review_row(
            ui, {o.x, y}, width, tr(l, S::ReviewYou), name_of(ksd::visitor_categories, f.category));
        y += review_row(
            ui, {o.x, y}, width, tr(l, S::ReviewTopic), name_of(ksd::request_topics, f.topic));
        if (!f.sector.empty())
            y += review_row(ui, {o.x, y}, width, tr(l, S::FieldSector), sector_name(f.sector, l));
        y += review_row(ui, {o.x, y}, width, tr(l, S::Name), f.name);
        std::string contact = f.contact.phone_e164;
        if (!f.email.empty())
            contact += (contact.empty() ? "" : "  \xC2\xB7  ") + f.email;
        y += review_row(ui, {o.x, y}, width, tr(l, S::ReviewContact), contact);
        if (!ksd::tidy_text(f.email).empty())
            y += review_row(ui, {o.x, y}, width, tr(l, S::ReviewRepliesByEmail),
                f.email_replies == ksd::ReplyByEmail::Yes ? tr(l, S::YesSendToMyEmail)
                                                          : tr(l, S::No));
        if (!f.organisation.empty())
            y += review_row(ui, {o.x, y}, width, tr(l, S::ReviewOrganisation), f.organisation);
        y += review_row(ui, {o.x, y}, width, tr(l, S::Question), f.question);
        break;
    }
    }
    return y - o.y;
}

} // namespace

void request_form(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    auto const& f = s.form;
    Rect content = chrome(ui, s, tr(l, S::RequestAConsultation), out);
    if (f.focus != Field::None) {
        for (auto const& spec : contact_fields(s))
            if (spec.field == f.focus)
                return editing_view(ui, s, content, spec, out);
        if (f.focus == Field::Question)
            return editing_view(ui, s, content,
                {Field::Question, tr(l, S::Question), &f.question,
                    f.show_problems ? f.question_problem : FieldProblem::None,
                    ksd::RequestLimits::question_max},
                out);
    }
    content = content.inset(t.pad, t.space_m);
    // Header: which step, of how many, with a progress bar.
    // The title wraps rather than losing its end ("Consent to processing of personal da…"
    // beside the counter at 800x480); the counter stays on its first line.
    int lh = ui.measurer().line_height(t.heading3);
    std::string counter_text
        = fill(l, S::StepOf, {std::to_string(int(f.step) + 1), std::to_string(step_count)});
    int cw = ui.measurer().text_width(counter_text, t.body) + t.space_s;
    TextBlock title = layout_text(
        ui.measurer(), step_title(f.step, l), t.heading3, t.navy, content.w - cw, Align::Left);
    Rect head = content.take_top(std::max(lh, title.height));
    ui.label({head.right() - cw, head.y, cw, lh}, counter_text, t.body, t.text_muted, Align::Right);
    ui.text_block(title, {head.x, head.y}, content.w - cw);
    Rect bar = content.take_top(t.space_m).inset(0, t.space_2xs);
    ui.renderer().fill_rounded(bar, bar.h / 2, t.surface_alt);
    ui.renderer().fill_rounded(
        {bar.x, bar.y, bar.w * (int(f.step) + 1) / step_count, bar.h}, bar.h / 2, t.teal);
    content.take_top(t.space_s);
    // Footer: previous and next (or send).
    Rect foot = content.take_bottom(t.control_h);
    content.take_bottom(t.space_s);
    int bw = std::min(foot.w / 2 - t.gap, t.button_w);
    if (ui.button(foot.take_left(bw), tr(l, S::Previous), ButtonStyle::Secondary, Icon::Back))
        out.push_back(act::Back {});
    if (f.step == Step::Review) {
        // While the worker saves, the button says so (the App ignores taps until it is done).
        if (ui.button(foot.take_right(bw), tr(l, f.saving ? S::Saving : S::Send),
                ButtonStyle::Primary, Icon::ChevronRight))
            out.push_back(act::Submit {});
    } else if (ui.button(
                   foot.take_right(bw), tr(l, S::Next), ButtonStyle::Primary, Icon::ChevronRight)) {
        out.push_back(act::NextStep {});
    }
    if (f.save_failed && f.step == Step::Review) {
        // Where the eye is after pressing "Kirim": right above the button, not in the scroll.
        std::string msg = tr(l, S::SaveFailed);
        TextBlock b = layout_text(
            ui.measurer(), msg, t.body_bold, t.on_dark, content.w - t.space_xl, Align::Left);
        Rect band = content.take_bottom(b.height + t.space_l);
        content.take_bottom(t.space_s);
        ui.renderer().fill_rounded(band, t.radius, t.danger);
        ui.text_block(b, {band.x + t.space_m, band.y + t.space_s}, band.w - t.space_xl);
    }
    Point o = ui.begin_scroll("request", content);
    int h = step_body(ui, s, o, content.w, out);
    ui.end_scroll(h);
}

void request_sector_picker(Ui& ui, State const& s, Actions& out) {
    sector_picker(ui, s, out);
}

void request_done(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    Rect content = chrome(ui, s, tr(l, S::RequestSaved), out).inset(t.pad);
    if (!s.ticket)
        return;
    auto const& tk = *s.ticket;
    // A big "Selesai": the one thing left to do on this screen.
    Rect foot = content.take_bottom(t.control_h + t.space_m);
    content.take_bottom(t.gap);
    // With a printer, three equal buttons; without, "Selesai" and the survey's invitation.
    int bw
        = s.has_printer ? (foot.w - 2 * t.gap) / 3 : std::min(foot.w / 2 - t.gap, t.wide_button_w);
    if (ui.button(foot.take_right(bw), tr(l, S::Done), ButtonStyle::Primary))
        out.push_back(act::Home {});
    foot.take_right(t.gap);
    if (s.has_printer
        && ui.button(foot.take_left(bw), tr(l, s.printing ? S::Printing : S::PrintReceipt),
            ButtonStyle::Secondary))
        out.push_back(act::PrintReceipt {});
    // The optional satisfaction survey (issue 14): declining is "Selesai", or just leaving. Its
    // long label beside the other buttons where it fits whole; on a portrait panel, else, on a
    // row of its own above them; on a landscape one the short label beside them (a 7" panel has
    // no height to spare), on its own row only when even that does not fit.
    if (s.has_printer)
        foot.take_left(t.gap);
    int icon_w = std::min(t.control_h / 2, t.button_icon);
    auto need = [&](std::string const& label) {
        return ui.measurer().text_width(label, t.button) + icon_w + t.space_s + t.space_xl;
    };
    std::string invite = tr(l, S::SurveyInvite);
    std::string invite_short = tr(l, S::SurveyInviteShort);
    Rect invite_r;
    if (need(invite) <= foot.w || (!t.portrait && need(invite_short) <= foot.w)) {
        if (need(invite) > foot.w)
            invite = invite_short;
        invite_r = foot.take_left(std::min(foot.w, std::max(bw, need(invite) + t.space_s)));
    } else {
        invite_r = content.take_bottom(t.control_h);
        content.take_bottom(t.gap);
        if (need(invite) > invite_r.w)
            invite = invite_short;
    }
    if (ui.button(invite_r, invite, ButtonStyle::Secondary, Icon::Smile))
        out.push_back(act::OpenSurvey {});
    // What the printer did, next to its button: at the end of the text it was below the fold.
    if (!s.print_message.empty()) {
        TextBlock pm = layout_text(
            ui.measurer(), s.print_message, t.body_bold, t.navy, content.w, Align::Left);
        Rect pr = content.take_bottom(pm.height);
        ui.text_block(pm, {pr.x, pr.y}, pr.w);
        content.take_bottom(t.gap);
    }
    // The QR code with what it does in words: beside the text on a landscape panel; right under
    // the code on a portrait one (it sat at the bottom of the totem, far from the code).
    std::string const& qr_data = s.ticket_qr.data.empty() ? tk.code : s.ticket_qr.data;
    std::string caption = ksd::ticket_qr_caption(s.ticket_qr.kind, l);
    int col_w = t.portrait ? std::min(content.w, t.column_w) : content.w * 2 / 5;
    TextBlock cap = layout_text(ui.measurer(), caption, t.body_bold, t.navy, col_w, Align::Center);
    int cap_h = cap.height + t.space_s;
    // Large text on a short landscape panel: the caption joins the words on the left, the code
    // keeps its column (under it, the caption ran over the buttons).
    bool cap_left = !t.portrait && content.h - cap_h < t.qr_min;
    if (cap_left) {
        cap = {};
        cap_h = 0;
    }
    int qs = t.portrait ? std::min(content.w * 3 / 5, content.h / 2 - cap_h)
                        : std::min(content.h - cap_h, col_w);
    qs = std::max(qs, 0);
    auto code_and_caption = [&](Rect col) {
        Rect qr_r {col.x + (col.w - qs) / 2, col.y, qs, qs};
        ui.qr(qr_r, qr_data, {});
        Rect cap_r {col.x + (col.w - col_w) / 2, qr_r.bottom() + t.space_s, col_w, cap.height};
        ui.text_block(cap, {cap_r.x, cap_r.y}, cap_r.w);
    };
    if (!t.portrait) {
        code_and_caption(content.take_right(col_w));
        content.take_right(t.gap);
    }
    Point o = ui.begin_scroll("done", content);
    int w = content.w;
    int y = o.y;
    y += ui.paragraph({o.x, y, w, 0}, tr(l, S::YourTicketCode), t.body_bold, t.text_muted);
    Font big = t.ticket_code_hero;
    int bh = ui.measurer().line_height(big);
    ui.label({o.x, y, w, bh}, tk.code, big, t.navy, t.portrait ? Align::Center : Align::Left);
    y += bh + t.space_s;
    if (cap_left)
        y += ui.paragraph({o.x, y, w, 0}, caption, t.body_bold, t.navy) + t.space_s;
    if (t.portrait) {
        y += t.gap;
        code_and_caption({o.x, y, w, qs + cap_h});
        y += qs + cap_h + t.gap;
    }
    bool sent = tk.state == ksd::DeliveryState::Acknowledged;
    bool held = tk.state == ksd::DeliveryState::Quarantined;
    Color c = sent ? t.status_active : (held ? t.status_soon : t.status_future);
    y += ui.paragraph({o.x, y, w, 0},
             sent       ? tr(l, S::SentToSecretariat)
                 : held ? tr(l, S::SavedButHeld)
                        : tr(l, S::SavedWillSend),
             t.body_bold, c)
        + t.gap;
    y += ui.paragraph({o.x, y, w, 0}, tr(l, S::WriteDownCode), t.body, t.text) + t.gap;
    ui.end_scroll(y - o.y);
}

void request_discard_dialog(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    Rect screen {0, 0, t.screen.w, t.screen.h};
    ui.renderer().fill_rect(screen, t.overlay);
    Font big = t.display;
    std::string title = tr(l, S::DiscardTitle);
    std::string body = tr(l, S::DiscardBody);
    int bh = t.control_h + t.space_m;
    TextBlock tb, bb;
    int inner_w = 0, buttons_h = 0, h = 0;
    bool stacked = false;
    auto lay_out = [&](int width) {
        inner_w = width - t.pad * 3;
        tb = layout_text(ui.measurer(), title, big, t.navy, inner_w, Align::Center);
        bb = layout_text(ui.measurer(), body, t.body, t.text, inner_w, Align::Center);
        // Two big buttons, side by side when they fit, else stacked.
        stacked = inner_w < t.column_w;
        buttons_h = stacked ? bh * 2 + t.gap : bh;
        h = tb.height + t.space_m + bb.height + t.space_xl + buttons_h + t.pad * 3;
    };
    int w = std::min(screen.w - 2 * t.pad, t.dialog_w);
    lay_out(w);
    // Large text on a short panel: the whole width, so that it fits the height.
    if (h > screen.h - 2 * t.space_s && w < screen.w - 2 * t.pad) {
        w = screen.w - 2 * t.pad;
        lay_out(w);
    }
    Rect panel {(screen.w - w) / 2, (screen.h - h) / 2, w, h};
    ui.card(panel, t.surface, "discard");
    Rect in = panel.inset(t.pad * 3 / 2);
    ui.text_block(tb, {in.x, in.y}, in.w);
    in.take_top(tb.height + t.space_m);
    ui.text_block(bb, {in.x, in.y}, in.w);
    in.take_top(bb.height + t.space_xl);
    std::string keep = tr(l, S::KeepTyping);
    std::string discard = tr(l, S::Discard);
    Rect keep_r, discard_r;
    if (stacked) {
        keep_r = in.take_top(bh);
        in.take_top(t.gap);
        discard_r = in.take_top(bh);
    } else {
        Rect row = in.take_top(bh);
        int half = (row.w - t.gap) / 2;
        discard_r = row.take_left(half);
        keep_r = row.take_right(half);
    }
    // Keeping is the safe answer, so it is the primary button.
    if (ui.button(keep_r, keep, ButtonStyle::Primary))
        out.push_back(act::KeepForm {});
    if (ui.button(discard_r, discard, ButtonStyle::Secondary, Icon::Close))
        out.push_back(act::DiscardForm {});
}

void request_closed(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    Rect view = chrome(ui, s, tr(l, S::RequestAConsultation), out).inset(t.pad, t.pad);
    // It scrolls: with 4 mm text the office's contacts reach below a 7" panel's fold.
    Point o = ui.begin_scroll("requests-closed", view);
    Rect content {o.x + t.pad, o.y + t.pad, view.w - 2 * t.pad, 0};
    int y = content.y;
    y += ui.paragraph({content.x, y, content.w, 0}, tr(l, S::RequestsClosed), t.heading3, t.navy)
        + t.gap;
    y += ui.paragraph({content.x, y, content.w, 0},
             fill(l, S::RequestsClosedHelp, {institution_name(s)}), t.body, t.text)
        + t.gap * 2;
    int bw = std::min(content.w, t.wide_button_w);
    bool pack_contacts = false;
    for (auto const& sec : s.sections)
        if (sec.kind == "contacts") {
            if (ui.button({content.x, y, bw, t.control_h}, sec.title.get(l), ButtonStyle::Primary,
                    Icon::Contacts))
                out.push_back(act::OpenSection {sec.id});
            y += t.control_h + t.gap;
            pack_contacts = true;
            break;
        }
    // Without a pack (or a contacts section in it), the office of the kiosk's config.
    if (!pack_contacts && !s.office.empty()) {
        int w = std::min(content.w, t.dialog_w);
        std::string head = tr(l, S::ContactUs);
        int h = office_contact_height(ui, s.office, head, w);
        office_contact(ui, s.office, head, {content.x, y, w, h});
        y += h;
    }
    ui.end_scroll(y + t.pad - o.y);
}

} // namespace kiosk::screens
