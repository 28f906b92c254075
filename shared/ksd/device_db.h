// The kiosk device's own database (under /var/lib/ksd): state that must survive restarts.
// Shared by the kiosk and the sync agent; its schema grows by migrations (migrate.h).
#pragma once

#include "ksd/db.h"
#include "ksd/migrate.h"

#include <optional>
#include <span>
#include <string>

namespace ksd {

// All schema steps of the device database, oldest first.
std::span<Migration const> device_db_migrations();

// Opens (creating if needed) and migrates the device database with synchronous=FULL.
Result<Db> open_device_db(std::string const& path);

// device_state key the kiosk app writes while its screen is dark by the office hours: the Unix
// time it last said so (about once a minute), "" while the screen is lit. ksd-sync sends it in
// the heartbeat as screen_asleep_at (sync/PROTOCOL.md).
inline constexpr char const* screen_asleep_key = "kiosk.screen_asleep_at";

// A small key-value store for device state (shown content version, counters).
Result<std::optional<std::string>> get_state(Db&, std::string const& key);
Result<void> set_state(Db&, std::string const& key, std::string const& value);

} // namespace ksd
