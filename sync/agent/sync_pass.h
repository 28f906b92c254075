// One pass of the sync agent: upload the due queued tickets as one batch, record the server's
// per-ticket acknowledgements in one transaction, then fetch status changes and staff replies.
// A ticket counts as delivered only on the server's own answer naming it (PROTOCOL.md).
#pragma once

#include "http_client.h"

#include "ksd/clock.h"
#include "ksd/db.h"
#include "ksd/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace ksd::sync {

struct SyncSettings {
    std::string server_url; // "https://ksd.example.go.id", no trailing path
    std::string token; // KIOSK_ID.SECRET
    int batch_limit {100};
    int max_update_pages {20}; // bounds one pass even if the server keeps saying "more"
    // The daemon decides on the monotonic clock when to try, and then sends every queued ticket
    // whatever its stored (wall-clock) next_attempt_at says.
    bool ignore_schedule {false};
    int64_t retention_days {30}; // personal data of acknowledged tickets is purged after this
    // Whether the wall clock can be believed (NTP synchronised). Null: always. The purge waits
    // for a trusted clock: a clock in 2099 would purge everything at once.
    std::function<bool()> clock_trusted;
    // The boot clock now (clock.h, boot_clock_now). Null: unknown, and then no ticket's age is
    // sent and the server's time is not remembered between answers.
    std::function<BootClock()> boot_clock;
};

struct PassReport {
    int sent {0};
    int acknowledged {0};
    int quarantined {0};
    int retry_later {0};
    int updates_applied {0};
    bool updates_ok {false};
    std::string last_error; // of the upload or the update fetch; empty when all went well
    bool unauthorized {false}; // the server answered 401: the token is wrong or revoked
    // The kiosk is set up wrongly (its tickets name another kiosk than its token): nothing is
    // quarantined, the tickets wait until staff fix the configuration.
    std::string config_error;
    int requeued_after_restore {0}; // acknowledged tickets sent again to a restored server
    std::optional<int64_t> retry_after; // the server's Retry-After (clamped), if it sent one
    bool more_due {false}; // a full batch was sent: more tickets may be waiting
    // Issue 14: survey responses (skm_upload.h), sent after the tickets in the same pass.
    int skm_sent {0};
    int skm_acknowledged {0};
    int skm_quarantined {0};
    int skm_retry_later {0};
    bool changed() const { return acknowledged + quarantined + updates_applied > 0; }
    bool failed() const {
        return retry_later > 0 || skm_retry_later > 0 || !updates_ok || !config_error.empty();
    }
};

// device_state keys written after every pass, for the kiosk's staff screen.
inline constexpr char const* last_attempt_key = "sync.last_attempt_at"; // Unix seconds
inline constexpr char const* last_success_key = "sync.last_success_at"; // Unix seconds
inline constexpr char const* last_result_key = "sync.last_result"; // "ok: 3 sent", "error: ..."
inline constexpr char const* auth_error_key = "sync.auth_error"; // the 401 message, or ""
// A configuration error (device.id and token disagree), or "": for the staff screen.
inline constexpr char const* config_error_key = "sync.config_error";
// A warning about the set-up that does not stop delivery (plain http:// outside loopback).
inline constexpr char const* warning_key = "sync.warning";
// The server database's identity (db_id) last seen, to notice a replaced server.
inline constexpr char const* server_db_id_key = "sync.server_db_id";

// A ticket whose stored next attempt is further ahead than this is tried anyway: the clock was
// wrong (1970 or 2099) when the time was stored, or is wrong now.
inline constexpr int64_t absurd_future_s = 2 * 15 * 60;

// The device_state key holding the server's update cursor.
inline constexpr char const* updates_cursor_key = "sync.updates_cursor";

// now is the wall clock in Unix seconds (stored times are wall-clock); unit_random returns
// draws in [0, 1) for the backoff jitter. A batch refused whole with 400 or 413 is split in
// halves until the ticket(s) refused alone are found and quarantined. A ticket is acknowledged at
// the server's time of the answer (server_time), never the device's. After the pass the
// device_state keys above are written and personal data past retention is purged, judged by the
// server's time (server_now) when an answer was heard in this boot, else by the wall clock when
// it is trusted, else not at all.
Result<PassReport> run_sync_pass(Db& db, HttpClient& http, SyncSettings const& settings,
    int64_t now, std::function<double()> const& unit_random);

// Prints the queue by state and the quarantined tickets with their reasons; the quarantine
// counts as seen by staff from now (see purge_personal_data).
Result<std::string> format_status(Db& db, int64_t now);

// `ksd-sync requeue`: staff release the quarantined tickets back to the queue. Logs each one
// with its old reason and returns what to print.
Result<std::string> requeue_quarantined(Db& db, int64_t now);

// The kiosk id inside a token "KIOSK_ID.SECRET".
std::string token_kiosk(std::string const& token);

// A warning when url is plain http:// to a host other than loopback (the token and the
// visitors' data would cross the network unencrypted), else "".
std::string plain_http_warning(std::string const& url);

} // namespace ksd::sync
