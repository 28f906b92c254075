// The satisfaction survey on the server (issue 14): responses uploaded by kiosks (POST
// /api/v1/skm, idempotent by id as tickets are), the sums the index needs for a period and a
// kiosk, the respondents' profile, and the rows for the CSV export. The index itself is computed
// by ksd/skm.h (skm_index) from the sums.
#pragma once

#include "store.h"

#include "ksd/date.h"
#include "ksd/result.h"
#include "ksd/skm.h"
#include "sql.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksd::server {

// Why a response record of an upload is refused (the field first, as for tickets), or "" when
// it is fine: id a lower-case UUID, kiosk_id the token's, created_at an exact integer,
// clock_trusted a boolean, form_version one this server knows, answers nine integers 0..4 with
// at least one answered, respondent codes known or "", lang "id" or "en".
std::string validate_skm_record(nlohmann::json const& record, std::string const& kiosk_id);

// The form versions this server can read (answers of another wording are refused, not mixed).
bool skm_form_version_known(std::string_view);

// Stores valid records (checked with validate_skm_record) in one IMMEDIATE transaction, each
// INSERT ... ON CONFLICT(id) DO NOTHING; a stored id answers "duplicate" when the content (all
// fields of the record) is the same, else "conflict" (the stored one stays). made_at is
// created_at when the kiosk's clock was trusted, else received_at (made.estimated).
Result<std::vector<IngestResult>> ingest_skm(
    Conn&, std::vector<nlohmann::json> const& records, int64_t now);

// The whole path of a list of records from one kiosk (an upload's "responses", a USB export's
// "surveys"): each checked with validate_skm_record, the valid ones stored with ingest_skm; one
// result per record in the list's order, a refused record "invalid" with its reason.
Result<std::vector<IngestResult>> check_and_ingest_skm(
    Conn&, nlohmann::json const& records, std::string const& kiosk_id, int64_t now);
// A result as the answer of POST /api/v1/skm and an acknowledgement's survey_results carry it.
nlohmann::json skm_result_json(IngestResult const&);

// Which responses: made_at in [from, to), of one kiosk or of all ("").
struct SkmFilter {
    int64_t from {0};
    int64_t to {0};
    std::string kiosk;
};

// The sums of answered values per element and the number of responses (SQL aggregates: 100,000
// responses never sit in memory).
Result<SkmTally> skm_tally(Conn&, SkmFilter const&);
// The same sums per kiosk (the filter's kiosk ignored), kiosks in name order.
Result<std::vector<std::pair<std::string, SkmTally>>> skm_tally_by_kiosk(Conn&, SkmFilter const&);
// How many respondents gave each code of the respondent data ("" = not given), per field:
// "gender", "age_band", "education", "occupation".
using SkmProfile = std::map<std::string, std::map<std::string, int64_t>>;
Result<SkmProfile> skm_profile(Conn&, SkmFilter const&);
// The kiosks that sent responses, for the filter's list.
Result<std::vector<std::string>> skm_kiosks(Conn&);

struct SkmRow {
    std::string id;
    std::string kiosk_id;
    int64_t made_at {0};
    bool made_at_estimated {false};
    int64_t received_at {0};
    std::string form_version;
    std::array<int, skm_element_count> answers {};
    SkmRespondent respondent;
    std::string lang;
};
// Every response of the filter, oldest first (by made_at, then id), read in batches of 1000;
// fn returns false to stop. Starts after the row (after_at, after_id) when given, so a caller
// can go on where it stopped.
Result<void> for_each_skm_row(Conn&, SkmFilter const&, std::function<bool(SkmRow const&)> const& fn,
    int64_t after_at = -1, std::string after_id = {});

// A reporting period in the office's zone: a month, a quarter or a year.
enum class SkmPeriodKind { Month, Quarter, Year };
struct SkmPeriod {
    SkmPeriodKind kind {SkmPeriodKind::Month};
    int year {1970};
    int part {1}; // month 1..12, quarter 1..4, 1 for a year
    int64_t from {0}; // local midnight of its first day, Unix seconds
    int64_t to {0}; // local midnight after its last day
    std::string key() const; // "2026-11", "2026-Q4", "2026": the URL's `at`
};
// kind "month"/"quarter"/"year" and at as key() writes it; empty at: the period holding now.
std::optional<SkmPeriod> parse_skm_period(
    std::string_view kind, std::string_view at, int64_t now, int utc_offset_minutes);
// The period of the same kind holding t.
SkmPeriod skm_period_of(SkmPeriodKind, int64_t t, int utc_offset_minutes);
// The period before / after (same kind).
SkmPeriod skm_period_step(SkmPeriod const&, int delta, int utc_offset_minutes);

} // namespace ksd::server
