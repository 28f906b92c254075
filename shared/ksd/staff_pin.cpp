// The staff PIN: Argon2id hashes through libsodium, and growing delays after wrong PINs kept
// in the device database so that restarting the kiosk does not reset them.
#include "ksd/staff_pin.h"

#include "ksd/device_db.h"
#include "ksd/number.h"

#include <algorithm>
#include <charconv>
#include <sodium.h>

namespace ksd {

namespace {

constexpr char const* failures_key = "staff.pin_failures";
constexpr char const* next_try_key = "staff.pin_next_try_at";
constexpr int64_t longest_delay = 3600;

bool sodium_ready() {
    // sodium_init() is thread-safe and idempotent; a function-local static runs it once.
    static bool const ready = sodium_init() >= 0;
    return ready;
}

bool is_valid_pin(std::string_view pin) {
    return pin.size() >= 4 && pin.size() <= 12
        && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A stored number; anything unreadable counts as 0 (the state is only ever written here).
Result<int64_t> read_number(Db& db, char const* key) {
    TRY_RESULT(auto text, get_state(db, key));
    return text ? parse_int<int64_t>(*text).value_or(0) : int64_t {0};
}

Result<void> store_throttle(Db& db, int64_t failures, int64_t next_try) {
    TRY_RESULT(auto tx, Transaction::begin(db));
    TRY_VOID(set_state(db, failures_key, std::to_string(failures)));
    TRY_VOID(set_state(db, next_try_key, std::to_string(next_try)));
    return tx.commit();
}

} // namespace

Result<std::string> hash_staff_pin(std::string_view pin) {
    if (!is_valid_pin(pin))
        return make_error("a staff PIN is 4 to 12 digits (0-9)");
    if (!sodium_ready())
        return make_error("staff PIN: libsodium could not be initialised");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE)
        != 0)
        return make_error("staff PIN: hashing failed (out of memory?)");
    return std::string(out);
}

bool is_staff_pin_hash(std::string_view hash) {
    constexpr std::string_view prefix = "$argon2id$v=19$m=";
    if (!hash.starts_with(prefix) || hash.size() >= crypto_pwhash_STRBYTES
        || hash.find('\0') != std::string_view::npos || !sodium_ready())
        return false;
    std::string copy(hash); // libsodium wants a NUL-terminated string
    // -1 means the string is not a well-formed hash; 0 or 1 only say whether its costs differ.
    return crypto_pwhash_str_needs_rehash(
               copy.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE)
        != -1;
}

int64_t staff_pin_delay(int failures) {
    if (failures < 3)
        return 0;
    int64_t delay = 30;
    for (int i = 3; i < failures && delay < longest_delay; ++i)
        delay *= 2;
    return std::min(delay, longest_delay);
}

Result<PinAttempt> check_staff_pin(
    Db& device_db, std::string const& hash, std::string_view pin, int64_t now) {
    if (!is_staff_pin_hash(hash))
        return PinAttempt {PinVerdict::NotConfigured, 0};

    TRY_RESULT(int64_t next_try, read_number(device_db, next_try_key));
    if (next_try > now + longest_delay) {
        // The clock moved back (or the state is odd): never make staff wait more than the
        // longest delay, and store that so the wait ends even if the clock stays behind.
        TRY_RESULT(int64_t failures, read_number(device_db, failures_key));
        next_try = now + longest_delay;
        TRY_VOID(store_throttle(device_db, failures, next_try));
    }
    if (now < next_try)
        return PinAttempt {PinVerdict::Wait, next_try - now};

    // Checking takes a noticeable fraction of a second: the write lock is taken afterwards.
    bool right = is_valid_pin(pin) && sodium_ready()
        && crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;

    TRY_RESULT(auto tx, Transaction::begin(device_db));
    if (right) {
        TRY_VOID(set_state(device_db, failures_key, "0"));
        TRY_VOID(set_state(device_db, next_try_key, "0"));
        TRY_VOID(tx.commit());
        return PinAttempt {PinVerdict::Accepted, 0};
    }
    TRY_RESULT(int64_t failures, read_number(device_db, failures_key));
    failures = std::max<int64_t>(failures, 0) + 1;
    int64_t delay = staff_pin_delay(static_cast<int>(std::min<int64_t>(failures, 1000)));
    TRY_VOID(set_state(device_db, failures_key, std::to_string(failures)));
    TRY_VOID(set_state(device_db, next_try_key, std::to_string(now + delay)));
    TRY_VOID(tx.commit());
    return PinAttempt {PinVerdict::Wrong, delay};
}

} // namespace ksd
