// Issue 11, the public status page's storage (see store_status.h): a request's visible columns by
// code, its check hashes, and the wrong checks counted per code and per address.
#include "store_status.h"

#include "ksd/tickets.h"

namespace ksd::server {

Result<std::vector<StatusTicket>> status_tickets_by_code(Conn& db, std::string const& code) {
    TRY_RESULT(auto st,
        // made_at is set on every row (migration 9 filled the older ones; made_at_of in store.cpp).
        db.prepare("SELECT id, code, status, made_at, made_at_estimated, phone_check, "
                   "email_check, phone, email FROM tickets WHERE code = ? ORDER BY code_dup"));
    st.bind_all(code);
    std::vector<StatusTicket> out;
    for (;;) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        StatusTicket t;
        t.id = st.column_text(0);
        t.code = st.column_text(1);
        t.status = st.column_text(2);
        t.made_at = st.column_int64(3);
        t.made_at_estimated = st.column_int64(4) != 0;
        // Rows from kiosks that sent no hashes are judged by the stored contact data (the raw
        // values never leave this function).
        std::string const phone = st.column_text(7);
        std::string const email = st.column_text(8);
        t.phone_check
            = effective_check_hash(t.id, CheckKind::Phone, st.column_text(5), phone, email);
        t.email_check
            = effective_check_hash(t.id, CheckKind::Email, st.column_text(6), phone, email);
        out.push_back(std::move(t));
    }
    return out;
}

Result<int64_t> check_blocked_until(
    Conn& db, std::string const& key, CheckLimit limit, int64_t now) {
    // The limit-th newest failure inside the window: while it is there, the key is at the limit.
    TRY_RESULT(auto st,
        db.prepare("SELECT at FROM status_check_failures WHERE key = ?1 AND at > ?2 "
                   "ORDER BY at DESC LIMIT 1 OFFSET ?3"));
    st.bind_all(key, now - limit.window_s, int64_t {limit.max_failures - 1});
    TRY_RESULT(bool row, st.step());
    if (!row)
        return int64_t {0};
    return st.column_int64(0) + limit.window_s;
}

Result<void> record_check_failure(
    Conn& db, std::vector<std::string> const& keys, int64_t now, int64_t window_s) {
    for (auto const& key : keys) {
        TRY_RESULT(auto st, db.prepare("INSERT INTO status_check_failures(key, at) VALUES (?, ?)"));
        st.bind_all(key, now);
        TRY_VOID(st.run());
    }
    TRY_RESULT(auto old, db.prepare("DELETE FROM status_check_failures WHERE at <= ?"));
    old.bind_all(now - window_s);
    return old.run();
}

} // namespace ksd::server
