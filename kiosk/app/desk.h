// The kiosk's ticket desk: saving a visitor's request, looking one up, printing a receipt, and
// what staff mode shows and does. The App talks to it through this interface; DeviceDesk is the
// real one over the device database (SQLite, synchronous=FULL), also used by the tests.
#pragma once

#include "ksd/disk.h"
#include "ksd/pack_import.h"
#include "ksd/queue_export.h"
#include "ksd/result.h"
#include "ksd/skm.h"
#include "ksd/staff_pin.h"
#include "ksd/ticket_qr.h"
#include "ksd/tickets.h"
#include "model/desk_view.h"
#include "model/screen_power.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiosk {

// Every call but has_printer() may block (SQLite waits up to 5 s for a lock; printing, Argon2id
// and imports take seconds): the App makes them on its worker thread only (effects.h), so one
// thread uses the database connection.
class Desk {
public:
    virtual ~Desk() = default;
    virtual DeskHealth health() = 0;
    virtual ksd::Result<TicketView> submit(ksd::TicketInput const&, ksd::WallClock) = 0;
    // nullopt: unknown code or a check that does not match (the same answer for both).
    virtual ksd::Result<std::optional<TicketView>> lookup(
        std::string const& code, std::string const& check)
        = 0;
    // The ticket just saved, read again (its delivery state changes when sync delivers it).
    virtual ksd::Result<std::optional<TicketView>> reread(std::string const& code) = 0;
    // Whether a receipt printer is configured; print() is offered only then.
    virtual bool has_printer() const = 0;
    // The QR code and its caption are the screen's (ksd::ticket_qr), so both hold the same.
    virtual ksd::Result<void> print(
        TicketView const&, ksd::TicketQr const&, ksd::Lang, std::string const& institution)
        = 0;
    virtual ksd::Result<ksd::PinAttempt> check_pin(std::string const& pin, int64_t now) = 0;
    // What staff mode shows. With a trusted clock, the quarantine counts as seen by staff from
    // now (quarantined tickets are purged only a retention period after that).
    virtual StaffInfo staff_info(ksd::WallClock now) = 0;
    // Staff release the quarantined tickets back to the queue ("Send held requests again").
    // Returns how many.
    virtual ksd::Result<int> requeue_held() = 0;
    virtual std::vector<ksd::PackCandidate> usb_packs() = 0;
    // Issue 14: writes the queue export onto the (first) USB stick mounted in usb_dirs, with the
    // keys ksd-sync stored (queue_export.h); and applies the acknowledgement files of this kiosk
    // found on the sticks (each checked; a refused one is named, the others still applied).
    virtual ksd::Result<ksd::ExportWritten> export_queue(ksd::WallClock now) = 0;
    virtual ksd::Result<UsbAcks> apply_usb_acks() = 0;
    // The meter is told the progress (and may stop the import: the kiosk shuts down).
    virtual ksd::Result<ksd::ImportedPack> import_pack(
        std::string const& path, int64_t current_version, ksd::ImportMeter const& meter)
        = 0;
    // Periodic work at rest: purging personal data after the retention time. Skipped while the
    // clock is not trusted: a clock in 2099 would purge tickets far too early.
    virtual void housekeeping(ksd::WallClock now) = 0;
    // Records that a frame was just presented (for the heartbeat's "last frame" field); the
    // caller limits it to about once a minute.
    virtual void note_frame(int64_t unix_seconds) = 0;
    // Records that the screen is dark by the office hours (Asleep, at unix_seconds; the caller
    // repeats it about once a minute while dark) or lit again (Awake), for the heartbeat's
    // screen_asleep_at field: the dashboard then says "Layar tidur", not "layar mati".
    virtual void note_screen(ScreenPower, int64_t unix_seconds) = 0;
    // The satisfaction survey's answers, saved durably (ksd::save_skm_response; issue 14).
    virtual ksd::Result<ksd::SkmResponse> save_survey(ksd::SkmInput const&, ksd::WallClock) = 0;
};

struct DeskConfig {
    std::string db_path; // the device database
    std::string kiosk_id;
    std::string printer_device; // empty: no printer
    int printer_columns {32};
    std::string pin_hash; // empty: staff mode cannot be unlocked
    std::vector<std::string> usb_dirs;
    std::string pack_path; // where imported packs go
    std::string public_key_path;
    int64_t retention_seconds {30 * 86400};
    ksd::Zone zone; // the office's: the receipt's time
};

// The real desk. The database is opened lazily and reopened after a failure, so a partition
// that comes back (or a disk that was freed) is used again without a restart.
std::unique_ptr<Desk> make_device_desk(DeskConfig);

} // namespace kiosk
