// Storage of monev (issue 14): evaluation history and digest weeks; see store_monev.h.
#include "store_monev.h"

namespace ksd::server {

namespace {

constexpr char const* evaluation_columns
    = "id, nomor, evaluated_on, state, summary, unit, recorded_by, recorded_at";

Evaluation read_evaluation(Stmt const& st) {
    Evaluation e;
    e.id = st.column_int64(0);
    e.nomor = st.column_text(1);
    // The table's CHECKs keep both valid; a bad one reads as the first day / not started.
    e.evaluated_on = parse_date(st.column_text(2)).value_or(Date {});
    e.state
        = parse_implementation_state(st.column_text(3)).value_or(ImplementationState::NotStarted);
    e.summary = st.column_text(4);
    e.unit = st.column_text(5);
    e.recorded_by = st.column_text(6);
    e.recorded_at = st.column_int64(7);
    return e;
}

} // namespace

Result<int64_t> add_evaluation(Conn& db, Evaluation const& e) {
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO agreement_evaluations(nomor, evaluated_on, state, summary, unit, "
                   "recorded_by, recorded_at) VALUES(?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    st.bind_all(e.nomor, e.evaluated_on.iso(), std::string(implementation_code(e.state)), e.summary,
        e.unit, e.recorded_by, e.recorded_at);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return make_error("INSERT ... RETURNING id gave no row");
    return st.column_int64(0);
}

Result<std::vector<Evaluation>> evaluations_of(Conn& db, std::string const& nomor) {
    TRY_RESULT(auto st,
        db.prepare(std::string("SELECT ") + evaluation_columns
            + " FROM agreement_evaluations WHERE nomor = ? ORDER BY evaluated_on DESC, id DESC"));
    st.bind(1, nomor);
    std::vector<Evaluation> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_evaluation(st));
    }
    return out;
}

Result<std::map<std::string, Evaluation>> latest_evaluations(Conn& db) {
    TRY_RESULT(auto st,
        db.prepare(std::string("SELECT ") + evaluation_columns
            + " FROM agreement_evaluations ORDER BY nomor, evaluated_on DESC, id DESC"));
    std::map<std::string, Evaluation> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        Evaluation e = read_evaluation(st);
        out.emplace(e.nomor, std::move(e)); // the first of each number is its latest
    }
    return out;
}

Result<void> rename_evaluations(Conn& db, std::string const& from, std::string const& to) {
    TRY_RESULT(auto st, db.prepare("UPDATE agreement_evaluations SET nomor = ? WHERE nomor = ?"));
    st.bind_all(to, from);
    return st.run();
}

Result<bool> claim_digest_week(Conn& db, std::string const& week, int64_t now) {
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO monev_digests(week, claimed_at) VALUES(?, ?) ON CONFLICT(week) DO "
                   "NOTHING"));
    st.bind_all(week, now);
    TRY_VOID(st.run());
    return db.changes() > 0;
}

Result<void> release_digest_week(Conn& db, std::string const& week) {
    TRY_RESULT(auto st, db.prepare("DELETE FROM monev_digests WHERE week = ? AND sent_at = 0"));
    st.bind(1, week);
    return st.run();
}

Result<void> mark_digest_sent(Conn& db, std::string const& week, int64_t now, int recipients) {
    TRY_RESULT(
        auto st, db.prepare("UPDATE monev_digests SET sent_at = ?, recipients = ? WHERE week = ?"));
    st.bind_all(now, recipients, week);
    return st.run();
}

} // namespace ksd::server
