// Issue 10, a request's life on the server: status changes that only move forward, replies to the
// visitor (several, none overwritten), internal notes, assignment, the history of all of them, and
// canned replies. All their SQL is in store_events.cpp.
#pragma once

#include "store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ksd::server {

// Who acts: a staff user of the dashboard, or the command line (user_id 0, name "cli").
struct Actor {
    int64_t user_id {0};
    std::string name;
    std::string role; // "admin", "editor", "responder", "viewer", or "cli"
};
Actor cli_actor();

// Whether a status may move from `from` to `to`. Statuses move forward: Baru -> Diproses ->
// Menunggu tanggapan pemohon -> Selesai, and any open status -> Bukan kewenangan. Menunggu may go
// back to Diproses (the visitor answered and the work goes on, as in every helpdesk's "pending"
// state). Selesai and Bukan kewenangan are final: a visitor with a new question makes a new
// request at the kiosk. Staying on the same status is not a move.
enum class StatusMove { Allowed, Same, Backward, FromFinal };
StatusMove status_move(TicketStatus from, TicketStatus to);
bool is_final(TicketStatus);

enum class EventKind { Status, Reply, Note, Assign };
std::string_view event_kind_word(EventKind); // "status", "reply", "note", "assign"

// One entry of a request's history.
struct TicketEvent {
    int64_t id {0}; // for a reply: the reply id kiosks receive
    std::string ticket_id;
    int64_t at {0};
    int64_t user_id {0};
    std::string user_name;
    std::string author_role;
    EventKind kind {EventKind::Note};
    std::string from_status; // status: the words as stored (migrated history keeps old words)
    std::string to_status;
    std::string text; // reply or note text; status: the reason; assign: the assignee's name
    int64_t assignee_id {0}; // assign: the new assignee, 0 when unassigned
};

// Limits on what staff type (bytes of UTF-8); the kiosk shows replies on one screen.
inline constexpr size_t max_reply_bytes = 4000;
inline constexpr size_t max_note_bytes = 4000;
inline constexpr size_t max_reason_bytes = 400;
// Replies per request: every update of the request carries all of them (PROTOCOL.md).
inline constexpr int max_replies = 100;

// Changes the status of ticket id (its id, not its code). Refused with a message naming the
// problem: an unknown ticket, the same status, a backward move, a move from a final status,
// Bukan kewenangan without where the visitor should go (the reason), a reason over 400 bytes.
// The reason is kept in the history; for Bukan kewenangan it is also sent to the kiosk as the
// referral. The kiosk sees the change through the changes feed.
Result<void> set_status(Conn&, std::string const& id, TicketStatus to, Actor const&,
    std::string const& reason, int64_t now);

// Adds a reply to the visitor (trimmed; not empty, valid UTF-8, at most max_reply_bytes, at most
// max_replies per request). It becomes the ticket's staff_reply (the latest), sets first_reply_at
// when it is the first (the service level stops there), moves a Baru request to Diproses (recorded
// in the history as a status change by the same actor) and goes to the kiosk through the changes
// feed. Replies on a final request are allowed (a correction). Returns the reply's id.
Result<int64_t> add_reply(
    Conn&, std::string const& id, std::string const& text, Actor const&, int64_t now);

// Adds an internal note: kept in the history, never sent to a kiosk. Returns its id.
Result<int64_t> add_note(
    Conn&, std::string const& id, std::string const& text, Actor const&, int64_t now);

// Assigns ticket id to a staff user (assignee_id 0: to nobody); assignee_name is kept in the
// history as it was at that moment. The caller checks that the user exists and may respond.
// Assigning to whom it is assigned already is refused.
Result<void> assign(Conn&, std::string const& id, int64_t assignee_id,
    std::string const& assignee_name, Actor const&, int64_t now);

// The whole history of ticket id, oldest first; replies(): only its replies, oldest first.
Result<std::vector<TicketEvent>> history(Conn&, std::string const& id);
Result<std::vector<TicketEvent>> replies(Conn&, std::string const& id);

// A reply as the kiosk receives it (GET /api/v1/updates, `replies`).
struct ReplyOut {
    int64_t id {0};
    int64_t at {0};
    std::string text;
};
// The replies of ticket id with ids up to upto (a change's reply_upto), oldest first.
Result<std::vector<ReplyOut>> replies_upto(Conn&, std::string const& id, int64_t upto);

// Canned replies: texts staff pick to start a reply, in Indonesian and English. Editors and
// admins manage them (the web layer checks Permission::EditContent).
struct CannedReply {
    int64_t id {0};
    std::string title_id;
    std::string title_en; // may be empty: the Indonesian title is shown
    std::string text_id;
    std::string text_en; // may be empty: the Indonesian text is used
    int64_t updated_at {0};
    std::string updated_by;
};
// Empty when c may be stored, else what is wrong (Indonesian title and text required, sizes,
// UTF-8), naming the field.
std::string validate_canned(CannedReply const& c);
Result<std::vector<CannedReply>> list_canned(Conn&);
Result<std::optional<CannedReply>> find_canned(Conn&, int64_t id);
// Stores a new canned reply (its fields trimmed) and returns its id.
Result<int64_t> add_canned(Conn&, CannedReply const&, Actor const&, int64_t now);
// Replaces canned reply c.id; refused when it does not exist.
Result<void> update_canned(Conn&, CannedReply const& c, Actor const&, int64_t now);
Result<void> delete_canned(Conn&, int64_t id);

} // namespace ksd::server
