// The central server's database: schema, token hashing, idempotent ticket ingest, change log.
#include "store.h"

#include "json_int.h"
#include "store_fleet.h"

#include "ksd/migrate.h"
#include "ksd/tickets.h"

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace ksd::server {

namespace {

constexpr Migration migrations[] = {
    {1, R"sql(
CREATE TABLE kiosks (
    id TEXT PRIMARY KEY,
    token_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    last_heartbeat_at INTEGER NOT NULL DEFAULT 0,
    heartbeat TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    clock_trusted INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    category TEXT NOT NULL,
    topic TEXT NOT NULL,
    sector TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    organisation TEXT NOT NULL,
    question TEXT NOT NULL,
    lang TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    staff_reply TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);
CREATE INDEX tickets_code ON tickets(code);
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    kiosk_id TEXT NOT NULL,
    status TEXT NOT NULL,
    staff_reply TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX changes_kiosk ON changes(kiosk_id, seq);
CREATE TABLE content_packs (
    version INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    signature TEXT NOT NULL,
    published_at INTEGER NOT NULL
);
)sql"},
    {2, R"sql(
ALTER TABLE kiosks ADD COLUMN revoked_at INTEGER NOT NULL DEFAULT 0;
)sql"},
    // Issue 9. A ticket code names one request: UNIQUE over (code, code_dup), where code_dup is 0
    // for every new row and numbers the later rows of a code stored twice before this step (they
    // are kept: each is a visitor's request). code_disputed marks a code that two requests
    // claimed (those old duplicates, or a later upload refused as a conflict): staff commands
    // refuse it by code and name the ids. meta holds db_id, this database's random identity,
    // which a kiosk compares to notice a server replaced by another database.
    {3, R"sql(
ALTER TABLE tickets ADD COLUMN code_dup INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN code_disputed INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET code_dup = (SELECT count(*) FROM tickets o WHERE o.code = tickets.code
    AND (o.received_at < tickets.received_at
         OR (o.received_at = tickets.received_at AND o.id < tickets.id)));
UPDATE tickets SET code_disputed = 1
    WHERE code IN (SELECT code FROM tickets GROUP BY code HAVING count(*) > 1);
DROP INDEX tickets_code;
CREATE UNIQUE INDEX tickets_code_unique ON tickets(code, code_dup);
CREATE INDEX tickets_kiosk ON tickets(kiosk_id, sequence);
CREATE TABLE code_claims (
    code TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (code, ticket_id)
) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('db_id', lower(hex(randomblob(16))));
)sql"},
    // Issue 10: the staff dashboard's accounts (store_staff.cpp). Sessions are kept by the hash
    // of their cookie's token. login_throttle counts wrong passwords per account and per address.
    // The audit log is append-only: its triggers refuse UPDATE and DELETE.
    {4, R"sql(
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('viewer', 'responder', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'id',
    created_at INTEGER NOT NULL,
    disabled_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    address TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    user_id INTEGER,
    user_name TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_action ON audit(action, id);
CREATE INDEX audit_user ON audit(user_name, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql"},
    // Issue 10, a request's life (store_events.h). ticket_events is the history: status changes,
    // replies (their ids are the reply ids kiosks receive), internal notes, assignments. A
    // change carries the replies up to reply_upto and, for Bukan kewenangan, the referral.
    // Old databases: the replies and status changes the change log recorded become history
    // (user "cli", the only way to answer before), the 8 KSD-procedure states become the new
    // ones, and each ticket whose status word changed gets a change so kiosks learn the new word.
    {5, R"sql(
CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    at INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    author_role TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('status', 'reply', 'note', 'assign')),
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    assignee_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, kind, id);
ALTER TABLE tickets ADD COLUMN assigned_to INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN first_reply_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE changes ADD COLUMN reply_upto INTEGER NOT NULL DEFAULT 0;
ALTER TABLE changes ADD COLUMN referral TEXT NOT NULL DEFAULT '';
CREATE TABLE canned_replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title_id TEXT NOT NULL,
    title_en TEXT NOT NULL,
    text_id TEXT NOT NULL,
    text_en TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
WITH h AS (
    SELECT seq, ticket_id, at, status, staff_reply,
        lag(status, 1, '') OVER w AS prev_status, lag(staff_reply, 1, '') OVER w AS prev_reply
    FROM changes WINDOW w AS (PARTITION BY ticket_id ORDER BY seq))
INSERT INTO ticket_events(ticket_id, at, user_id, user_name, author_role, kind, from_status,
    to_status, text)
SELECT ticket_id, at, 0, 'cli', 'cli', kind, from_status, to_status, text FROM (
    SELECT seq, 0 AS k, ticket_id, at, 'status' AS kind, prev_status AS from_status,
        status AS to_status, '' AS text FROM h WHERE prev_status != '' AND status != prev_status
    UNION ALL
    SELECT seq, 1, ticket_id, at, 'reply', '', '', staff_reply FROM h
        WHERE staff_reply != '' AND staff_reply != prev_reply)
ORDER BY seq, k;
INSERT INTO ticket_events(ticket_id, at, user_id, user_name, author_role, kind, text)
SELECT id, updated_at, 0, 'cli', 'cli', 'reply', staff_reply FROM tickets
    WHERE staff_reply != '' AND NOT EXISTS (SELECT 1 FROM ticket_events e
        WHERE e.ticket_id = tickets.id AND e.kind = 'reply' AND e.text = tickets.staff_reply);
UPDATE tickets SET first_reply_at = coalesce((SELECT min(e.at) FROM ticket_events e
    WHERE e.ticket_id = tickets.id AND e.kind = 'reply'), 0);
UPDATE changes SET reply_upto = coalesce((SELECT max(e.id) FROM ticket_events e
    WHERE e.ticket_id = changes.ticket_id AND e.kind = 'reply' AND e.at <= changes.at), 0)
    WHERE staff_reply != '';
UPDATE changes SET status = CASE status WHEN 'Diterima' THEN 'Baru' WHEN 'Selesai' THEN 'Selesai'
    ELSE 'Diproses' END;
UPDATE tickets SET status = CASE status WHEN 'Diterima' THEN 'Baru' WHEN 'Selesai' THEN 'Selesai'
    ELSE 'Diproses' END;
INSERT INTO changes(ticket_id, kiosk_id, status, staff_reply, at, reply_upto)
SELECT t.id, t.kiosk_id, t.status, t.staff_reply, t.updated_at,
    coalesce((SELECT max(e.id) FROM ticket_events e WHERE e.ticket_id = t.id
        AND e.kind = 'reply'), 0)
FROM tickets t WHERE t.status != 'Selesai' ORDER BY t.received_at, t.id;
)sql"},
    // Issue 10, the inbox. due_at: when the first reply is due (service level, sla.h), written
    // at ingest; 0 until refresh_due_times fills the rows stored before this step. Each filter
    // has an index led by its column and followed by (received_at, id), the list's order, so a
    // filtered page is one index range read from its keyset cursor. inbox_unanswered (partial:
    // rows without a first reply) carries due_at for the overdue filter and count.
    // tickets_fts: full-text search over what the visitor wrote, an external-content FTS5 table
    // on tickets' rowid (VACUUM keeps the rowids of a table whose rows are copied whole, which
    // SQLite does; `INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')` restores the index
    // from the table should it ever drift), kept in step by triggers.
    {6, R"sql(
ALTER TABLE tickets ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX inbox_received ON tickets(received_at, id);
CREATE INDEX inbox_status ON tickets(status, received_at, id);
CREATE INDEX inbox_kiosk ON tickets(kiosk_id, received_at, id);
CREATE INDEX inbox_topic ON tickets(topic, received_at, id);
CREATE INDEX inbox_category ON tickets(category, received_at, id);
CREATE INDEX inbox_sector ON tickets(sector, received_at, id);
CREATE INDEX inbox_assigned ON tickets(assigned_to, received_at, id)
    WHERE assigned_to IS NOT NULL;
CREATE INDEX inbox_unanswered ON tickets(received_at, id, due_at) WHERE first_reply_at = 0;
CREATE VIRTUAL TABLE tickets_fts USING fts5(question, name, organisation, code,
    content = 'tickets', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts(rowid, question, name, organisation, code)
        VALUES (new.rowid, new.question, new.name, new.organisation, new.code);
END;
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts(tickets_fts, rowid, question, name, organisation, code)
        VALUES ('delete', old.rowid, old.question, old.name, old.organisation, old.code);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF question, name, organisation, code ON tickets
BEGIN
    INSERT INTO tickets_fts(tickets_fts, rowid, question, name, organisation, code)
        VALUES ('delete', old.rowid, old.question, old.name, old.organisation, old.code);
    INSERT INTO tickets_fts(rowid, question, name, organisation, code)
        VALUES (new.rowid, new.question, new.name, new.organisation, new.code);
END;
INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild');
)sql"},
    // Issue 10, fleet: a kiosk's name and location (enrolment in the dashboard) and its heartbeat
    // history for the charts (store_fleet.cpp), one row per heartbeat; NULL where the kiosk did
    // not send the field.
    {7, R"sql(
ALTER TABLE kiosks ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE kiosks ADD COLUMN location TEXT NOT NULL DEFAULT '';
CREATE TABLE kiosk_heartbeats (
    kiosk_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    queue_depth INTEGER,
    oldest_unsent_age_s INTEGER,
    disk_free_bytes INTEGER,
    last_frame_at INTEGER,
    sent_at INTEGER,
    clock_trusted INTEGER,
    content_version INTEGER,
    app_version TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX kiosk_heartbeats_kiosk ON kiosk_heartbeats(kiosk_id, at);
CREATE INDEX kiosk_heartbeats_at ON kiosk_heartbeats(at);
)sql"},
    // Issue 10, content: the sources kept on the server (store_content.h). Files are stored once
    // by SHA-256 in content_blobs; content_source_files lists the draft (set_id 0) and the
    // snapshot each built version was made from (set_id = the version). content_publications
    // says who published a version of content_packs and how it was signed; content_pending is
    // the one pack waiting for an office's offline signature.
    {8, R"sql(
CREATE TABLE content_blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE content_source_files (
    set_id INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES content_blobs(sha256),
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (set_id, path)
) WITHOUT ROWID;
CREATE INDEX content_source_files_blob ON content_source_files(sha256);
CREATE TABLE content_publications (
    version INTEGER PRIMARY KEY, -- content_packs.version (no foreign key: see store_content.h)
    published_by TEXT NOT NULL,
    signing TEXT NOT NULL,
    restored_from INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE content_pending (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    restored_from INTEGER NOT NULL DEFAULT 0
);
)sql"},
    // Issue 11: what the kiosk sends with a ticket since then: the status lookup's keyed check
    // hashes (tickets.h, ticket_check_hash), the visitor's consent to replies by e-mail, and the
    // ticket's age on the kiosk's boot clock at upload (-1: not sent, e.g. saved before a
    // reboot); and when the request was made by the server's reckoning (made_at: the kiosk's
    // created_at when its clock was trusted, else received_at - age_s, marked estimated).
    {9, R"sql(
ALTER TABLE tickets ADD COLUMN phone_check TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN email_check TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN email_replies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN age_s INTEGER NOT NULL DEFAULT -1;
ALTER TABLE tickets ADD COLUMN made_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN made_at_estimated INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET made_at = CASE WHEN clock_trusted != 0 THEN created_at ELSE received_at END,
    made_at_estimated = CASE WHEN clock_trusted != 0 THEN 0 ELSE 1 END;
)sql"},
    // Issue 11, notifications and retention (store_outbox.h). outbox: one row per e-mail or
    // webhook delivery, inserted in the transaction of the reply or status change that causes it;
    // it holds no copy of the visitor's address or of the text (both are read from tickets and
    // ticket_events when sent), so the retention purge has nothing to chase there but the error.
    // closed_at: when the request got a final status (old rows: from their history), the start
    // of the retention period; personal_purged_at: when name, phone and e-mail were removed.
    {10, R"sql(
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    channel TEXT NOT NULL CHECK (channel IN ('mail', 'webhook')),
    event TEXT NOT NULL CHECK (event IN ('reply', 'closed')),
    event_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    done_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox(state, next_at);
CREATE INDEX outbox_ticket ON outbox(ticket_id, id);
ALTER TABLE tickets ADD COLUMN closed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN personal_purged_at INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET closed_at = coalesce((SELECT max(e.at) FROM ticket_events e
    WHERE e.ticket_id = tickets.id AND e.kind = 'status' AND e.to_status = tickets.status),
    updated_at) WHERE status IN ('Selesai', 'Bukan kewenangan');
CREATE INDEX tickets_closed ON tickets(closed_at) WHERE closed_at > 0 AND personal_purged_at = 0;
)sql"},
    // Issue 11, the public status page (store_status.cpp): each wrong check, one row per key
    // ("code:..." and "addr:..."), counted in a sliding window; rows older than it are deleted.
    {11, R"sql(
CREATE TABLE status_check_failures (
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX status_check_failures_key ON status_check_failures(key, at);
CREATE INDEX status_check_failures_at ON status_check_failures(at);
)sql"},
    // Issue 14, the satisfaction survey (store_skm.cpp): one row per response, keyed by the
    // kiosk's id; made_at is created_at when the kiosk's clock was trusted, else received_at.
    {12, R"sql(
CREATE TABLE skm_responses (
    id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    clock_trusted INTEGER NOT NULL,
    made_at INTEGER NOT NULL,
    made_at_estimated INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    form_version TEXT NOT NULL,
    u1 INTEGER NOT NULL CHECK (u1 BETWEEN 0 AND 4),
    u2 INTEGER NOT NULL CHECK (u2 BETWEEN 0 AND 4),
    u3 INTEGER NOT NULL CHECK (u3 BETWEEN 0 AND 4),
    u4 INTEGER NOT NULL CHECK (u4 BETWEEN 0 AND 4),
    u5 INTEGER NOT NULL CHECK (u5 BETWEEN 0 AND 4),
    u6 INTEGER NOT NULL CHECK (u6 BETWEEN 0 AND 4),
    u7 INTEGER NOT NULL CHECK (u7 BETWEEN 0 AND 4),
    u8 INTEGER NOT NULL CHECK (u8 BETWEEN 0 AND 4),
    u9 INTEGER NOT NULL CHECK (u9 BETWEEN 0 AND 4),
    gender TEXT NOT NULL,
    age_band TEXT NOT NULL,
    education TEXT NOT NULL,
    occupation TEXT NOT NULL,
    lang TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX skm_responses_made ON skm_responses(made_at, id);
CREATE INDEX skm_responses_kiosk ON skm_responses(kiosk_id, made_at);
)sql"},
    // Issue 14, monev (store_monev.h): the history of each agreement's evaluations (by its number
    // in the register; never overwritten) and the weeks whose digest was claimed and sent.
    {13, R"sql(
CREATE TABLE agreement_evaluations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    nomor TEXT NOT NULL,
    evaluated_on TEXT NOT NULL CHECK (evaluated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    state TEXT NOT NULL CHECK (state IN ('not_started', 'ongoing', 'done', 'hindered')),
    summary TEXT NOT NULL,
    unit TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX agreement_evaluations_nomor ON agreement_evaluations(nomor, evaluated_on, id);
CREATE TABLE monev_digests (
    week TEXT PRIMARY KEY,
    claimed_at INTEGER NOT NULL,
    sent_at INTEGER NOT NULL DEFAULT 0,
    recipients INTEGER NOT NULL DEFAULT 0
);
)sql"},
};

constexpr char const* string_fields[] = {"code", "kiosk_id", "category", "topic", "sector", "name",
    "phone", "email", "organisation", "question", "lang", "consent_version"};

std::string hex(unsigned char const* p, size_t n) {
    std::string out(n * 2, '\0');
    // std::string keeps room for the terminating NUL that sodium_bin2hex writes.
    sodium_bin2hex(out.data(), n * 2 + 1, p, n);
    return out;
}

std::array<unsigned char, crypto_generichash_BYTES> token_hash(std::string_view token) {
    std::array<unsigned char, crypto_generichash_BYTES> h {};
    crypto_generichash(h.data(), h.size(), reinterpret_cast<unsigned char const*>(token.data()),
        token.size(), nullptr, 0);
    return h;
}

// The canonical form whose hash decides "same content": the 16 protocol fields, keys sorted.
std::string content_hash(nlohmann::json const& t) {
    nlohmann::json canon = nlohmann::json::object();
    for (auto const* f : string_fields)
        canon[f] = t.at(f);
    canon["id"] = t.at("id");
    canon["created_at"] = t.at("created_at");
    canon["clock_trusted"] = t.at("clock_trusted");
    canon["sequence"] = t.at("sequence");
    return sha256_hex(canon.dump());
}

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

TicketRow read_ticket(Stmt& st) {
    TicketRow r;
    r.fields["id"] = st.column_text(0);
    int col = 1;
    for (auto const* f : string_fields) {
        if (std::string_view(f) == "category") {
            r.fields["created_at"] = st.column_int64(col++);
            r.fields["clock_trusted"] = st.column_int64(col++) != 0;
            r.fields["sequence"] = st.column_int64(col++);
        }
        r.fields[f] = st.column_text(col++);
    }
    r.received_at = st.column_int64(col++);
    r.status = st.column_text(col++);
    r.staff_reply = st.column_text(col++);
    r.updated_at = st.column_int64(col++);
    r.assigned_to = st.column_int64(col++);
    r.first_reply_at = st.column_int64(col++);
    r.made_at = st.column_int64(col++);
    r.made_at_estimated = st.column_int64(col++) != 0;
    r.age_s = st.column_int64(col++);
    return r;
}

constexpr char const* ticket_columns
    = "id, code, kiosk_id, created_at, clock_trusted, sequence, category, topic, sector, name, "
      "phone, email, organisation, question, lang, consent_version, received_at, status, "
      "staff_reply, updated_at, assigned_to, first_reply_at, made_at, made_at_estimated, age_s";
// The column after ticket_columns in a query that adds one.
constexpr int after_ticket_columns = 25;

// A 64-digit lower-case hex string (a check hash), or "" (no phone / no e-mail).
bool is_check_hash(std::string const& s) {
    return s.empty() || (s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }));
}

} // namespace

std::string_view status_word(TicketStatus s) {
    switch (s) {
    case TicketStatus::New:
        return "Baru";
    case TicketStatus::InProgress:
        return "Diproses";
    case TicketStatus::WaitingForVisitor:
        return "Menunggu tanggapan pemohon";
    case TicketStatus::Done:
        return "Selesai";
    case TicketStatus::NotOurs:
        return "Bukan kewenangan";
    }
    return "Baru";
}

constexpr TicketStatus all_statuses[] = {TicketStatus::New, TicketStatus::InProgress,
    TicketStatus::WaitingForVisitor, TicketStatus::Done, TicketStatus::NotOurs};

std::optional<TicketStatus> parse_status(std::string_view word) {
    for (auto s : all_statuses)
        if (lower(std::string(status_word(s))) == lower(std::string(word)))
            return s;
    return std::nullopt;
}

std::vector<std::string> const& ticket_states() {
    static std::vector<std::string> const states = [] {
        std::vector<std::string> out;
        for (auto s : all_statuses)
            out.emplace_back(status_word(s));
        return out;
    }();
    return states;
}

std::span<Migration const> store_migrations() {
    return migrations;
}

Result<void> log_change(Conn& db, std::string const& id, int64_t now) {
    // The change carries the ticket's whole state for the kiosk: status, latest reply, which
    // replies exist, and (Bukan kewenangan) where the visitor should go, from the status event.
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO changes(ticket_id, kiosk_id, status, staff_reply, at, reply_upto, "
                   "referral) SELECT t.id, t.kiosk_id, t.status, t.staff_reply, ?2, "
                   "coalesce((SELECT max(e.id) FROM ticket_events e WHERE e.ticket_id = t.id "
                   "AND e.kind = 'reply'), 0), CASE WHEN t.status = ?3 THEN coalesce((SELECT "
                   "e.text FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'status' "
                   "AND e.to_status = ?3 ORDER BY e.id DESC LIMIT 1), '') ELSE '' END "
                   "FROM tickets t WHERE t.id = ?1"));
    st.bind_all(id, now, status_word(TicketStatus::NotOurs));
    return st.run();
}

bool is_valid_kiosk_id(std::string const& id) {
    if (id.empty() || id.size() > 64)
        return false;
    return std::all_of(id.begin(), id.end(),
        [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

bool is_uuid(std::string const& s) {
    if (s.size() != 36)
        return false;
    for (size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i])))
            return false;
        if (!dash && std::isupper(static_cast<unsigned char>(s[i])))
            return false;
    }
    return true;
}

std::string sha256_hex(std::string_view bytes) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> h {};
    crypto_hash_sha256(
        h.data(), reinterpret_cast<unsigned char const*>(bytes.data()), bytes.size());
    return hex(h.data(), h.size());
}

Result<Conn> open_store(std::string const& target, int busy_timeout_ms) {
    if (sodium_init() < 0)
        return make_error("libsodium failed to initialise");
    TRY_RESULT(auto db, open_conn(target, ConnOptions {busy_timeout_ms}));
    switch (db.engine()) {
    case Engine::Sqlite:
        // Issue 11: freed bytes are zeroed on every connection, so that the visitor's name is not
        // left in a free page by an index merge before the retention purge (store_outbox.h).
        TRY_VOID(db.exec("PRAGMA secure_delete = ON"));
        TRY_VOID(migrate(db, migrations));
        break;
    case Engine::Postgres:
        TRY_VOID(migrate(db, pg_store_migrations()));
        break;
    }
    return db;
}

Result<std::string> add_kiosk(Conn& db, std::string const& id, int64_t now) {
    if (!is_valid_kiosk_id(id))
        return make_error("kiosk id must be 1-64 letters, digits, '-' or '_': " + id);
    std::array<unsigned char, 32> secret {};
    randombytes_buf(secret.data(), secret.size());
    std::string token = id + "." + hex(secret.data(), secret.size());
    auto h = token_hash(token);
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO kiosks(id, token_hash, created_at) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT(id) DO NOTHING"));
    st.bind(1, id).bind_blob(2, std::string_view(reinterpret_cast<char*>(h.data()), h.size()));
    st.bind(3, now);
    TRY_VOID(st.run());
    if (db.changes() != 1)
        return make_error("kiosk " + id + " exists already");
    return token;
}

bool is_busy(Error const& e) {
    int primary = e.sqlite_code & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

Result<void> revoke_kiosk(Conn& db, std::string const& id, int64_t now) {
    TRY_RESULT(
        auto st, db.prepare("UPDATE kiosks SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = 0"));
    st.bind_all(id, now);
    TRY_VOID(st.run());
    if (db.changes() == 1)
        return {};
    TRY_RESULT(auto exists, db.prepare("SELECT revoked_at FROM kiosks WHERE id = ?1"));
    exists.bind(1, id);
    TRY_RESULT(bool row, exists.step());
    if (!row)
        return make_error("no kiosk " + id);
    return make_error("kiosk " + id + " is revoked already");
}

Result<std::optional<std::string>> authenticate(Conn& db, std::string const& token) {
    auto dot = token.find('.');
    if (dot == std::string::npos)
        return std::optional<std::string> {};
    std::string id = token.substr(0, dot);
    TRY_RESULT(
        auto st, db.prepare("SELECT token_hash FROM kiosks WHERE id = ?1 AND revoked_at = 0"));
    st.bind(1, id);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<std::string> {};
    std::string stored = st.column_blob(0);
    auto h = token_hash(token);
    if (stored.size() != h.size() || sodium_memcmp(stored.data(), h.data(), h.size()) != 0)
        return std::optional<std::string> {};
    return std::optional<std::string> {id};
}

Result<std::vector<KioskRow>> list_kiosks(Conn& db) {
    TRY_RESULT(auto st,
        db.prepare("SELECT id, created_at, last_heartbeat_at, heartbeat, revoked_at FROM kiosks "
                   "ORDER BY id"));
    std::vector<KioskRow> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        KioskRow k;
        k.id = st.column_text(0);
        k.created_at = st.column_int64(1);
        k.last_heartbeat_at = st.column_int64(2);
        k.heartbeat = nlohmann::json::parse(st.column_text(3), nullptr, false);
        k.revoked_at = st.column_int64(4);
        out.push_back(std::move(k));
    }
    return out;
}

Result<void> store_heartbeat(
    Conn& db, std::string const& kiosk_id, nlohmann::json const& body, int64_t now) {
    TRY_RESULT(auto tx, Tx::begin(db, TransactionKind::Immediate));
    TRY_RESULT(auto st,
        db.prepare("UPDATE kiosks SET last_heartbeat_at = ?2, heartbeat = ?3 WHERE id = ?1"));
    st.bind_all(kiosk_id, now, body.dump());
    TRY_VOID(st.run());
    // The history behind the fleet's charts (store_fleet.h).
    TRY_VOID(record_heartbeat(db, kiosk_id, body, now));
    return tx.commit();
}

std::string validate_ticket(nlohmann::json const& t, std::string const& kiosk_id) {
    if (!t.is_object())
        return "a ticket must be a JSON object";
    if (!t.contains("id") || !t["id"].is_string() || !is_uuid(t["id"].get<std::string>()))
        return "id: must be a lower-case UUID";
    for (auto const* f : string_fields) {
        if (!t.contains(f) || !t[f].is_string())
            return std::string(f) + ": missing or not a string";
        size_t max = std::string_view(f) == "question" ? 8000 : 400;
        if (t[f].get_ref<std::string const&>().size() > max)
            return std::string(f) + ": longer than " + std::to_string(max) + " bytes";
    }
    for (auto const* f : {"created_at", "sequence"})
        if (!t.contains(f) || !json_integer_in(t[f], 0, max_json_integer))
            return std::string(f) + ": missing or not an integer from 0 to "
                + std::to_string(max_json_integer);
    if (!t.contains("clock_trusted") || !t["clock_trusted"].is_boolean())
        return "clock_trusted: missing or not a boolean";
    // The upload refuses such a batch whole before (403 kiosk_mismatch); kept for other callers.
    if (t["kiosk_id"].get<std::string>() != kiosk_id)
        return "kiosk_id: does not match the token's kiosk";
    auto code = t["code"].get<std::string>();
    if (normalize_ticket_code(code) != code)
        return "code: not a valid ticket code in canonical form";
    auto lang = t["lang"].get<std::string>();
    if (lang != "id" && lang != "en")
        return "lang: must be \"id\" or \"en\"";
    if (t["name"].get_ref<std::string const&>().empty()
        || t["question"].get_ref<std::string const&>().empty())
        return "name and question must not be empty";
    // Issue 11's optional fields: absent from an older kiosk, checked when present.
    for (auto const* f : {"phone_check", "email_check"})
        if (t.contains(f)
            && (!t[f].is_string() || !is_check_hash(t[f].get_ref<std::string const&>())))
            return std::string(f) + ": not \"\" or 64 lower-case hex digits";
    if (t.contains("email_replies") && !t["email_replies"].is_boolean())
        return "email_replies: not a boolean";
    if (t.contains("age_s") && !json_integer_in(t["age_s"], 0, max_json_integer))
        return "age_s: not an integer from 0 to " + std::to_string(max_json_integer);
    return {};
}

namespace {

// See Made (store.h). An age reaching back to 1970 or before cannot be true (a kiosk's boot
// clock that old is a fault): such a request is placed at its arrival like one without an age, so
// made_at is always a real date and no reader needs a fallback for 0.
Made made_at_of(nlohmann::json const& t, int64_t received_at) {
    if (t["clock_trusted"].get<bool>())
        return {t["created_at"].get<int64_t>(), false};
    if (t.contains("age_s")) {
        int64_t const age = t["age_s"].get<int64_t>();
        if (age < received_at)
            return {received_at - age, true};
    }
    return {received_at, true};
}

} // namespace

std::optional<std::string> names_other_kiosk(nlohmann::json const& t, std::string const& kiosk_id) {
    if (!t.is_object() || !t.contains("kiosk_id") || !t["kiosk_id"].is_string()
        || t["kiosk_id"].get_ref<std::string const&>() == kiosk_id)
        return std::nullopt;
    return t["kiosk_id"].get<std::string>();
}

Result<std::vector<IngestResult>> ingest(
    Conn& db, std::vector<nlohmann::json> const& tickets, int64_t now, SlaRules const& sla) {
    std::vector<IngestResult> out;
    TRY_RESULT(auto tx, Tx::begin(db, TransactionKind::Immediate));
    TRY_RESULT(auto insert,
        db.prepare("INSERT INTO tickets(id, code, kiosk_id, created_at, clock_trusted, sequence, "
                   "category, topic, sector, name, phone, email, organisation, question, lang, "
                   "consent_version, content_hash, received_at, status, updated_at, due_at, "
                   "phone_check, email_check, email_replies, age_s, made_at, made_at_estimated) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                   "?17, ?18, ?19, ?18, ?20, ?21, ?22, ?23, ?24, ?25, ?26) "
                   "ON CONFLICT(id) DO NOTHING"));
    int64_t const due_at = sla_due_at(now, sla);
    TRY_RESULT(auto lookup,
        db.prepare("SELECT content_hash, received_at, status, made_at, made_at_estimated "
                   "FROM tickets WHERE id = ?1"));
    // Another request holding the code (any kiosk): the code is taken, this ticket is refused.
    TRY_RESULT(auto code_owner,
        db.prepare("SELECT id, kiosk_id FROM tickets WHERE code = ?1 AND id != ?2 LIMIT 1"));
    TRY_RESULT(auto claim,
        db.prepare("INSERT INTO code_claims(code, ticket_id, kiosk_id, at) VALUES (?1, ?2, ?3, ?4) "
                   "ON CONFLICT DO NOTHING"));
    TRY_RESULT(auto dispute, db.prepare("UPDATE tickets SET code_disputed = 1 WHERE code = ?1"));
    for (auto const& t : tickets) {
        IngestResult r;
        r.id = t["id"].get<std::string>();
        std::string hash = content_hash(t);
        std::string const code = t["code"].get<std::string>();
        code_owner.bind_all(code, r.id);
        TRY_RESULT(bool taken, code_owner.step());
        if (taken) {
            std::string owner_kiosk = code_owner.column_text(1);
            code_owner.reset();
            // Both claims are kept for staff; the stored request stays, but its code no longer
            // names it alone (staff act by id after checking with the visitor).
            claim.bind_all(code, r.id, t["kiosk_id"].get<std::string>(), now);
            TRY_VOID(claim.run());
            dispute.bind_all(code);
            TRY_VOID(dispute.run());
            r.result = "conflict";
            r.reason = "code: " + code + " is already used by another request"
                + (owner_kiosk == t["kiosk_id"].get<std::string>()
                        ? std::string(" of this kiosk")
                        : std::string(" of another kiosk"));
            out.push_back(std::move(r));
            continue;
        }
        code_owner.reset();
        insert.bind(1, r.id);
        insert.bind(2, t["code"].get<std::string>()).bind(3, t["kiosk_id"].get<std::string>());
        insert.bind(4, t["created_at"].get<int64_t>());
        insert.bind(5, int64_t(t["clock_trusted"].get<bool>() ? 1 : 0));
        insert.bind(6, t["sequence"].get<int64_t>());
        int i = 7;
        for (auto const* f : {"category", "topic", "sector", "name", "phone", "email",
                 "organisation", "question", "lang", "consent_version"})
            insert.bind(i++, t[f].get<std::string>());
        insert.bind(17, hash)
            .bind(18, now)
            .bind(19, status_word(TicketStatus::New))
            .bind(20, due_at);
        // Not part of the content hash: a retry with another age, or from a kiosk that learnt to
        // send the check hashes since, is the same request (the first stored copy stays).
        insert.bind(21, t.value("phone_check", std::string()))
            .bind(22, t.value("email_check", std::string()));
        // The consent means something only with an e-mail to send to.
        bool const by_email
            = t.value("email_replies", false) && !t["email"].get_ref<std::string const&>().empty();
        insert.bind(23, int64_t(by_email ? 1 : 0))
            .bind(24, t.contains("age_s") ? t["age_s"].get<int64_t>() : int64_t(-1));
        Made const made = made_at_of(t, now);
        insert.bind(25, made.at).bind(26, int64_t(made.estimated ? 1 : 0));
        TRY_VOID(insert.run());
        if (db.changes() == 1) {
            r.result = "created";
            r.received_at = now;
            r.made = made;
            r.status = status_word(TicketStatus::New);
            TRY_VOID(log_change(db, r.id, now));
        } else {
            lookup.bind(1, r.id);
            TRY_RESULT(bool row, lookup.step());
            if (!row)
                return make_error("ticket " + r.id + " neither inserted nor found");
            if (lookup.column_text(0) == hash) {
                r.result = "duplicate";
                r.received_at = lookup.column_int64(1);
                r.status = lookup.column_text(2);
                r.made = {lookup.column_int64(3), lookup.column_int64(4) != 0};
            } else {
                r.result = "conflict";
                r.reason = "a ticket with this id and other content is already stored";
            }
            lookup.reset();
        }
        out.push_back(std::move(r));
    }
    TRY_VOID(tx.commit());
    return out;
}

Result<std::vector<Change>> changes_since(
    Conn& db, std::string const& kiosk_id, int64_t since, int limit) {
    TRY_RESULT(auto st,
        db.prepare(
            "SELECT c.seq, c.ticket_id, t.code, c.status, c.staff_reply, c.at, c.reply_upto, "
            "c.referral, t.received_at, t.made_at, t.made_at_estimated FROM changes c "
            "JOIN tickets t ON t.id = c.ticket_id WHERE c.kiosk_id = ?1 AND c.seq > ?2 "
            "ORDER BY c.seq LIMIT ?3"));
    st.bind_all(kiosk_id, since, limit);
    std::vector<Change> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_int64(0), st.column_text(1), st.column_text(2), st.column_text(3),
            st.column_text(4), st.column_int64(5), st.column_int64(6), st.column_text(7),
            st.column_int64(8), {st.column_int64(9), st.column_int64(10) != 0}});
    }
    return out;
}

Result<Holdings> kiosk_holdings(Conn& db, std::string const& kiosk_id, int64_t since) {
    Holdings h;
    TRY_RESULT(auto id, db.prepare("SELECT value FROM meta WHERE key = 'db_id'"));
    TRY_RESULT(bool row, id.step());
    if (row)
        h.db_id = id.column_text(0);
    TRY_RESULT(auto mine,
        db.prepare("SELECT count(*), coalesce(max(sequence), 0) FROM tickets WHERE kiosk_id = ?1"));
    mine.bind(1, kiosk_id);
    TRY_VOID(mine.step());
    h.tickets = mine.column_int64(0);
    h.max_sequence = mine.column_int64(1);
    TRY_RESULT(auto latest, db.prepare("SELECT coalesce(max(seq), 0) FROM changes"));
    TRY_VOID(latest.step());
    h.latest_seq = latest.column_int64(0);
    if (since > 0) {
        TRY_RESULT(
            auto cursor, db.prepare("SELECT 1 FROM changes WHERE seq = ?1 AND kiosk_id = ?2"));
        cursor.bind_all(since, kiosk_id);
        TRY_RESULT(bool known, cursor.step());
        h.cursor_known = known;
    }
    return h;
}

Result<std::optional<TicketRow>> find_ticket(Conn& db, std::string const& id_or_code) {
    TRY_RESULT(auto by_id,
        db.prepare(std::string("SELECT ") + ticket_columns + " FROM tickets WHERE id = ?1"));
    by_id.bind(1, lower(id_or_code));
    TRY_RESULT(bool found, by_id.step());
    if (found)
        return std::optional<TicketRow> {read_ticket(by_id)};
    auto code = normalize_ticket_code(id_or_code);
    if (!code)
        return std::optional<TicketRow> {};
    // A code acts on one request or on none: every request and claim of the code is read, and a
    // disputed code is refused with the ids staff can act on instead.
    TRY_RESULT(auto st,
        db.prepare(std::string("SELECT ") + ticket_columns
            + ", code_disputed FROM tickets WHERE code = ?1 ORDER BY received_at, id"));
    st.bind(1, *code);
    std::vector<TicketRow> rows;
    bool disputed = false;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        rows.push_back(read_ticket(st));
        disputed = disputed || st.column_int64(after_ticket_columns) != 0;
    }
    if (rows.empty())
        return std::optional<TicketRow> {};
    if (rows.size() == 1 && !disputed)
        return std::optional<TicketRow> {std::move(rows.front())};
    std::string who;
    for (auto const& r : rows)
        who += (who.empty() ? "" : ", ") + r.fields["id"].get<std::string>() + " (kiosk "
            + r.fields["kiosk_id"].get<std::string>() + ", stored)";
    TRY_RESULT(auto claims,
        db.prepare("SELECT ticket_id, kiosk_id FROM code_claims WHERE code = ?1 ORDER BY at"));
    claims.bind(1, *code);
    while (true) {
        TRY_RESULT(bool row, claims.step());
        if (!row)
            break;
        who += ", " + claims.column_text(0) + " (kiosk " + claims.column_text(1)
            + ", refused: the code was taken)";
    }
    return make_error("code " + *code + " is claimed by more than one request: " + who
        + "; check with the visitor and give the id instead of the code");
}

Result<std::vector<TicketRow>> list_tickets(Conn& db) {
    TRY_RESULT(auto st,
        db.prepare(
            std::string("SELECT ") + ticket_columns + " FROM tickets ORDER BY received_at, id"));
    std::vector<TicketRow> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_ticket(st));
    }
    return out;
}

Result<std::optional<ContentRow>> latest_content(Conn& db) {
    TRY_RESULT(auto st,
        db.prepare("SELECT version, path, size, sha256, signature, published_at FROM "
                   "content_packs ORDER BY version DESC LIMIT 1"));
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<ContentRow> {};
    return std::optional<ContentRow> {ContentRow {st.column_int64(0), st.column_text(1),
        st.column_int64(2), st.column_text(3), st.column_text(4), st.column_int64(5)}};
}

Result<void> add_content(Conn& db, ContentRow const& c) {
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO content_packs(version, path, size, sha256, signature, "
                   "published_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    st.bind_all(c.version, c.path, c.size, c.sha256, c.signature, c.published_at);
    return st.run();
}

} // namespace ksd::server
