// Civil-date arithmetic (Howard Hinnant's days_from_civil) and parsing.
#include "ksd/date.h"
#include "ksd/number.h"

#include <charconv>

namespace ksd {

int64_t Date::days() const {
    int64_t y = year - (month <= 2 ? 1 : 0);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date Date::from_days(int64_t z) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return Date {static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

std::string Date::iso() const {
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

bool is_valid_date(int y, int m, int d) {
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return false;
    static constexpr int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}

namespace {
// A date field: at most four digits (a year).
std::optional<int> date_field(std::string_view s) {
    if (s.size() > 4)
        return std::nullopt;
    return parse_int<int>(s);
}
} // namespace

std::optional<Date> parse_date(std::string_view s) {
    // Trim spaces a spreadsheet may leave.
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    std::optional<int> y, m, d;
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
        y = date_field(s.substr(0, 4));
        m = date_field(s.substr(5, 2));
        d = date_field(s.substr(8, 2));
    } else {
        auto a = s.find('/');
        auto b = a == std::string_view::npos ? a : s.find('/', a + 1);
        if (b == std::string_view::npos || b + 5 != s.size())
            return std::nullopt;
        d = date_field(s.substr(0, a));
        m = date_field(s.substr(a + 1, b - a - 1));
        y = date_field(s.substr(b + 1));
    }
    if (!y || !m || !d || !is_valid_date(*y, *m, *d))
        return std::nullopt;
    return Date {*y, *m, *d};
}

std::string Zone::label() const {
    switch (utc_offset_minutes) {
    case 420:
        return "WIB";
    case 480:
        return "WITA";
    case 540:
        return "WIT";
    }
    int m = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
    std::string out
        = std::string("UTC") + (utc_offset_minutes < 0 ? "-" : "+") + std::to_string(m / 60);
    if (m % 60 != 0)
        out += (m % 60 < 10 ? ":0" : ":") + std::to_string(m % 60);
    return out;
}

Date date_in(int64_t unix_seconds, Zone zone) {
    int64_t local = unix_seconds + int64_t(zone.utc_offset_minutes) * 60;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    return Date::from_days(days);
}

std::string clock_in(int64_t unix_seconds, Zone zone, char sep) {
    int64_t local = unix_seconds + int64_t(zone.utc_offset_minutes) * 60;
    int64_t sec = ((local % 86400) + 86400) % 86400;
    std::string hh = std::to_string(sec / 3600), mm = std::to_string(sec / 60 % 60);
    return (hh.size() < 2 ? "0" : "") + hh + sep + (mm.size() < 2 ? "0" : "") + mm;
}

std::string format_date_long(Date d, bool english) {
    static constexpr char const* id_months[] = {"Januari", "Februari", "Maret", "April", "Mei",
        "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"};
    static constexpr char const* en_months[] = {"January", "February", "March", "April", "May",
        "June", "July", "August", "September", "October", "November", "December"};
    int m = (d.month >= 1 && d.month <= 12) ? d.month - 1 : 0;
    return std::to_string(d.day) + " " + (english ? en_months[m] : id_months[m]) + " "
        + std::to_string(d.year);
}

} // namespace ksd
