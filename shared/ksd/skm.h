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

Result<std::optional<SkmResponse>> find_skm_response(Db&, std::string const& id);
// Responses not yet acknowledged (queued, sending, quarantined), oldest first, at most limit.
Result<std::vector<SkmResponse>> unacknowledged_skm_responses(Db&, int limit);
// How many responses wait for delivery (not yet acknowledged).
Result<int> skm_responses_waiting(Db&);

} // namespace ksd
