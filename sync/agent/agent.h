// The agent around the sync pass: the heartbeat, content pack downloads (resumed after a cut,
// verified, swapped in with ksd::import_pack) and the daemon loop that decides when to try.
#pragma once

#include "http_client.h"
#include "sync_pass.h"

#include "ksd/db.h"
#include "ksd/result.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace ksd::sync {

struct AgentSettings {
    SyncSettings sync;
    std::string db_path;
    std::string app_version;
    std::string pack_path; // the kiosk's pack; empty: no content downloads
    std::string public_key_path; // the key packs must be signed with
    int64_t heartbeat_s {5 * 60};
    int64_t content_check_s {30 * 60};
    int64_t idle_poll_s {5 * 60}; // when nothing is queued, updates are fetched this often
};

// The content version of the pack at path when it verifies with the key, else 0.
int64_t installed_content_version(std::string const& pack_path, std::string const& key_path);

// Sends the heartbeat (PROTOCOL.md). Returns an error when the server did not acknowledge it.
Result<void> send_heartbeat(Db& db, HttpClient& http, AgentSettings const& settings,
    std::string const& last_error, int64_t now);

enum class ContentOutcome { NotConfigured, NoneOnServer, UpToDate, Installed, Refused, Failed };
struct ContentReport {
    ContentOutcome outcome {ContentOutcome::NotConfigured};
    int64_t version {0};
    std::string message;
};

// device_state keys of the download: the SHA-256 the partial file belongs to, and the last
// pack refused (not downloaded again).
inline constexpr char const* download_sha_key = "sync.content.download_sha256";
inline constexpr char const* refused_sha_key = "sync.content.refused_sha256";

// Asks for the newest published pack and, when it is newer than the installed one, downloads
// it into pack_path + ".download" (resuming a partial file with Range and If-Range), checks size
// and SHA-256, and swaps it in with import_pack. One log line per decision.
ContentReport update_content(Db& db, HttpClient& http, AgentSettings const& settings);

// The daemon: a pass at start, at once when the kiosk queues a ticket (PRAGMA data_version
// polled every 500 ms), otherwise after the backoff or idle delay on the monotonic clock.
// Returns when stop becomes true.
int run_daemon(Db& db, HttpClient& http, AgentSettings const& settings,
    std::atomic<bool> const& stop, std::function<double()> const& unit_random);

// One pass, a content check and a heartbeat, as `--once` does. Exit status as ksd-sync's: 0
// done, 2 something left for a later retry, 3 a configuration error (see PassReport).
int run_once(Db& db, HttpClient& http, AgentSettings const& settings,
    std::function<double()> const& unit_random);

} // namespace ksd::sync
