// Users, sessions, login throttling and the audit log of the staff dashboard (migration 4).
#include "store_staff.h"

#include <algorithm>

namespace ksd::server {

namespace {

constexpr char const* user_columns
    = "id, name, full_name, role, password_hash, lang, created_at, disabled_at";

UserRow read_user(Stmt& st) {
    UserRow u;
    u.id = st.column_int64(0);
    u.name = st.column_text(1);
    u.full_name = st.column_text(2);
    u.role = st.column_text(3);
    u.password_hash = st.column_text(4);
    u.lang = st.column_text(5);
    u.created_at = st.column_int64(6);
    u.disabled_at = st.column_int64(7);
    return u;
}

Result<std::optional<UserRow>> one_user(Stmt& st) {
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<UserRow> {};
    return std::optional<UserRow> {read_user(st)};
}

Result<void> update_user(Conn& db, char const* sql, int64_t id, std::string const& value) {
    TRY_RESULT(auto st, db.prepare(sql));
    st.bind_all(value, id);
    TRY_VOID(st.run());
    if (db.changes() == 0)
        return make_error("no user with id " + std::to_string(id));
    return {};
}

} // namespace

Result<int64_t> count_users(Conn& db) {
    TRY_RESULT(auto st, db.prepare("SELECT count(*) FROM users"));
    TRY_VOID(st.step());
    return st.column_int64(0);
}

Result<int64_t> add_user(Conn& db, UserRow const& u) {
    TRY_RESULT(auto existing, find_user(db, u.name));
    if (existing)
        return make_error("a user named " + existing->name + " exists already");
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO users(name, full_name, role, password_hash, lang, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
    st.bind_all(
        u.name, u.full_name, u.role, u.password_hash, u.lang.empty() ? "id" : u.lang, u.created_at);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return make_error("INSERT ... RETURNING id gave no row");
    return st.column_int64(0);
}

Result<std::optional<UserRow>> find_user(Conn& db, std::string const& name) {
    TRY_RESULT(auto st,
        db.prepare(
            std::string("SELECT ") + user_columns + " FROM users WHERE lower(name) = lower(?)"));
    st.bind_all(name);
    return one_user(st);
}

Result<std::optional<UserRow>> find_user_by_id(Conn& db, int64_t id) {
    TRY_RESULT(
        auto st, db.prepare(std::string("SELECT ") + user_columns + " FROM users WHERE id = ?"));
    st.bind_all(id);
    return one_user(st);
}

Result<std::vector<UserRow>> list_users(Conn& db) {
    TRY_RESULT(auto st,
        db.prepare(std::string("SELECT ") + user_columns
            + " FROM users ORDER BY disabled_at != 0, lower(name), name"));
    std::vector<UserRow> out;
    for (;;) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_user(st));
    }
    return out;
}

Result<void> set_user_role(Conn& db, int64_t id, std::string const& role) {
    return update_user(db, "UPDATE users SET role = ? WHERE id = ?", id, role);
}

Result<void> set_user_full_name(Conn& db, int64_t id, std::string const& full_name) {
    return update_user(db, "UPDATE users SET full_name = ? WHERE id = ?", id, full_name);
}

Result<void> set_user_password(Conn& db, int64_t id, std::string const& password_hash) {
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_VOID(update_user(db, "UPDATE users SET password_hash = ? WHERE id = ?", id, password_hash));
    TRY_VOID(delete_user_sessions(db, id));
    return tx.commit();
}

Result<void> set_user_lang(Conn& db, int64_t id, std::string const& lang) {
    return update_user(db, "UPDATE users SET lang = ? WHERE id = ?", id, lang);
}

Result<void> set_user_disabled(Conn& db, int64_t id, int64_t disabled_at) {
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_RESULT(auto st, db.prepare("UPDATE users SET disabled_at = ? WHERE id = ?"));
    st.bind_all(disabled_at, id);
    TRY_VOID(st.run());
    if (db.changes() == 0)
        return make_error("no user with id " + std::to_string(id));
    if (disabled_at != 0)
        TRY_VOID(delete_user_sessions(db, id));
    return tx.commit();
}

Result<void> create_session(Conn& db, SessionRow const& s) {
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO sessions(token_hash, user_id, csrf, created_at, last_seen_at, "
                   "address) VALUES (?, ?, ?, ?, ?, ?)"));
    st.bind_blob(1, s.token_hash);
    st.bind(2, s.user_id).bind(3, s.csrf).bind(4, s.created_at).bind(5, s.last_seen_at);
    st.bind(6, s.address);
    return st.run();
}

Result<std::optional<SessionRow>> find_session(Conn& db, std::string const& token_hash) {
    TRY_RESULT(auto st,
        db.prepare("SELECT user_id, csrf, created_at, last_seen_at, address FROM sessions "
                   "WHERE token_hash = ?"));
    st.bind_blob(1, token_hash);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<SessionRow> {};
    SessionRow s;
    s.token_hash = token_hash;
    s.user_id = st.column_int64(0);
    s.csrf = st.column_text(1);
    s.created_at = st.column_int64(2);
    s.last_seen_at = st.column_int64(3);
    s.address = st.column_text(4);
    return std::optional<SessionRow> {std::move(s)};
}

Result<void> touch_session(Conn& db, std::string const& token_hash, int64_t now) {
    TRY_RESULT(auto st,
        db.prepare("UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1 "
                   "AND last_seen_at < ?2 - 60"));
    st.bind_blob(1, token_hash);
    st.bind(2, now);
    return st.run();
}

Result<void> delete_session(Conn& db, std::string const& token_hash) {
    TRY_RESULT(auto st, db.prepare("DELETE FROM sessions WHERE token_hash = ?"));
    st.bind_blob(1, token_hash);
    return st.run();
}

Result<void> delete_user_sessions(Conn& db, int64_t user_id) {
    TRY_RESULT(auto st, db.prepare("DELETE FROM sessions WHERE user_id = ?"));
    st.bind_all(user_id);
    return st.run();
}

Result<void> prune_sessions(Conn& db, int64_t idle_before, int64_t created_before) {
    TRY_RESULT(
        auto st, db.prepare("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?"));
    st.bind_all(idle_before, created_before);
    return st.run();
}

Result<Throttle> get_throttle(Conn& db, std::string const& key) {
    TRY_RESULT(
        auto st, db.prepare("SELECT failures, locked_until FROM login_throttle WHERE key = ?"));
    st.bind_all(key);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return Throttle {};
    return Throttle {st.column_int64(0), st.column_int64(1)};
}

Result<Throttle> record_failure(
    Conn& db, std::string const& key, int64_t now, int free_failures, int64_t max_delay_s) {
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_RESULT(auto old, get_throttle(db, key));
    Throttle t;
    t.failures = old.failures + 1;
    // Free attempts first (a typo or two), then 2, 4, 8 ... seconds, up to max_delay_s.
    int64_t over = t.failures - free_failures;
    int64_t delay = over <= 0
        ? 0
        : std::min<int64_t>(max_delay_s, int64_t {1} << std::min<int64_t>(over, 30));
    t.locked_until = now + delay;
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO login_throttle(key, failures, last_at, locked_until) "
                   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(key) DO UPDATE SET "
                   "failures = ?2, last_at = ?3, locked_until = ?4"));
    st.bind_all(key, t.failures, now, t.locked_until);
    TRY_VOID(st.run());
    TRY_VOID(tx.commit());
    return t;
}

Result<void> clear_throttle(Conn& db, std::string const& key) {
    TRY_RESULT(auto st, db.prepare("DELETE FROM login_throttle WHERE key = ?"));
    st.bind_all(key);
    return st.run();
}

Result<void> append_audit(Conn& db, AuditEntry const& e) {
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO audit(at, user_id, user_name, address, action, target, detail) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)"));
    st.bind(1, e.at);
    if (e.user_id)
        st.bind(2, *e.user_id);
    else
        st.bind_null(2);
    st.bind(3, e.user_name).bind(4, e.address).bind(5, e.action).bind(6, e.target);
    st.bind(7, e.detail);
    return st.run();
}

Result<std::vector<AuditEntry>> list_audit(Conn& db, AuditFilter const& f) {
    TRY_RESULT(auto st,
        db.prepare("SELECT id, at, user_id, user_name, address, action, target, detail FROM audit "
                   "WHERE (?1 = '' OR user_name = ?1) AND (?2 = '' OR action = ?2) "
                   "AND at >= ?3 AND (?4 = 0 OR at < ?4) AND (?5 = 0 OR id < ?5) "
                   "ORDER BY id DESC LIMIT ?6"));
    st.bind_all(f.user_name, f.action, f.from, f.to, f.before_id, static_cast<int64_t>(f.limit));
    std::vector<AuditEntry> out;
    for (;;) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        AuditEntry e;
        e.id = st.column_int64(0);
        e.at = st.column_int64(1);
        if (!st.column_is_null(2))
            e.user_id = st.column_int64(2);
        e.user_name = st.column_text(3);
        e.address = st.column_text(4);
        e.action = st.column_text(5);
        e.target = st.column_text(6);
        e.detail = st.column_text(7);
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<std::string>> audit_actions(Conn& db) {
    TRY_RESULT(auto st, db.prepare("SELECT DISTINCT action FROM audit ORDER BY action"));
    std::vector<std::string> out;
    for (;;) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(st.column_text(0));
    }
    return out;
}

} // namespace ksd::server
