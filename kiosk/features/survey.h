// The satisfaction survey on the kiosk (Survei Kepuasan Masyarakat, issue 14): an intro, the
// regulation's nine questions one per screen (answer, skip, back), the optional respondent data on
// two pages, then a durable save on the worker (fx::SaveSurvey) and a thank-you screen that goes
// home by itself. Anonymous: it starts empty and nothing of a request is carried into it.
#pragma once

#include "features/context.h"
#include "model/actions.h"

#include <cstdint>
#include <optional>

namespace kiosk::survey {

// How long the thank-you screen stays before it returns home by itself.
inline constexpr int64_t thanks_ms = 8'000;
// Taps on a page within this time of its turning are ignored: an answer, "Lanjut" and "Kirim"
// sit where a tap on the page before may land twice (an elderly visitor's double tap answered
// the next question with the same face).
inline constexpr int64_t double_tap_guard_ms = 400;

// From the home tile or the invitation on the ticket screen: the intro of an empty survey. From
// the ticket screen the ticket is let go first (its code and QR code are not shown again).
void handle(Ctx&, act::OpenSurvey const&);
void handle(Ctx&, act::SurveyStart const&);
// An answer moves on to the next question (after the ninth: the respondent data).
void handle(Ctx&, act::SurveyAnswer const&);
void handle(Ctx&, act::SurveySkip const&);
void handle(Ctx&, act::SurveyChoose const&);
void handle(Ctx&, act::SurveyNext const&);
// "Kirim": nothing is saved when every question was skipped (said calmly); otherwise
// fx::SaveSurvey, and the thank-you screen once it is saved.
void handle(Ctx&, act::SurveySend const&);
void handle(Ctx&, act::SurveySaved const&);

// "Kembali" inside the survey: one page back (an answer given stays and shows as chosen).
// False on the intro: then the App leaves the survey as any screen.
bool step_back(Ctx&);
// Whether the thank-you screen has been up long enough to return home by itself.
bool thanks_over(State const&, int64_t now_ms);
// What would be saved, from the form (answers, respondent data, the visitor's language).
ksd::SkmInput input_of(State const&);

} // namespace kiosk::survey
