// The satisfaction survey on the kiosk (issue 14), driven by taps on labels like a visitor, over
// a real device database: what is saved (read back with ksd::find_skm_response and
// unacknowledged_skm_responses), back and skip, the respondent data, a survey skipped throughout,
// a failed save, the idle reset, the invitation after a request (nothing of the request in the
// response), and the number of taps a full survey takes.
#include "features/survey.h"
#include "kiosk_fixture.h"
#include "ksd/device_db.h"
#include "ksd/skm.h"
#include "test_support.h"

#include <fstream>
#include <iterator>

using namespace kiosk;
using kiosk::test::ok;

namespace {

// Taps for a whole survey from the home screen, measured with the test below (2026-12-01):
// the tile, "Mulai survei", nine answers (each answer moves on by itself), gender, age band,
// "Lanjut", education, occupation, "Kirim". At most this many: a change that adds a tap fails.
constexpr int max_survey_taps = 17;

// Taps a second apart, as a visitor reads (a tap right after a page turns is taken for a double
// tap and ignored), and counts them (a scroll to find a target is a drag, not a tap).
struct Visitor {
    Host& h;
    int taps {0};
    void tap(std::string_view label) {
        h.advance(h.app().now_ms() + 1000, h.app().state().unix_time + 1);
        ok(h.tap(label));
        ++taps;
    }
};

std::string answer_words(int element, int value, ksd::Lang l = ksd::Lang::Id) {
    return std::string(ksd::skm_elements()[size_t(element)].answers[size_t(value - 1)].in(l));
}

std::vector<ksd::SkmResponse> saved_responses(ksd::test::TempDir const& dir) {
    auto db = ksd::open_device_db(dir / "device.db");
    REQUIRE(db.ok());
    auto all = ksd::unacknowledged_skm_responses(db.value(), 100);
    REQUIRE(all.ok());
    return all.value();
}

// From the attract screen to the survey's first question by its tile.
void start_survey(Visitor& v) {
    ok(v.h.tap("Sentuh layar untuk mulai"));
    v.tap("Survei Kepuasan");
    ok(v.h.expect("Bantu kami memperbaiki layanan"));
    v.tap("Mulai survei");
}

} // namespace

TEST_CASE("survey: nine answers, respondent data and Send by taps save exactly one response") {
    for (ui::Size size : {ui::Size {800, 480}, ui::Size {1080, 1920}}) {
        INFO(size.w << "x" << size.h);
        ksd::test::TempDir dir;
        auto k = test::make_kiosk_with_desk(test::desk_in(dir), size);
        auto& h = k->host();
        Visitor v {h};
        start_survey(v);
        std::array<int, 9> const values {4, 3, 2, 1, 4, 3, 2, 1, 3};
        for (int i = 0; i < ksd::skm_element_count; ++i) {
            // The question of element i, its progress, and its four answers in the regulation's
            // words.
            ok(h.expect(std::to_string(i + 1) + " dari 9"));
            for (int value = 1; value <= 4; ++value)
                CHECK(h.text_visible(answer_words(i, value)));
            v.tap(answer_words(i, values[size_t(i)]));
        }
        ok(h.expect("Jenis kelamin (tidak wajib)"));
        v.tap("Perempuan");
        v.tap("30\xE2\x80\x93"
              "39");
        v.tap("Lanjut");
        v.tap("S1");
        v.tap("Wirausaha");
        v.tap("Kirim");
        ok(h.expect("Terima kasih!"));
        // The figure for the README: taps for a whole survey, from home to the thank-you.
        WARN("taps for a full survey at " << size.w << "x" << size.h << ": " << v.taps);
        CHECK(v.taps <= max_survey_taps);

        auto all = saved_responses(dir);
        REQUIRE(all.size() == 1);
        auto const& r = all.front();
        for (int i = 0; i < ksd::skm_element_count; ++i)
            CHECK(r.input.answers[size_t(i)] == values[size_t(i)]);
        CHECK(r.input.respondent.gender == "f");
        CHECK(r.input.respondent.age_band == "30-39");
        CHECK(r.input.respondent.education == "s1");
        CHECK(r.input.respondent.occupation == "wirausaha");
        CHECK(r.input.lang == ksd::Lang::Id);
        CHECK(r.kiosk_id == "kiosk-test");
        CHECK(r.form_version == ksd::skm_form_version);
        CHECK(r.state == ksd::DeliveryState::Queued);
        auto db = ksd::open_device_db(dir / "device.db");
        REQUIRE(db.ok());
        auto found = ksd::find_skm_response(db.value(), r.id);
        REQUIRE(found.ok());
        REQUIRE(found->has_value());
        CHECK(found->value().input.answers == r.input.answers);

        // The thank-you goes home by itself, and the next survey starts empty.
        auto const& s = h.app().state();
        h.advance(h.app().now_ms() + survey::thanks_ms - 1000, s.unix_time + 7);
        CHECK(s.screen() == ScreenId::SurveyThanks);
        h.advance(h.app().now_ms() + 1000, s.unix_time + 1);
        CHECK(s.screen() == ScreenId::Home);
        ok(h.tap("Survei Kepuasan"));
        CHECK(s.survey.page == SurveyPage::Intro);
        CHECK(s.survey.answers == std::array<int, 9> {});
        CHECK(s.survey.respondent.gender.empty());
    }
}

TEST_CASE("survey: back shows and changes an answer, skip leaves 0, a choice tapped again clears") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir), {1080, 1920});
    auto& h = k->host();
    auto const& s = h.app().state();
    Visitor v {h};
    start_survey(v);
    v.tap(answer_words(0, 2));
    v.tap(answer_words(1, 3));
    ok(h.expect("Pertanyaan 3 dari 9"));
    // "Sebelumnya": back on question 2 with its answer kept; another answer replaces it.
    v.tap("Sebelumnya");
    ok(h.expect("Pertanyaan 2 dari 9"));
    CHECK(s.survey.answers[1] == 3);
    v.tap(answer_words(1, 4));
    // Question 3 skipped; question 4 answered, then taken back by "Kembali" (the top bar's back
    // works the same) and skipped: skipping clears it.
    v.tap("Lewati");
    v.tap(answer_words(3, 1));
    ok(h.expect("Pertanyaan 5 dari 9"));
    v.tap("Kembali");
    ok(h.expect("Pertanyaan 4 dari 9"));
    CHECK(s.survey.answers[3] == 1);
    v.tap("Lewati");
    for (int i = 4; i < ksd::skm_element_count; ++i)
        v.tap(answer_words(i, 3));
    // Respondent data: gender chosen then taken back; the age band kept; page two skipped.
    v.tap("Laki-laki");
    CHECK(s.survey.respondent.gender == "m");
    v.tap("Laki-laki");
    CHECK(s.survey.respondent.gender.empty());
    v.tap("60 ke atas");
    v.tap("Lanjut");
    // Back from page two to page one keeps it.
    v.tap("Sebelumnya");
    CHECK(s.survey.respondent.age_band == "60+");
    v.tap("Lanjut");
    v.tap("Kirim");
    ok(h.expect("Terima kasih!"));

    auto all = saved_responses(dir);
    REQUIRE(all.size() == 1);
    auto const& r = all.front();
    CHECK(r.input.answers == std::array<int, 9> {2, 4, 0, 0, 3, 3, 3, 3, 3});
    CHECK(r.input.respondent.gender.empty());
    CHECK(r.input.respondent.age_band == "60+");
    CHECK(r.input.respondent.education.empty());
    CHECK(r.input.respondent.occupation.empty());
}

TEST_CASE("survey: skipped throughout, nothing is saved and the visitor is told calmly") {
    for (auto lang : {ksd::Lang::Id, ksd::Lang::En}) {
        ksd::test::TempDir dir;
        auto k = test::make_kiosk_with_desk(test::desk_in(dir), {800, 480});
        auto& h = k->host();
        auto const& s = h.app().state();
        Visitor v {h};
        ok(h.tap("Sentuh layar untuk mulai"));
        h.app().apply(act::SetLang {lang});
        v.tap(ui::tr(lang, ui::S::SatisfactionSurvey));
        v.tap(ui::tr(lang, ui::S::SurveyStart));
        for (int i = 0; i < ksd::skm_element_count; ++i)
            v.tap(ui::tr(lang, ui::S::SurveySkip));
        // Respondent data alone says nothing about the service.
        v.tap(lang == ksd::Lang::Id ? "Perempuan" : "Female");
        v.tap(ui::tr(lang, ui::S::Next));
        v.tap(ui::tr(lang, ui::S::Send));
        ok(h.expect(lang == ksd::Lang::Id
                ? "Semua pertanyaan dilewati, jadi tidak ada yang disimpan."
                : "Every question was skipped, so nothing is saved."));
        CHECK(s.screen() == ScreenId::Survey);
        CHECK_FALSE(s.survey.saving);
        CHECK(saved_responses(dir).empty());
        // Going back to answer one is enough.
        for (int i = 0; i < 2; ++i) // to the first page about you, then the ninth question
            v.tap(ui::tr(lang, ui::S::Previous));
        v.tap(answer_words(8, 4, lang));
        v.tap(ui::tr(lang, ui::S::Next));
        v.tap(ui::tr(lang, ui::S::Send));
        CHECK(s.screen() == ScreenId::SurveyThanks);
        auto all = saved_responses(dir);
        REQUIRE(all.size() == 1);
        CHECK(all.front().input.answers == std::array<int, 9> {0, 0, 0, 0, 0, 0, 0, 0, 4});
        CHECK(all.front().input.respondent.gender == "f");
        CHECK(all.front().input.lang == lang);
    }
}

TEST_CASE("survey: a save that fails says so calmly, keeps the answers, and Send saves once") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir), {800, 480});
    auto& h = k->host();
    auto const& s = h.app().state();
    REQUIRE(navigate_to(h, "survey-respondent-2").ok());
    auto before = s.survey;
    REQUIRE(ksd::open_device_db(dir / "device.db").ok()); // the desk opens it only to save
    // Another process holds the write lock longer than the kiosk waits (as in the request's test).
    auto other
        = ksd::Db::open(dir / "device.db", ksd::OpenMode::ReadWrite, ksd::Durability::Full, 0);
    REQUIRE(other.ok());
    REQUIRE(other->exec("BEGIN EXCLUSIVE").ok());
    Visitor v {h};
    v.tap("Kirim");
    CHECK(s.screen() == ScreenId::Survey);
    ok(h.expect("Maaf, jawaban survei belum tersimpan."));
    CHECK(s.survey.answers == before.answers);
    CHECK(s.survey.respondent.occupation == "wirausaha");
    CHECK_FALSE(s.survey.saving);
    REQUIRE(other->exec("ROLLBACK").ok());
    v.tap("Kirim");
    CHECK(s.screen() == ScreenId::SurveyThanks);
    auto all = saved_responses(dir);
    REQUIRE(all.size() == 1);
    CHECK(all.front().input.answers == before.answers);
    CHECK(all.front().input.respondent.gender == "f");
}

TEST_CASE("survey: the idle timeout wipes an unfinished survey and saves nothing") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir), {800, 480});
    auto& h = k->host();
    auto const& s = h.app().state();
    Visitor v {h};
    start_survey(v);
    for (int i = 0; i < ksd::skm_element_count; ++i)
        v.tap(answer_words(i, 4));
    v.tap("Laki-laki");
    REQUIRE(s.survey.answers[8] == 4);
    auto const& opt = h.app().options();
    int64_t t = h.app().now_ms() + opt.idle_timeout_ms;
    h.advance(t, s.unix_time + 60);
    ok(h.expect("Masih di sana?"));
    h.advance(t + opt.idle_countdown_ms + 1000, s.unix_time + 16);
    CHECK(s.screen() == ScreenId::Attract);
    CHECK(s.survey.page == SurveyPage::Intro);
    CHECK(s.survey.answers == std::array<int, 9> {});
    CHECK(s.survey.respondent.gender.empty());
    CHECK(saved_responses(dir).empty());
    // The next visitor's survey starts at its intro, empty.
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Survei Kepuasan"));
    ok(h.expect("Mulai survei"));
}

TEST_CASE("survey: the invitation after a request opens it, and nothing of the request is in it") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir), {1080, 1920});
    auto& h = k->host();
    auto const& s = h.app().state();
    test::fill_request_to_review(h);
    ok(h.tap("Kirim"));
    REQUIRE(s.screen() == ScreenId::RequestDone);
    auto code = h.visible_ticket_code();
    REQUIRE(code);
    std::string ticket_id = s.ticket->code;
    Visitor v {h};
    v.tap("Isi survei kepuasan (\xC2\xB1"
          "1 menit)");
    // The ticket is let go: its code is neither on screen nor in the state.
    ok(h.expect("Bantu kami memperbaiki layanan"));
    CHECK_FALSE(h.visible_ticket_code());
    CHECK_FALSE(s.ticket);
    CHECK(s.ticket_qr.data.empty());
    v.tap("Mulai survei");
    for (int i = 0; i < ksd::skm_element_count; ++i)
        v.tap(answer_words(i, 3));
    v.tap("Lanjut");
    v.tap("Kirim");
    ok(h.expect("Terima kasih!"));
    // From the invitation, with the respondent data skipped: 13 taps (the invitation, "Mulai
    // survei", nine answers, "Lanjut", "Kirim").
    CHECK(v.taps == 13);
    CHECK(v.taps <= max_survey_taps);

    // The stored response, every column read raw: nothing of the request.
    auto db = ksd::open_device_db(dir / "device.db");
    REQUIRE(db.ok());
    auto st = db->prepare("SELECT * FROM skm_responses");
    REQUIRE(st.ok());
    int rows = 0;
    std::string all_text;
    for (auto more = st->step(); more.ok() && more.value(); more = st->step()) {
        ++rows;
        for (int c = 0; c < st->column_count(); ++c)
            all_text += st->column_text(c) + "|";
    }
    CHECK(rows == 1);
    INFO(all_text);
    for (std::string const& secret :
        {*code, std::string("Siti"), std::string("Rahma"), std::string("081234567890"),
            std::string("81234567890"), std::string("syarat PKS"), std::string("pihak-ketiga")})
        CHECK(all_text.find(secret) == std::string::npos);
    // The request itself is untouched.
    auto ticket = ksd::find_ticket_by_code(db.value(), ticket_id);
    REQUIRE(ticket.ok());
    CHECK(ticket->has_value());
}

TEST_CASE("survey: declining the invitation is one tap, and saves nothing") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir), {800, 480});
    auto& h = k->host();
    test::fill_request_to_review(h);
    ok(h.tap("Kirim"));
    REQUIRE(h.app().state().screen() == ScreenId::RequestDone);
    // At 800x480 the invitation's short label (the long one does not fit beside "Selesai").
    CHECK(h.text_visible("Survei kepuasan"));
    ok(h.tap("Selesai"));
    CHECK(h.app().state().screen() == ScreenId::Home);
    CHECK(saved_responses(dir).empty());
}

TEST_CASE("survey: a double tap answers one question, not the next one too") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir), {800, 480});
    auto& h = k->host();
    auto const& s = h.app().state();
    Visitor v {h};
    start_survey(v);
    // Where "Sesuai" of the first question is: the next question's third answer sits there too.
    ui::Rect at {};
    for (auto const& w : h.ui().widgets())
        if (w.label == answer_words(0, 3))
            at = w.rect;
    REQUIRE_FALSE(at.empty());
    v.tap(answer_words(0, 3));
    REQUIRE(s.survey.question == 1);
    // The second tap of a double tap, at once on the same spot: ignored.
    auto tap_there = [&] {
        h.draw();
        h.handle({ui::PointerKind::Down, at.center()});
        h.handle({ui::PointerKind::Up, at.center()});
    };
    h.advance(h.app().now_ms() + 150, s.unix_time);
    REQUIRE(150 < survey::double_tap_guard_ms);
    tap_there();
    CHECK(s.survey.question == 1);
    CHECK(s.survey.answers[1] == 0);
    // A tap there once the visitor has had time to read: the second question's answer.
    h.advance(h.app().now_ms() + 600, s.unix_time + 1);
    tap_there();
    CHECK(s.survey.question == 2);
    CHECK(s.survey.answers[1] == 3);
}

TEST_CASE("survey: the real binary saves a scripted survey in the device database") {
    ksd::test::TempDir dir;
    std::string script = std::string(KSD_SOURCE_DIR) + "/tests/kiosk/survey.txt";
    std::string db = dir / "device.db";
    int rc = ksd::test::run(std::string(KSD_KIOSK_BIN) + " --sample --size 800x480 --device-db "
        + db + " --script " + script + " --out-dir " + dir.path() + " > " + dir / "out.txt"
        + " 2>&1");
    std::ifstream out_file(dir / "out.txt");
    std::string out((std::istreambuf_iterator<char>(out_file)), std::istreambuf_iterator<char>());
    INFO(out);
    REQUIRE(rc == 0);
    auto all = saved_responses(dir);
    REQUIRE(all.size() == 1);
    CHECK(all.front().input.answers == std::array<int, 9> {4, 3, 0, 4, 3, 3, 4, 3, 3});
    CHECK(all.front().input.respondent.gender == "m");
    CHECK(all.front().input.respondent.age_band == "40-49");
    CHECK(all.front().input.respondent.education == "sma");
    CHECK(all.front().input.respondent.occupation == "swasta");
    CHECK(all.front().kiosk_id.size() > 0);
}
