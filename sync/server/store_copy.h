// `ksd-server migrate --from server.db --to postgresql://...` (issue 15): a regency's SQLite
// database copied into an empty PostgreSQL one, table by table in one transaction, then checked
// by row counts and by a hash of every row on both sides.
#pragma once

#include "sql.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ksd::server {

struct TableCopy {
    std::string table;
    int64_t source_rows {0};
    int64_t target_rows {0};
    std::string source_hash; // SHA-256 over the sorted hashes of the rows (order-free)
    std::string target_hash;
    bool same() const { return source_rows == target_rows && source_hash == target_hash; }
};

// Copies from (both opened with open_store, so at this program's schema) into to, which must
// hold no requests, kiosks, users or content yet (a non-empty target is refused, untouched). The
// copy keeps ids, the database identity (db_id: kiosks see the same server) and the next ids of
// every identity column. Staff sessions, login throttles and status-page failure counts are not
// copied (they are short-lived: staff log in again).
Result<std::vector<TableCopy>> copy_store(Conn& from, Conn& to);

// The tables copy_store copies, in the order it copies them (referenced tables first).
std::vector<std::string> const& copied_tables();

} // namespace ksd::server
