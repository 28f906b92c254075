// Issue 14, monitoring and evaluation of agreements (monev): the history of evaluations staff
// record per agreement, and the weeks whose e-mail digest went out. All of monev's SQL is here
// (migration 13 in store.cpp); the rules are in monev.h.
#pragma once

#include "ksd/date.h"
#include "ksd/result.h"
#include "ksd/taxonomy.h"
#include "sql.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ksd::server {

struct Evaluation {
    int64_t id {0};
    std::string nomor; // the agreement's number in the register
    Date evaluated_on;
    ImplementationState state {ImplementationState::NotStarted};
    std::string summary;
    std::string unit; // perangkat daerah penanggung jawab
    std::string recorded_by; // a staff user's name
    int64_t recorded_at {0};
};

// Adds one evaluation to the history; returns its id. Nothing is ever overwritten.
Result<int64_t> add_evaluation(Conn&, Evaluation const&);
// The evaluations of one agreement, the latest first (by date, then by when recorded).
Result<std::vector<Evaluation>> evaluations_of(Conn&, std::string const& nomor);
// The latest evaluation of every agreement that has one, by number.
Result<std::map<std::string, Evaluation>> latest_evaluations(Conn&);
// After a number was changed in the register: the history follows it.
Result<void> rename_evaluations(Conn&, std::string const& from, std::string const& to);

// The weekly digest: claims the week (its Monday, "YYYY-MM-DD") before sending, so that no
// restart sends it twice; false when it was already claimed. A failed send releases it.
Result<bool> claim_digest_week(Conn&, std::string const& week, int64_t now);
Result<void> release_digest_week(Conn&, std::string const& week);
Result<void> mark_digest_sent(Conn&, std::string const& week, int64_t now, int recipients);

} // namespace ksd::server
