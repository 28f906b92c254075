// Vocabularies and the date-computed agreement status.
#include "ksd/taxonomy.h"

#include <catch2/catch.hpp>

using namespace ksd;

TEST_CASE("the 32 sectors are found by code and by name", "[taxonomy]") {
    CHECK(sectors().size() == 32);
    REQUIRE(find_sector("pertanian") != nullptr);
    CHECK(find_sector("PERTANIAN")->code == "pertanian");
    CHECK(find_sector("Pekerjaan Umum dan Penataan Ruang")->code == "pupr");
    CHECK(find_sector(" Kelautan dan Perikanan ")->code == "kelautan-perikanan");
    CHECK(find_sector("perkebunan") == nullptr);
    CHECK(find_kind("ksdpk")->code == "KSDPK");
    CHECK(find_kind("KSDLN") == nullptr); // not an official acronym
    CHECK(find_document_type("mou")->code == "MoU");
}

TEST_CASE("status is computed from dates relative to the given day", "[taxonomy]") {
    Date start {2024, 1, 1};
    Date end {2027, 1, 31};
    CHECK(agreement_status(start, end, {2023, 12, 31}) == AgreementStatus::NotYetActive);
    CHECK(agreement_status(start, end, {2026, 11, 1}) == AgreementStatus::Active); // 91 days left
    CHECK(
        agreement_status(start, end, {2026, 11, 2}) == AgreementStatus::EndingSoon); // 90 days left
    CHECK(agreement_status(start, end, {2027, 1, 31}) == AgreementStatus::EndingSoon); // last day
    CHECK(agreement_status(start, end, {2027, 2, 1}) == AgreementStatus::Ended);
    CHECK(status_name(AgreementStatus::EndingSoon, Lang::Id) == "Akan berakhir");
    CHECK(status_name(AgreementStatus::Ended, Lang::En) == "Ended");
    CHECK(parse_status_code("akan-berakhir") == AgreementStatus::EndingSoon);
}

TEST_CASE("dates parse in ISO and Indonesian spreadsheet form, impossible ones are refused",
    "[taxonomy]") {
    CHECK(parse_date("2025-03-14") == Date {2025, 3, 14});
    CHECK(parse_date("14/03/2025") == Date {2025, 3, 14});
    CHECK(parse_date("4/3/2025") == Date {2025, 3, 4});
    CHECK_FALSE(parse_date("2025-02-30"));
    CHECK_FALSE(parse_date("2023-02-29"));
    CHECK(parse_date("2024-02-29"));
    CHECK_FALSE(parse_date("31/04/2025"));
    CHECK_FALSE(parse_date("2025-13-01"));
    CHECK_FALSE(parse_date("kemarin"));
    CHECK_FALSE(parse_date(""));
    Date d {2026, 11, 23};
    CHECK(Date::from_days(d.days()) == d);
    CHECK(Date {1970, 1, 1}.days() == 0);
    CHECK(date_in(1795366800, Zone {}) == Date {2026, 11, 23}); // 2026-11-22 17:00 UTC = 00:00 WIB
    CHECK(format_date_long({2025, 3, 14}, false) == "14 Maret 2025");
}

TEST_CASE("the office's zone: WIB, WITA, WIT by name, its date and wall clock", "[date]") {
    int64_t const t = 1795366800 - 1800; // 2026-11-22 16:30 UTC
    CHECK(Zone {}.label() == "WIB");
    CHECK(Zone {480}.label() == "WITA");
    CHECK(Zone {540}.label() == "WIT");
    CHECK(Zone {330}.label() == "UTC+5:30");
    CHECK(Zone {-180}.label() == "UTC-3");
    CHECK(date_in(t, Zone {}) == Date {2026, 11, 22}); // 23.30 WIB
    CHECK(clock_in(t, Zone {}) == "23.30");
    CHECK(date_in(t, Zone {480}) == Date {2026, 11, 23}); // 00.30 WITA: the next day
    CHECK(clock_in(t, Zone {480}, ':') == "00:30");
    CHECK(clock_in(t, Zone {540}) == "01.30");
}
