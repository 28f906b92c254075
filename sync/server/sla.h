// The service level of a request: when its first reply is due, counted in working days (Monday to
// Friday, minus a list of holidays) in the office's local zone. Pure functions; time is passed in.
#pragma once

#include "ksd/date.h"
#include "ksd/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ksd::server {

struct SlaRules {
    int working_days {3};
    int utc_offset_minutes {420}; // WIB
    std::vector<Date> holidays; // sorted, without duplicates (parse_holidays gives that)
};

// The local calendar day of a Unix time, and the Unix time at which a local day starts.
Date local_date(int64_t unix_s, int utc_offset_minutes);
int64_t local_day_start(Date, int utc_offset_minutes);
bool is_working_day(Date, SlaRules const&);

// When the first reply is due: the end of the working_days-th working day after the day of
// receipt (the day of receipt never counts, working or not), i.e. 00:00 local of the next day.
// A request is overdue when it has no reply and now >= this. Received on Friday 16.00 with 3
// days: Monday, Tuesday, Wednesday; due at Thursday 00.00.
int64_t sla_due_at(int64_t received_at, SlaRules const&);

// Holidays from "YYYY-MM-DD" strings (a list, or one text separated by commas, spaces or line
// ends as in the config file): sorted, duplicates removed; an error names every bad entry.
Result<std::vector<Date>> parse_holidays(std::vector<std::string> const&);
Result<std::vector<Date>> parse_holiday_list(std::string_view text);

// A short text naming the rules (days, zone, holidays), stored with the due times: when it
// differs at start-up the due times of unanswered requests are computed again.
std::string sla_fingerprint(SlaRules const&);

} // namespace ksd::server
