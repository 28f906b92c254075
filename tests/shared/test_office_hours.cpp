// Office hours: the technician's one line, parsed and asked "open now?".
#include "ksd/office_hours.h"

#include <catch2/catch.hpp>

using namespace ksd;

TEST_CASE("office hours: the usual week with a short Friday", "[office_hours]") {
    auto h = parse_office_hours("mon-thu 07:30-16:00, Jum 07:30-11:30");
    REQUIRE(h.ok());
    CHECK_FALSE(h->always_open);
    CHECK(office_open(*h, 0, 7 * 60 + 30));
    CHECK_FALSE(office_open(*h, 0, 7 * 60 + 29));
    CHECK_FALSE(office_open(*h, 3, 16 * 60));
    CHECK(office_open(*h, 4, 11 * 60));
    CHECK_FALSE(office_open(*h, 4, 12 * 60));
    CHECK_FALSE(office_open(*h, 5, 9 * 60));
    CHECK_FALSE(office_open(*h, 6, 9 * 60));
    // Friday 11:30 closed until Monday 07:30: 2 days 12.5 h + 7.5 h.
    CHECK(minutes_until_change(*h, 4, 11 * 60 + 30) == 12 * 60 + 30 + 24 * 60 * 2 + 7 * 60 + 30);
    CHECK(minutes_until_change(*h, 0, 16 * 60 - 1) == 1);
}

TEST_CASE("office hours: empty or always is always open", "[office_hours]") {
    for (auto text : {"", "  ", "always", "Always"}) {
        auto h = parse_office_hours(text);
        REQUIRE(h.ok());
        CHECK(office_open(*h, 6, 3 * 60));
        CHECK(minutes_until_change(*h, 6, 3 * 60) == 7 * 1440);
    }
}

TEST_CASE("office hours: ranges wrap, entries add up, 24:00 closes at midnight", "[office_hours]") {
    auto h = parse_office_hours("sat-mon 08:00-12:00; mon-fri 13:00-24:00");
    REQUIRE(h.ok());
    CHECK(office_open(*h, 6, 9 * 60));
    CHECK(office_open(*h, 0, 9 * 60));
    CHECK_FALSE(office_open(*h, 0, 12 * 60 + 30));
    CHECK(office_open(*h, 0, 23 * 60 + 59));
    CHECK_FALSE(office_open(*h, 2, 9 * 60));
}

TEST_CASE("office hours: every mistake is named", "[office_hours]") {
    struct Case {
        char const* text;
        char const* says;
    };
    for (auto [text, says] : {Case {"mon-fri", "separated by a space"},
             Case {"mo-fr 07:00-16:00", "unknown day"}, Case {"mon-fri 7:30-16:00", "HH:MM"},
             Case {"mon-fri 07:30", "start and an end"}, Case {"mon 16:00-07:00", "after"},
             Case {"mon 25:00-26:00", "24-hour"}, Case {"mon 24:00-24:00", "24-hour"},
             Case {"mon 08:00-12:00,,tue 08:00-12:00", "empty entry"}}) {
        auto h = parse_office_hours(text);
        INFO(text);
        REQUIRE_FALSE(h.ok());
        CHECK_THAT(h.error().message, Catch::Contains(says));
    }
}
