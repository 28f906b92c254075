// The notification outbox and the retention purge (see store_outbox.h): their SQL.
#include "store_outbox.h"

namespace ksd::server {

namespace {

std::optional<Channel> parse_channel(std::string_view w) {
    for (auto c : {Channel::Mail, Channel::Webhook})
        if (channel_word(c) == w)
            return c;
    return std::nullopt;
}

std::optional<NotifyEvent> parse_event(std::string_view w) {
    for (auto e : {NotifyEvent::Reply, NotifyEvent::Closed})
        if (notify_event_word(e) == w)
            return e;
    return std::nullopt;
}

std::optional<OutboxState> parse_state(std::string_view w) {
    for (auto s : {OutboxState::Pending, OutboxState::Sent, OutboxState::Failed})
        if (outbox_state_word(s) == w)
            return s;
    return std::nullopt;
}

constexpr char const* item_columns = "SELECT id, ticket_id, channel, event, event_id, status, "
                                     "created_at, state, attempts, next_at, last_error, done_at "
                                     "FROM outbox ";

Result<OutboxItem> read_item(Stmt& st) {
    OutboxItem o;
    o.id = st.column_int64(0);
    o.ticket_id = st.column_text(1);
    auto channel = parse_channel(st.column_text(2));
    auto event = parse_event(st.column_text(3));
    auto state = parse_state(st.column_text(7));
    if (!channel || !event || !state)
        return make_error("outbox row " + std::to_string(o.id) + " has an unknown word");
    o.channel = *channel;
    o.event = *event;
    o.event_id = st.column_int64(4);
    o.status = st.column_text(5);
    o.created_at = st.column_int64(6);
    o.state = *state;
    o.attempts = st.column_int(8);
    o.next_at = st.column_int64(9);
    o.last_error = st.column_text(10);
    o.done_at = st.column_int64(11);
    return o;
}

Result<void> update_row(Conn& db, int64_t id, OutboxState state, std::string const& error,
    int64_t next_at, int64_t done_at) {
    TRY_RESULT(auto st,
        db.prepare("UPDATE outbox SET state = ?2, attempts = attempts + 1, last_error = ?3, "
                   "next_at = ?4, done_at = ?5 WHERE id = ?1"));
    st.bind_all(id, outbox_state_word(state), error, next_at, done_at);
    TRY_VOID(st.run());
    if (db.changes() != 1)
        return make_error("no outbox row " + std::to_string(id));
    return {};
}

} // namespace

std::string_view channel_word(Channel c) {
    switch (c) {
    case Channel::Mail:
        return "mail";
    case Channel::Webhook:
        return "webhook";
    }
    return "mail";
}

std::string_view notify_event_word(NotifyEvent e) {
    switch (e) {
    case NotifyEvent::Reply:
        return "reply";
    case NotifyEvent::Closed:
        return "closed";
    }
    return "reply";
}

std::string_view outbox_state_word(OutboxState s) {
    switch (s) {
    case OutboxState::Pending:
        return "pending";
    case OutboxState::Sent:
        return "sent";
    case OutboxState::Failed:
        return "failed";
    }
    return "pending";
}

Result<void> enqueue_notifications(
    Conn& db, std::string const& ticket_id, NotifyEvent event, int64_t event_id, int64_t now) {
    // Only with the visitor's consent (the kiosk sends email_replies only with an address).
    TRY_RESULT(auto mail,
        db.prepare("INSERT INTO outbox(ticket_id, channel, event, event_id, status, created_at, "
                   "next_at) SELECT id, 'mail', ?2, ?3, status, ?4, ?4 FROM tickets WHERE id = ?1 "
                   "AND email_replies = 1 AND email != '' AND personal_purged_at = 0"));
    mail.bind_all(ticket_id, notify_event_word(event), event_id, now);
    TRY_VOID(mail.run());
    TRY_RESULT(auto hook,
        db.prepare("INSERT INTO outbox(ticket_id, channel, event, event_id, status, created_at, "
                   "next_at) SELECT id, 'webhook', ?2, ?3, status, ?4, ?4 FROM tickets "
                   "WHERE id = ?1"));
    hook.bind_all(ticket_id, notify_event_word(event), event_id, now);
    return hook.run();
}

Result<std::optional<OutboxItem>> next_due(Conn& db, int64_t now, bool mail_on, bool webhook_on) {
    if (!mail_on && !webhook_on)
        return std::optional<OutboxItem> {};
    TRY_RESULT(auto st,
        db.prepare(std::string(item_columns)
            + "WHERE state = 'pending' AND next_at <= ?1 AND channel IN (?2, ?3) "
              "ORDER BY next_at, id LIMIT 1"));
    st.bind_all(now, mail_on ? "mail" : "", webhook_on ? "webhook" : "");
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<OutboxItem> {};
    TRY_RESULT(auto item, read_item(st));
    return std::optional<OutboxItem> {std::move(item)};
}

Result<std::vector<OutboxItem>> outbox_of_ticket(Conn& db, std::string const& ticket_id) {
    TRY_RESULT(auto st, db.prepare(std::string(item_columns) + "WHERE ticket_id = ?1 ORDER BY id"));
    st.bind(1, ticket_id);
    std::vector<OutboxItem> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        TRY_RESULT(auto item, read_item(st));
        out.push_back(std::move(item));
    }
    return out;
}

Result<int> drop_pending(Conn& db, Channel c) {
    // Looked up first: called every pass, it takes the write lock only when there is work.
    TRY_RESULT(auto any,
        db.prepare("SELECT 1 FROM outbox WHERE state = 'pending' AND channel = ?1 LIMIT 1"));
    any.bind(1, channel_word(c));
    TRY_RESULT(bool found, any.step());
    if (!found)
        return 0;
    TRY_RESULT(auto st, db.prepare("DELETE FROM outbox WHERE state = 'pending' AND channel = ?1"));
    st.bind(1, channel_word(c));
    TRY_VOID(st.run());
    return db.changes();
}

Result<void> mark_sent(Conn& db, int64_t id, int64_t now) {
    return update_row(db, id, OutboxState::Sent, "", 0, now);
}

Result<void> mark_retry(Conn& db, int64_t id, std::string const& error, int64_t next_at) {
    return update_row(db, id, OutboxState::Pending, error, next_at, 0);
}

Result<void> mark_failed(Conn& db, int64_t id, std::string const& error, int64_t now) {
    return update_row(db, id, OutboxState::Failed, error, 0, now);
}

Result<NotifyContent> notify_content(Conn& db, OutboxItem const& o) {
    TRY_RESULT(auto st,
        db.prepare("SELECT t.code, t.lang, t.email, t.phone, e.text, e.at FROM tickets t "
                   "JOIN ticket_events e ON e.ticket_id = t.id WHERE t.id = ?1 AND e.id = ?2"));
    st.bind_all(o.ticket_id, o.event_id);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return make_error("outbox row " + std::to_string(o.id) + ": ticket " + o.ticket_id
            + " or its event " + std::to_string(o.event_id) + " is gone");
    return NotifyContent {st.column_text(0), st.column_text(1), st.column_text(2),
        st.column_text(3), st.column_text(4), st.column_int64(5)};
}

Result<void> mark_closed(Conn& db, std::string const& ticket_id, int64_t now) {
    TRY_RESULT(auto st, db.prepare("UPDATE tickets SET closed_at = ?2 WHERE id = ?1"));
    st.bind_all(ticket_id, now);
    return st.run();
}

Result<PurgeCounts> purge_personal_data(Conn& db, int64_t now, int64_t retention_s) {
    bool const sqlite = db.engine() == Engine::Sqlite;
    // Freed bytes (the old row, index and full-text pages) are overwritten with zeros.
    if (sqlite)
        TRY_VOID(db.exec("PRAGMA secure_delete = ON"));
    PurgeCounts counts;
    {
        TRY_RESULT(auto tx, Tx::begin(db));
        TRY_RESULT(auto due,
            db.prepare("SELECT id FROM tickets WHERE closed_at > 0 AND closed_at <= ?1 "
                       "AND personal_purged_at = 0"));
        due.bind(1, now - retention_s);
        std::vector<std::string> ids;
        while (true) {
            TRY_RESULT(bool row, due.step());
            if (!row)
                break;
            ids.push_back(due.column_text(0));
        }
        TRY_RESULT(auto blank,
            db.prepare("UPDATE tickets SET name = '', phone = '', email = '', phone_check = '', "
                       "email_check = '', personal_purged_at = ?2 WHERE id = ?1"));
        // The deliveries are done or can no longer be made (no address); their errors may quote
        // the address a mail server refused.
        TRY_RESULT(auto drop, db.prepare("DELETE FROM outbox WHERE ticket_id = ?1"));
        for (auto const& id : ids) {
            blank.bind_all(id, now);
            TRY_VOID(blank.run());
            drop.bind(1, id);
            TRY_VOID(drop.run());
            counts.outbox_rows += db.changes();
        }
        counts.tickets = static_cast<int>(ids.size());
        if (!ids.empty() && sqlite) {
            // The update trigger told FTS5 to delete the old tokens, but their segments stay
            // until merged: a rebuild writes the index anew and frees (zeroes) the old pages.
            TRY_VOID(db.exec("INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')"));
        }
        TRY_VOID(tx.commit());
    }
    if (!sqlite) {
        // PostgreSQL keeps the old row versions until VACUUM removes them (it cannot run in a
        // transaction); its WAL segments are recycled by the server's own checkpoints.
        if (counts.tickets > 0)
            TRY_VOID(db.exec("VACUUM tickets, outbox"));
        counts.checkpointed = true;
        return counts;
    }
    // The WAL still holds the pages as they were; a TRUNCATE checkpoint copies the new pages
    // into the database file and empties the WAL.
    TRY_RESULT(auto cp, db.prepare("PRAGMA wal_checkpoint(TRUNCATE)"));
    TRY_RESULT(bool row, cp.step());
    counts.checkpointed = row && cp.column_int(0) == 0;
    return counts;
}

} // namespace ksd::server
