// Small pieces the server's tests share: a ticket as a kiosk uploads it, and one-value queries
// on the server's database (on either engine).
#pragma once

#include "sql.h"

#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace ksd::test {

// A valid upload of one ticket with a new id and code; created `sequence` seconds after a fixed
// moment (2026-11-23 00:00 WIB) on a trusted clock.
inline nlohmann::json upload_ticket(std::string const& kiosk_id, int64_t sequence) {
    return nlohmann::json {{"id", ksd::generate_uuid_v4()}, {"code", ksd::generate_ticket_code()},
        {"kiosk_id", kiosk_id}, {"created_at", 1795366800 + sequence}, {"clock_trusted", true},
        {"sequence", sequence}, {"category", "Perangkat daerah"}, {"topic", "Kerja sama daerah"},
        {"sector", ""}, {"name", "Siti Aminah"}, {"phone", "+6281234567890"}, {"email", ""},
        {"organisation", ""}, {"question", "Bagaimana alurnya?"}, {"lang", "id"},
        {"consent_version", "2026-1"}};
}

// The first column of the first row of sql, which must have one.
inline ksd::server::Stmt first_row(ksd::server::Conn& db, std::string const& sql) {
    auto st = db.prepare(sql);
    REQUIRE(st.ok());
    auto row = st->step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    return std::move(*st);
}

inline int64_t scalar(ksd::server::Conn& db, std::string const& sql) {
    return first_row(db, sql).column_int64(0);
}

inline std::string text_scalar(ksd::server::Conn& db, std::string const& sql) {
    return first_row(db, sql).column_text(0);
}

} // namespace ksd::test
