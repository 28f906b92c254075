// The engine-neutral parts of the server's connection (sql.h): engine choice, transactions,
// migrations by version.
#include "sql.h"

#include <sqlite3.h>

namespace ksd::server {

Engine engine_of(std::string_view target) {
    return target.starts_with("postgresql://") || target.starts_with("postgres://")
        ? Engine::Postgres
        : Engine::Sqlite;
}

Error transient_error(std::string message) {
    return Error {std::move(message), SQLITE_BUSY};
}

std::string redact_target(std::string const& target) {
    if (engine_of(target) != Engine::Postgres)
        return target;
    // scheme://user:password@host...: the password is between the first ':' after the scheme
    // and the '@' that ends the user info.
    auto scheme_end = target.find("://") + 3;
    auto at = target.find('@', scheme_end);
    auto slash = target.find('/', scheme_end);
    if (at == std::string::npos || (slash != std::string::npos && slash < at))
        return target;
    auto colon = target.find(':', scheme_end);
    if (colon == std::string::npos || colon > at)
        return target;
    return target.substr(0, colon + 1) + "***" + target.substr(at);
}

Result<void> Stmt::run() {
    auto r = step();
    reset();
    if (!r.ok())
        return r.error();
    return {};
}

Result<Tx> Tx::begin(Conn& c, TransactionKind) {
    // Every transaction of the server writes (the store has no read-only ones), so both kinds
    // take the write lock at BEGIN.
    TRY_VOID(c.impl().begin());
    return Tx(&c);
}

Tx::~Tx() {
    if (!m_done)
        m_conn->impl().rollback();
}

Result<void> Tx::commit() {
    auto r = m_conn->impl().commit();
    if (!r.ok())
        return r.error().context("commit failed"); // the destructor rolls back what is left
    m_done = true;
    return {};
}

Result<void> migrate(Conn& db, std::span<Migration const> steps) {
    TRY_RESULT(int current, db.schema_version());
    TRY_VOID(check_migration(steps, db.path(), current));
    for (auto const& step : steps) {
        if (step.to_version <= current)
            continue;
        TRY_RESULT(auto tx, Tx::begin(db));
        // Another server may have migrated while this one waited for the lock.
        TRY_RESULT(current, db.schema_version());
        if (step.to_version <= current)
            continue;
        auto r = db.exec(step.sql);
        if (!r.ok())
            return Error {"migration to schema version " + std::to_string(step.to_version)
                    + " failed: " + r.error().message,
                r.error().sqlite_code};
        TRY_VOID(db.set_schema_version(step.to_version));
        TRY_VOID(tx.commit());
        current = step.to_version;
    }
    return {};
}

} // namespace ksd::server
