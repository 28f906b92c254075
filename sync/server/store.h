// The central server's database: kiosks and their hashed tokens, tickets (one row per id, enforced
// by the primary key), the change log that feeds each kiosk's updates, heartbeats, content packs.
#pragma once

#include "sla.h"

#include "sql.h"

#include "ksd/migrate.h"
#include "ksd/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ksd::server {

// A request's status as staff set it (issue 10): Baru -> Diproses -> Menunggu tanggapan pemohon
// (optional) -> Selesai, or Bukan kewenangan (with where the visitor should go instead). Which
// moves are allowed is in store_events.h (status_move). The Indonesian word is what is stored and
// what kiosks receive.
enum class TicketStatus { New, InProgress, WaitingForVisitor, Done, NotOurs };
std::string_view status_word(TicketStatus);
// Matches a status word case-insensitively.
std::optional<TicketStatus> parse_status(std::string_view);
// The words of every status in the order above; the first is what a new ticket gets.
std::vector<std::string> const& ticket_states();

bool is_valid_kiosk_id(std::string const&);
bool is_uuid(std::string const&);

// SHA-256 of bytes as lower-case hex.
std::string sha256_hex(std::string_view bytes);

// When a request was made by the server's reckoning (PROTOCOL.md): the kiosk's created_at when
// its clock was trusted, else received_at minus the age the kiosk reported (estimated), else
// received_at (estimated).
struct Made {
    int64_t at {0};
    bool estimated {false};
};

struct IngestResult {
    std::string id;
    std::string result; // "created", "duplicate", "conflict", "invalid"
    std::string reason; // for conflict and invalid
    int64_t received_at {0}; // created and duplicate: when the server first stored it
    std::string status; // created and duplicate: the ticket's current state
    Made made; // created and duplicate: of the stored ticket
};

// NOLINTBEGIN(bugprone-exception-escape): the implicit noexcept moves call nlohmann::json's
// noexcept move, which clang-tidy cannot see through (its invariant check may not throw).
struct KioskRow {
    std::string id;
    int64_t created_at {0};
    int64_t last_heartbeat_at {0}; // 0: never
    int64_t revoked_at {0}; // 0: not revoked
    nlohmann::json heartbeat; // the last heartbeat body as sent
};

struct TicketRow {
    nlohmann::json fields; // the 16 protocol fields
    int64_t received_at {0};
    std::string status;
    std::string staff_reply; // the latest reply (all of them: replies() in store_events.h)
    int64_t updated_at {0};
    int64_t assigned_to {0}; // a staff user's id; 0: nobody
    int64_t first_reply_at {0}; // when the first reply was given (the SLA stops); 0: not yet
    int64_t made_at {0}; // see Made
    bool made_at_estimated {false};
    int64_t age_s {-1}; // the age the kiosk reported at upload; -1: none (see PROTOCOL.md)
};
// NOLINTEND(bugprone-exception-escape)

struct ContentRow {
    int64_t version {0};
    std::string path;
    int64_t size {0};
    std::string sha256;
    std::string signature; // the .minisig text
    int64_t published_at {0};
};

// Opens (creating and migrating) the server database: a SQLite file in WAL with
// synchronous=FULL, or a PostgreSQL database by its postgresql:// URI (sql.h). A writer waits up
// to busy_timeout_ms for the write lock before failing with a busy error.
inline constexpr int default_busy_timeout_ms = 10000;
Result<Conn> open_store(std::string const& target, int busy_timeout_ms = default_busy_timeout_ms);
// Every schema step of the server database, oldest first (tests migrate old databases with them):
// SQLite's (store.cpp) and PostgreSQL's (store_schema_pg.cpp).
std::span<Migration const> store_migrations();
std::span<Migration const> pg_store_migrations();
// Whether an error means "try again shortly": SQLite busy or locked beyond the timeout, or on
// PostgreSQL a lock timeout, a serialization failure or a lost connection (sql.h): a transient
// overload, not a failure of the server.
bool is_busy(Error const&);

// Creates a kiosk and returns its bearer token "ID.SECRET"; only a hash of it is kept.
Result<std::string> add_kiosk(Conn&, std::string const& id, int64_t now);
// Revokes a kiosk's token: it is refused (401) from now on; its tickets are kept.
Result<void> revoke_kiosk(Conn&, std::string const& id, int64_t now);
// The kiosk id for a bearer token, or nullopt when it is not a valid one (unknown or revoked).
Result<std::optional<std::string>> authenticate(Conn&, std::string const& token);
Result<std::vector<KioskRow>> list_kiosks(Conn&);
Result<void> store_heartbeat(
    Conn&, std::string const& kiosk_id, nlohmann::json const&, int64_t now);

// Validates one ticket of an upload from kiosk_id: empty when valid, else the reason. A ticket
// naming another kiosk is invalid here; an upload refuses it whole first (names_other_kiosk).
std::string validate_ticket(nlohmann::json const& ticket, std::string const& kiosk_id);
// The kiosk_id a ticket names when it is a string other than the token's kiosk: the kiosk's
// configuration is wrong (device.id), and the whole upload is refused (403 kiosk_mismatch).
std::optional<std::string> names_other_kiosk(
    nlohmann::json const& ticket, std::string const& kiosk_id);
// Stores a batch of already validated tickets in one transaction. Each id is inserted with
// INSERT ... ON CONFLICT DO NOTHING; when nothing was inserted the stored row is compared by
// content hash: the same content is a duplicate (with the first result), other content a
// conflict (the stored row is kept). A ticket whose code another request holds is a conflict
// too: it is not stored, its claim is recorded and the code marked disputed. A new ticket's
// first reply is due by sla_due_at(now, sla).
Result<std::vector<IngestResult>> ingest(
    Conn&, std::vector<nlohmann::json> const& tickets, int64_t now, SlaRules const& sla);

struct Change {
    int64_t seq {0};
    std::string ticket_id;
    std::string code;
    std::string status;
    std::string staff_reply;
    int64_t at {0};
    int64_t reply_upto {0}; // the ticket's replies with ids up to this one belong to the change
    std::string referral; // Bukan kewenangan: where the visitor should go instead
    int64_t received_at {0}; // the ticket's, sent with every update (issue 11)
    Made made;
};
// Records that ticket id changed in a way its kiosk must see (a new ticket, its status, a reply):
// a row of the changes feed with the ticket's whole state at now. Inside the caller's transaction.
Result<void> log_change(Conn&, std::string const& id, int64_t now);
// Changes to kiosk_id's tickets with seq > since, oldest first, at most limit.
Result<std::vector<Change>> changes_since(
    Conn&, std::string const& kiosk_id, int64_t since, int limit);

// What the server holds of one kiosk, sent with its updates so that the kiosk notices a server
// restored from a backup (PROTOCOL.md): the database's identity, how many of the kiosk's
// tickets are stored and the highest of their sequences, the newest change of all kiosks, and
// whether the cursor `since` is one of this kiosk's changes (or 0).
struct Holdings {
    std::string db_id;
    int64_t tickets {0};
    int64_t max_sequence {0};
    int64_t latest_seq {0};
    bool cursor_known {true};
};
Result<Holdings> kiosk_holdings(Conn&, std::string const& kiosk_id, int64_t since);

// Staff: a ticket by id or code. A code claimed by more than one request (see ingest) is an
// error naming the ids: a staff command never acts on one of two requests by their code.
Result<std::optional<TicketRow>> find_ticket(Conn&, std::string const& id_or_code);
Result<std::vector<TicketRow>> list_tickets(Conn&);
// Replies, status changes, notes and assignment: store_events.h.

Result<std::optional<ContentRow>> latest_content(Conn&);
Result<void> add_content(Conn&, ContentRow const&);

} // namespace ksd::server
