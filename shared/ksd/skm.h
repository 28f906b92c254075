// The satisfaction survey (Survei Kepuasan Masyarakat, SKM; PermenPAN-RB 14/2017, issue 14):
// the nine elements (unsur) with their questions and four answer words in both languages, the
// optional respondent data of the regulation's form (no names), and the device's durable store of
// answers. Anonymous by design: a response has no link to a request or a ticket.
#pragma once

#include "ksd/clock.h"
#include "ksd/db.h"
#include "ksd/result.h"
#include "ksd/taxonomy.h"
#include "ksd/tickets.h"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ksd {

inline constexpr int skm_element_count = 9;
// The scale of every element: 1 (worst) .. 4 (best); 0 is "not answered" (the visitor skipped).
inline constexpr int skm_min_value = 1;
inline constexpr int skm_max_value = 4;
// Bumped when a question's words change, so the server can tell answers to different wordings.
inline constexpr char const* skm_form_version = "skm-2017-1";

struct SkmText {
    std::string_view id;
    std::string_view en;
    std::string_view in(Lang l) const { return l == Lang::Id ? id : en; }
};

// One element (unsur) of the regulation, in its order U1..U9.
struct SkmElement {
    std::string_view code; // "U1" .. "U9": the column name in reports and CSV
    SkmText name; // "Persyaratan"
    SkmText question; // the question as the regulation's form words it
    std::array<SkmText, 4> answers; // for values 1..4, worst first
};

// The nine elements in the regulation's order.
std::span<SkmElement const> skm_elements();

// Optional respondent data as the regulation's form asks it (Lampiran, "Kuesioner"); every field
// may be left empty (""): nothing is required, nothing identifies a person.
struct SkmChoice {
    std::string_view code; // stored and sent
    SkmText label;
};
std::span<SkmChoice const> skm_genders(); // "m", "f"
std::span<SkmChoice const> skm_age_bands(); // "lt20", "20-29", ..., "60+"
std::span<SkmChoice const> skm_educations(); // "sd", "smp", "sma", "diploma", "s1", "s2+"
std::span<SkmChoice const>
skm_occupations(); // "pns", "tni", "polri", "swasta", "wirausaha", "other"
// Whether code is "" or one of choices' codes.
bool skm_choice_valid(std::span<SkmChoice const> choices, std::string_view code);

struct SkmRespondent {
    std::string gender;
    std::string age_band;
    std::string education;
    std::string occupation;
};

// What the visitor answered: answers[i] is element i's value, 0 when skipped.
struct SkmInput {
    std::array<int, skm_element_count> answers {};
    SkmRespondent respondent;
    Lang lang {Lang::Id};
};

// Why an input cannot be stored: a value outside 0..4, an unknown respondent code, or no answer
// at all (a survey skipped throughout says nothing and is not kept). nullopt when it is fine.
std::optional<std::string> skm_input_problem(SkmInput const&);

// A stored response. Delivered by the sync agent like tickets (same states and exactly-once
// rules: the server keys responses by id), but a response holds no personal data, so it is
// deleted from the device once acknowledged rather than purged field by field.
struct SkmResponse {
    std::string id; // UUID v4, made on the device
    std::string kiosk_id;
    int64_t created_at {0}; // wall clock (WallClock), see clock_trusted
    bool clock_trusted {false};
    std::string form_version;
    SkmInput input;
    DeliveryState state {DeliveryState::Queued};
    int attempts {0};
    int64_t next_attempt_at {0};
    std::string last_error;
};

// Saves a response durably (synchronous=FULL commit) and returns it, or a value error when the
// input has a problem (skm_input_problem) or the database refuses.
Result<SkmResponse> save_skm_response(
    Db&, SkmInput const&, std::string const& kiosk_id, WallClock clock);

// A response as it travels to the server (PROTOCOL.md, POST /api/v1/skm; also the "surveys" of a
// USB export): answers U1..U9, 0 = not answered.
nlohmann::json skm_record_json(SkmResponse const&);

Result<std::optional<SkmResponse>> find_skm_response(Db&, std::string const& id);
// Responses not yet acknowledged (queued, sending, quarantined), oldest first, at most limit.
Result<std::vector<SkmResponse>> unacknowledged_skm_responses(Db&, int limit);
// How many responses wait for delivery (not yet acknowledged).
Result<int> skm_responses_waiting(Db&);

// --- Delivery on the device (the sync agent; issue 14, sync/PROTOCOL.md "POST /api/v1/skm") ---

// Queued responses due for an attempt (next_attempt_at <= now, or absurdly far ahead: stored
// under a wrong clock), oldest first, at most limit; all queued ones when ignore_schedule.
Result<std::vector<SkmResponse>> due_skm_responses(
    Db&, int64_t now, int limit, bool ignore_schedule, int64_t absurd_future_s);
// The server stored the response (created or duplicate): state acknowledged. Only from queued or
// sending, so a late answer never revives a quarantined one.
Result<void> mark_skm_acknowledged(Db&, std::string const& id);
// Deletes every acknowledged response (they hold nothing personal and the server keeps them);
// returns how many.
Result<int> delete_acknowledged_skm_responses(Db&);
// The server refused it for its content: kept with the reason, never retried automatically.
Result<void> quarantine_skm_response(Db&, std::string const& id, std::string const& reason);
// Not delivered this time: queued again for next_attempt_at, attempts + 1.
Result<void> retry_skm_response(
    Db&, std::string const& id, std::string const& reason, int64_t next_attempt_at);
// Staff release every quarantined response back to the queue; returns how many.
Result<int> release_quarantined_skm_responses(Db&);

struct SkmQueueCounts {
    int queued {0}; // queued or sending
    int quarantined {0};
};
Result<SkmQueueCounts> skm_queue_counts(Db&);

// --- The index (Indeks Kepuasan Masyarakat) by PermenPAN-RB 14/2017, Lampiran ---
//
// Per element the average of its answered values (NRR, nilai rata-rata; skipped answers are
// left out of that element only), each weighted 1/9 (the regulation writes 0.111, a rounded
// 1/9: with 0.111 a survey where everyone answered 4 gives 99.90, not 100), summed (the index
// on the 1..4 scale, "nilai interval"), times 25 gives the IKM 25..100. When an element has no
// answer at all in the set, the others share its weight (1/k each over the k answered
// elements) and `complete` is false. The grade is read from the IKM rounded to two decimals.

enum class SkmGrade { A, B, C, D };
// "Sangat Baik", "Baik", "Kurang Baik", "Tidak Baik" (the regulation's "kinerja unit pelayanan").
SkmText skm_grade_words(SkmGrade);
char skm_grade_letter(SkmGrade); // 'A' .. 'D' (the regulation's "mutu pelayanan")
// The regulation's table (nilai interval konversi): 25.00–64.99 D, 65.00–76.60 C,
// 76.61–88.30 B, 88.31–100.00 A, read on ikm rounded to two decimals.
SkmGrade skm_grade_of(double ikm);

// Sums and counts per element: what the index needs, so a server can add up rows in SQL and a
// test can add them one by one.
struct SkmTally {
    int64_t respondents {0};
    std::array<int64_t, skm_element_count> answered {}; // values 1..4 given
    std::array<int64_t, skm_element_count> sum {}; // of those values
    void add(std::array<int, skm_element_count> const& answers);
};

struct SkmElementScore {
    int64_t answered {0};
    double nrr {0}; // average 1..4; 0 when nobody answered
    double weight {0}; // 1/9 (or 1/k, see above); 0 when nobody answered
    double weighted {0}; // nrr * weight ("NRR tertimbang")
};

struct SkmIndex {
    int64_t respondents {0};
    std::array<SkmElementScore, skm_element_count> elements {};
    bool empty {true}; // no answer at all: no index, no grade
    bool complete {false}; // every element has at least one answer
    double interval {0}; // sum of the weighted NRRs, 1..4
    double ikm {0}; // interval * 25, 25..100, rounded to two decimals
    SkmGrade grade {SkmGrade::D};
};

SkmIndex skm_index(SkmTally const&);
SkmIndex skm_index(std::span<SkmInput const>);

} // namespace ksd
