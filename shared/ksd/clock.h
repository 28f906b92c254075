// The device's clocks, read in this one place: whether the wall clock can be believed (a
// Raspberry Pi has no real-time clock: until NTP (systemd-timesyncd) has synchronised it, the date
// may be 1970 or the last shutdown's), and the boot clock that ages a ticket whatever the date.
#pragma once

#include <cstdint>
#include <string>

namespace ksd {

// True when the kernel says the clock is synchronised (adjtimex: no STA_UNSYNC, no TIME_ERROR).
bool clock_synchronised();

// CLOCK_BOOTTIME (milliseconds since boot, counting suspend; never set, never jumps) and the
// kernel's random id of this boot (/proc/sys/kernel/random/boot_id). Two readings are comparable
// only when their boot ids are equal. An empty boot_id means unknown: nothing can be compared.
struct BootClock {
    std::string boot_id;
    int64_t boottime_ms {0};
};

// Reads both (boot_id is read once per process: it cannot change while the process lives).
BootClock boot_clock_now();

// Whole seconds from `then` to `now` on the boot clock; -1 when they cannot be compared (another
// boot, an unknown boot id, or a negative difference).
int64_t boot_seconds_between(BootClock const& then, BootClock const& now);

} // namespace ksd
