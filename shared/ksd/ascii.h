// ASCII text helpers for the machine-readable words of our files (keys, day names, codes): spaces
// trimmed as the C locale sees them. Not for what visitors type (request.cpp handles Unicode).
#pragma once

#include <cctype>
#include <string_view>

namespace ksd {

inline std::string_view trim_ascii(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

} // namespace ksd
