// Issue 11: the notification outbox (e-mail and webhook deliveries queued in the transaction of the
// reply or closing that causes them) and the retention purge of the visitors' personal data.
// All their SQL is in store_outbox.cpp; sending is in notify_worker.h.
#pragma once

#include "store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ksd::server {

enum class Channel { Mail, Webhook };
std::string_view channel_word(Channel); // "mail", "webhook"
// What caused a delivery: a reply to the visitor, or a final status (Selesai, Bukan kewenangan).
enum class NotifyEvent { Reply, Closed };
std::string_view notify_event_word(NotifyEvent); // "reply", "closed"
enum class OutboxState { Pending, Sent, Failed };
std::string_view outbox_state_word(OutboxState); // "pending", "sent", "failed"

// Queues the deliveries of one event of ticket id, inside the caller's transaction: an e-mail
// when the visitor asked for replies by e-mail (email_replies = 1 and an address), and a webhook
// call. event_id is the ticket_events row (the reply, or the status change). Whether a channel is
// configured is not known here (the command line writes replies too): the worker of `serve`
// drops the rows of a channel that is off (drop_pending).
Result<void> enqueue_notifications(
    Conn&, std::string const& ticket_id, NotifyEvent, int64_t event_id, int64_t now);

struct OutboxItem {
    int64_t id {0};
    std::string ticket_id;
    Channel channel {Channel::Mail};
    NotifyEvent event {NotifyEvent::Reply};
    int64_t event_id {0};
    std::string status; // the request's status word right after the event
    int64_t created_at {0};
    OutboxState state {OutboxState::Pending};
    int attempts {0};
    int64_t next_at {0}; // pending: the next try
    std::string last_error;
    int64_t done_at {0}; // sent or failed: when
};

// The oldest pending delivery due at now on one of the channels that are on, if any.
Result<std::optional<OutboxItem>> next_due(Conn&, int64_t now, bool mail_on, bool webhook_on);
// Every delivery of ticket id, oldest first (the request's page).
Result<std::vector<OutboxItem>> outbox_of_ticket(Conn&, std::string const& ticket_id);
// Deletes the pending deliveries of a channel that is not configured; returns how many.
Result<int> drop_pending(Conn&, Channel);

// After a try: delivered (the SMTP server accepted the message, the webhook answered 2xx);
// failed for now, tried again at next_at; or given up. Each counts one attempt.
Result<void> mark_sent(Conn&, int64_t id, int64_t now);
Result<void> mark_retry(Conn&, int64_t id, std::string const& error, int64_t next_at);
Result<void> mark_failed(Conn&, int64_t id, std::string const& error, int64_t now);

// What a delivery says, read when it is sent (nothing of it is copied into the outbox).
struct NotifyContent {
    std::string code;
    std::string lang; // "id" or "en"
    std::string email; // empty after the retention purge
    std::string phone;
    std::string text; // reply: its text; closed: the reason (Bukan kewenangan: where to go)
    int64_t event_at {0};
};
Result<NotifyContent> notify_content(Conn&, OutboxItem const&);

// Records when a request got a final status (closed_at, the start of its retention period);
// inside the caller's transaction.
Result<void> mark_closed(Conn&, std::string const& ticket_id, int64_t now);

struct PurgeCounts {
    int tickets {0}; // requests whose name, phone and e-mail were removed now
    int outbox_rows {0}; // their deliveries deleted
    bool checkpointed {false}; // the WAL was emptied (false: a reader blocked it; runs again)
};
// Removes name, phone, e-mail and their check hashes from requests closed at or before
// now - retention_s (the question, replies and statistics stay), deletes their deliveries,
// rebuilds the full-text index without them, with secure_delete on so that freed bytes are
// zeroed, then empties the WAL (TRUNCATE checkpoint). Idempotent.
Result<PurgeCounts> purge_personal_data(Conn&, int64_t now, int64_t retention_s);

} // namespace ksd::server
