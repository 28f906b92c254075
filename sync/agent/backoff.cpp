// Retry timing for the sync agent; see backoff.h.
#include "backoff.h"

#include <curl/curl.h>

#include "ksd/number.h"
#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace ksd::sync {

int64_t backoff_delay(int attempts, double unit_random) {
    int64_t ceiling = backoff_base_s;
    for (int i = 1; i < attempts && ceiling < backoff_cap_s; ++i)
        ceiling *= 2;
    ceiling = std::clamp(ceiling, backoff_min_s, backoff_cap_s);
    double r = std::clamp(unit_random, 0.0, 1.0);
    auto delay = backoff_min_s + static_cast<int64_t>(r * static_cast<double>(ceiling));
    return std::min(delay, ceiling);
}

std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now) {
    // One set of blanks on both sides: a value of only "\r\n" is empty, not a number.
    constexpr std::string_view blanks = " \t\r\n";
    auto first = value.find_first_not_of(blanks);
    if (first == std::string_view::npos)
        return std::nullopt;
    value = value.substr(first, value.find_last_not_of(blanks) - first + 1);
    int64_t seconds = 0;
    if (std::all_of(
            value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
        // Long digit strings would overflow; anything this long is over the cap anyway.
        if (value.size() > 9)
            seconds = backoff_cap_s;
        else
            seconds = ksd::parse_int<int64_t>(value).value_or(0);
    } else {
        // HTTP-date (IMF-fixdate and the obsolete forms); curl_getdate parses them all. It is
        // lenient, so the value must at least name "GMT" as every HTTP-date does.
        if (value.find("GMT") == std::string_view::npos)
            return std::nullopt;
        time_t at = curl_getdate(std::string(value).c_str(), nullptr);
        if (at == -1)
            return std::nullopt;
        seconds = static_cast<int64_t>(at) - now;
    }
    return std::clamp(seconds, backoff_min_s, backoff_cap_s);
}

} // namespace ksd::sync
