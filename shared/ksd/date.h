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
// The office's time zone. Indonesia has no summer time, so the offset says it all: WIB UTC+7
// (the default), WITA UTC+8, WIT UTC+9.
struct Zone {
    int utc_offset_minutes {420};
    // "WIB", "WITA", "WIT"; any other offset as "UTC+5:30".
    std::string label() const;
};
// The date in the zone for a Unix time; the caller passes the time in.
Date date_in(int64_t unix_seconds, Zone);
// The wall clock in the zone, "09.15" (sep '.') or "09:15".
std::string clock_in(int64_t unix_seconds, Zone, char sep = '.');
// "14 Maret 2025" / "14 March 2025".
std::string format_date_long(Date, bool english);

} // namespace ksd
