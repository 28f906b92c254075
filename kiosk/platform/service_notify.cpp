// sd_notify calls of the kiosk; the only file that includes libsystemd.
#include "platform/service_notify.h"

#include "ksd/log.h"

#include <algorithm>
#include <string>
#include <systemd/sd-daemon.h>

namespace kiosk::sdl {

ServiceNotifier ServiceNotifier::from_environment() {
    ServiceNotifier n;
    uint64_t usec = 0;
    // > 0 only when WATCHDOG_USEC is set (and WATCHDOG_PID, if set, is this process).
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        n.m_interval_ms = std::max<int64_t>(int64_t(usec / 1000), 4);
        ksd::log::info("kiosk",
            "systemd watchdog every " + std::to_string(n.m_interval_ms)
                + " ms: fed from the render loop");
    }
    return n;
}

void ServiceNotifier::ready() {
    if (m_ready_sent)
        return;
    m_ready_sent = true;
    // < 0: the socket named by NOTIFY_SOCKET is unusable; 0: no NOTIFY_SOCKET (not under systemd).
    if (int rc = sd_notify(0, "READY=1"); rc < 0)
        ksd::log::warn("kiosk",
            "cannot tell systemd the kiosk is ready (sd_notify: " + std::to_string(rc) + ")");
}

void ServiceNotifier::status(char const* text) {
    if (m_status == text)
        return;
    m_status = text;
    sd_notifyf(0, "STATUS=%s", text);
}

void ServiceNotifier::stopping() {
    sd_notify(0, "STOPPING=1");
}

void ServiceNotifier::feed(int64_t mono_ms) {
    if (m_interval_ms == 0)
        return;
    if (m_last_feed_ms >= 0 && mono_ms - m_last_feed_ms < m_interval_ms / 4)
        return;
    m_last_feed_ms = mono_ms;
    sd_notify(0, "WATCHDOG=1");
}

int ServiceNotifier::wait_ms(int wanted_ms) const {
    if (m_interval_ms == 0)
        return wanted_ms;
    return int(std::min<int64_t>(wanted_ms, m_interval_ms / 4));
}

} // namespace kiosk::sdl
