// Calendar dates without time zones (agreements are signed on days, not instants).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ksd {

struct Date {
    int year {1970};
    int month {1};
    int day {1};

    auto operator<=>(Date const&) const = default;
    // Days since 1970-01-01.
    int64_t days() const;
    static Date from_days(int64_t days);
    std::string iso() const; // YYYY-MM-DD
};

// Accepts "YYYY-MM-DD" and the Indonesian spreadsheet form "DD/MM/YYYY" (also D/M/YYYY);
// refuses impossible dates such as 2025-02-30.
std::optional<Date> parse_date(std::string_view);
bool is_valid_date(int y, int m, int d);
// Today's date in UTC+7 (WIB) for a Unix time; the caller passes the time in.
Date date_in_wib(int64_t unix_seconds);
// "14 Maret 2025" / "14 March 2025".
std::string format_date_long(Date, bool english);

} // namespace ksd
