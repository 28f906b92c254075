// Tickets on the device; see tickets.h.
#include "ksd/tickets.h"

#include "ksd/device_db.h"
#include "ksd/number.h"

#include <sodium.h>
#include <sqlite3.h>

#include <cctype>
#include <charconv>
#include <limits>

namespace ksd {

namespace {

constexpr std::string_view crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t code_length = 10;

int crockford_value(char c) {
    auto pos = crockford.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// Luhn mod 32 over the values, right to left; returns the check value for the given digits.
int luhn32_check(std::string_view digits) {
    int factor = 2;
    int sum = 0;
    for (size_t i = digits.size(); i-- > 0;) {
        int addend = factor * crockford_value(digits[i]);
        factor = factor == 2 ? 1 : 2;
        sum += addend / 32 + addend % 32;
    }
    return (32 - sum % 32) % 32;
}

std::string format_code(std::string const& raw) {
    return raw.substr(0, 5) + "-" + raw.substr(5);
}

constexpr char const* ticket_columns
    = "id, code, kiosk_id, created_at, clock_trusted, sequence, category, topic, "
      "sector, name, phone, email, organisation, question, lang, consent_version, "
      "state, attempts, next_attempt_at, last_error, server_status, staff_reply, "
      "acknowledged_at, purged, server_referral, phone_check, email_check, email_replies, "
      "server_received_at, server_made_at, server_made_at_estimated, saved_boot_id, "
      "saved_boottime_ms";

Ticket read_ticket(Statement const& st) {
    Ticket t;
    t.id = st.column_text(0);
    t.code = st.column_text(1);
    t.kiosk_id = st.column_text(2);
    t.created_at = st.column_int64(3);
    t.clock_trusted = st.column_int(4) != 0;
    t.sequence = st.column_int64(5);
    t.input.category = st.column_text(6);
    t.input.topic = st.column_text(7);
    t.input.sector = st.column_text(8);
    t.input.name = st.column_text(9);
    t.input.phone = st.column_text(10);
    t.input.email = st.column_text(11);
    t.input.organisation = st.column_text(12);
    t.input.question = st.column_text(13);
    t.input.lang = parse_lang(st.column_text(14)).value_or(Lang::Id);
    t.input.consent_version = st.column_text(15);
    t.state = parse_delivery_state(st.column_text(16)).value_or(DeliveryState::Queued);
    t.attempts = st.column_int(17);
    t.next_attempt_at = st.column_int64(18);
    t.last_error = st.column_text(19);
    t.server_status = st.column_text(20);
    t.staff_reply = st.column_text(21);
    t.acknowledged_at = st.column_int64(22);
    t.personal_data_purged = st.column_int(23) != 0;
    t.server_referral = st.column_text(24);
    t.phone_check = st.column_text(25);
    t.email_check = st.column_text(26);
    t.input.email_replies = st.column_int(27) != 0 ? ReplyByEmail::Yes : ReplyByEmail::No;
    t.server_received_at = st.column_int64(28);
    t.server_made_at = st.column_int64(29);
    t.server_made_at_estimated = st.column_int(30) != 0;
    t.saved_boot.boot_id = st.column_text(31);
    t.saved_boot.boottime_ms = st.column_int64(32);
    return t;
}

// The check values a status lookup compares: the last four digits of the phone number, and the
// e-mail trimmed and lowercased (check_email admits ASCII only). Empty when there is none.
std::string phone_last4(std::string_view phone) {
    std::string digits;
    for (char c : phone)
        if (c >= '0' && c <= '9')
            digits += c;
    return digits.size() < 4 ? std::string() : digits.substr(digits.size() - 4);
}

std::string email_key(std::string_view email) {
    while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front())))
        email.remove_prefix(1);
    while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back())))
        email.remove_suffix(1);
    std::string out;
    for (char c : email)
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view check_kind_word(CheckKind k) {
    switch (k) {
    case CheckKind::Phone:
        return "phone";
    case CheckKind::Email:
        return "email";
    }
    return "phone";
}

Result<std::optional<Ticket>> find_one(Db& db, std::string const& where, std::string const& value) {
    TRY_RESULT(auto st,
        db.prepare(
            std::string("SELECT ") + ticket_columns + " FROM tickets WHERE " + where + " = ?"));
    st.bind(1, value);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<Ticket> {};
    return std::optional<Ticket> {read_ticket(st)};
}

} // namespace

std::string_view delivery_state_code(DeliveryState s) {
    switch (s) {
    case DeliveryState::Queued:
        return "queued";
    case DeliveryState::Sending:
        return "sending";
    case DeliveryState::Acknowledged:
        return "acknowledged";
    case DeliveryState::Quarantined:
        return "quarantined";
    }
    return "queued";
}

std::optional<DeliveryState> parse_delivery_state(std::string_view s) {
    for (auto st : {DeliveryState::Queued, DeliveryState::Sending, DeliveryState::Acknowledged,
             DeliveryState::Quarantined})
        if (delivery_state_code(st) == s)
            return st;
    return std::nullopt;
}

std::string generate_uuid_v4() {
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40); // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80); // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out += '-';
        out += hex[b[i] >> 4];
        out += hex[b[i] & 15];
    }
    return out;
}

std::string generate_ticket_code() {
    std::string raw;
    for (size_t i = 0; i + 1 < code_length; ++i)
        raw += crockford[randombytes_uniform(32)];
    raw += crockford[static_cast<size_t>(luhn32_check(raw))];
    return format_code(raw);
}

std::optional<std::string> normalize_ticket_code(std::string_view typed) {
    std::string raw;
    for (char c : typed) {
        if (c == ' ' || c == '-' || c == '\t')
            continue;
        char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (u == 'I' || u == 'L')
            u = '1';
        else if (u == 'O')
            u = '0';
        if (crockford_value(u) < 0)
            return std::nullopt;
        raw += u;
        if (raw.size() > code_length)
            return std::nullopt;
    }
    if (raw.size() != code_length)
        return std::nullopt;
    if (crockford[static_cast<size_t>(
            luhn32_check(std::string_view(raw).substr(0, code_length - 1)))]
        != raw.back())
        return std::nullopt;
    return format_code(raw);
}

std::optional<StatusCheck> parse_status_check(std::string_view check) {
    std::string const typed = email_key(check);
    if (typed.find('@') != std::string::npos)
        return StatusCheck {CheckKind::Email, typed};
    std::string value;
    for (char c : typed)
        if (c >= '0' && c <= '9')
            value += c;
        else if (c != ' ' && c != '-')
            return std::nullopt;
    if (value.size() != 4)
        return std::nullopt;
    return StatusCheck {CheckKind::Phone, value};
}

StatusCheck phone_check_value(std::string_view phone) {
    return {CheckKind::Phone, phone_last4(phone)};
}

StatusCheck email_check_value(std::string_view email) {
    return {CheckKind::Email, email_key(email)};
}

// It keeps the values out of plain sight in the file (four digits cannot be kept from someone
// holding the file anyway) and differs from ticket to ticket.
std::string ticket_check_hash(std::string_view ticket_id, StatusCheck const& check) {
    if (check.value.empty())
        return {};
    unsigned char key[crypto_generichash_BYTES];
    crypto_generichash(key, sizeof key, reinterpret_cast<unsigned char const*>(ticket_id.data()),
        ticket_id.size(), nullptr, 0);
    std::string message = std::string(check_kind_word(check.kind)) + ":" + check.value;
    unsigned char out[crypto_generichash_BYTES];
    crypto_generichash(out, sizeof out, reinterpret_cast<unsigned char const*>(message.data()),
        message.size(), key, sizeof key);
    char hex[2 * sizeof out + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

std::string effective_check_hash(std::string_view ticket_id, CheckKind kind,
    std::string_view stored_hash, std::string_view phone, std::string_view email) {
    if (!stored_hash.empty())
        return std::string(stored_hash);
    switch (kind) {
    case CheckKind::Phone:
        return ticket_check_hash(ticket_id, phone_check_value(phone));
    case CheckKind::Email:
        return ticket_check_hash(ticket_id, email_check_value(email));
    }
    return {};
}

bool check_hash_matches(std::string_view stored, std::string_view typed_hash) {
    return !stored.empty() && stored.size() == typed_hash.size()
        && sodium_memcmp(stored.data(), typed_hash.data(), typed_hash.size()) == 0;
}

Result<Ticket> save_ticket(Db& db, TicketInput const& in, std::string const& kiosk_id,
    WallClock clock, BootClock const& boot) {
    Ticket t;
    t.saved_boot = boot;
    t.id = generate_uuid_v4();
    t.kiosk_id = kiosk_id;
    t.created_at = clock.unix_seconds;
    t.clock_trusted = clock.trusted;
    t.input = in;
    std::string last_error;
    // A code already used on this device (a 1 in 10^13 chance) is simply drawn again.
    for (int attempt = 0; attempt < 3; ++attempt) {
        t.code = generate_ticket_code();
        auto tx = Transaction::begin(db);
        if (!tx.ok())
            return tx.error().context("cannot start saving the request");
        // The statements live in a block of their own: one still open at COMMIT keeps a read
        // mark in the WAL, and then no checkpoint ever completes and the WAL grows forever.
        {
            TRY_RESULT(auto seq, db.prepare("SELECT coalesce(max(sequence), 0) + 1 FROM tickets"));
            TRY_RESULT(bool row, seq.step());
            t.sequence = row ? seq.column_int64(0) : 1;
        }
        {
            TRY_RESULT(auto ins,
                db.prepare(
                    "INSERT INTO tickets(id, code, kiosk_id, created_at, clock_trusted, sequence, "
                    "category, topic, sector, name, phone, email, organisation, question, lang, "
                    "consent_version, phone_check, email_check, email_replies, saved_boot_id, "
                    "saved_boottime_ms) "
                    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
            t.phone_check = ticket_check_hash(t.id, phone_check_value(in.phone));
            t.email_check = ticket_check_hash(t.id, email_check_value(in.email));
            // The e-mail consent box is shown only with an e-mail; without one it means nothing.
            bool const by_email = in.email_replies == ReplyByEmail::Yes && !in.email.empty();
            t.input.email_replies = by_email ? ReplyByEmail::Yes : ReplyByEmail::No;
            ins.bind_all(t.id, t.code, t.kiosk_id, t.created_at, clock.trusted ? 1 : 0, t.sequence,
                in.category, in.topic, in.sector, in.name, in.phone, in.email, in.organisation,
                in.question, std::string(lang_code(in.lang)), in.consent_version, t.phone_check,
                t.email_check, by_email ? 1 : 0, boot.boot_id, boot.boottime_ms);
            auto inserted = ins.run();
            if (!inserted.ok()) {
                last_error = inserted.error().message;
                if (last_error.find("tickets.code") != std::string::npos)
                    continue;
                return inserted.error().context("cannot save the request");
            }
        }
        auto committed = tx->commit();
        if (committed.ok())
            return t;
        // The outcome of a failed COMMIT is unknown: the row may be durable anyway. Only the
        // database can say; the visitor is told "saved" only if it is there. A COMMIT that
        // failed may leave the transaction open, and then this connection would see its own
        // uncommitted row: end it first, so the re-read sees only what is committed.
        if (sqlite3_get_autocommit(db.raw()) == 0)
            (void)db.exec("ROLLBACK");
        auto again = find_ticket_by_id(db, t.id);
        if (again.ok() && again->has_value())
            return again->value();
        return committed.error().context("cannot save the request");
    }
    return Error {"cannot save the request: " + last_error};
}

Result<std::optional<Ticket>> find_ticket_by_id(Db& db, std::string const& id) {
    return find_one(db, "id", id);
}

Result<std::optional<Ticket>> find_ticket_by_code(Db& db, std::string const& code) {
    auto canonical = normalize_ticket_code(code);
    if (!canonical)
        return std::optional<Ticket> {};
    return find_one(db, "code", *canonical);
}

Result<std::optional<Ticket>> lookup_ticket(Db& db, std::string_view code, std::string_view check) {
    auto const typed = parse_status_check(check);
    if (!typed)
        return std::optional<Ticket> {};
    bool const by_email = typed->kind == CheckKind::Email;

    std::optional<Ticket> found;
    std::string stored;
    if (auto canonical = normalize_ticket_code(code)) {
        TRY_RESULT(auto found_row, find_one(db, "code", *canonical));
        found = std::move(found_row);
        if (found) {
            bool const held = !found->personal_data_purged;
            stored = effective_check_hash(found->id, typed->kind,
                by_email ? found->email_check : found->phone_check,
                held ? found->input.phone : std::string {},
                held ? found->input.email : std::string {});
        }
    }
    // The hash is computed for unknown codes too, so both answers take about the same time.
    std::string const expected
        = ticket_check_hash(found ? found->id : std::string(36, '0'), *typed);
    if (!found || !check_hash_matches(stored, expected))
        return std::optional<Ticket> {};
    return found;
}

Result<void> mark_acknowledged(Db& db, std::string const& id, int64_t now) {
    TRY_RESULT(auto st,
        db.prepare(
            "UPDATE tickets SET state = 'acknowledged', acknowledged_at = ?, last_error = '' "
            "WHERE id = ?"));
    st.bind_all(now, id);
    TRY_VOID(st.run());
    if (db.changes() != 1)
        return Error {"no ticket " + id};
    return {};
}

Result<void> remember_server_time(Db& db, int64_t server_time, BootClock const& at) {
    if (at.boot_id.empty())
        return {};
    return set_state(db, server_clock_key,
        std::to_string(server_time) + " " + at.boot_id + " " + std::to_string(at.boottime_ms));
}

Result<std::optional<int64_t>> server_now(Db& db, BootClock const& now) {
    TRY_RESULT(auto stored, get_state(db, server_clock_key));
    if (!stored)
        return std::optional<int64_t> {};
    // "SERVER_TIME BOOT_ID BOOTTIME_MS"
    std::string const& v = *stored;
    auto first = v.find(' ');
    auto second = first == std::string::npos ? first : v.find(' ', first + 1);
    if (second == std::string::npos)
        return std::optional<int64_t> {};
    BootClock then;
    then.boot_id = v.substr(first + 1, second - first - 1);
    auto server_time_read = parse_int<int64_t>(std::string_view(v).substr(0, first));
    auto boottime_read = parse_int<int64_t>(std::string_view(v).substr(second + 1));
    if (!server_time_read || !boottime_read)
        return std::optional<int64_t> {};
    int64_t const server_time = *server_time_read;
    then.boottime_ms = *boottime_read;
    int64_t const since = boot_seconds_between(then, now);
    if (since < 0)
        return std::optional<int64_t> {};
    return std::optional<int64_t> {server_time + since};
}

Result<int> purge_personal_data(Db& db, int64_t now, int64_t retention_seconds) {
    TRY_VOID(db.exec("PRAGMA secure_delete = ON"));
    TRY_RESULT(auto st,
        db.prepare("UPDATE tickets SET name = '', phone = '', email = '', organisation = '', "
                   "question = '', purged = 1 WHERE purged = 0 AND ((state = 'acknowledged' "
                   "AND acknowledged_at <= ?1) OR (state = 'quarantined' "
                   "AND quarantine_seen_at > 0 AND quarantine_seen_at <= ?1))"));
    // A quarantined ticket may be released by staff and delivered after all: its personal data
    // goes only a retention period after staff saw it held (the staff screen, ksd-sync status).
    st.bind(1, now - retention_seconds);
    TRY_VOID(st.run());
    int purged = db.changes();
    // The WAL still holds the pages as they were; a TRUNCATE checkpoint copies the new pages
    // into the database file and empties the WAL.
    TRY_RESULT(auto cp, db.prepare("PRAGMA wal_checkpoint(TRUNCATE)"));
    TRY_RESULT(bool row, cp.step());
    if (row && cp.column_int(0) != 0)
        return Error {"personal data blanked, but the WAL checkpoint was blocked by a reader; it "
                      "runs again later"};
    return purged;
}

Result<QueueCounts> queue_counts(Db& db) {
    QueueCounts c;
    TRY_RESULT(auto st, db.prepare("SELECT state, count(*) FROM tickets GROUP BY state"));
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        auto state = parse_delivery_state(st.column_text(0));
        int n = st.column_int(1);
        if (state == DeliveryState::Queued)
            c.queued = n;
        else if (state == DeliveryState::Sending)
            c.sending = n;
        else if (state == DeliveryState::Acknowledged)
            c.acknowledged = n;
        else if (state == DeliveryState::Quarantined)
            c.quarantined = n;
    }
    TRY_RESULT(auto oldest,
        db.prepare("SELECT coalesce(min(created_at), 0) FROM tickets WHERE state IN ('queued', "
                   "'sending')"));
    TRY_RESULT(bool row, oldest.step());
    c.oldest_unsent_created_at = row ? oldest.column_int64(0) : 0;
    return c;
}

Result<std::vector<HeldTicket>> quarantined_tickets(Db& db, int limit) {
    TRY_RESULT(auto st,
        db.prepare("SELECT code, last_error, created_at FROM tickets WHERE state = 'quarantined' "
                   "ORDER BY sequence LIMIT ?"));
    st.bind(1, int64_t(limit));
    std::vector<HeldTicket> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_int64(2)});
    }
    return out;
}

Result<int> mark_quarantine_seen(Db& db, int64_t now) {
    TRY_RESULT(auto st,
        db.prepare("UPDATE tickets SET quarantine_seen_at = ? WHERE state = 'quarantined' "
                   "AND quarantine_seen_at = 0"));
    // A clock at 1970 (a Pi without RTC before NTP) would make "seen" look decades old and let
    // the purge run at once: such a time is not recorded, staff are asked again later.
    constexpr int64_t year_2020 = 1577836800;
    if (now < year_2020)
        return 0;
    st.bind(1, now);
    TRY_VOID(st.run());
    return db.changes();
}

Result<std::vector<HeldTicket>> release_quarantined(Db& db) {
    TRY_RESULT(auto tx, Transaction::begin(db));
    TRY_RESULT(auto held, quarantined_tickets(db, std::numeric_limits<int>::max()));
    TRY_VOID(db.exec("UPDATE tickets SET state = 'queued', attempts = 0, next_attempt_at = 0, "
                     "last_error = '', quarantine_seen_at = 0 WHERE state = 'quarantined'"));
    TRY_VOID(tx.commit());
    return held;
}

Result<void> store_staff_replies(
    Db& db, std::string const& ticket_id, std::vector<StaffReply> const& replies) {
    // The list is the ticket's whole set as of the update: rows it no longer names go (a server
    // restored from an older backup may hand out a reply id again), the others are written as
    // sent, so the same update applied twice leaves the same rows.
    TRY_RESULT(auto drop, db.prepare("DELETE FROM ticket_replies WHERE ticket_id = ?1"));
    drop.bind(1, ticket_id);
    TRY_VOID(drop.run());
    TRY_RESULT(auto put,
        db.prepare("INSERT INTO ticket_replies(ticket_id, reply_id, at, role, text) VALUES "
                   "(?1, ?2, ?3, ?4, ?5) ON CONFLICT(ticket_id, reply_id) DO UPDATE SET "
                   "at = excluded.at, role = excluded.role, text = excluded.text"));
    for (auto const& r : replies) {
        put.bind_all(ticket_id, r.id, r.at, r.role, r.text);
        TRY_VOID(put.run());
    }
    return {};
}

Result<std::vector<StaffReply>> staff_replies(Db& db, std::string const& ticket_id) {
    TRY_RESULT(auto st,
        db.prepare("SELECT reply_id, at, role, text FROM ticket_replies WHERE ticket_id = ?1 "
                   "ORDER BY reply_id"));
    st.bind(1, ticket_id);
    std::vector<StaffReply> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(
            {st.column_int64(0), st.column_int64(1), st.column_text(2), st.column_text(3)});
    }
    return out;
}

} // namespace ksd
