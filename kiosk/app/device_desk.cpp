// The desk over the device database; see desk.h.
#include "app/desk.h"

#include "ksd/clock.h"
#include "ksd/content_pack.h"
#include "ksd/device_db.h"
#include "ksd/files.h"
#include "ksd/log.h"
#include "ksd/number.h"
#include "ksd/queue_export.h"
#include "ksd/receipt.h"
#include "ksd/skm.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>

namespace kiosk {

namespace {

TicketView view_of(ksd::Db& db, ksd::Ticket const& t) {
    TicketView v;
    v.code = t.code;
    v.created_at = t.created_at;
    v.clock_trusted = t.clock_trusted;
    v.state = t.state;
    v.acknowledged_at = t.acknowledged_at;
    v.topic = t.input.topic;
    v.server_status = t.server_status;
    v.staff_reply = t.staff_reply;
    v.referral = t.server_referral;
    v.server_received_at = t.server_received_at;
    v.server_made_at = t.server_made_at;
    v.server_made_at_estimated = t.server_made_at_estimated;
    if (auto replies = ksd::staff_replies(db, t.id); replies.ok())
        v.replies = std::move(replies.value());
    else
        ksd::log::warn("desk", "replies of ticket " + t.code + ": " + replies.error().message);
    // A ticket updated by an agent from before reply lists has only the latest reply.
    if (v.replies.empty() && !t.staff_reply.empty())
        v.replies.push_back({0, 0, "responder", t.staff_reply});
    return v;
}

int64_t to_int(std::optional<std::string> const& s) {
    return s ? ksd::parse_int<int64_t>(*s).value_or(0) : 0;
}

// The USB sticks mounted in the usb_dirs (each a folder in one of them: /media/LABEL), sorted.
std::vector<std::string> usb_sticks(std::vector<std::string> const& usb_dirs) {
    std::vector<std::string> out;
    for (auto const& d : usb_dirs) {
        std::error_code ec;
        std::filesystem::directory_iterator it(
            d, std::filesystem::directory_options::skip_permission_denied, ec);
        for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
            if (std::error_code e2; it->is_directory(e2))
                out.push_back(it->path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

class DeviceDesk final : public Desk {
public:
    explicit DeviceDesk(DeskConfig c)
        : m_config(std::move(c)) { }

    DeskHealth health() override {
        DeskHealth h;
        auto dir = std::filesystem::path(m_config.db_path).parent_path();
        auto space = ksd::disk_space(dir.empty() ? "." : dir.string());
        if (space.ok() && space->read_only) {
            h = {false, ksd::StorageProblem::ReadOnly, "the data partition is mounted read-only"};
        } else if (space.ok() && space->free_bytes < ksd::min_free_bytes_for_requests) {
            h = {false, ksd::StorageProblem::Full,
                "only " + std::to_string(space->free_bytes / 1024)
                    + " KiB free on the data "
                      "partition"};
        } else if (auto db = open(); !db.ok()) {
            h = {false, ksd::classify_storage_error(db.error()), db.error().message};
        }
        return h;
    }

    ksd::Result<TicketView> submit(ksd::TicketInput const& in, ksd::WallClock clock) override {
        TRY_VOID(open());
        // The boot clock is the real one even when the app runs on virtual time (scripts): the
        // agent ages the ticket against its own real reading of it (PROTOCOL.md, age_s).
        auto saved = ksd::save_ticket(*m_db, in, m_config.kiosk_id, clock, ksd::boot_clock_now());
        if (!saved.ok()) {
            // A connection that failed mid-commit is dropped; the next use reopens it.
            if (ksd::classify_storage_error(saved.error()) != ksd::StorageProblem::Other)
                m_db.reset();
            return saved.error();
        }
        return view_of(*m_db, saved.value());
    }

    ksd::Result<std::optional<TicketView>> lookup(
        std::string const& code, std::string const& check) override {
        TRY_VOID(open());
        TRY_RESULT(auto found, ksd::lookup_ticket(*m_db, code, check));
        if (!found)
            return std::optional<TicketView> {};
        return std::optional<TicketView> {view_of(*m_db, *found)};
    }

    ksd::Result<std::optional<TicketView>> reread(std::string const& code) override {
        TRY_VOID(open());
        TRY_RESULT(auto found, ksd::find_ticket_by_code(*m_db, code));
        if (!found)
            return std::optional<TicketView> {};
        return std::optional<TicketView> {view_of(*m_db, *found)};
    }

    bool has_printer() const override { return !m_config.printer_device.empty(); }

    ksd::Result<void> print(TicketView const& t, ksd::TicketQr const& qr, ksd::Lang lang,
        std::string const& institution) override {
        if (!has_printer())
            return ksd::make_error("no receipt printer configured");
        ksd::ReceiptInfo r;
        r.institution = institution;
        r.code = t.code;
        r.qr_data = qr.data;
        r.qr_caption = ksd::ticket_qr_caption(qr.kind, lang);
        r.created_at = t.created_at;
        r.clock_trusted = t.clock_trusted;
        r.delivered = t.state == ksd::DeliveryState::Acknowledged;
        r.lang = lang;
        r.zone = m_config.zone;
        r.columns = m_config.printer_columns;
        return ksd::print_to_device(m_config.printer_device, ksd::escpos_receipt(r));
    }

    ksd::Result<ksd::PinAttempt> check_pin(std::string const& pin, int64_t now) override {
        TRY_VOID(open());
        return ksd::check_staff_pin(*m_db, m_config.pin_hash, pin, now);
    }

    StaffInfo staff_info(ksd::WallClock now) override {
        StaffInfo info;
        info.device_id = m_config.kiosk_id;
        info.health = health();
        auto dir = std::filesystem::path(m_config.db_path).parent_path();
        if (auto space = ksd::disk_space(dir.empty() ? "." : dir.string()); space.ok())
            info.disk_free_bytes = space->free_bytes;
        if (auto db = open(); !db.ok()) {
            info.error = db.error().message;
            return info;
        }
        if (auto c = ksd::queue_counts(*m_db); c.ok())
            info.counts = c.value();
        else
            info.error = c.error().message;
        auto get = [&](char const* key) -> std::optional<std::string> {
            auto v = ksd::get_state(*m_db, key);
            return v.ok() ? v.value() : std::nullopt;
        };
        info.last_sync_result = get("sync.last_result").value_or("");
        info.last_sync_at = to_int(get("sync.last_attempt_at"));
        info.last_success_at = to_int(get("sync.last_success_at"));
        info.config_error = get("sync.config_error").value_or("");
        info.sync_warning = get("sync.warning").value_or("");
        if (auto held = ksd::quarantined_tickets(*m_db, 20); held.ok())
            info.held = std::move(held.value());
        if (now.trusted && info.counts.quarantined > 0) {
            if (auto seen = ksd::mark_quarantine_seen(*m_db, now.unix_seconds); !seen.ok())
                ksd::log::warn(
                    "desk", "cannot record that staff saw the quarantine: " + seen.error().message);
        }
        return info;
    }

    ksd::Result<int> requeue_held() override {
        TRY_VOID(open());
        TRY_RESULT(auto released, ksd::release_quarantined(*m_db));
        for (auto const& t : released)
            ksd::log::info("desk",
                "ticket " + t.code + " released by staff from quarantine (was: " + t.reason + ")");
        return static_cast<int>(released.size());
    }

    std::vector<ksd::PackCandidate> usb_packs() override {
        return ksd::find_pack_candidates(m_config.usb_dirs);
    }

    ksd::Result<ksd::ExportWritten> export_queue(ksd::WallClock now) override {
        TRY_VOID(open());
        TRY_RESULT(auto keys, ksd::load_usb_keys(*m_db));
        auto sticks = usb_sticks(m_config.usb_dirs);
        if (sticks.empty())
            return ksd::make_error("no USB stick found");
        return ksd::write_queue_export(*m_db, keys, sticks.front(), now, ksd::boot_clock_now());
    }

    ksd::Result<UsbAcks> apply_usb_acks() override {
        TRY_VOID(open());
        TRY_RESULT(auto keys, ksd::load_usb_keys(*m_db));
        UsbAcks out;
        std::string const prefix = "ksd-tanda-terima-" + keys.kiosk_id + "-";
        for (auto const& stick : usb_sticks(m_config.usb_dirs)) {
            std::error_code ec;
            std::vector<std::string> files;
            for (std::filesystem::directory_iterator it(stick, ec);
                 !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
                std::string const name = it->path().filename().string();
                // PREFIX + "YYYYMMDD-HHMMSS.ksda": not another kiosk's whose id starts with ours.
                if (name.starts_with(prefix)
                    && name.size() == prefix.size() + 15 + std::strlen(ksd::ack_extension)
                    && name.ends_with(ksd::ack_extension))
                    files.push_back(it->path().string());
            }
            std::sort(files.begin(), files.end());
            for (auto const& f : files) {
                ++out.files;
                auto bytes = ksd::read_file(f, 64u << 20);
                auto applied = bytes.ok() ? ksd::apply_queue_ack(*m_db, keys, *bytes)
                                          : ksd::Result<ksd::AckApplied>(bytes.error());
                if (!applied.ok()) {
                    out.refused.push_back(ksd::basename_of(f) + ": " + applied.error().message);
                    ksd::log::warn(
                        "desk", "acknowledgement " + f + " refused: " + applied.error().message);
                    continue;
                }
                out.acknowledged += applied->acknowledged;
                out.quarantined += applied->quarantined;
                out.already += applied->already;
                out.surveys += applied->surveys;
                ksd::log::info("desk",
                    "acknowledgement " + f + " applied: " + std::to_string(applied->acknowledged)
                        + " acknowledged");
            }
        }
        return out;
    }

    ksd::Result<ksd::ImportedPack> import_pack(
        std::string const& path, int64_t current_version, ksd::ImportMeter const& meter) override {
        TRY_RESULT(auto key, ksd::minisign::load_public_key(m_config.public_key_path));
        // Newer than what is shown and than what is already installed but not shown yet (a
        // pack ksd-sync or an earlier import put there): never a step back.
        if (auto installed = ksd::ContentPack::open(m_config.pack_path, key); installed.ok())
            current_version = std::max(current_version, installed->meta().content_version);
        return ksd::import_pack(path, m_config.pack_path, key, current_version, meter);
    }

    void housekeeping(ksd::WallClock now) override {
        if (!open().ok())
            return;
        // acknowledged_at is the server's time: judge by the server's time as the agent last
        // heard it in this boot (PROTOCOL.md, Time you can trust), else by a trusted clock only.
        int64_t purge_now = now.unix_seconds;
        auto heard = ksd::server_now(*m_db, ksd::boot_clock_now());
        if (heard.ok() && heard.value()) {
            purge_now = *heard.value();
        } else if (!now.trusted) {
            ksd::log::info("desk",
                "purge of personal data postponed: the clock is not synchronised and the "
                "server's time is not known in this boot");
            return;
        }
        auto purged = ksd::purge_personal_data(*m_db, purge_now, m_config.retention_seconds);
        if (!purged.ok())
            ksd::log::warn("desk", "purge of personal data: " + purged.error().message);
        else if (purged.value() > 0)
            ksd::log::info("desk",
                "personal data purged from " + std::to_string(purged.value()) + " ticket(s)");
    }

    void note_frame(int64_t unix_seconds) override {
        if (!open().ok())
            return;
        // The key ksd-sync reads for its heartbeat.
        if (auto r = ksd::set_state(*m_db, "kiosk.last_frame_at", std::to_string(unix_seconds));
            !r.ok())
            ksd::log::warn("desk", "cannot record the last frame time: " + r.error().message);
    }

    void note_screen(ScreenPower power, int64_t unix_seconds) override {
        if (!open().ok())
            return;
        // The key ksd-sync reads for its heartbeat; "" while the screen is lit.
        std::string value;
        switch (power) {
        case ScreenPower::Awake:
            break;
        case ScreenPower::Asleep:
            value = std::to_string(unix_seconds);
            break;
        }
        if (auto r = ksd::set_state(*m_db, ksd::screen_asleep_key, value); !r.ok())
            ksd::log::warn("desk", "cannot record the screen's sleep: " + r.error().message);
    }

    ksd::Result<ksd::SkmResponse> save_survey(
        ksd::SkmInput const& in, ksd::WallClock clock) override {
        TRY_VOID(open());
        auto saved = ksd::save_skm_response(*m_db, in, m_config.kiosk_id, clock);
        // As with tickets: a connection that failed mid-commit is dropped and reopened.
        if (!saved.ok() && ksd::classify_storage_error(saved.error()) != ksd::StorageProblem::Other)
            m_db.reset();
        return saved;
    }

private:
    ksd::Result<void> open() {
        if (m_db)
            return {};
        auto db = ksd::open_device_db(m_config.db_path);
        if (!db.ok()) {
            if (!m_open_failed)
                ksd::log::warn("desk", "device database unusable: " + db.error().message);
            m_open_failed = true;
            return db.error();
        }
        m_open_failed = false;
        m_db = std::make_unique<ksd::Db>(db.release_value());
        return {};
    }

    DeskConfig m_config;
    std::unique_ptr<ksd::Db> m_db;
    bool m_open_failed {false};
};

} // namespace

std::unique_ptr<Desk> make_device_desk(DeskConfig c) {
    return std::make_unique<DeviceDesk>(std::move(c));
}

} // namespace kiosk
