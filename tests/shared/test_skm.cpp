// The satisfaction survey's element table and the device's durable store of answers (skm.h).
#include "ksd/device_db.h"
#include "ksd/skm.h"
#include "test_support.h"

#include <catch2/catch.hpp>
#include <set>

using namespace ksd;

TEST_CASE("the survey has the regulation's nine elements, each with four answers in both "
          "languages",
    "[skm]") {
    auto els = skm_elements();
    REQUIRE(els.size() == 9);
    std::set<std::string_view> codes;
    for (auto const& e : els) {
        codes.insert(e.code);
        CHECK_FALSE(e.name.id.empty());
        CHECK_FALSE(e.name.en.empty());
        CHECK_FALSE(e.question.id.empty());
        CHECK_FALSE(e.question.en.empty());
        for (auto const& a : e.answers) {
            CHECK_FALSE(a.id.empty());
            CHECK_FALSE(a.en.empty());
        }
    }
    CHECK(codes.size() == 9);
    CHECK(els[0].code == "U1");
    CHECK(els[3].answers[0].id == "Sangat mahal");
    CHECK(els[3].answers[3].id == "Gratis");
    CHECK(els[8].name.id == "Sarana dan Prasarana");
}

TEST_CASE("survey answers are checked, saved durably and read back", "[skm]") {
    test::TempDir dir;
    auto db = open_device_db(dir / "device.db").release_value();
    SkmInput in;
    CHECK(skm_input_problem(in) == "no element is answered");
    CHECK_FALSE(save_skm_response(db, in, "inhil-01", {1795400000, true}).ok());
    in.answers = {4, 3, 0, 4, 2, 3, 4, 1, 3};
    in.respondent.age_band = "30-39";
    in.respondent.occupation = "wirausaha";
    in.lang = Lang::En;
    CHECK_FALSE(skm_input_problem(in).has_value());
    SkmInput bad = in;
    bad.answers[4] = 5;
    CHECK(skm_input_problem(bad).value().find("U5") != std::string::npos);
    bad = in;
    bad.respondent.gender = "x";
    CHECK(skm_input_problem(bad).value().find("gender") != std::string::npos);

    auto saved = save_skm_response(db, in, "inhil-01", {1795400000, true});
    INFO((saved.ok() ? std::string() : saved.error().message));
    REQUIRE(saved.ok());
    CHECK(saved->form_version == skm_form_version);
    REQUIRE(save_skm_response(db, in, "inhil-01", {1795400050, false}).ok());
    // A fresh connection, as after a restart, reads what was committed.
    auto other = Db::open(dir / "device.db", OpenMode::ReadOnly).release_value();
    auto back = find_skm_response(other, saved->id).value();
    REQUIRE(back.has_value());
    CHECK(back->input.answers == in.answers);
    CHECK(back->input.respondent.age_band == "30-39");
    CHECK(back->input.respondent.gender.empty());
    CHECK(back->input.lang == Lang::En);
    CHECK(back->state == DeliveryState::Queued);
    auto waiting = unacknowledged_skm_responses(other, 10).value();
    REQUIRE(waiting.size() == 2);
    CHECK(waiting[0].id == saved->id);
    CHECK(skm_responses_waiting(other).value() == 2);
    // The schema refuses a value the code would refuse, whoever writes it.
    CHECK_FALSE(db.exec("UPDATE skm_responses SET u1 = 7").ok());
}
