// The project's one integer parser: the whole text must be the number, or there is none. atoi and
// its kin are banned (scripts/check-banned.sh): they read "abc" as 0, so `--listen host:abc` once
// bound a random port, and the std::sto* family throws on what visitors or servers send.
#pragma once

#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace ksd {

// Decimal (or `base`) digits, a leading '-' only for signed types; no spaces, no '+', no
// exponent, nothing after the digits, and no overflow.
template <class T>
std::optional<T> parse_int(std::string_view s, int base = 10) {
    static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
    T v {};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (s.empty() || ec != std::errc {} || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

// The number that starts `s` after spaces, whatever follows it ("  1234 kB" -> 1234): for the
// lines of /proc files, logs and headers where the number is followed by a unit or more text.
template <class T>
std::optional<T> parse_leading_int(std::string_view s, int base = 10) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    size_t n = s.empty() || s.front() != '-' ? 0 : 1;
    while (n < s.size()
        && ((s[n] >= '0' && s[n] <= '9')
            || (base == 16 && std::isxdigit(static_cast<unsigned char>(s[n])))))
        ++n;
    return parse_int<T>(s.substr(0, n), base);
}

// A decimal fraction ("12.5"), the whole text, in the C locale whatever the process's locale.
inline std::optional<double> parse_double(std::string_view s) {
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc {} || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

} // namespace ksd
