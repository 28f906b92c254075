// The service level's due time (sync/server/sla.h): weekends, holidays, year ends, the zone.
#include "sla.h"

#include <catch2/catch.hpp>

using namespace ksd;
using namespace ksd::server;

namespace {

constexpr int wib = 420;

// Unix time of a local (WIB) date and hour.
int64_t at(int y, int m, int d, int hour = 0, int minute = 0) {
    return local_day_start(Date {y, m, d}, wib) + hour * 3600 + minute * 60;
}

std::string local(int64_t t) {
    // The due time is always a local midnight: name the day it starts.
    Date d = local_date(t, wib);
    int64_t into = t - local_day_start(d, wib);
    return d.iso() + (into == 0 ? "" : " +" + std::to_string(into) + "s");
}

} // namespace

TEST_CASE("sla: three working days from a weekday skip the weekend", "[sla]") {
    SlaRules r;
    // Monday 30 Nov 2026 10.00: Tuesday, Wednesday, Thursday; due when Friday starts.
    CHECK(local(sla_due_at(at(2026, 11, 30, 10), r)) == "2026-12-04");
    // Wednesday: Thursday, Friday, Monday.
    CHECK(local(sla_due_at(at(2026, 12, 2, 9), r)) == "2026-12-08");
    // Friday 16.00: Monday, Tuesday, Wednesday.
    CHECK(local(sla_due_at(at(2026, 12, 4, 16), r)) == "2026-12-10");
    // Saturday and Sunday count as received that day; the weekend is not counted.
    CHECK(local(sla_due_at(at(2026, 12, 5, 11), r)) == "2026-12-10");
    CHECK(local(sla_due_at(at(2026, 12, 6, 23, 59), r)) == "2026-12-10");
    // One second into Monday.
    CHECK(local(sla_due_at(at(2026, 12, 7, 0, 0) + 1, r)) == "2026-12-11");
}

TEST_CASE("sla: holidays are not working days, in any order", "[sla]") {
    auto days = parse_holidays({"2026-12-01", "2026-11-30", "2026-12-01"});
    REQUIRE(days.ok());
    REQUIRE(days->size() == 2);
    SlaRules r {3, wib, *days};
    // Friday 27 Nov: Monday 30 and Tuesday 1 are holidays: Wed 2, Thu 3, Fri 4.
    CHECK(local(sla_due_at(at(2026, 11, 27, 15), r)) == "2026-12-05");
    // Received on a holiday: counting starts the next day, as on a weekend.
    CHECK(local(sla_due_at(at(2026, 11, 30, 9), r)) == "2026-12-05");
    CHECK_FALSE(is_working_day(Date {2026, 12, 1}, r));
    CHECK(is_working_day(Date {2026, 12, 2}, r));
}

TEST_CASE("sla: across the year end with its holidays", "[sla]") {
    auto days = parse_holiday_list("2026-12-25, 2026-12-24 2027-01-01\n");
    REQUIRE(days.ok());
    SlaRules r {3, wib, *days};
    // Wednesday 23 Dec 2026: 24 and 25 are holidays, 26-27 the weekend: Mon 28, Tue 29, Wed 30.
    CHECK(local(sla_due_at(at(2026, 12, 23, 8), r)) == "2026-12-31");
    // Wednesday 30 Dec: Thu 31, (Fri 1 Jan holiday, weekend), Mon 4, Tue 5.
    CHECK(local(sla_due_at(at(2026, 12, 30, 14), r)) == "2027-01-06");
    // A leap day is an ordinary working day: Monday 28 Feb 2028 -> Tue 29, Wed 1, Thu 2.
    CHECK(local(sla_due_at(at(2028, 2, 28, 10), SlaRules {})) == "2028-03-03");
}

TEST_CASE("sla: the day of receipt is the local day, not the UTC one", "[sla]") {
    SlaRules r;
    // 18.00 UTC on Friday 4 Dec is 01.00 WIB on Saturday 5 Dec: counted as a Saturday.
    int64_t friday_utc_evening = Date {2026, 12, 4}.days() * 86400 + 18 * 3600;
    CHECK(local_date(friday_utc_evening, wib) == Date {2026, 12, 5});
    CHECK(local(sla_due_at(friday_utc_evening, r)) == "2026-12-10");
    // The same instant in UTC+0 is still Friday: Mon, Tue, Wed -> Thursday 00.00 UTC.
    SlaRules utc {3, 0, {}};
    CHECK(sla_due_at(friday_utc_evening, utc) == Date {2026, 12, 10}.days() * 86400);
    // One working day, and sixty.
    CHECK(local(sla_due_at(at(2026, 11, 30, 10), SlaRules {1, wib, {}})) == "2026-12-02");
    CHECK(local(sla_due_at(at(2026, 11, 30, 10), SlaRules {60, wib, {}})) == "2027-02-23");
}

TEST_CASE("sla: a bad holiday is refused by name", "[sla]") {
    auto bad = parse_holiday_list("2026-12-25, 25/12/2026, 2026-02-30, natal");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("\"25/12/2026\"") != std::string::npos);
    CHECK(bad.error().message.find("\"2026-02-30\"") != std::string::npos);
    CHECK(bad.error().message.find("\"natal\"") != std::string::npos);
    CHECK(bad.error().message.find("\"2026-12-25\"") == std::string::npos);
    auto empty = parse_holiday_list("");
    REQUIRE(empty.ok());
    CHECK(empty->empty());
}

TEST_CASE("sla: the fingerprint changes with the holidays", "[sla]") {
    SlaRules a;
    SlaRules b {3, wib, {Date {2026, 12, 25}}};
    CHECK(sla_fingerprint(a) != sla_fingerprint(b));
    CHECK(sla_fingerprint(b) == sla_fingerprint(SlaRules {3, wib, {Date {2026, 12, 25}}}));
}
