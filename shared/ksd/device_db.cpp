// Device database schema and state helpers; see device_db.h.
#include "ksd/device_db.h"

#include <array>

namespace ksd {

namespace {
constexpr std::array<Migration, 7> steps {{
    {1, "CREATE TABLE device_state(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"},
    // Tickets (issue 4): see tickets.h for what each column means.
    {2, R"sql(
CREATE TABLE tickets(
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kiosk_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    clock_trusted INTEGER NOT NULL,
    sequence INTEGER NOT NULL UNIQUE,
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
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'sending', 'acknowledged', 'quarantined')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    server_status TEXT NOT NULL DEFAULT '',
    staff_reply TEXT NOT NULL DEFAULT '',
    acknowledged_at INTEGER NOT NULL DEFAULT 0,
    purged INTEGER NOT NULL DEFAULT 0);
CREATE INDEX tickets_by_state ON tickets(state, next_attempt_at);
)sql"},
    // Status lookup by code and a check (issue 4): keyed hashes of the phone's last four digits
    // and of the lowercased e-mail, kept when personal data is purged (see lookup_ticket).
    // Older rows keep '' and are checked against their phone/e-mail until those are purged.
    {3, R"sql(
ALTER TABLE tickets ADD COLUMN phone_check TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN email_check TEXT NOT NULL DEFAULT '';
)sql"},
    // Issue 9: when staff first saw a ticket in quarantine (staff screen, ksd-sync status or
    // requeue); 0 while nobody has. A quarantined ticket is purged only a retention after that.
    {4, R"sql(
ALTER TABLE tickets ADD COLUMN quarantine_seen_at INTEGER NOT NULL DEFAULT 0;
)sql"},
    // Issue 10: every staff reply of a ticket (tickets.staff_reply stays the latest, which the
    // kiosk shows), keyed by the server's reply id; and where the visitor should go instead when
    // the office is not the right one ("Bukan kewenangan").
    {5, R"sql(
CREATE TABLE ticket_replies(
    ticket_id TEXT NOT NULL,
    reply_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (ticket_id, reply_id)) WITHOUT ROWID;
ALTER TABLE tickets ADD COLUMN server_referral TEXT NOT NULL DEFAULT '';
)sql"},
    // Issue 11: the visitor's separate consent to replies by e-mail; when the ticket was saved on
    // the boot-time clock (CLOCK_BOOTTIME, milliseconds, and /proc's boot_id of that boot), so
    // the agent can report its age whatever the wall clock said; and the server's dates of the
    // ticket (received, made; made is estimated when the kiosk clock was not trusted).
    {6, R"sql(
ALTER TABLE tickets ADD COLUMN email_replies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN saved_boot_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN saved_boottime_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN server_received_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN server_made_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN server_made_at_estimated INTEGER NOT NULL DEFAULT 0;
)sql"},
    // Issue 14: satisfaction-survey answers (skm.h). Anonymous: no column links one to a ticket.
    // u1..u9 are the nine elements' values, 0 when skipped; respondent codes '' when not given.
    // Delivered like tickets (same states); deleted once acknowledged, they hold nothing personal.
    {7, R"sql(
CREATE TABLE skm_responses(
    id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    clock_trusted INTEGER NOT NULL,
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
    gender TEXT NOT NULL DEFAULT '',
    age_band TEXT NOT NULL DEFAULT '',
    education TEXT NOT NULL DEFAULT '',
    occupation TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'sending', 'acknowledged', 'quarantined')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '');
CREATE INDEX skm_responses_by_state ON skm_responses(state, next_attempt_at);
)sql"},
}};
} // namespace

std::span<Migration const> device_db_migrations() {
    return steps;
}

Result<Db> open_device_db(std::string const& path) {
    TRY_RESULT(Db db, Db::open(path, OpenMode::ReadWriteCreate, Durability::Full));
    // Freed bytes are overwritten, so purged personal data does not linger in free space.
    TRY_VOID(db.exec("PRAGMA secure_delete = ON"));
    TRY_VOID(migrate(db, steps));
    return db;
}

Result<std::optional<std::string>> get_state(Db& db, std::string const& key) {
    TRY_RESULT(auto st, db.prepare("SELECT value FROM device_state WHERE key = ?"));
    st.bind(1, key);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<std::string> {};
    return std::optional<std::string> {st.column_text(0)};
}

Result<void> set_state(Db& db, std::string const& key, std::string const& value) {
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO device_state(key, value) VALUES(?, ?) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    return st.bind_all(key, value).run();
}

} // namespace ksd
