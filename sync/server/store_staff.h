// The staff's accounts on the server database: users, their sessions, the growing delays after
// wrong passwords (kept in the database so a restart does not reset them), and the append-only
// audit log. All SQL of these tables is here.
#pragma once

#include "ksd/result.h"
#include "sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ksd::server {

struct UserRow {
    int64_t id {0};
    std::string name; // login name, unique without regard to case
    std::string full_name;
    std::string role; // "viewer", "responder", "editor", "admin"
    std::string password_hash; // crypto_pwhash_str (Argon2id)
    std::string lang; // "id" or "en": the dashboard's language for this user
    int64_t created_at {0};
    int64_t disabled_at {0}; // 0: active
};

Result<int64_t> count_users(Conn&);
// Adds a user; a name taken (in any case) is an error naming it.
Result<int64_t> add_user(Conn&, UserRow const&);
Result<std::optional<UserRow>> find_user(Conn&, std::string const& name);
Result<std::optional<UserRow>> find_user_by_id(Conn&, int64_t id);
Result<std::vector<UserRow>> list_users(Conn&);
Result<void> set_user_role(Conn&, int64_t id, std::string const& role);
Result<void> set_user_full_name(Conn&, int64_t id, std::string const& full_name);
Result<void> set_user_password(Conn&, int64_t id, std::string const& password_hash);
Result<void> set_user_lang(Conn&, int64_t id, std::string const& lang);
// Disabling also ends every session of the user.
Result<void> set_user_disabled(Conn&, int64_t id, int64_t disabled_at);

struct SessionRow {
    std::string token_hash; // BLAKE2b of the cookie's token; the token itself is never stored
    int64_t user_id {0};
    std::string csrf; // the synchronizer token of the session's forms
    int64_t created_at {0};
    int64_t last_seen_at {0};
    std::string address;
};
Result<void> create_session(Conn&, SessionRow const&);
Result<std::optional<SessionRow>> find_session(Conn&, std::string const& token_hash);
// Records activity; written at most once a minute per session (the idle timeout is minutes).
Result<void> touch_session(Conn&, std::string const& token_hash, int64_t now);
Result<void> delete_session(Conn&, std::string const& token_hash);
Result<void> delete_user_sessions(Conn&, int64_t user_id);
// Sessions idle since before idle_before or created before created_before.
Result<void> prune_sessions(Conn&, int64_t idle_before, int64_t created_before);

// Wrong passwords by key ("user:NAME" or "addr:ADDRESS").
struct Throttle {
    int64_t failures {0};
    int64_t locked_until {0}; // no attempt is checked before this time
};
Result<Throttle> get_throttle(Conn&, std::string const& key);
// Counts one more failure and sets the key's next allowed time, now + delay(failures).
Result<Throttle> record_failure(
    Conn&, std::string const& key, int64_t now, int free_failures, int64_t max_delay_s);
Result<void> clear_throttle(Conn&, std::string const& key);

struct AuditEntry {
    int64_t id {0};
    int64_t at {0};
    std::optional<int64_t> user_id; // none: the command line, or a failed login
    std::string user_name; // as typed for a failed login
    std::string address; // peer address, or "cli"
    std::string action; // e.g. "login", "login_failed", "reply", "status", "export"
    std::string target; // e.g. a request id, a kiosk id, a user name
    std::string detail;
};
// Appends one entry; the table refuses UPDATE and DELETE (triggers).
Result<void> append_audit(Conn&, AuditEntry const&);

struct AuditFilter {
    std::string user_name; // exact, "" = all
    std::string action; // exact, "" = all
    int64_t from {0}; // at >= from
    int64_t to {0}; // at < to; 0 = no end
    int64_t before_id {0}; // paging: entries older than this id; 0 = from the newest
    int limit {50};
};
// Newest first.
Result<std::vector<AuditEntry>> list_audit(Conn&, AuditFilter const&);
Result<std::vector<std::string>> audit_actions(Conn&);

} // namespace ksd::server
