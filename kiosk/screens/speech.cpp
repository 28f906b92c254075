// What the read-aloud button reads on each screen; see speech.h.
#include "screens/speech.h"

#include "ksd/markdown.h"
#include "ksd/request_options.h"
#include "ksd/skm.h"
#include "screens/screens.h"

namespace kiosk::screens {

using ksd::Lang;

namespace {

// Adds a piece as its own sentence: espeak-ng pauses at the full stop, where a visitor reading
// along would.
void sentence(std::string& out, std::string_view piece) {
    while (!piece.empty() && (piece.back() == ' ' || piece.back() == '\n'))
        piece.remove_suffix(1);
    if (piece.empty())
        return;
    if (!out.empty())
        out += '\n';
    out += piece;
    char last = piece.back();
    if (last != '.' && last != '?' && last != '!' && last != ':')
        out += '.';
}

template <size_t N>
void options(std::string& out, Lang l, std::array<ksd::Term, N> const& terms) {
    sentence(out, tr(l, S::SpeechChooseOne));
    for (auto const& term : terms)
        sentence(out, term.name(l));
}

std::string request_step(State const& s) {
    Lang l = s.lang;
    auto const& f = s.form;
    std::string out;
    sentence(out,
        fill(l, S::StepOf,
            {std::to_string(static_cast<int>(f.step) + 1), std::to_string(step_count)}));
    switch (f.step) {
    case Step::Who:
        sentence(out, tr(l, S::StepWho));
        options(out, l, ksd::visitor_categories);
        break;
    case Step::Topic:
        sentence(out, tr(l, S::StepTopic));
        options(out, l, ksd::request_topics);
        break;
    case Step::Contact:
        sentence(out, tr(l, S::StepContact));
        sentence(out, tr(l, S::ContactHint));
        break;
    case Step::Question:
        sentence(out, tr(l, S::StepQuestion));
        sentence(out, tr(l, S::WriteYourQuestion));
        sentence(out, tr(l, S::NoPersonalData));
        break;
    case Step::Consent:
        sentence(out, tr(l, S::StepConsent));
        sentence(out, counted(l, S::Privacy, s.retention_days, {institution_name(s)}));
        sentence(out, tr(l, S::IAgree));
        break;
    case Step::Review:
        sentence(out, tr(l, S::StepReview));
        sentence(out, tr(l, S::SpeechCheckOnScreen));
        break;
    }
    return out;
}

std::string agreement(State const& s) {
    if (!s.agreement)
        return {};
    Lang l = s.lang;
    auto const& a = *s.agreement;
    std::string out;
    sentence(out, a.partner);
    sentence(out, a.subject);
    sentence(out, ksd::status_name(a.status(s.today), l));
    auto field = [&](S label, std::string const& value) {
        if (!value.empty())
            sentence(out, std::string(tr(l, label)) + ": " + value);
    };
    std::string doc = a.doc_type;
    if (auto const* dt = ksd::find_document_type(a.doc_type))
        doc = std::string(dt->name(l));
    field(S::FieldKind, kind_name(a.kind, l));
    field(S::FieldDocument, doc);
    field(S::FieldSector, sector_name(a.sector, l));
    field(S::FieldScope, a.scope);
    auto date = [&](ksd::Date d) { return ksd::format_date_long(d, l == Lang::En); };
    field(S::FieldSigned, date(a.signed_on));
    field(S::FieldValid, date(a.start) + (l == Lang::Id ? " sampai " : " to ") + date(a.end));
    field(S::FieldAgency, a.agency);
    field(S::FieldNotes, a.notes);
    // Monitoring (issue 14), as the detail shows it.
    if (a.implementation)
        field(S::FieldImplementation, std::string(ksd::implementation_name(*a.implementation, l)));
    field(S::FieldLastEvaluation,
        (a.evaluated_on ? date(*a.evaluated_on) + (a.evaluation.empty() ? "" : ". ") : "")
            + a.evaluation);
    field(S::FieldResponsibleUnit, a.responsible_unit);
    return out;
}

std::string faq(State const& s) {
    std::string out;
    bool any_open = false;
    for (size_t i = 0; i < s.faq.size(); ++i) {
        if (s.faq_open.count(s.faq[i].id) == 0 || i >= s.faq_docs.size())
            continue;
        any_open = true;
        sentence(out, s.faq[i].question);
        sentence(out, ksd::md::plain_text(s.faq_docs[i]));
    }
    // Nothing opened yet: the questions, so the visitor knows which one to touch.
    if (!any_open)
        for (auto const& f : s.faq)
            sentence(out, f.question);
    return out;
}

void choice_group(std::string& out, Lang l, S label, std::span<ksd::SkmChoice const> choices) {
    sentence(out, fill(l, S::SurveyOptionalField, {tr(l, label)}));
    for (auto const& c : choices)
        sentence(out, c.label.in(l));
}

std::string survey(State const& s) {
    Lang l = s.lang;
    auto const& f = s.survey;
    std::string out;
    switch (f.page) {
    case SurveyPage::Intro:
        sentence(out, tr(l, S::SurveyIntroTitle));
        sentence(out, tr(l, S::SurveyIntroBody));
        break;
    case SurveyPage::Question: {
        auto const els = ksd::skm_elements();
        if (f.question < 0 || f.question >= int(els.size()))
            break;
        auto const& e = els[size_t(f.question)];
        sentence(out,
            fill(l, S::SurveyQuestionOf,
                {std::to_string(f.question + 1), std::to_string(els.size())}));
        sentence(out, e.question.in(l));
        sentence(out, tr(l, S::SpeechChooseOne));
        for (auto const& a : e.answers)
            sentence(out, a.in(l));
        break;
    }
    case SurveyPage::AboutYou:
        sentence(out, tr(l, S::SurveyAboutYouHint));
        choice_group(out, l, S::SurveyGender, ksd::skm_genders());
        choice_group(out, l, S::SurveyAge, ksd::skm_age_bands());
        break;
    case SurveyPage::AboutWork:
        choice_group(out, l, S::SurveyEducation, ksd::skm_educations());
        choice_group(out, l, S::SurveyOccupation, ksd::skm_occupations());
        break;
    }
    return out;
}

} // namespace

bool speech_offered(State const& s) {
    switch (s.screen()) {
    case ScreenId::Article:
    case ScreenId::PotentialDetail:
    case ScreenId::RegisterDetail:
    case ScreenId::Faq:
    case ScreenId::Request:
    case ScreenId::Survey:
        return true;
    case ScreenId::Attract:
    case ScreenId::Home:
    case ScreenId::PageList:
    case ScreenId::Register:
    case ScreenId::PotentialList:
    case ScreenId::Contacts:
    case ScreenId::Unavailable:
    case ScreenId::RequestDone:
    case ScreenId::RequestClosed:
    case ScreenId::Status:
    case ScreenId::StaffPin:
    case ScreenId::Staff:
    case ScreenId::SurveyThanks:
        return false;
    }
    return false;
}

std::string speech_text(State const& s) {
    std::string out;
    switch (s.screen()) {
    case ScreenId::Article:
        if (s.page)
            sentence(out, s.page->title);
        sentence(out, ksd::md::plain_text(s.doc));
        return out;
    case ScreenId::PotentialDetail:
        if (s.potential)
            sentence(out, s.potential->title);
        sentence(out, ksd::md::plain_text(s.doc));
        return out;
    case ScreenId::RegisterDetail:
        return agreement(s);
    case ScreenId::Faq:
        return faq(s);
    case ScreenId::Request:
        return request_step(s);
    case ScreenId::Survey:
        return survey(s);
    case ScreenId::Attract:
    case ScreenId::Home:
    case ScreenId::PageList:
    case ScreenId::Register:
    case ScreenId::PotentialList:
    case ScreenId::Contacts:
    case ScreenId::Unavailable:
    case ScreenId::RequestDone:
    case ScreenId::RequestClosed:
    case ScreenId::Status:
    case ScreenId::StaffPin:
    case ScreenId::Staff:
    case ScreenId::SurveyThanks:
        return {};
    }
    return {};
}

std::string speech_place(State const& s) {
    std::string place = std::to_string(s.stack.size()) + ":"
        + std::to_string(static_cast<int>(s.screen())) + ":" + s.stack.back().ref;
    if (s.screen() == ScreenId::Request)
        place += ":" + std::to_string(static_cast<int>(s.form.step));
    // Each page and question of the survey is a place of its own.
    if (s.screen() == ScreenId::Survey)
        place += ":" + std::to_string(static_cast<int>(s.survey.page)) + ":"
            + std::to_string(s.survey.question);
    // Opening or closing an FAQ answer changes what is there to read.
    if (s.screen() == ScreenId::Faq)
        for (auto const& id : s.faq_open)
            place += ":" + id;
    return place;
}

} // namespace kiosk::screens
