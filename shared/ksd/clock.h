// Whether the wall clock can be believed. A Raspberry Pi has no real-time clock: until NTP
// (systemd-timesyncd) has synchronised it, the date may be 1970 or the last shutdown's.
#pragma once

namespace ksd {

// True when the kernel says the clock is synchronised (adjtimex: no STA_UNSYNC, no TIME_ERROR).
bool clock_synchronised();

} // namespace ksd
