// Device database schema and state helpers; see device_db.h.
#include "ksd/device_db.h"

#include <array>

namespace ksd {

namespace {
constexpr std::array<Migration, 1> steps {{
    {1, "CREATE TABLE device_state(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"},
}};
} // namespace

std::span<Migration const> device_db_migrations() {
    return steps;
}

Result<Db> open_device_db(std::string const& path) {
    TRY_RESULT(Db db, Db::open(path, OpenMode::ReadWriteCreate, Durability::Full));
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
