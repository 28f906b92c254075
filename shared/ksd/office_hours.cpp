// Office hours parsing and lookup (see office_hours.h).
#include "ksd/office_hours.h"
#include "ksd/ascii.h"
#include "ksd/number.h"

#include <cctype>
#include <charconv>

namespace ksd {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// -1 when the name is not a day.
int day_index(std::string_view name) {
    static constexpr std::array<std::string_view, 7> english {
        "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    static constexpr std::array<std::string_view, 7> indonesian {
        "sen", "sel", "rab", "kam", "jum", "sab", "min"};
    std::string n = lower(name);
    for (int i = 0; i < 7; ++i)
        if (n == english[static_cast<size_t>(i)] || n == indonesian[static_cast<size_t>(i)])
            return i;
    return -1;
}

// "07:30" -> 450; "24:00" -> 1440 (allowed as a closing time only); -1 when malformed.
int parse_clock(std::string_view s) {
    if (s.size() != 5 || s[2] != ':')
        return -1;
    auto hours = parse_int<int>(s.substr(0, 2));
    auto minutes = parse_int<int>(s.substr(3, 2));
    if (!hours || !minutes)
        return -1;
    int const h = *hours;
    int const m = *minutes;
    if (h == 24 && m == 0)
        return 1440;
    if (h < 0 || h > 23 || m < 0 || m > 59)
        return -1;
    return h * 60 + m;
}

Error entry_error(std::string_view entry, std::string const& what) {
    return Error {"office hours entry \"" + std::string(entry) + "\": " + what
        + " (expected e.g. \"mon-fri 07:30-16:00\")"};
}

} // namespace

Result<OfficeHours> parse_office_hours(std::string_view text) {
    OfficeHours hours;
    std::string_view all = trim_ascii(text);
    if (all.empty() || lower(all) == "always")
        return hours;
    hours.always_open = false;
    while (!all.empty()) {
        size_t sep = all.find_first_of(",;");
        std::string_view entry = trim_ascii(all.substr(0, sep));
        all = sep == std::string_view::npos ? std::string_view {} : all.substr(sep + 1);
        if (entry.empty())
            return Error {"office hours: an empty entry between separators"};
        size_t space = entry.find_first_of(" \t");
        if (space == std::string_view::npos)
            return entry_error(entry, "days and hours must be separated by a space");
        std::string_view days = trim_ascii(entry.substr(0, space));
        std::string_view times = trim_ascii(entry.substr(space));
        size_t dash = days.find('-');
        int first = day_index(days.substr(0, dash));
        int last = dash == std::string_view::npos ? first : day_index(days.substr(dash + 1));
        if (first < 0 || last < 0)
            return entry_error(entry,
                "unknown day in \"" + std::string(days)
                    + "\" (mon tue wed thu fri sat sun, or sen sel rab kam jum sab min)");
        size_t tdash = times.find('-');
        if (tdash == std::string_view::npos)
            return entry_error(entry, "the hours need a start and an end, HH:MM-HH:MM");
        int open = parse_clock(trim_ascii(times.substr(0, tdash)));
        int close = parse_clock(trim_ascii(times.substr(tdash + 1)));
        if (open < 0 || open == 1440 || close < 0)
            return entry_error(entry, "a time is not HH:MM on a 24-hour clock");
        if (close <= open)
            return entry_error(entry, "the closing time must come after the opening time");
        for (int d = first;; d = (d + 1) % 7) {
            hours.days[static_cast<size_t>(d)].push_back(OfficeInterval {open, close});
            if (d == last)
                break;
        }
    }
    return hours;
}

bool office_open(OfficeHours const& hours, int weekday, int minute_of_day) {
    if (hours.always_open)
        return true;
    for (OfficeInterval const& i : hours.days[static_cast<size_t>(((weekday % 7) + 7) % 7)])
        if (minute_of_day >= i.open_minute && minute_of_day < i.close_minute)
            return true;
    return false;
}

int minutes_until_change(OfficeHours const& hours, int weekday, int minute_of_day) {
    constexpr int week = 7 * 1440;
    bool now = office_open(hours, weekday, minute_of_day);
    // A minute-by-minute walk over at most a week: 10080 cheap steps, called once a minute at
    // most, and obviously right where interval arithmetic across midnights is not.
    int w = weekday;
    int m = minute_of_day;
    for (int step = 1; step <= week; ++step) {
        if (++m == 1440) {
            m = 0;
            w = (w + 1) % 7;
        }
        if (office_open(hours, w, m) != now)
            return step;
    }
    return week;
}

} // namespace ksd
