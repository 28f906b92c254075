// The satisfaction survey's flow and its durable save; see survey.h.
#include "features/survey.h"

#include "ksd/log.h"

#include <utility>

namespace kiosk::survey {

using namespace ksd;

namespace {

std::string& respondent_field(SurveyForm& f, SurveyChoice which) {
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

std::span<SkmChoice const> choices_of(SurveyChoice which) {
    switch (which) {
    case SurveyChoice::Gender:
        return skm_genders();
    case SurveyChoice::AgeBand:
        return skm_age_bands();
    case SurveyChoice::Education:
        return skm_educations();
    case SurveyChoice::Occupation:
        return skm_occupations();
    }
    return skm_genders();
}

// A new page: its messages go, its scroll starts at the top.
void turn_to(Ctx& c, SurveyPage page, int question = 0) {
    auto& f = c.s.survey;
    f.page = page;
    f.question = question;
    f.shown_at_ms = c.now;
    f.save_failed = false;
    f.nothing_answered = false;
    c.scroll_resets.push_back("survey");
    c.ui_reset = true;
}

void next_question(Ctx& c) {
    auto& f = c.s.survey;
    if (f.question + 1 < skm_element_count)
        turn_to(c, SurveyPage::Question, f.question + 1);
    else
        turn_to(c, SurveyPage::AboutYou);
}

bool on_survey(Ctx const& c) {
    return c.s.screen() == ScreenId::Survey;
}

// A tap that arrives right after the page turned (see double_tap_guard_ms).
bool too_soon(Ctx const& c) {
    return c.now - c.s.survey.shown_at_ms < double_tap_guard_ms;
}

} // namespace

SkmInput input_of(State const& s) {
    SkmInput in;
    in.answers = s.survey.answers;
    in.respondent = s.survey.respondent;
    in.lang = s.lang;
    return in;
}

void handle(Ctx& c, act::OpenSurvey const&) {
    auto& s = c.s;
    if (s.screen() == ScreenId::RequestDone) {
        // Anonymous: the ticket just shown is let go before the survey starts, so that nothing
        // of the request is on screen or in the state while it is answered.
        s.ticket.reset();
        s.ticket_qr = {};
        s.print_message.clear();
        c.forget_text = true;
    }
    s.survey = SurveyForm {};
    s.survey.shown_at_ms = c.now;
    s.stack.resize(std::min(s.stack.size(), s.home_depth()));
    s.stack.push_back({ScreenId::Survey, {}});
    c.scroll_resets.push_back("survey");
    c.ui_reset = true;
}

void handle(Ctx& c, act::SurveyStart const&) {
    if (on_survey(c) && c.s.survey.page == SurveyPage::Intro && !too_soon(c))
        turn_to(c, SurveyPage::Question, 0);
}

void handle(Ctx& c, act::SurveyAnswer const& a) {
    auto& f = c.s.survey;
    if (!on_survey(c) || f.page != SurveyPage::Question || a.value < skm_min_value
        || a.value > skm_max_value || too_soon(c))
        return;
    f.answers[size_t(f.question)] = a.value;
    next_question(c);
}

void handle(Ctx& c, act::SurveySkip const&) {
    auto& f = c.s.survey;
    if (!on_survey(c) || too_soon(c))
        return;
    switch (f.page) {
    case SurveyPage::Intro:
        break;
    case SurveyPage::Question:
        // Skipping clears an answer given before (the visitor came back to take it back).
        f.answers[size_t(f.question)] = 0;
        next_question(c);
        break;
    case SurveyPage::AboutYou:
    case SurveyPage::AboutWork:
        break; // every field there is optional already: "Lanjut"/"Kirim" skip it
    }
}

void handle(Ctx& c, act::SurveyChoose const& a) {
    auto& f = c.s.survey;
    // Each field on its own page: gender and age band on the first, the others on the second.
    bool first = a.field == SurveyChoice::Gender || a.field == SurveyChoice::AgeBand;
    SurveyPage page = first ? SurveyPage::AboutYou : SurveyPage::AboutWork;
    if (!on_survey(c) || f.page != page || !skm_choice_valid(choices_of(a.field), a.code)
        || too_soon(c))
        return;
    std::string& value = respondent_field(f, a.field);
    // The chosen one tapped again clears it: each field stays skippable to the end.
    value = value == a.code ? std::string() : a.code;
    f.nothing_answered = false;
}

void handle(Ctx& c, act::SurveyNext const&) {
    if (on_survey(c) && c.s.survey.page == SurveyPage::AboutYou && !too_soon(c))
        turn_to(c, SurveyPage::AboutWork);
}

void handle(Ctx& c, act::SurveySend const&) {
    auto& s = c.s;
    auto& f = s.survey;
    if (!on_survey(c) || f.page != SurveyPage::AboutWork || f.saving || too_soon(c))
        return;
    SkmInput in = input_of(s);
    bool any = false;
    for (int v : in.answers)
        any = any || v != 0;
    if (!any) {
        // Answers about the respondent alone say nothing about the service: not kept.
        f.nothing_answered = true;
        return;
    }
    if (auto problem = skm_input_problem(in)) {
        // Cannot come from the screens (their values are the lists'); kept out of the store.
        log::error("kiosk", "survey answers refused: " + *problem);
        f.save_failed = true;
        return;
    }
    if (!c.has_desk) {
        f.save_failed = true;
        return;
    }
    f.save_failed = false;
    f.saving = true;
    c.effects.push_back(fx::SaveSurvey {std::move(in), WallClock {s.unix_time, s.clock_trusted}});
}

void handle(Ctx& c, act::SurveySaved const& a) {
    auto& s = c.s;
    if (!a.saved.ok()) {
        log::error("kiosk", "survey answers NOT saved: " + a.saved.error().message);
        if (!c.gone(a.visit)) {
            s.survey.saving = false;
            s.survey.save_failed = true;
        }
        return;
    }
    log::info("kiosk", "survey answers saved as " + a.saved->id);
    if (c.gone(a.visit))
        return; // the visitor has gone: the answers are kept, nobody is thanked
    s.survey = SurveyForm {};
    s.survey.thanks_since_ms = c.now;
    s.stack.resize(std::min(s.stack.size(), s.home_depth()));
    s.stack.push_back({ScreenId::SurveyThanks, {}});
    c.ui_reset = true;
}

bool step_back(Ctx& c) {
    auto& f = c.s.survey;
    if (!on_survey(c))
        return false;
    switch (f.page) {
    case SurveyPage::Intro:
        return false;
    case SurveyPage::Question:
        if (f.question == 0)
            turn_to(c, SurveyPage::Intro);
        else
            turn_to(c, SurveyPage::Question, f.question - 1);
        return true;
    case SurveyPage::AboutYou:
        turn_to(c, SurveyPage::Question, skm_element_count - 1);
        return true;
    case SurveyPage::AboutWork:
        turn_to(c, SurveyPage::AboutYou);
        return true;
    }
    return false;
}

bool thanks_over(State const& s, int64_t now_ms) {
    return s.screen() == ScreenId::SurveyThanks && now_ms - s.survey.thanks_since_ms >= thanks_ms;
}

} // namespace kiosk::survey
