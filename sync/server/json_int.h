// Integers in protocol bodies: exact JSON integers within a range, so that 2^64-1 is refused
// rather than read back as -1 and 1.0 or 1e3 are not taken for integers.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

namespace ksd::server {

// 2^53 - 1: the largest integer every JSON reader (a double) holds exactly.
inline constexpr int64_t max_json_integer = (int64_t {1} << 53) - 1;

inline bool json_integer_in(nlohmann::json const& v, int64_t min, int64_t max) {
    if (v.is_number_unsigned()) { // nlohmann keeps non-negative integers as uint64_t
        uint64_t u = v.get<uint64_t>();
        return u <= static_cast<uint64_t>(max) && (min <= 0 || u >= static_cast<uint64_t>(min));
    }
    if (v.is_number_integer())
        return v.get<int64_t>() >= min && v.get<int64_t>() <= max;
    return false;
}

} // namespace ksd::server
