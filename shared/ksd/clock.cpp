// The device's clocks; see clock.h.
#include "ksd/clock.h"

#include <sys/timex.h>
#include <time.h>

#include <fstream>

namespace ksd {

bool clock_synchronised() {
    timex tx {};
    int state = ::adjtimex(&tx);
    return state != -1 && state != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
}

namespace {

std::string read_boot_id() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    // A UUID: 36 characters. Anything else (no /proc, a truncated read) is unknown.
    return id.size() == 36 ? id : std::string();
}

} // namespace

BootClock boot_clock_now() {
    static std::string const id = read_boot_id();
    timespec ts {};
    if (id.empty() || ::clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
        return {};
    return {id, int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000};
}

int64_t boot_seconds_between(BootClock const& then, BootClock const& now) {
    if (then.boot_id.empty() || then.boot_id != now.boot_id || now.boottime_ms < then.boottime_ms)
        return -1;
    return (now.boottime_ms - then.boottime_ms) / 1000;
}

} // namespace ksd
