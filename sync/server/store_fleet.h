// The fleet's storage (all SQL of the kiosks area): a kiosk's name and location (enrolment) and
// its heartbeat history (one row per heartbeat, kept 30 days, bounded per kiosk) for the charts.
#pragma once

#include "store.h"

#include "ksd/result.h"
#include "sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ksd::server {

inline constexpr int64_t heartbeat_keep_s = 30 * 24 * 3600;
// A kiosk sending a heartbeat every minute (the agent's shortest setting) keeps about 8 days,
// more than the 7 the charts show; at the default 5 minutes all 30 days fit.
inline constexpr int64_t max_heartbeats_per_kiosk = 12000;

inline constexpr size_t max_kiosk_name_bytes = 80;
inline constexpr size_t max_kiosk_location_bytes = 160;

struct FleetRow { // NOLINT(bugprone-exception-escape): KioskRow, see store.h
    KioskRow kiosk;
    std::string name; // "" for a kiosk added by `ksd-server kiosk add` without a name
    std::string location;
};

// One stored heartbeat: nullopt where the kiosk did not send the field.
struct HeartbeatSample {
    int64_t at {0}; // server time of arrival
    std::optional<int64_t> queue_depth; // queued + sending
    std::optional<int64_t> oldest_unsent_age_s;
    std::optional<int64_t> disk_free_bytes;
    std::optional<int64_t> last_frame_at; // kiosk clock
    std::optional<int64_t> sent_at; // kiosk clock
    std::optional<bool> clock_trusted;
    std::optional<int64_t> content_version;
    std::string app_version;
    std::string last_error;
};

struct HeartbeatRetention {
    int64_t keep_s {heartbeat_keep_s};
    int64_t max_rows_per_kiosk {max_heartbeats_per_kiosk};
};
// Appends one heartbeat to the history and prunes: rows older than keep_s (all kiosks, one that
// stopped sending too) and this kiosk's oldest rows beyond max_rows_per_kiosk. Called by
// store_heartbeat in its transaction.
Result<void> record_heartbeat(Conn&, std::string const& kiosk_id, nlohmann::json const& body,
    int64_t now, HeartbeatRetention const& = {});

// A kiosk's heartbeats with from <= at <= to, oldest first.
Result<std::vector<HeartbeatSample>> heartbeat_history(
    Conn&, std::string const& kiosk_id, int64_t from, int64_t to);

Result<std::vector<FleetRow>> list_fleet(Conn&);
Result<std::optional<FleetRow>> find_fleet_kiosk(Conn&, std::string const& id);

// The kiosk id made from a name: lower-case ASCII letters and digits, other runs become '-'
// ("Lobi Kantor Bupati" -> "lobi-kantor-bupati"), at most 40 characters; "kiosk" when nothing
// is left (a name in another script).
std::string kiosk_id_from_name(std::string const& name);

// Checks a name and location as typed by staff: empty when acceptable, else what is wrong.
std::string check_kiosk_place(std::string const& name, std::string const& location);

struct Enrolment {
    std::string id;
    std::string token; // shown once; only its hash is kept
};
// Enrols a kiosk named `name` at `location`: an id from the name (with "-2", "-3", ... when
// taken) and a new token, in one transaction.
Result<Enrolment> enrol_kiosk(
    Conn&, std::string const& name, std::string const& location, int64_t now);

// Sets the name and location of an existing kiosk.
Result<void> set_kiosk_place(
    Conn&, std::string const& id, std::string const& name, std::string const& location);

} // namespace ksd::server
