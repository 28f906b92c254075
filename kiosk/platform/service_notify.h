// The kiosk's side of the service manager (systemd's sd_notify): READY=1 after the first frame,
// WATCHDOG=1 from the render loop. Without NOTIFY_SOCKET (tests, a desktop) every call is a no-op.
#pragma once

#include <cstdint>

namespace kiosk::sdl {

// What the render loop tells the service manager: ServiceNotifier (systemd) below; tests record.
class LoopService {
public:
    virtual ~LoopService() = default;
    virtual void ready() = 0; // after the first frame
    virtual void status(char const* text) = 0; // what `systemctl status` shows
    virtual void feed(int64_t mono_ms) = 0; // every turn; WATCHDOG=1 when due
    virtual int wait_ms(int wanted_ms) const = 0; // the longest wait the watchdog allows
};

class ServiceNotifier final : public LoopService {
public:
    // Reads NOTIFY_SOCKET and WATCHDOG_USEC (WatchdogSec= of the unit) once, at start.
    static ServiceNotifier from_environment();

    // Once, after the first frame is on the screen: systemd then counts the start as done.
    void ready() override;
    // What the kiosk shows, for `systemctl status` (STATUS=); only sent when it changes.
    void status(char const* text) override;
    // Before leaving the loop, so a clean exit is not taken for a hang.
    void stopping();
    // Called on every turn of the render loop (mono_ms: the monotonic clock). Sends WATCHDOG=1
    // when a quarter of the interval has passed since the last one; nothing without a watchdog.
    void feed(int64_t mono_ms) override;
    // The longest the loop may wait for events: wanted_ms, cut to a quarter of the watchdog
    // interval so an idle kiosk (blocked on input) still feeds it in time.
    int wait_ms(int wanted_ms) const override;

    int64_t watchdog_interval_ms() const { return m_interval_ms; }

private:
    int64_t m_interval_ms {0}; // 0: no watchdog asked for
    int64_t m_last_feed_ms {-1};
    bool m_ready_sent {false};
    char const* m_status {nullptr};
};

} // namespace kiosk::sdl
