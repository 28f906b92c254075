// Which kiosk needs a visit: a kiosk's state at `now` from its last heartbeat (online, offline
// since, screen dead, clock untrusted, revoked, never seen), and the fleet sorted worst first.
// Pure functions over stored rows; no SQL, no clock of their own.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ksd::server {

// The agent's default heartbeat interval (ksd-sync `sync.heartbeat_minutes` = 5). The server
// cannot know a kiosk's own setting, so offline is judged against this default.
inline constexpr int64_t heartbeat_interval_s = 5 * 60;
// Offline after this many intervals without a heartbeat: one lost to a short cut is normal.
inline constexpr int64_t offline_after_intervals = 3;
inline constexpr int64_t default_offline_after_s = heartbeat_interval_s * offline_after_intervals;
// The kiosk notes a presented frame at most once a minute and redraws its idle screen every 10 s.
inline constexpr int64_t default_screen_dead_after_s = 300;

// In order of urgency, worst first: the order of the fleet table.
enum class KioskState {
    Offline, // heartbeats stopped: no network, no power or the agent is down
    ScreenDead, // "layar mati": heartbeats arrive but the kiosk presents no frames
    NeverSeen, // enrolled, no heartbeat yet
    ClockUntrusted, // up, but its clock is not synchronised (ticket times are guesses)
    Online,
    // "layar tidur": dark by its office hours (power.office_hours), the app still turning
    ScreenAsleep,
    Revoked, // switched off on purpose: last
};

struct HealthThresholds {
    int64_t offline_after_s {default_offline_after_s};
    int64_t screen_dead_after_s {default_screen_dead_after_s};
};

// What the classifier reads of a kiosk (from KioskRow or a fleet row).
struct HealthInput {
    int64_t created_at {0};
    int64_t last_heartbeat_at {0}; // server time; 0: never
    int64_t revoked_at {0}; // 0: not revoked
    nlohmann::json const* heartbeat {nullptr}; // the last heartbeat as sent (may be null)
};

struct KioskHealth {
    KioskState state {KioskState::NeverSeen};
    // Offline: the last heartbeat. ScreenDead: the last frame in server time (0: the kiosk never
    // reported one). ScreenAsleep: the last frame in server time (about when the screen went
    // dark). NeverSeen: enrolment. Revoked: revocation. Others: the last heartbeat.
    int64_t since {0};
    // Also shown beside a worse state (a dead screen on a kiosk with an untrusted clock).
    bool clock_untrusted {false};
};

KioskHealth classify_kiosk(HealthInput const&, int64_t now, HealthThresholds const& = {});

// Rank for sorting: 0 is the worst.
int severity(KioskState);
// Worst first; within a state the longest-standing problem first (oldest `since`).
bool worse_than(KioskHealth const& a, KioskHealth const& b);

// Sorts any rows worst first by their health, then by key (name or id), stably.
template <typename Row, typename HealthOf, typename KeyOf>
void sort_worst_first(std::vector<Row>& rows, HealthOf health_of, KeyOf key_of);

// The state in English words for `ksd-server kiosk list`, e.g. "offline since
// 2026-11-30T02:15:00Z", "layar mati (screen dead) since ...", "online, clock untrusted".
// iso formats a time.
std::string state_words_en(KioskHealth const&, std::string (*iso)(int64_t));

// A code for templates and CSS ("offline", "screen_dead", ...), never shown as text.
char const* state_code(KioskState);

} // namespace ksd::server

#include <algorithm>

template <typename Row, typename HealthOf, typename KeyOf>
void ksd::server::sort_worst_first(std::vector<Row>& rows, HealthOf health_of, KeyOf key_of) {
    std::stable_sort(rows.begin(), rows.end(), [&](Row const& a, Row const& b) {
        auto const& ha = health_of(a);
        auto const& hb = health_of(b);
        if (worse_than(ha, hb))
            return true;
        if (worse_than(hb, ha))
            return false;
        return key_of(a) < key_of(b);
    });
}
