// Read-aloud on the kiosk (issue 14): what each screen reads (screens/speech.h), the speaker
// button, and the App playing real espeak-ng speech through SDL audio (SDL's dummy driver, which
// plays into nothing at the real pace): started, stopped by the button, by leaving the screen,
// by switching the language and by the end of the visit. No sound device: no button.
#include "kiosk_fixture.h"
#include "ksd/process.h"
#include "ksd/skm.h"
#include "platform/sdl_audio.h"
#include "screens/speech.h"

#include <chrono>
#include <cstdlib>
#include <thread>

using namespace kiosk;

namespace {

bool have_espeak() {
    if (ksd::program_in_path(ksd::espeak_program))
        return true;
    WARN("SKIPPED: espeak-ng is not installed (apt-get install espeak-ng); the kiosk's "
         "read-aloud playback did not run");
    return false;
}

} // namespace

TEST_CASE("each screen with text offers it to read, and the review step never reads what was "
          "typed",
    "[speech]") {
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    auto const& s = k->app().state();
    test::ok(navigate_to(h, "home"));
    CHECK_FALSE(screens::speech_offered(s));
    CHECK(screens::speech_text(s).empty());

    test::ok(navigate_to(h, "article"));
    REQUIRE(s.page.has_value());
    CHECK(screens::speech_offered(s));
    std::string article = screens::speech_text(s);
    CHECK(article.starts_with(s.page->title));
    CHECK(article.find(ksd::md::plain_text(s.doc).substr(0, 40)) != std::string::npos);

    auto d = test::make_kiosk({800, 480});
    test::ok(navigate_to(d->host(), "register-detail"));
    auto const& ds = d->app().state();
    REQUIRE(ds.agreement.has_value());
    std::string detail = screens::speech_text(ds);
    CHECK(detail.starts_with(ds.agreement->partner));
    CHECK(detail.find("Ruang lingkup") != std::string::npos);

    auto r = test::make_kiosk({800, 480});
    auto& rh = r->host();
    test::ok(rh.tap("Sentuh layar untuk mulai"));
    test::ok(rh.tap("Ajukan Konsultasi"));
    std::string who = screens::speech_text(r->app().state());
    CHECK(who.starts_with("Langkah 1 dari 6."));
    CHECK(who.find("Pilih salah satu:") != std::string::npos);
    CHECK(who.find("Mitra luar negeri.") != std::string::npos);

    // The survey: each question with its four answers; the thank-you has nothing to read.
    auto sv = test::make_kiosk({800, 480});
    test::ok(navigate_to(sv->host(), "survey-question"));
    auto const& ss = sv->app().state();
    REQUIRE(ss.screen() == ScreenId::Survey);
    REQUIRE(ss.survey.page == SurveyPage::Question);
    std::string question = screens::speech_text(ss);
    auto const& el = ksd::skm_elements()[size_t(ss.survey.question)];
    CHECK(question.find(std::string(el.question.id)) != std::string::npos);
    for (auto const& a : el.answers)
        CHECK(question.find(std::string(a.id)) != std::string::npos);

    auto full = test::make_kiosk({800, 480});
    test::fill_request_to_review(full->host());
    auto const& fs = full->app().state();
    REQUIRE(fs.form.step == Step::Review);
    std::string review = screens::speech_text(fs);
    CHECK(review.find("Periksa isian Anda di layar") != std::string::npos);
    CHECK(review.find(fs.form.name) == std::string::npos);
    CHECK(review.find(fs.form.phone) == std::string::npos);
    CHECK(review.find(fs.form.question.substr(0, 20)) == std::string::npos);
}

TEST_CASE("without a sound device there is no speaker button", "[speech]") {
    auto k = test::make_kiosk({800, 480});
    test::ok(navigate_to(k->host(), "article"));
    k->host().draw();
    CHECK_FALSE(k->host().tap("Bacakan").ok());
    // A driver that does not exist opens no device: the kiosk then sets no speaker.
    char const* before = std::getenv("SDL_AUDIODRIVER");
    std::string saved = before ? before : "";
    setenv("SDL_AUDIODRIVER", "ksd-no-such-driver", 1);
    auto none = sdl::SdlSpeaker::open();
    if (before)
        setenv("SDL_AUDIODRIVER", saved.c_str(), 1);
    else
        unsetenv("SDL_AUDIODRIVER");
    REQUIRE_FALSE(none.ok());
    CHECK_THAT(none.error().message, Catch::Contains("no sound"));
}

TEST_CASE("the speaker button reads the screen aloud and stops when asked, on leaving, on a "
          "language switch and at the end of the visit",
    "[speech]") {
    if (!have_espeak())
        return;
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    auto& app = k->app();
    test::SpeakerCalls calls;
    app.set_speaker(test::dummy_speaker(&calls), {});
    auto const& s = app.state();
    test::ok(navigate_to(h, "home"));
    h.draw();
    CHECK_FALSE(h.tap("Bacakan").ok()); // the home screen has nothing to read
    test::ok(navigate_to(h, "article"));
    h.draw();
    test::ok(h.tap("Bacakan"));
    // EffectWait::Settle: espeak-ng has rendered it; the dummy device plays it at the real pace.
    CHECK(s.speech == Speech::Playing);
    // The article in pieces: the first played at once, the others queued after it.
    auto pieces = ksd::speech_chunks(screens::speech_text(s));
    REQUIRE(pieces.size() > 1);
    CHECK(calls.plays == 1);
    CHECK(calls.appends == int(pieces.size()) - 1);
    h.draw();
    test::ok(h.tap("Berhenti membaca"));
    CHECK(s.speech == Speech::Off);
    h.draw();
    test::ok(h.tap("Bacakan"));
    CHECK(s.speech == Speech::Playing);
    test::ok(h.tap("EN"));
    CHECK(s.speech == Speech::Off);
    h.draw();
    test::ok(h.tap("Read aloud"));
    CHECK(s.speech == Speech::Playing);
    test::ok(h.tap("Back"));
    CHECK(s.speech == Speech::Off);
    // The end of the visit silences it too.
    test::ok(navigate_to(h, "register-detail"));
    h.draw();
    test::ok(h.tap("Read aloud"));
    CHECK(s.speech == Speech::Playing);
    app.reset_to_attract();
    CHECK(s.speech == Speech::Off);
}

TEST_CASE("speech that plays to its end turns the button back", "[speech]") {
    if (!have_espeak())
        return;
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    auto& app = k->app();
    // The fastest rate and the request's first step: a few seconds of sound.
    app.set_speaker(
        test::dummy_speaker(), {.words_per_minute = ksd::speech_max_rate, .volume = 100});
    test::ok(h.tap("Sentuh layar untuk mulai"));
    test::ok(h.tap("Ajukan Konsultasi"));
    test::ok(h.tap("Bacakan"));
    REQUIRE(app.state().speech == Speech::Playing);
    int64_t mono = app.now_ms();
    for (int i = 0; i < 300 && app.state().speech != Speech::Off; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        mono += 100;
        h.advance(mono, app.state().unix_time);
    }
    CHECK(app.state().speech == Speech::Off);
    CHECK(app.state().screen() == ScreenId::Request);
}

TEST_CASE(
    "a failing espeak-ng leaves the button as it was, and the visitor is not stuck", "[speech]") {
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    auto& app = k->app();
    app.set_speaker(test::dummy_speaker(), {}, "false");
    test::ok(navigate_to(h, "article"));
    h.draw();
    test::ok(h.tap("Bacakan"));
    CHECK(app.state().speech == Speech::Off);
    h.draw();
    test::ok(h.tap("Bacakan"));
}
