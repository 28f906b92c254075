// One pass of the sync agent: upload the due queued tickets as one batch, record the server's
// per-ticket acknowledgements in one transaction, then fetch status changes and staff replies.
// A ticket counts as delivered only on the server's own answer naming it (PROTOCOL.md).
#pragma once

#include "http_client.h"

#include "ksd/db.h"
#include "ksd/result.h"

#include <cstdint>
#include <functional>
#include <string>

namespace ksd::sync {

struct SyncSettings {
    std::string server_url; // "https://ksd.example.go.id", no trailing path
    std::string token; // KIOSK_ID.SECRET
    int batch_limit {100};
    int max_update_pages {20}; // bounds one pass even if the server keeps saying "more"
};

struct PassReport {
    int sent {0};
    int acknowledged {0};
    int quarantined {0};
    int retry_later {0};
    int updates_applied {0};
    bool updates_ok {false};
    std::string last_error; // of the upload or the update fetch; empty when all went well
};

// The device_state key holding the server's update cursor.
inline constexpr char const* updates_cursor_key = "sync.updates_cursor";

// now is the wall clock in Unix seconds (stored times are wall-clock); unit_random returns
// draws in [0, 1) for the backoff jitter.
Result<PassReport> run_sync_pass(Db& db, HttpClient& http, SyncSettings const& settings,
    int64_t now, std::function<double()> const& unit_random);

// Prints the queue by state and the quarantined tickets with their reasons.
Result<std::string> format_status(Db& db, int64_t now);

} // namespace ksd::sync
