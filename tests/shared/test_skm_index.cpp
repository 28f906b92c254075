// The satisfaction index by the regulation's method (PermenPAN-RB 14/2017) computed by hand for
// a small survey, its grade cut-offs at their edges, and the device queue's delivery states of
// survey responses (queue, quarantine, release, acknowledge and delete) on a real SQLite file.
#include "test_support.h"

#include "ksd/device_db.h"
#include "ksd/skm.h"

#include <catch2/catch.hpp>

#include <vector>

using namespace ksd;

namespace {

SkmInput answers(std::array<int, skm_element_count> a) {
    SkmInput in;
    in.answers = a;
    return in;
}

} // namespace

TEST_CASE("the index of a small survey, worked by hand", "[skm][index]") {
    // Four respondents; the fourth skipped U3 (0):
    //   U1 U2 U3 U4 U5 U6 U7 U8 U9
    //    4  4  4  4  4  4  4  4  4
    //    3  3  3  4  3  3  4  3  3
    //    3  2  3  4  3  3  3  2  3
    //    4  3  -  4  3  4  4  3  2
    // NRR per element (sum / answers of that element):
    //   U1 14/4 = 3.5, U2 12/4 = 3.0, U3 10/3 = 3.3333, U4 16/4 = 4.0, U5 13/4 = 3.25,
    //   U6 14/4 = 3.5, U7 15/4 = 3.75, U8 12/4 = 3.0, U9 12/4 = 3.0
    // Sum of NRR = 30.3333; weighted by 1/9 each: 30.3333 / 9 = 3.37037 (nilai interval)
    // IKM = 3.37037 * 25 = 84.259 -> 84.26, in 76.61..88.30: B, "Baik".
    // (With the regulation's rounded weight 0.111: 30.3333 * 0.111 * 25 = 84.18, also B.)
    std::vector<SkmInput> in {answers({4, 4, 4, 4, 4, 4, 4, 4, 4}),
        answers({3, 3, 3, 4, 3, 3, 4, 3, 3}), answers({3, 2, 3, 4, 3, 3, 3, 2, 3}),
        answers({4, 3, 0, 4, 3, 4, 4, 3, 2})};
    SkmIndex x = skm_index(in);
    CHECK_FALSE(x.empty);
    CHECK(x.complete);
    CHECK(x.respondents == 4);
    std::array<double, 9> const nrr {3.5, 3.0, 10.0 / 3.0, 4.0, 3.25, 3.5, 3.75, 3.0, 3.0};
    for (size_t i = 0; i < nrr.size(); ++i) {
        INFO("U" << i + 1);
        CHECK(x.elements[i].nrr == Approx(nrr[i]));
        CHECK(x.elements[i].weight == Approx(1.0 / 9.0));
        CHECK(x.elements[i].weighted == Approx(nrr[i] / 9.0));
    }
    CHECK(x.elements[2].answered == 3);
    CHECK(x.elements[0].answered == 4);
    CHECK(x.interval == Approx(3.370370).epsilon(1e-6));
    CHECK(x.ikm == Approx(84.26));
    CHECK(x.grade == SkmGrade::B);
    CHECK(skm_grade_words(x.grade).id == "Baik");
    CHECK(skm_grade_letter(x.grade) == 'B');
}

TEST_CASE("the grade's cut-offs are the regulation's, at both edges", "[skm][index]") {
    // Nilai interval 1.00-2.5996 D, 2.60-3.064 C, 3.0644-3.532 B, 3.5324-4.00 A; times 25:
    CHECK(skm_grade_of(100.0) == SkmGrade::A);
    CHECK(skm_grade_of(88.31) == SkmGrade::A);
    CHECK(skm_grade_of(88.30) == SkmGrade::B);
    CHECK(skm_grade_of(76.61) == SkmGrade::B);
    CHECK(skm_grade_of(76.60) == SkmGrade::C);
    CHECK(skm_grade_of(65.00) == SkmGrade::C);
    CHECK(skm_grade_of(64.99) == SkmGrade::D);
    CHECK(skm_grade_of(25.0) == SkmGrade::D);
    // The interval values themselves, converted as the regulation does:
    CHECK(skm_grade_of(3.5324 * 25) == SkmGrade::A);
    CHECK(skm_grade_of(3.532 * 25) == SkmGrade::B);
    CHECK(skm_grade_of(3.0644 * 25) == SkmGrade::B);
    CHECK(skm_grade_of(3.064 * 25) == SkmGrade::C);
    CHECK(skm_grade_of(2.60 * 25) == SkmGrade::C);
    CHECK(skm_grade_of(2.5996 * 25) == SkmGrade::D);
    // Everyone answering the same everywhere: 4 -> 100 (not 99.9 as 0.111 would give), 1 -> 25.
    CHECK(skm_index(std::vector {answers({4, 4, 4, 4, 4, 4, 4, 4, 4})}).ikm == 100.0);
    CHECK(skm_index(std::vector {answers({1, 1, 1, 1, 1, 1, 1, 1, 1})}).ikm == 25.0);
    CHECK(skm_index(std::vector {answers({3, 3, 3, 3, 3, 3, 3, 3, 3})}).grade == SkmGrade::C);
}

TEST_CASE("an index without answers, and an element nobody answered", "[skm][index]") {
    SkmIndex none = skm_index(std::span<SkmInput const> {});
    CHECK(none.empty);
    CHECK(none.respondents == 0);
    // U9 never answered: the eight others share the weight (1/8 each), marked incomplete.
    SkmIndex x = skm_index(
        std::vector {answers({4, 4, 4, 4, 4, 4, 4, 4, 0}), answers({2, 2, 2, 2, 2, 2, 2, 2, 0})});
    CHECK_FALSE(x.empty);
    CHECK_FALSE(x.complete);
    CHECK(x.elements[8].answered == 0);
    CHECK(x.elements[8].weight == 0.0);
    CHECK(x.elements[0].weight == Approx(0.125));
    CHECK(x.ikm == 75.0);
}

TEST_CASE(
    "survey responses on the device: due, quarantined, released, acknowledged, deleted", "[skm]") {
    ksd::test::TempDir dir;
    auto db = open_device_db(dir / "device.db");
    REQUIRE(db.ok());
    std::vector<SkmResponse> saved;
    for (int i = 0; i < 3; ++i) {
        auto r = save_skm_response(
            *db, answers({4, 3, 2, 1, 0, 4, 3, 2, 1}), "kiosk-1", WallClock {1796000000 + i, true});
        REQUIRE(r.ok());
        saved.push_back(*r);
    }
    auto due = due_skm_responses(*db, 1796000100, 10, false, 1800);
    REQUIRE(due.ok());
    REQUIRE(due->size() == 3);
    CHECK(due->front().id == saved[0].id);

    REQUIRE(retry_skm_response(*db, saved[0].id, "HTTP 500", 1796000400).ok());
    REQUIRE(quarantine_skm_response(*db, saved[1].id, "invalid: form_version").ok());
    REQUIRE(mark_skm_acknowledged(*db, saved[2].id).ok());
    // A late acknowledgement never revives a quarantined one.
    REQUIRE(mark_skm_acknowledged(*db, saved[1].id).ok());
    CHECK(find_skm_response(*db, saved[1].id)->value().state == DeliveryState::Quarantined);

    due = due_skm_responses(*db, 1796000100, 10, false, 1800);
    REQUIRE(due.ok());
    CHECK(due->empty()); // the retry is due later, the other is quarantined
    due = due_skm_responses(*db, 1796000100, 10, true, 1800);
    REQUIRE(due.ok());
    CHECK(due->size() == 1); // the daemon's schedule: every queued one
    auto c = skm_queue_counts(*db);
    REQUIRE(c.ok());
    CHECK(c->queued == 1);
    CHECK(c->quarantined == 1);
    CHECK(*skm_responses_waiting(*db) == 2);

    auto deleted = delete_acknowledged_skm_responses(*db);
    REQUIRE(deleted.ok());
    CHECK(*deleted == 1);
    CHECK_FALSE(find_skm_response(*db, saved[2].id)->has_value());

    auto released = release_quarantined_skm_responses(*db);
    REQUIRE(released.ok());
    CHECK(*released == 1);
    auto back = find_skm_response(*db, saved[1].id)->value();
    CHECK(back.state == DeliveryState::Queued);
    CHECK(back.last_error == "invalid: form_version"); // staff still see why it was held
    CHECK(back.attempts == 1);
}
