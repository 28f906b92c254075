// The staff PIN: stored only as an Argon2id hash (libsodium crypto_pwhash_str), checked with
// delays that grow with each wrong PIN. The failure count and the time of the next allowed try
// live in the device database, so a restart (or pulling the plug) does not reset them.
#pragma once

#include "ksd/db.h"
#include "ksd/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ksd {

// A PIN is 4 to 12 digits. Returns the crypto_pwhash_str string ("$argon2id$v=19$m=...").
Result<std::string> hash_staff_pin(std::string_view pin);
// Whether a hash string looks like one hash_staff_pin made (for config validation).
bool is_staff_pin_hash(std::string_view);

enum class PinVerdict : uint8_t { Accepted, Wrong, Wait, NotConfigured };
struct PinAttempt {
    PinVerdict verdict {PinVerdict::Wrong};
    int64_t wait_seconds {0}; // for Wrong and Wait: how long until the next try is allowed
};

// Delay after n consecutive wrong PINs: the first 3 tries need no wait (0 after 1 or 2 wrong
// PINs); 30 s after the 3rd, doubling with each further one up to 1 h.
int64_t staff_pin_delay(int failures);

// Checks a PIN against the hash at wall-clock time now (unix seconds). A try before the allowed
// time is refused without checking (Wait). Wrong: the count grows and the next allowed time is
// stored before returning; Accepted resets both. A stored time further ahead than the longest
// delay (the clock moved back) is clamped to now + the longest delay.
Result<PinAttempt> check_staff_pin(
    Db& device_db, std::string const& hash, std::string_view pin, int64_t now);

} // namespace ksd
