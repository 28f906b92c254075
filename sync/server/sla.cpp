// Working-day arithmetic for the service level (see sla.h).
#include "sla.h"

#include <algorithm>

namespace ksd::server {

namespace {

int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// 0 = Sunday ... 6 = Saturday; 1970-01-01 was a Thursday.
int weekday(Date d) {
    int64_t w = (d.days() + 4) % 7;
    return static_cast<int>(w < 0 ? w + 7 : w);
}

} // namespace

Date local_date(int64_t unix_s, int utc_offset_minutes) {
    return Date::from_days(floor_div(unix_s + int64_t {utc_offset_minutes} * 60, 86400));
}

int64_t local_day_start(Date d, int utc_offset_minutes) {
    return d.days() * 86400 - int64_t {utc_offset_minutes} * 60;
}

bool is_working_day(Date d, SlaRules const& rules) {
    int w = weekday(d);
    if (w == 0 || w == 6)
        return false;
    return !std::binary_search(rules.holidays.begin(), rules.holidays.end(), d);
}

int64_t sla_due_at(int64_t received_at, SlaRules const& rules) {
    int64_t day = local_date(received_at, rules.utc_offset_minutes).days();
    // Every week has five weekdays, and the holidays are finite: the loop ends.
    for (int counted = 0; counted < rules.working_days;)
        if (is_working_day(Date::from_days(++day), rules))
            ++counted;
    return local_day_start(Date::from_days(day + 1), rules.utc_offset_minutes);
}

Result<std::vector<Date>> parse_holidays(std::vector<std::string> const& items) {
    std::vector<Date> out;
    std::string bad;
    for (auto const& s : items) {
        // Only the ISO form: "03/04/2026" would be read day-first by parse_date, a guess.
        auto d = s.size() == 10 && s[4] == '-' ? parse_date(s) : std::nullopt;
        if (!d) {
            bad += (bad.empty() ? "" : ", ") + ("\"" + s + "\"");
            continue;
        }
        out.push_back(*d);
    }
    if (!bad.empty())
        return make_error("holidays: not a date as YYYY-MM-DD: " + bad);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

Result<std::vector<Date>> parse_holiday_list(std::string_view text) {
    std::vector<std::string> items;
    std::string cur;
    for (char c : text) {
        if (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ';') {
            if (!cur.empty())
                items.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty())
        items.push_back(std::move(cur));
    return parse_holidays(items);
}

std::string sla_fingerprint(SlaRules const& rules) {
    // Appended piece by piece: GCC 12 at -O2 warns (-Wrestrict, a known false positive) about
    // operator+ on a temporary here.
    std::string out = std::to_string(rules.working_days);
    out.append("d ").append(std::to_string(rules.utc_offset_minutes)).append("m");
    for (auto const& d : rules.holidays)
        out.append(" ").append(d.iso());
    return out;
}

} // namespace ksd::server
