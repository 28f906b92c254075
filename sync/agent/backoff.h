// When to try a failed upload again: capped exponential backoff with full jitter, and the
// server's Retry-After honoured but clamped. Pure functions (time and randomness passed in).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ksd::sync {

inline constexpr int64_t backoff_min_s = 1;
inline constexpr int64_t backoff_cap_s = 15 * 60;
inline constexpr int64_t backoff_base_s = 30;

// Seconds to wait after the attempts-th failure (1 = first): a uniform draw in
// [1, min(cap, base * 2^(attempts-1))], placed by unit_random in [0, 1). Full jitter keeps many
// kiosks coming back from one outage from retrying in step.
int64_t backoff_delay(int attempts, double unit_random);

// A Retry-After value (delta seconds or an HTTP-date) as seconds from now, clamped to
// [backoff_min_s, backoff_cap_s]; nullopt for a value that is neither (it is then ignored).
std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now);

} // namespace ksd::sync
