// Consultation tickets on the device: created by the kiosk, delivered by the sync agent.
// A ticket is committed with synchronous=FULL before anyone is told it is saved; personal fields
// are purged (secure_delete + WAL checkpoint) a retention period after the server acknowledged it.
#pragma once

#include "ksd/clock.h"
#include "ksd/db.h"
#include "ksd/result.h"
#include "ksd/taxonomy.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksd {

enum class DeliveryState { Queued, Sending, Acknowledged, Quarantined };
std::string_view delivery_state_code(DeliveryState); // "queued", "sending", ...
std::optional<DeliveryState> parse_delivery_state(std::string_view);

// Whether the visitor asked, in a separate consent box, for replies by e-mail (issue 11). Never
// pre-set; only possible with an e-mail address.
enum class ReplyByEmail { No, Yes };

// What the visitor typed (already validated by the form).
struct TicketInput {
    std::string category; // who you are
    std::string topic;
    std::string sector; // may be empty
    std::string name;
    std::string phone; // E.164 (+628...) or empty
    std::string email; // or empty; at least one of phone and email
    std::string organisation; // may be empty
    std::string question;
    std::string consent_version;
    Lang lang {Lang::Id};
    ReplyByEmail email_replies {ReplyByEmail::No};
};

// Wall-clock time as the device knows it; a Pi has no RTC, so it may be wrong until NTP.
struct WallClock {
    int64_t unix_seconds {0};
    bool trusted {false};
};

struct Ticket {
    std::string id; // UUID v4, made on the device
    std::string code; // what the visitor keeps: "XXXXX-XXXXX"
    std::string kiosk_id;
    int64_t created_at {0};
    bool clock_trusted {false};
    int64_t sequence {0}; // grows by one per ticket on this device, whatever the clock says
    TicketInput input;
    DeliveryState state {DeliveryState::Queued};
    int attempts {0};
    int64_t next_attempt_at {0};
    std::string last_error;
    std::string server_status;
    std::string staff_reply; // the latest reply (all of them: staff_replies)
    int64_t acknowledged_at {0};
    bool personal_data_purged {false};
    std::string server_referral; // "Bukan kewenangan": where the visitor should go instead
    // The status lookup's check values as keyed hashes (ticket_check_hash); sent to the server
    // with the ticket so that its public status page can check without the raw contact data.
    std::string phone_check;
    std::string email_check;
    // Issue 11, dates from the server once delivered (0 before): when it received the ticket,
    // and when the request was made by the server's reckoning (the kiosk's own time when its
    // clock was trusted, else received_at minus the age the agent reported: then estimated).
    int64_t server_received_at {0};
    int64_t server_made_at {0};
    bool server_made_at_estimated {false};
    // When it was saved on the boot clock (clock.h): the agent reports the ticket's age from it
    // (`age_s`) when the device has not rebooted since. Empty boot id: unknown.
    BootClock saved_boot;
};

// A staff reply as the server sent it (GET /api/v1/updates, `replies`): the server's reply id,
// when it was written (server clock), who wrote it ("responder": the office's staff) and the text.
struct StaffReply {
    int64_t id {0};
    int64_t at {0};
    std::string role;
    std::string text;
};

// The check a visitor types to see a request's status: the last four digits of the phone
// number, or the whole e-mail address (trimmed, any case). Read from what was typed; nullopt
// when it is neither (so it cannot match anything).
enum class CheckKind { Phone, Email };
struct StatusCheck {
    CheckKind kind {CheckKind::Phone};
    std::string value; // four digits, or the lowercased e-mail
};
std::optional<StatusCheck> parse_status_check(std::string_view typed);
// The check values of a ticket's own contact data (empty value when there is none).
StatusCheck phone_check_value(std::string_view phone);
StatusCheck email_check_value(std::string_view email);
// BLAKE2b-256 of "kind:value" keyed with BLAKE2b-256 of the ticket id, as 64 hex digits; empty
// for an empty value. The kiosk stores it (phone_check, email_check) and sends it with the ticket;
// the server compares it with the hash of what a visitor types on the status page.
std::string ticket_check_hash(std::string_view ticket_id, StatusCheck const&);
// The check hash a ticket is judged by: the one its kiosk stored, or for a ticket stored without
// one (device schema before 3, or an upload from such a kiosk) the hash of the contact data still
// held: empty once that data is purged, and an empty hash matches nothing. Kiosk and server both
// judge by this one rule.
std::string effective_check_hash(std::string_view ticket_id, CheckKind kind,
    std::string_view stored_hash, std::string_view phone, std::string_view email);
// Constant-time comparison of a stored check hash with the one of what was typed; false when
// the stored one is empty.
bool check_hash_matches(std::string_view stored, std::string_view typed_hash);

// A random UUID v4 from libsodium's CSPRNG.
std::string generate_uuid_v4();

// Ticket codes: 10 characters of Crockford base32 (no I, L, O, U), shown as "XXXXX-XXXXX"; the
// last is a check character (Luhn mod 32) that catches every single wrong character and almost
// every swap of neighbours. 45 random bits: unique across kiosks without coordination (a clash
// among a million tickets has a chance of about 1 in 70; a status lookup also asks for the phone).
std::string generate_ticket_code();
// Reads a code as typed or spoken: case, spaces and dashes ignored, I/L read as 1 and O as 0.
// Returns the canonical form, or nullopt when it is not a valid code (wrong length, character or
// check).
std::optional<std::string> normalize_ticket_code(std::string_view typed);

// Saves a new ticket made at `clock` (wall) and `boot` (the boot clock, from which the agent
// reports its age; an empty boot id: no age will be reported). Returns the ticket only when its
// row is durably in the database: after an error on COMMIT (whose outcome is unknown) the row is
// looked up again by id.
Result<Ticket> save_ticket(Db&, TicketInput const&, std::string const& kiosk_id, WallClock clock,
    BootClock const& boot = {});

Result<std::optional<Ticket>> find_ticket_by_id(Db&, std::string const& id);
Result<std::optional<Ticket>> find_ticket_by_code(Db&, std::string const& code);

// The visitor's status lookup: the code as typed (normalize_ticket_code) and a check, either the
// last four digits of the phone number or the whole e-mail address (trimmed, any case). A ticket
// without a phone can only be found by its e-mail and the other way round. Unknown codes and
// wrong checks give the same answer, nullopt. Works after purge_personal_data: the ticket keeps
// keyed hashes (BLAKE2b keyed with its id) of the last four digits and of the lowercased e-mail.
// Four digits are easy to guess, so the 45-bit code is the secret; callers should slow down
// repeated failures.
Result<std::optional<Ticket>> lookup_ticket(Db&, std::string_view code, std::string_view check);

// Marks a ticket acknowledged by the server at the given time (the server's time, PROTOCOL.md).
Result<void> mark_acknowledged(Db&, std::string const& id, int64_t now);

// The server's clock as the device last heard it: the agent records the `server_time` of each of
// the server's own answers with the boot clock's reading at that moment (device_state key
// server_clock_key). acknowledged_at is server time, so the purge asks for server time too.
inline constexpr char const* server_clock_key = "sync.server_clock";
Result<void> remember_server_time(Db&, int64_t server_time, BootClock const& at);
// The server's time now by the last answer heard in this boot and the boot clock since; nullopt
// when none was heard in this boot (after a reboot the boot clock starts again).
Result<std::optional<int64_t>> server_now(Db&, BootClock const& now);

// Blanks name, phone, e-mail, organisation and question of tickets acknowledged more than
// retention_seconds before now (and of quarantined tickets that staff saw that long ago: one
// nobody has seen yet is kept, staff may still release it), with secure_delete so the bytes are
// overwritten, then checkpoints the WAL (TRUNCATE) so no copy stays in the -wal file. Returns
// how many.
Result<int> purge_personal_data(Db&, int64_t now, int64_t retention_seconds);

// A ticket in quarantine as staff see it: its code and why (never personal data).
struct HeldTicket {
    std::string code;
    std::string reason; // last_error
    int64_t created_at {0};
};
// The quarantined tickets, oldest first, at most limit.
Result<std::vector<HeldTicket>> quarantined_tickets(Db&, int limit);
// Records that staff saw the quarantine now (the staff screen, `ksd-sync status`): tickets not
// seen before get quarantine_seen_at = now. Returns how many.
Result<int> mark_quarantine_seen(Db&, int64_t now);
// Staff release every quarantined ticket back to the queue: due at once, attempts reset, the
// reason cleared (returned, for the log). Returns what was released.
Result<std::vector<HeldTicket>> release_quarantined(Db&);

struct QueueCounts {
    int queued {0};
    int sending {0};
    int acknowledged {0};
    int quarantined {0};
    int64_t oldest_unsent_created_at {0}; // 0 when nothing waits
};
Result<QueueCounts> queue_counts(Db&);

// Replaces the replies kept for ticket_id with `replies`, the ticket's whole list as of one update
// from the server (keyed by the server's reply id; applying the same list again changes nothing).
// Inside the caller's transaction; the caller checks that the ticket is this device's.
Result<void> store_staff_replies(
    Db&, std::string const& ticket_id, std::vector<StaffReply> const& replies);
// The replies kept for ticket_id, oldest first.
Result<std::vector<StaffReply>> staff_replies(Db&, std::string const& ticket_id);

} // namespace ksd
