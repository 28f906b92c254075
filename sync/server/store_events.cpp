// A request's life on the server (see store_events.h): statuses, replies, notes, assignment,
// history and canned replies, each change in one transaction with its history entry.
#include "store_events.h"
#include "store_outbox.h"

#include "ksd/utf8.h"

namespace ksd::server {

namespace {

enum class Required { Yes, No };

// Staff text as stored: line ends as "\n", surrounding white space trimmed, valid UTF-8 without
// control characters other than line feed and tab, at most max bytes. An error names `what`.
Result<std::string> clean_text(
    std::string_view what, std::string const& text, size_t max, Required required) {
    std::string s;
    s.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            continue;
        s += text[i];
    }
    auto const blank = " \t\n\r";
    auto first = s.find_first_not_of(blank);
    s = first == std::string::npos ? std::string()
                                   : s.substr(first, s.find_last_not_of(blank) - first + 1);
    if (s.empty() && required == Required::Yes)
        return make_error(std::string(what) + ": must not be empty");
    if (auto bad = utf8::first_invalid(s))
        return make_error(std::string(what) + ": not valid UTF-8 at byte " + std::to_string(*bad));
    for (size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            return make_error(
                std::string(what) + ": a control character at byte " + std::to_string(i));
    }
    if (s.size() > max)
        return make_error(std::string(what) + ": " + std::to_string(s.size()) + " bytes, at most "
            + std::to_string(max) + " allowed");
    return s;
}

std::optional<EventKind> parse_kind(std::string_view word) {
    for (auto k : {EventKind::Status, EventKind::Reply, EventKind::Note, EventKind::Assign})
        if (event_kind_word(k) == word)
            return k;
    return std::nullopt;
}

Result<int64_t> insert_event(Conn& db, TicketEvent const& e) {
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO ticket_events(ticket_id, at, user_id, user_name, author_role, "
                   "kind, from_status, to_status, text, assignee_id) VALUES "
                   "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id"));
    st.bind_all(e.ticket_id, e.at, e.user_id, e.user_name, e.author_role, event_kind_word(e.kind),
        e.from_status, e.to_status, e.text, e.assignee_id);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return make_error("INSERT ... RETURNING id gave no row");
    return st.column_int64(0);
}

TicketEvent event_of(std::string const& id, EventKind kind, Actor const& who, int64_t now) {
    TicketEvent e;
    e.ticket_id = id;
    e.at = now;
    e.user_id = who.user_id;
    e.user_name = who.name;
    e.author_role = who.role;
    e.kind = kind;
    return e;
}

// The ticket's status word, or an error naming the id when there is no such ticket.
Result<std::string> current_status(Conn& db, std::string const& id) {
    TRY_RESULT(auto st, db.prepare("SELECT status FROM tickets WHERE id = ?1"));
    st.bind(1, id);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return make_error("no ticket " + id);
    return st.column_text(0);
}

Result<void> update_status(Conn& db, std::string const& id, TicketStatus to, int64_t now) {
    TRY_RESULT(
        auto st, db.prepare("UPDATE tickets SET status = ?2, updated_at = ?3 WHERE id = ?1"));
    st.bind_all(id, status_word(to), now);
    return st.run();
}

Result<std::vector<TicketEvent>> read_events(Stmt& st) {
    std::vector<TicketEvent> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        TicketEvent e;
        e.id = st.column_int64(0);
        e.ticket_id = st.column_text(1);
        e.at = st.column_int64(2);
        e.user_id = st.column_int64(3);
        e.user_name = st.column_text(4);
        e.author_role = st.column_text(5);
        auto kind = parse_kind(st.column_text(6));
        if (!kind)
            return make_error("ticket_events row " + std::to_string(e.id) + " has an unknown kind");
        e.kind = *kind;
        e.from_status = st.column_text(7);
        e.to_status = st.column_text(8);
        e.text = st.column_text(9);
        e.assignee_id = st.column_int64(10);
        out.push_back(std::move(e));
    }
    return out;
}

constexpr char const* event_columns = "SELECT id, ticket_id, at, user_id, user_name, author_role, "
                                      "kind, from_status, to_status, text, assignee_id "
                                      "FROM ticket_events WHERE ticket_id = ?1";

} // namespace

Actor cli_actor() {
    return Actor {0, "cli", "cli"};
}

bool is_final(TicketStatus s) {
    switch (s) {
    case TicketStatus::New:
    case TicketStatus::InProgress:
    case TicketStatus::WaitingForVisitor:
        return false;
    case TicketStatus::Done:
    case TicketStatus::NotOurs:
        return true;
    }
    return false;
}

StatusMove status_move(TicketStatus from, TicketStatus to) {
    if (from == to)
        return StatusMove::Same;
    if (is_final(from))
        return StatusMove::FromFinal;
    switch (to) {
    case TicketStatus::New:
        return StatusMove::Backward;
    case TicketStatus::InProgress: // also back to work after waiting for the visitor
    case TicketStatus::WaitingForVisitor:
    case TicketStatus::Done:
    case TicketStatus::NotOurs:
        return StatusMove::Allowed;
    }
    return StatusMove::Backward;
}

std::string_view event_kind_word(EventKind k) {
    switch (k) {
    case EventKind::Status:
        return "status";
    case EventKind::Reply:
        return "reply";
    case EventKind::Note:
        return "note";
    case EventKind::Assign:
        return "assign";
    }
    return "note";
}

Result<void> set_status(Conn& db, std::string const& id, TicketStatus to, Actor const& who,
    std::string const& reason, int64_t now) {
    TRY_RESULT(auto why, clean_text("reason", reason, max_reason_bytes, Required::No));
    if (to == TicketStatus::NotOurs && why.empty())
        return make_error(std::string(status_word(to))
            + " needs where the visitor should go instead (e.g. SP4N-LAPOR!) as the reason");
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_RESULT(auto word, current_status(db, id));
    auto from = parse_status(word);
    if (!from)
        return make_error("ticket " + id + " has an unknown status '" + word + "'");
    switch (status_move(*from, to)) {
    case StatusMove::Allowed:
        break;
    case StatusMove::Same:
        return make_error("ticket " + id + " is already '" + word + "'");
    case StatusMove::Backward:
        return make_error("ticket " + id + ": cannot move from '" + word + "' back to '"
            + std::string(status_word(to)) + "' (statuses only move forward)");
    case StatusMove::FromFinal:
        return make_error("ticket " + id + ": '" + word
            + "' is final; a visitor with a new question makes a new request");
    }
    TRY_VOID(update_status(db, id, to, now));
    auto e = event_of(id, EventKind::Status, who, now);
    e.from_status = word;
    e.to_status = status_word(to);
    e.text = why;
    TRY_RESULT(int64_t event_id, insert_event(db, e));
    if (is_final(to)) {
        // Issue 11: the retention period starts here; the visitor hears of it (outbox), in this
        // same transaction so that no closing goes unannounced and none is announced twice.
        TRY_VOID(mark_closed(db, id, now));
        TRY_VOID(enqueue_notifications(db, id, NotifyEvent::Closed, event_id, now));
    }
    TRY_VOID(log_change(db, id, now));
    return tx.commit();
}

Result<int64_t> add_reply(
    Conn& db, std::string const& id, std::string const& text, Actor const& who, int64_t now) {
    TRY_RESULT(auto body, clean_text("reply", text, max_reply_bytes, Required::Yes));
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_RESULT(auto word, current_status(db, id));
    TRY_RESULT(auto count,
        db.prepare("SELECT count(*) FROM ticket_events WHERE ticket_id = ?1 AND kind = 'reply'"));
    count.bind(1, id);
    TRY_VOID(count.step());
    if (count.column_int64(0) >= max_replies)
        return make_error("ticket " + id + " has " + std::to_string(max_replies)
            + " replies already, the most one request can hold; write a note instead");
    auto e = event_of(id, EventKind::Reply, who, now);
    e.text = body;
    TRY_RESULT(int64_t reply_id, insert_event(db, e));
    if (parse_status(word) == TicketStatus::New) {
        // Answered means being worked on: the inbox's "new" no longer counts it.
        TRY_VOID(update_status(db, id, TicketStatus::InProgress, now));
        auto moved = event_of(id, EventKind::Status, who, now);
        moved.from_status = word;
        moved.to_status = status_word(TicketStatus::InProgress);
        TRY_VOID(insert_event(db, moved));
    }
    TRY_RESULT(auto st,
        db.prepare("UPDATE tickets SET staff_reply = ?2, updated_at = ?3, first_reply_at = CASE "
                   "WHEN first_reply_at = 0 THEN ?3 ELSE first_reply_at END WHERE id = ?1"));
    st.bind_all(id, body, now);
    TRY_VOID(st.run());
    // Issue 11: the e-mail and webhook of this reply, committed with it.
    TRY_VOID(enqueue_notifications(db, id, NotifyEvent::Reply, reply_id, now));
    TRY_VOID(log_change(db, id, now));
    TRY_VOID(tx.commit());
    return reply_id;
}

Result<int64_t> add_note(
    Conn& db, std::string const& id, std::string const& text, Actor const& who, int64_t now) {
    TRY_RESULT(auto body, clean_text("note", text, max_note_bytes, Required::Yes));
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_VOID(current_status(db, id));
    auto e = event_of(id, EventKind::Note, who, now);
    e.text = body;
    TRY_RESULT(int64_t note_id, insert_event(db, e));
    TRY_VOID(tx.commit());
    return note_id;
}

Result<void> assign(Conn& db, std::string const& id, int64_t assignee_id,
    std::string const& assignee_name, Actor const& who, int64_t now) {
    if (assignee_id < 0)
        return make_error("assignee: not a user id: " + std::to_string(assignee_id));
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_RESULT(auto st, db.prepare("SELECT assigned_to FROM tickets WHERE id = ?1"));
    st.bind(1, id);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return make_error("no ticket " + id);
    if (st.column_int64(0) == assignee_id)
        return make_error(assignee_id == 0
                ? "ticket " + id + " is assigned to nobody already"
                : "ticket " + id + " is assigned to " + assignee_name + " already");
    TRY_RESULT(auto upd, db.prepare("UPDATE tickets SET assigned_to = ?2 WHERE id = ?1"));
    upd.bind_all(id, assignee_id);
    TRY_VOID(upd.run());
    auto e = event_of(id, EventKind::Assign, who, now);
    e.assignee_id = assignee_id;
    e.text = assignee_id == 0 ? std::string() : assignee_name;
    TRY_VOID(insert_event(db, e));
    return tx.commit();
}

Result<std::vector<TicketEvent>> history(Conn& db, std::string const& id) {
    TRY_RESULT(auto st, db.prepare(std::string(event_columns) + " ORDER BY id"));
    st.bind(1, id);
    return read_events(st);
}

Result<std::vector<TicketEvent>> replies(Conn& db, std::string const& id) {
    TRY_RESULT(auto st, db.prepare(std::string(event_columns) + " AND kind = 'reply' ORDER BY id"));
    st.bind(1, id);
    return read_events(st);
}

Result<std::vector<ReplyOut>> replies_upto(Conn& db, std::string const& id, int64_t upto) {
    TRY_RESULT(auto st,
        db.prepare("SELECT id, at, text FROM ticket_events WHERE ticket_id = ?1 AND "
                   "kind = 'reply' AND id <= ?2 ORDER BY id"));
    st.bind_all(id, upto);
    std::vector<ReplyOut> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_int64(0), st.column_int64(1), st.column_text(2)});
    }
    return out;
}

std::string validate_canned(CannedReply const& c) {
    struct Field {
        char const* name;
        std::string const& value;
        size_t max;
        Required required;
    };
    Field const fields[] = {{"title_id", c.title_id, 200, Required::Yes},
        {"title_en", c.title_en, 200, Required::No},
        {"text_id", c.text_id, max_reply_bytes, Required::Yes},
        {"text_en", c.text_en, max_reply_bytes, Required::No}};
    for (auto const& f : fields)
        if (auto r = clean_text(f.name, f.value, f.max, f.required); !r)
            return r.error().message;
    return {};
}

namespace {

Result<CannedReply> cleaned(CannedReply const& c) {
    if (auto problem = validate_canned(c); !problem.empty())
        return make_error(problem);
    CannedReply out = c;
    // validate_canned accepted every field, so each clean_text succeeds.
    out.title_id = *clean_text("title_id", c.title_id, 200, Required::Yes);
    out.title_en = *clean_text("title_en", c.title_en, 200, Required::No);
    out.text_id = *clean_text("text_id", c.text_id, max_reply_bytes, Required::Yes);
    out.text_en = *clean_text("text_en", c.text_en, max_reply_bytes, Required::No);
    return out;
}

} // namespace

Result<std::vector<CannedReply>> list_canned(Conn& db) {
    TRY_RESULT(auto st,
        db.prepare("SELECT id, title_id, title_en, text_id, text_en, updated_at, updated_by "
                   "FROM canned_replies ORDER BY lower(title_id), id"));
    std::vector<CannedReply> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_int64(0), st.column_text(1), st.column_text(2), st.column_text(3),
            st.column_text(4), st.column_int64(5), st.column_text(6)});
    }
    return out;
}

Result<std::optional<CannedReply>> find_canned(Conn& db, int64_t id) {
    TRY_RESULT(auto st,
        db.prepare("SELECT id, title_id, title_en, text_id, text_en, updated_at, updated_by "
                   "FROM canned_replies WHERE id = ?1"));
    st.bind(1, id);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<CannedReply> {};
    return std::optional<CannedReply> {
        CannedReply {st.column_int64(0), st.column_text(1), st.column_text(2), st.column_text(3),
            st.column_text(4), st.column_int64(5), st.column_text(6)}};
}

Result<int64_t> add_canned(Conn& db, CannedReply const& c, Actor const& who, int64_t now) {
    TRY_RESULT(auto clean, cleaned(c));
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO canned_replies(title_id, title_en, text_id, text_en, updated_at, "
                   "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id"));
    st.bind_all(clean.title_id, clean.title_en, clean.text_id, clean.text_en, now, who.name);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return make_error("INSERT ... RETURNING id gave no row");
    return st.column_int64(0);
}

Result<void> update_canned(Conn& db, CannedReply const& c, Actor const& who, int64_t now) {
    TRY_RESULT(auto clean, cleaned(c));
    TRY_RESULT(auto st,
        db.prepare("UPDATE canned_replies SET title_id = ?2, title_en = ?3, text_id = ?4, "
                   "text_en = ?5, updated_at = ?6, updated_by = ?7 WHERE id = ?1"));
    st.bind_all(c.id, clean.title_id, clean.title_en, clean.text_id, clean.text_en, now, who.name);
    TRY_VOID(st.run());
    if (db.changes() != 1)
        return make_error("no canned reply " + std::to_string(c.id));
    return {};
}

Result<void> delete_canned(Conn& db, int64_t id) {
    TRY_RESULT(auto st, db.prepare("DELETE FROM canned_replies WHERE id = ?1"));
    st.bind(1, id);
    TRY_VOID(st.run());
    if (db.changes() != 1)
        return make_error("no canned reply " + std::to_string(id));
    return {};
}

} // namespace ksd::server
