// Office hours: when the lobby is open and the kiosk's screen should be on. One line a technician
// writes in ksd.toml ("mon-thu 07:30-16:00, fri 07:30-11:30"); pure, time is passed in.
#pragma once

#include "ksd/result.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace ksd {

struct OfficeInterval {
    int open_minute {0}; // minute of the day, 0..1439
    int close_minute {0}; // exclusive, 1..1440; open_minute < close_minute
};

struct OfficeHours {
    // Index 0 is Monday, 6 is Sunday (ISO order). Empty text means always open.
    std::array<std::vector<OfficeInterval>, 7> days;
    bool always_open {true};
};

// Parses entries separated by ',' or ';', each "DAYS HH:MM-HH:MM". DAYS is one day or a range
// ("mon-fri", "sat-mon" wraps), in English (mon..sun) or Indonesian (sen, sel, rab, kam, jum,
// sab, min), any case. "" or "always" means always open. Several entries may name the same day
// (a lunch break: "mon-fri 07:30-12:00, mon-fri 13:00-16:00"). The error names the entry and
// what is wrong, in English for the technician's log and page.
Result<OfficeHours> parse_office_hours(std::string_view text);

// weekday: 0 = Monday .. 6 = Sunday; minute_of_day: 0..1439 (local time).
bool office_open(OfficeHours const& hours, int weekday, int minute_of_day);

// Minutes from (weekday, minute_of_day) until office_open() next changes its answer, at most
// 7 days (10080) when it never changes. Lets a blank screen sleep until the office opens.
int minutes_until_change(OfficeHours const& hours, int weekday, int minute_of_day);

} // namespace ksd
