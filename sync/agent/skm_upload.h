// The survey responses' upload (issue 14, PROTOCOL.md "POST /api/v1/skm"): the due queued
// responses in batches, with the tickets' rules: delivered only on this server's own answer
// naming the response (created or duplicate), then deleted from the device (nothing personal
// in them, and the server keeps them); quarantined only on this server's own refusal of its
// content (invalid, conflict, or a whole batch refused for its content, split to the response
// refused alone); anything else (no answer, 5xx, a proxy's page, garbage) is retried with backoff.
#pragma once

#include "http_client.h"
#include "sync_pass.h"

#include "ksd/db.h"
#include "ksd/result.h"
#include "ksd/skm.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace ksd::sync {

Result<void> upload_skm(Db&, HttpClient&, SyncSettings const&, int64_t now,
    std::function<double()> const& unit_random, PassReport&);

// The lines `ksd-sync status` prints about surveys: how many wait, and each quarantined one's
// reason.
Result<std::string> format_skm_status(Db&);

} // namespace ksd::sync
