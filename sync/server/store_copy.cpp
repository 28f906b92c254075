// The SQLite-to-PostgreSQL copy (store_copy.h). Columns are the target's (minus generated ones);
// each value is bound by its SQLite storage class, so a BLOB stays bytes and an INTEGER a number.
#include "store_copy.h"

#include "store.h"

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>

namespace ksd::server {

namespace {

// Identity columns whose sequence must continue after the copied ids.
struct Identity {
    char const* table;
    char const* column;
};
constexpr Identity identities[] = {{"tickets", "rowid"}, {"changes", "seq"}, {"users", "id"},
    {"audit", "id"}, {"ticket_events", "id"}, {"canned_replies", "id"},
    {"kiosk_heartbeats", "rowid"}, {"outbox", "id"}, {"agreement_evaluations", "id"}};

Result<std::vector<std::string>> target_columns(Conn& to, std::string const& table) {
    TRY_RESULT(auto st,
        to.prepare("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                   "current_schema() AND table_name = ? AND is_generated = 'NEVER' "
                   "ORDER BY ordinal_position"));
    st.bind(1, table);
    std::vector<std::string> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(st.column_text(0));
    }
    if (out.empty())
        return make_error("the PostgreSQL database has no table " + table);
    return out;
}

std::string joined(std::vector<std::string> const& cols) {
    std::string out;
    for (auto const& c : cols)
        out += (out.empty() ? "" : ", ") + c;
    return out;
}

std::string hex_of(unsigned char const* p, size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}

// The hash of a table's rows as read through either engine: each row's values as text (blobs
// as hex, NULL as \N) hashed, the row hashes sorted (the engines order text keys differently),
// then hashed together.
Result<std::pair<int64_t, std::string>> table_hash(
    Conn& db, std::string const& table, std::vector<std::string> const& cols) {
    // The schema's two BLOB columns (BYTEA on PostgreSQL) are compared as bytes.
    std::vector<bool> blob;
    blob.reserve(cols.size());
    for (auto const& c : cols)
        blob.push_back(c == "token_hash" || (table == "content_blobs" && c == "data"));
    TRY_RESULT(auto st, db.prepare("SELECT " + joined(cols) + " FROM " + table));
    std::vector<std::string> rows;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        std::string text;
        for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
            if (st.column_is_null(i)) {
                text += "\\N";
            } else if (blob[static_cast<size_t>(i)]) {
                std::string b = st.column_blob(i);
                text += hex_of(reinterpret_cast<unsigned char const*>(b.data()), b.size());
            } else {
                text += st.column_text(i);
            }
            text += '\x1f';
        }
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, reinterpret_cast<unsigned char const*>(text.data()), text.size());
        rows.push_back(hex_of(h, sizeof h));
    }
    std::sort(rows.begin(), rows.end());
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    for (auto const& r : rows)
        crypto_hash_sha256_update(
            &state, reinterpret_cast<unsigned char const*>(r.data()), r.size());
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, h);
    return std::pair<int64_t, std::string> {static_cast<int64_t>(rows.size()), hex_of(h, sizeof h)};
}

} // namespace

std::vector<std::string> const& copied_tables() {
    static std::vector<std::string> const tables {"kiosks", "tickets", "changes", "content_packs",
        "code_claims", "users", "audit", "ticket_events", "canned_replies", "kiosk_heartbeats",
        "content_blobs", "content_source_files", "content_publications", "content_pending",
        "outbox", "skm_responses", "agreement_evaluations", "monev_digests", "meta"};
    return tables;
}

Result<std::vector<TableCopy>> copy_store(Conn& from, Conn& to) {
    Db* src = from.sqlite();
    if (!src)
        return make_error("--from must be a SQLite database file");
    if (to.engine() != Engine::Postgres)
        return make_error("--to must be a PostgreSQL database (postgresql://...)");

    TRY_RESULT(auto tx, Tx::begin(to));
    // Refused when anything but the new database's own identity is there.
    for (auto const& table : copied_tables()) {
        if (table == "meta")
            continue;
        TRY_RESULT(auto n, to.prepare("SELECT count(*) FROM " + table));
        TRY_RESULT(bool row, n.step());
        if (row && n.column_int64(0) > 0)
            return make_error(to.path() + " is not empty (" + table + " has "
                + std::to_string(n.column_int64(0))
                + " rows): migrate copies only into a new, empty database");
    }
    TRY_VOID(to.exec("DELETE FROM meta"));

    std::vector<TableCopy> report;
    for (auto const& table : copied_tables()) {
        TRY_RESULT(auto cols, target_columns(to, table));
        std::string placeholders;
        for (size_t i = 1; i <= cols.size(); ++i)
            placeholders += (i == 1 ? "?" : ", ?") + std::to_string(i);
        TRY_RESULT(auto read, src->prepare("SELECT " + joined(cols) + " FROM " + table));
        TRY_RESULT(auto write,
            to.prepare("INSERT INTO " + table + "(" + joined(cols) + ") OVERRIDING SYSTEM VALUE "
                + "VALUES (" + placeholders + ")"));
        while (true) {
            TRY_RESULT(bool row, read.step());
            if (!row)
                break;
            for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
                switch (sqlite3_column_type(read.raw(), i)) {
                case SQLITE_INTEGER:
                    write.bind(i + 1, read.column_int64(i));
                    break;
                case SQLITE_FLOAT:
                    write.bind(i + 1, read.column_double(i));
                    break;
                case SQLITE_BLOB:
                    write.bind_blob(i + 1, read.column_blob(i));
                    break;
                case SQLITE_NULL:
                    write.bind_null(i + 1);
                    break;
                default:
                    write.bind(i + 1, read.column_text(i));
                    break;
                }
            }
            auto r = write.run();
            if (!r.ok())
                return r.error().context("copying " + table);
        }
        TableCopy copied;
        copied.table = table;
        report.push_back(copied);
    }
    for (auto const& id : identities) {
        TRY_VOID(to.exec(std::string("SELECT setval(pg_get_serial_sequence('") + id.table + "', '"
            + id.column + "'), coalesce((SELECT max(" + id.column + ") FROM " + id.table
            + "), 0) + 1, false)"));
    }
    TRY_VOID(tx.commit());

    // The check, after the commit: both sides read as they now are.
    for (auto& t : report) {
        TRY_RESULT(auto cols, target_columns(to, t.table));
        // SQLite's implicit rowid is compared too: the copy keeps it.
        TRY_RESULT(auto s, table_hash(from, t.table, cols));
        TRY_RESULT(auto d, table_hash(to, t.table, cols));
        t.source_rows = s.first;
        t.source_hash = s.second;
        t.target_rows = d.first;
        t.target_hash = d.second;
    }
    return report;
}

} // namespace ksd::server
