// Issue 11, the public status page's storage: the few columns of a request a visitor may see
// (never name, phone, e-mail, organisation or notes leave here except as check hashes), and the
// wrong checks counted per code and per client address in the database. All SQL of it is here.
#pragma once

#include "ksd/result.h"
#include "sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ksd::server {

// A request as the status check needs it. phone_check/email_check are the hashes it is judged by
// (ksd::effective_check_hash: the kiosk's, or for rows uploaded before kiosks sent them the hash of
// the stored contact data, made here so that the raw values never leave store_status.cpp).
struct StatusTicket {
    std::string id;
    std::string code;
    std::string status;
    int64_t made_at {0};
    bool made_at_estimated {false};
    std::string phone_check;
    std::string email_check;
};
// Every request with the canonical code (two only for a code disputed before issue 9).
Result<std::vector<StatusTicket>> status_tickets_by_code(Conn&, std::string const& code);

// Wrong checks in a sliding window, per key ("code:XXXXX-XXXXX" or "addr:ADDRESS").
struct CheckLimit {
    int max_failures {0};
    int64_t window_s {0};
};
// When the key may be checked again: 0 when it may now, else the time its oldest counted failure
// leaves the window (the count then drops below the limit).
Result<int64_t> check_blocked_until(Conn&, std::string const& key, CheckLimit, int64_t now);
// Records one wrong check for each key and removes entries older than window_s (old entries
// never count again). Inside the caller's IMMEDIATE transaction, which also read the counts: so
// parallel guesses queue up and each sees the failures of the ones before it.
Result<void> record_check_failure(
    Conn&, std::vector<std::string> const& keys, int64_t now, int64_t window_s);

} // namespace ksd::server
