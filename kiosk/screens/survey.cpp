// The satisfaction survey (SKM, issue 14): its intro, one question per screen with four large
// answers (a face from sad to happy over the regulation's words), the optional respondent data on
// two pages of big choices, and the thank-you screen. Draws from State, returns actions.
#include "screens/screens.h"

#include "ksd/skm.h"

#include <algorithm>
#include <cmath>
#include <span>

namespace kiosk::screens {

using namespace ui;
using ksd::Lang;

namespace {

// A face for answer 1..4 (pic.id): sad to happy, a disc in fg with the eyes and mouth cut out in
// bg (the card's colour). Drawn from the renderer's primitives on a 24-unit grid, through
// Renderer::picture so the SDL renderer rasterises each size once.
void draw_face(Renderer& rd, Picture const& pic, Rect box) {
    int side = std::min(box.w, box.h);
    float u = float(side) / 24.0f;
    int ox = box.x + (box.w - side) / 2, oy = box.y + (box.h - side) / 2;
    auto p = [&](float x, float y) {
        return Point {ox + int(std::lround(x * u)), oy + int(std::lround(y * u))};
    };
    auto n = [&](float v) { return std::max(1, int(std::lround(v * u))); };
    rd.fill_circle(p(12, 12), n(11.5f), pic.fg);
    int value = int(pic.id);
    if (value >= 4) {
        // Very happy: an open smile, the lower half of a disc (its upper half painted over).
        rd.fill_circle(p(12, 13.2f), n(5.6f), pic.bg);
        Point a = p(5.5f, 6.5f), b = p(18.5f, 13.2f);
        rd.fill_rect({a.x, a.y, b.x - a.x, b.y - a.y}, pic.fg);
    }
    rd.fill_circle(p(8.2f, 9.2f), n(1.7f), pic.bg);
    rd.fill_circle(p(15.8f, 9.2f), n(1.7f), pic.bg);
    if (value >= 4)
        return;
    // The mouth: a curve whose middle sits lower (smile) or higher (frown) than its ends.
    float bend = value == 1 ? -3.2f : value == 2 ? -1.3f : 2.4f;
    float y0 = value == 3 ? 14.6f : 17.2f;
    int steps = 10;
    Point prev {};
    for (int i = 0; i <= steps; ++i) {
        float x = -5.0f + 10.0f * float(i) / float(steps);
        float y = y0 + bend * (1.0f - (x / 5.0f) * (x / 5.0f));
        Point q = p(12 + x, y);
        if (i > 0)
            rd.line(prev, q, n(1.9f), pic.bg);
        prev = q;
    }
}

Color face_color(Theme const& t, int value) {
    switch (value) {
    case 1:
        return t.danger;
    case 2:
        return t.status_soon;
    case 3:
        return t.teal;
    default:
        return t.status_active;
    }
}

void face(Renderer& rd, Theme const& t, int value, Rect box, Color bg) {
    if (box.empty())
        return;
    rd.picture(box, Picture {draw_face, uint32_t(value), face_color(t, value), bg});
}

// A header: a title (wrapped, never cut) with a counter on its first line, and a progress bar.
void header(
    Ui& ui, Rect& content, std::string const& title, std::string const& counter, int done, int of) {
    auto const& t = ui.theme();
    Font font = t.heading3;
    int lh = ui.measurer().line_height(font);
    int cw = counter.empty() ? 0 : ui.measurer().text_width(counter, t.body) + t.space_s;
    TextBlock tb = layout_text(ui.measurer(), title, font, t.navy, content.w - cw, Align::Left);
    Rect head = content.take_top(std::max(lh, tb.height));
    if (cw)
        ui.label({head.right() - cw, head.y, cw, lh}, counter, t.body, t.text_muted, Align::Right);
    ui.text_block(tb, {head.x, head.y}, content.w - cw);
    if (of > 0) {
        Rect bar = content.take_top(t.space_m).inset(0, t.space_2xs);
        ui.renderer().fill_rounded(bar, bar.h / 2, t.surface_alt);
        ui.renderer().fill_rounded({bar.x, bar.y, bar.w * done / of, bar.h}, bar.h / 2, t.teal);
    }
    content.take_top(t.space_s);
}

// The footer's two buttons: wide enough for "Sebelumnya" whole (large text), at most half each.
int footer_button_w(Ui& ui, Rect foot, Lang l) {
    auto const& t = ui.theme();
    int need = ui.measurer().text_width(tr(l, S::Previous), t.button)
        + std::min(foot.h / 2, t.button_icon) + t.space_s + t.space_xl;
    return std::min(foot.w / 2 - t.gap / 2, std::max(t.button_w, need));
}

// A calm message in a band right above the footer, where the eye is after pressing a button.
void message_band(Ui& ui, Rect& content, std::string const& msg, Color fill) {
    auto const& t = ui.theme();
    TextBlock b = layout_text(
        ui.measurer(), msg, t.body_bold, t.on_dark, content.w - t.space_xl, Align::Left);
    Rect band = content.take_bottom(b.height + t.space_l);
    content.take_bottom(t.space_s);
    ui.renderer().fill_rounded(band, t.radius, fill);
    ui.text_block(b, {band.x + t.space_m, band.y + t.space_s}, band.w - t.space_xl);
}

void intro(Ui& ui, State const& s, Rect content, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    int w = std::min(content.w, t.reading_w);
    auto& m = ui.measurer();
    TextBlock title
        = layout_text(m, tr(l, S::SurveyIntroTitle), t.heading2, t.navy, w, Align::Center);
    TextBlock body
        = layout_text(m, tr(l, S::SurveyIntroBody), t.body, t.text, w, Align::Center, t.line_gap);
    int fs = std::clamp(content.h / 5, t.control_h, t.icon * 2);
    int text_h = title.height + t.space_m + body.height;
    int button_h = t.control_h + t.space_s;
    int bw = std::min(content.w, std::max(t.wide_button_w, w / 2));
    // Faces, words and the button as one block in the middle when they fit (a tall panel had
    // two empty bands around the words with the button at its foot); else the button stays at
    // the foot and the words scroll above it, the faces giving way first.
    bool inline_button = text_h + fs + t.gap + t.space_xl + button_h <= content.h;
    Rect area = content;
    if (!inline_button) {
        Rect foot = area.take_bottom(button_h);
        area.take_bottom(t.gap);
        if (ui.button({foot.x + (foot.w - bw) / 2, foot.y, bw, foot.h}, tr(l, S::SurveyStart),
                ButtonStyle::Primary, Icon::ChevronRight))
            out.push_back(act::SurveyStart {});
    }
    bool faces = area.h >= text_h + fs + t.gap + (inline_button ? t.space_xl + button_h : 0);
    int total = text_h + (faces ? fs + t.gap : 0) + (inline_button ? t.space_xl + button_h : 0);
    bool scrolls = total > area.h;
    Point o
        = scrolls ? ui.begin_scroll("survey", area) : Point {area.x, area.y + (area.h - total) / 2};
    int x = o.x + (area.w - w) / 2;
    int y = o.y;
    if (faces) {
        int row = 4 * fs + 3 * t.space_l;
        for (int v = 1; v <= 4; ++v)
            face(ui.renderer(), t, v, {x + (w - row) / 2 + (v - 1) * (fs + t.space_l), y, fs, fs},
                t.background);
        y += fs + t.gap;
    }
    ui.text_block(title, {x, y}, w);
    y += title.height + t.space_m;
    ui.text_block(body, {x, y}, w);
    y += body.height;
    if (inline_button) {
        y += t.space_xl;
        if (ui.button({o.x + (area.w - bw) / 2, y, bw, button_h}, tr(l, S::SurveyStart),
                ButtonStyle::Primary, Icon::ChevronRight))
            out.push_back(act::SurveyStart {});
    }
    if (scrolls)
        ui.end_scroll(total);
}

// One answer: a card with its face and the regulation's words, the whole card the target.
bool answer(
    Ui& ui, Rect r, int value, std::string_view words, bool chosen, bool beside, int words_h) {
    auto const& t = ui.theme();
    Press p = ui.pressable(r, words, Role::Button);
    if (!ui.visible(r))
        return p.tapped;
    auto& rd = ui.renderer();
    rd.fill_rounded(r, t.radius, chosen ? t.navy : (p.pressed ? t.teal : t.border));
    Rect inner = r.inset(chosen ? t.border_w * 2 : t.border_w);
    Color fill = p.pressed ? t.pressed : (chosen ? t.teal_tint : t.surface);
    rd.fill_rounded(inner, std::max(0, t.radius - t.border_w), fill);
    // The same room inside whether chosen or not: the face must not move when chosen.
    Rect in = r.inset(2 * t.border_w + (beside ? t.space_m : t.space_s));
    if (beside) {
        // Portrait: the face on the left, the words beside it, large.
        int fs = std::min(in.h, t.icon * 2);
        face(rd, t, value, {in.x, in.y + (in.h - fs) / 2, fs, fs}, fill);
        in.take_left(fs + t.space_l);
        TextBlock b = layout_text(ui.measurer(), words, t.heading3, t.text, in.w, Align::Left);
        ui.text_block(b, {in.x, in.y + (in.h - b.height) / 2}, in.w);
    } else {
        // Every card's face the same size (from the longest words of the four), the words under
        // it centred in their room.
        TextBlock b = layout_text(ui.measurer(), words, t.body_bold, t.text, in.w, Align::Center);
        int fs = std::min(in.w, in.h - words_h - t.space_xs);
        int top = in.y + (in.h - fs - t.space_xs - words_h) / 2;
        face(rd, t, value, {in.x + (in.w - fs) / 2, top, fs, fs}, fill);
        ui.text_block(b, {in.x, top + fs + t.space_xs + (words_h - b.height) / 2}, in.w);
    }
    return p.tapped;
}

void question(Ui& ui, State const& s, Rect content, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    auto const& f = s.survey;
    auto const& el = ksd::skm_elements()[size_t(f.question)];
    std::string number = std::to_string(f.question + 1);
    std::string of = std::to_string(ksd::skm_element_count);
    std::string counter = fill(l, S::SurveyQuestionOf, {number, of});
    // A short landscape panel (7", 800x480) has no room for a header over the question and
    // four cards of two-line words: the counter moves between the footer's buttons and the
    // progress bar runs along the top; the element's name is left out (the question says it).
    bool compact = !t.portrait && content.h < t.control_h * 8;
    if (compact) {
        Rect bar = content.take_top(t.space_m).inset(0, t.space_2xs);
        ui.renderer().fill_rounded(bar, bar.h / 2, t.surface_alt);
        ui.renderer().fill_rounded(
            {bar.x, bar.y, bar.w * (f.question + 1) / ksd::skm_element_count, bar.h}, bar.h / 2,
            t.teal);
        content.take_top(t.space_s);
    } else {
        header(ui, content, std::string(el.name.in(l)), counter, f.question + 1,
            ksd::skm_element_count);
    }
    // Footer: back a question, or skip this one.
    Rect foot = content.take_bottom(t.control_h);
    content.take_bottom(t.space_s);
    int bw = footer_button_w(ui, foot, l);
    if (ui.button(foot.take_left(bw), tr(l, S::Previous), ButtonStyle::Secondary, Icon::Back))
        out.push_back(act::Back {});
    if (ui.button(
            foot.take_right(bw), tr(l, S::SurveySkip), ButtonStyle::Secondary, Icon::ChevronRight))
        out.push_back(act::SurveySkip {});
    if (compact) {
        // Between the buttons, shorter when it must be; with large text there may be no room.
        Rect mid = foot.inset(t.gap, 0);
        if (ui.measurer().text_width(counter, t.body) > mid.w)
            counter = fill(l, S::SurveyPartOf, {number, of});
        if (ui.measurer().text_width(counter, t.body) <= mid.w)
            ui.label(mid, counter, t.body, t.text_muted, Align::Center);
    }

    Point o = ui.begin_scroll("survey", content);
    int w = content.w;
    int y = o.y;
    // The question in large type on a portrait panel; on a landscape one in body type, which
    // leaves the answers their height (three lines of heading type hid the answers' words below
    // the fold at 800x480). By orientation, not by room: large text must never step it down.
    Font qf = t.portrait ? t.heading3 : t.body_bold;
    y += ui.paragraph({o.x, y, w, 0}, el.question.in(l), qf, t.text) + t.space_s;
    int rest = content.bottom() - (y - o.y + content.y);
    int chosen = f.answers[size_t(f.question)];
    bool rows = t.portrait;
    int h = 0;
    if (rows) {
        // Four rows, worst on top; each as tall as the room allows, within reason.
        int need = t.control_h * 3 / 2;
        for (auto const& a : el.answers)
            need = std::max(need,
                layout_text(ui.measurer(), a.in(l), t.heading3, t.text,
                    w - t.icon * 2 - t.space_l - 2 * t.space_m - 4 * t.border_w, Align::Left)
                        .height
                    + 2 * t.space_m + 4 * t.border_w);
        int rh = std::max(need, std::min((rest - 3 * t.gap) / 4, t.icon * 2 + 2 * t.space_l));
        for (int v = 1; v <= 4; ++v) {
            Rect r {o.x, y + (v - 1) * (rh + t.gap), w, rh};
            if (answer(ui, r, v, el.answers[size_t(v - 1)].in(l), chosen == v, true, 0))
                out.push_back(act::SurveyAnswer {v});
        }
        h = 4 * rh + 3 * t.gap;
    } else {
        // Four columns, worst on the left, as the regulation's form lists them.
        int cw = (w - 3 * t.gap) / 4;
        int words = 0;
        for (auto const& a : el.answers)
            words = std::max(words,
                layout_text(ui.measurer(), a.in(l), t.body_bold, t.text,
                    cw - 2 * t.space_s - 4 * t.border_w, Align::Center)
                    .height);
        int least = words + t.icon + t.space_xs + 2 * t.space_s + 4 * t.border_w;
        int ch = std::max(least, std::min(rest, words + t.icon * 3 + t.space_s + 2 * t.space_m));
        for (int v = 1; v <= 4; ++v) {
            Rect r {o.x + (v - 1) * (cw + t.gap), y, cw, ch};
            if (answer(ui, r, v, el.answers[size_t(v - 1)].in(l), chosen == v, false, words))
                out.push_back(act::SurveyAnswer {v});
        }
        h = ch;
    }
    y += h;
    ui.end_scroll(y - o.y);
}

std::span<ksd::SkmChoice const> choices_of(SurveyChoice which) {
    switch (which) {
    case SurveyChoice::Gender:
        return ksd::skm_genders();
    case SurveyChoice::AgeBand:
        return ksd::skm_age_bands();
    case SurveyChoice::Education:
        return ksd::skm_educations();
    case SurveyChoice::Occupation:
        return ksd::skm_occupations();
    }
    return ksd::skm_genders();
}

std::string const& chosen_of(SurveyForm const& f, SurveyChoice which) {
    switch (which) {
    case SurveyChoice::Gender:
        return f.respondent.gender;
    case SurveyChoice::AgeBand:
        return f.respondent.age_band;
    case SurveyChoice::Education:
        return f.respondent.education;
    case SurveyChoice::Occupation:
        return f.respondent.occupation;
    }
    return f.respondent.gender;
}

// A field of the respondent data: its name (with the page's counter on the first), then its
// choices as big buttons, as many to a row as show their words whole; tapping the chosen one
// again clears it.
int choice_group(Ui& ui, State const& s, SurveyChoice which, S heading, std::string_view counter,
    Point o, int width, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    auto choices = choices_of(which);
    std::string const& chosen = chosen_of(s.survey, which);
    auto& m = ui.measurer();
    int y = o.y;
    int lh = m.line_height(t.body_bold);
    int cw_text = counter.empty() ? 0 : m.text_width(counter, t.body) + t.space_s;
    std::string head = fill(l, S::SurveyOptionalField, {tr(l, heading)});
    TextBlock hb = layout_text(m, head, t.body_bold, t.navy, width - cw_text, Align::Left);
    if (cw_text)
        ui.label(
            {o.x + width - cw_text, y, cw_text, lh}, counter, t.body, t.text_muted, Align::Right);
    ui.text_block(hb, {o.x, y}, width - cw_text);
    y += std::max(lh, hb.height) + t.space_2xs;
    int n = int(choices.size());
    int widest = 0;
    for (auto const& c : choices)
        widest = std::max(widest, m.text_width(c.label.in(l), t.button));
    int cols = t.portrait ? 2 : 3;
    int cw = 0;
    for (;; --cols) {
        cw = (width - (cols - 1) * t.space_s) / cols;
        // Ui::button keeps 10 design px each side of its words.
        if (cols == 1 || widest + t.space_l + t.space_xs <= cw)
            break;
    }
    // A portrait panel has the height for larger targets.
    int ch = t.portrait ? t.control_h * 3 / 2 : t.control_h;
    for (int i = 0; i < n; ++i) {
        auto const& c = choices[size_t(i)];
        Rect r {o.x + (i % cols) * (cw + t.space_s), y + (i / cols) * (ch + t.space_xs), cw, ch};
        if (ui.button(r, c.label.in(l),
                chosen == c.code ? ButtonStyle::Selected : ButtonStyle::Secondary))
            out.push_back(act::SurveyChoose {which, std::string(c.code)});
    }
    y += (n + cols - 1) / cols * (ch + t.space_xs) + (t.portrait ? t.space_l : 0);
    return y - o.y + t.space_xs;
}

void about_you(Ui& ui, State const& s, Rect content, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    auto const& f = s.survey;
    bool first = f.page == SurveyPage::AboutYou;
    Rect foot = content.take_bottom(t.control_h);
    content.take_bottom(t.space_s);
    int bw = footer_button_w(ui, foot, l);
    if (ui.button(foot.take_left(bw), tr(l, S::Previous), ButtonStyle::Secondary, Icon::Back))
        out.push_back(act::Back {});
    if (first) {
        if (ui.button(
                foot.take_right(bw), tr(l, S::Next), ButtonStyle::Primary, Icon::ChevronRight))
            out.push_back(act::SurveyNext {});
    } else if (ui.button(foot.take_right(bw), tr(l, f.saving ? S::Saving : S::Send),
                   ButtonStyle::Primary, Icon::ChevronRight)) {
        out.push_back(act::SurveySend {});
    }
    if (f.save_failed)
        message_band(ui, content, tr(l, S::SurveySaveFailed), t.danger);
    else if (f.nothing_answered)
        message_band(ui, content, tr(l, S::SurveyNothingAnswered), t.navy);
    // No header of its own: on a 7" panel two fields of big buttons fill the page. The first
    // field's heading carries the page's counter; each says it is optional.
    std::string counter = fill(l, S::SurveyPartOf, {first ? "1" : "2", "2"});
    Point o = ui.begin_scroll("survey", content);
    int w = content.w;
    int y = o.y;
    if (first) {
        y += choice_group(ui, s, SurveyChoice::Gender, S::SurveyGender, counter, {o.x, y}, w, out);
        y += choice_group(ui, s, SurveyChoice::AgeBand, S::SurveyAge, {}, {o.x, y}, w, out);
    } else {
        y += choice_group(
            ui, s, SurveyChoice::Education, S::SurveyEducation, counter, {o.x, y}, w, out);
        y += choice_group(
            ui, s, SurveyChoice::Occupation, S::SurveyOccupation, {}, {o.x, y}, w, out);
    }
    // What the data is for, last: the choices come first on a short panel.
    y += ui.paragraph({o.x, y, w, 0}, tr(l, S::SurveyAboutYouHint), t.small, t.text_muted);
    ui.end_scroll(y - o.y);
}

} // namespace

void survey(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Rect content = chrome(ui, s, tr(s.lang, S::SatisfactionSurvey), out).inset(t.pad, t.space_m);
    switch (s.survey.page) {
    case SurveyPage::Intro:
        intro(ui, s, content, out);
        break;
    case SurveyPage::Question:
        question(ui, s, content, out);
        break;
    case SurveyPage::AboutYou:
    case SurveyPage::AboutWork:
        about_you(ui, s, content, out);
        break;
    }
}

void survey_thanks(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    Rect content = chrome(ui, s, tr(l, S::SatisfactionSurvey), out).inset(t.pad, t.space_m);
    int w = std::min(content.w, t.reading_w);
    auto& m = ui.measurer();
    TextBlock b1 = layout_text(m, tr(l, S::SurveyThanksTitle), t.display, t.navy, w, Align::Center);
    TextBlock b2 = layout_text(m, tr(l, S::SurveyThanksBody), t.body, t.text, w, Align::Center);
    TextBlock b3
        = layout_text(m, tr(l, S::SurveyBackHomeSoon), t.small, t.text_muted, w, Align::Center);
    int fs = t.icon * 2;
    int text_h = fs + t.gap + b1.height + t.space_m + b2.height + t.gap + b3.height;
    int button_h = t.control_h + t.space_s;
    int bw = std::min(content.w, t.wide_button_w);
    // As on the intro: the words and "Selesai" as one block in the middle when they fit, else
    // the button at the foot and the words scrolling above it.
    bool inline_button = text_h + t.space_xl + button_h <= content.h;
    Rect area = content;
    if (!inline_button) {
        Rect foot = area.take_bottom(button_h);
        area.take_bottom(t.gap);
        if (ui.button({foot.x + (foot.w - bw) / 2, foot.y, bw, foot.h}, tr(l, S::Done),
                ButtonStyle::Primary))
            out.push_back(act::Home {});
    }
    int total = text_h + (inline_button ? t.space_xl + button_h : 0);
    bool scrolls = total > area.h;
    Point o
        = scrolls ? ui.begin_scroll("survey", area) : Point {area.x, area.y + (area.h - total) / 2};
    int x = o.x + (area.w - w) / 2;
    int y = o.y;
    face(ui.renderer(), t, 4, {x + (w - fs) / 2, y, fs, fs}, t.background);
    y += fs + t.gap;
    ui.text_block(b1, {x, y}, w);
    y += b1.height + t.space_m;
    ui.text_block(b2, {x, y}, w);
    y += b2.height + t.gap;
    ui.text_block(b3, {x, y}, w);
    y += b3.height;
    if (inline_button) {
        y += t.space_xl;
        if (ui.button(
                {o.x + (area.w - bw) / 2, y, bw, button_h}, tr(l, S::Done), ButtonStyle::Primary))
            out.push_back(act::Home {});
    }
    if (scrolls)
        ui.end_scroll(total);
}

} // namespace kiosk::screens
