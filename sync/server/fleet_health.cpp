// A kiosk's state from its last heartbeat; see fleet_health.h.
#include "fleet_health.h"

#include "json_int.h"

#include <optional>

namespace ksd::server {

namespace {

std::optional<int64_t> integer(nlohmann::json const* hb, char const* key) {
    if (!hb || !hb->is_object() || !hb->contains(key))
        return std::nullopt;
    auto const& v = (*hb)[key];
    if (!json_integer_in(v, -max_json_integer, max_json_integer))
        return std::nullopt;
    return v.get<int64_t>();
}

} // namespace

KioskHealth classify_kiosk(HealthInput const& k, int64_t now, HealthThresholds const& limits) {
    KioskHealth h;
    nlohmann::json const* hb = k.heartbeat;
    h.clock_untrusted = k.last_heartbeat_at != 0 && hb && hb->is_object()
        && hb->contains("clock_trusted") && (*hb)["clock_trusted"].is_boolean()
        && !(*hb)["clock_trusted"].get<bool>();
    if (k.revoked_at != 0) {
        h.clock_untrusted = false; // no longer of interest
        h.state = KioskState::Revoked;
        h.since = k.revoked_at;
        return h;
    }
    if (k.last_heartbeat_at == 0) {
        h.state = KioskState::NeverSeen;
        h.since = k.created_at;
        return h;
    }
    if (now - k.last_heartbeat_at > limits.offline_after_s) {
        h.state = KioskState::Offline;
        h.since = k.last_heartbeat_at;
        return h;
    }
    // The frame's age is taken on the kiosk's own clock (sent_at - last_frame_at), so that a
    // kiosk whose clock is off by hours is not called dead; without sent_at, the server's.
    auto frame = integer(hb, "last_frame_at");
    if (!frame) {
        // The kiosk app writes it after its first frame: none means it never drew one.
        h.state = KioskState::ScreenDead;
        h.since = 0;
        return h;
    }
    int64_t sent = integer(hb, "sent_at").value_or(k.last_heartbeat_at);
    int64_t age = sent - *frame;
    // Dark by its office hours: the app renews the mark about once a minute while it sleeps, so
    // a fresh mark newer than the last frame means the kiosk is fine (PROTOCOL.md); a stale one
    // (the app stopped while dark) falls through to the frame's age below.
    if (auto asleep = integer(hb, "screen_asleep_at");
        asleep && *asleep >= *frame && sent - *asleep <= limits.screen_dead_after_s) {
        h.state = KioskState::ScreenAsleep;
        h.since = k.last_heartbeat_at - age;
        return h;
    }
    if (age > limits.screen_dead_after_s) {
        h.state = KioskState::ScreenDead;
        h.since = k.last_heartbeat_at - age;
        return h;
    }
    h.state = h.clock_untrusted ? KioskState::ClockUntrusted : KioskState::Online;
    h.since = k.last_heartbeat_at;
    return h;
}

int severity(KioskState s) {
    switch (s) {
    case KioskState::Offline:
        return 0;
    case KioskState::ScreenDead:
        return 1;
    case KioskState::NeverSeen:
        return 2;
    case KioskState::ClockUntrusted:
        return 3;
    case KioskState::Online:
        return 4;
    case KioskState::ScreenAsleep:
        return 5;
    case KioskState::Revoked:
        return 6;
    }
    return 7;
}

bool worse_than(KioskHealth const& a, KioskHealth const& b) {
    if (severity(a.state) != severity(b.state))
        return severity(a.state) < severity(b.state);
    // Within a problem, the older one first; a flagged clock before an unflagged one.
    if (a.since != b.since)
        return a.since < b.since;
    return a.clock_untrusted && !b.clock_untrusted;
}

char const* state_code(KioskState s) {
    switch (s) {
    case KioskState::Offline:
        return "offline";
    case KioskState::ScreenDead:
        return "screen_dead";
    case KioskState::NeverSeen:
        return "never_seen";
    case KioskState::ClockUntrusted:
        return "clock_untrusted";
    case KioskState::Online:
        return "online";
    case KioskState::ScreenAsleep:
        return "screen_asleep";
    case KioskState::Revoked:
        return "revoked";
    }
    return "unknown";
}

std::string state_words_en(KioskHealth const& h, std::string (*iso)(int64_t)) {
    std::string s;
    switch (h.state) {
    case KioskState::Offline:
        s = "offline since " + iso(h.since);
        break;
    case KioskState::ScreenDead:
        s = h.since ? "layar mati (screen dead) since " + iso(h.since)
                    : std::string("layar mati (screen dead): no frame reported");
        break;
    case KioskState::NeverSeen:
        s = "never seen (no heartbeat yet)";
        break;
    case KioskState::ClockUntrusted:
        s = "online, clock untrusted";
        break;
    case KioskState::Online:
        s = "online";
        break;
    case KioskState::ScreenAsleep:
        s = "layar tidur (screen asleep outside office hours) since " + iso(h.since);
        break;
    case KioskState::Revoked:
        s = "revoked " + iso(h.since);
        break;
    }
    if (h.clock_untrusted && h.state != KioskState::ClockUntrusted)
        s += ", clock untrusted";
    return s;
}

} // namespace ksd::server
