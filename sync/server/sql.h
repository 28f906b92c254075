// The server's database connection on either storage engine (issue 15): SQLite (a file path, the
// default for a regency) or PostgreSQL (a postgresql:// or postgres:// URI, through libpq, for a
// province or ministry running many servers on one database). The store writes one SQL text with
// ?N placeholders; each engine's connection translates what differs (placeholders, schema
// version, transactions, busy and lost-connection errors) in sql_sqlite.cpp and sql_pg.cpp, and
// the few statements whose SQL must differ ask engine(). Nothing above the store knows the engine.
#pragma once

#include "ksd/db.h"
#include "ksd/migrate.h"
#include "ksd/result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ksd::server {

enum class Engine { Sqlite, Postgres };
// Which engine a --db value names: postgresql:// or postgres:// is PostgreSQL, anything else a
// SQLite file.
Engine engine_of(std::string_view target);

// A prepared statement's engine side; see Stmt.
class StmtImpl {
public:
    virtual ~StmtImpl() = default;
    virtual void bind_text(int index, std::string_view text) = 0;
    virtual void bind_int(int index, int64_t value) = 0;
    virtual void bind_double(int index, double value) = 0;
    virtual void bind_blob(int index, std::string_view bytes) = 0;
    virtual void bind_null(int index) = 0;
    virtual Result<bool> step() = 0;
    virtual void reset() = 0;
    virtual int column_count() const = 0;
    virtual bool column_is_null(int col) const = 0;
    virtual int64_t column_int64(int col) const = 0;
    virtual double column_double(int col) const = 0;
    virtual std::string column_text(int col) const = 0;
    virtual std::string column_blob(int col) const = 0;
};

// A prepared statement with bound parameters only (never string building). Parameters are
// 1-based. The API is ksd::Statement's, so store code reads the same on both engines.
class Stmt {
public:
    explicit Stmt(std::unique_ptr<StmtImpl> impl)
        : m(std::move(impl)) { }

    Stmt& bind(int index, std::string_view text) {
        m->bind_text(index, text);
        return *this;
    }
    Stmt& bind(int index, char const* text) { return bind(index, std::string_view(text)); }
    Stmt& bind(int index, std::string const& text) { return bind(index, std::string_view(text)); }
    Stmt& bind(int index, int64_t value) {
        m->bind_int(index, value);
        return *this;
    }
    Stmt& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Stmt& bind(int index, double value) {
        m->bind_double(index, value);
        return *this;
    }
    Stmt& bind_blob(int index, std::string_view bytes) {
        m->bind_blob(index, bytes);
        return *this;
    }
    Stmt& bind_null(int index) {
        m->bind_null(index);
        return *this;
    }
    Stmt& bind(int index, std::optional<std::string> const& text) {
        return text ? bind(index, *text) : bind_null(index);
    }
    template <typename... Args>
    Stmt& bind_all(Args const&... args) {
        int i = 1;
        (bind(i++, args), ...);
        return *this;
    }

    // True when a row is ready, false when done; a bind error is reported here.
    Result<bool> step() { return m->step(); }
    // Runs a statement that returns no rows (or ignores them) and resets it.
    Result<void> run();
    void reset() { m->reset(); }

    int column_count() const { return m->column_count(); }
    bool column_is_null(int col) const { return m->column_is_null(col); }
    // PostgreSQL's booleans read as 1 and 0, as SQLite's comparisons do.
    int64_t column_int64(int col) const { return m->column_int64(col); }
    int column_int(int col) const { return static_cast<int>(column_int64(col)); }
    double column_double(int col) const { return m->column_double(col); }
    std::string column_text(int col) const { return m->column_text(col); }
    std::optional<std::string> column_optional_text(int col) const {
        if (column_is_null(col))
            return std::nullopt;
        return column_text(col);
    }
    std::string column_blob(int col) const { return m->column_blob(col); }

private:
    std::unique_ptr<StmtImpl> m;
};

// A connection's engine side; see Conn.
class ConnImpl {
public:
    virtual ~ConnImpl() = default;
    virtual Engine engine() const = 0;
    virtual Result<void> exec(std::string_view sql) = 0;
    virtual Result<Stmt> prepare(std::string_view sql) = 0;
    virtual int64_t changes() const = 0;
    virtual Result<int> schema_version() = 0;
    // Inside a transaction.
    virtual Result<void> set_schema_version(int version) = 0;
    virtual Result<void> begin() = 0;
    virtual Result<void> commit() = 0;
    virtual void rollback() = 0;
    // False once the connection is lost (PostgreSQL): the pool drops it instead of reusing it.
    virtual bool usable() const = 0;
    // The SQLite connection underneath, for the few callers that need SQLite itself (backup of
    // the file, its integrity check); nullptr on PostgreSQL.
    virtual ksd::Db* sqlite() = 0;
};

// One connection. Move-only.
class Conn {
public:
    explicit Conn(std::unique_ptr<ConnImpl> impl, std::string target)
        : m(std::move(impl))
        , m_target(std::move(target)) { }

    Engine engine() const { return m->engine(); }
    // Runs statements without parameters (schema). Never pass user input.
    Result<void> exec(std::string_view sql) { return m->exec(sql); }
    Result<Stmt> prepare(std::string_view sql) { return m->prepare(sql); }
    // Rows changed by the last INSERT, UPDATE or DELETE (an int, as SQLite's own count).
    int changes() const { return static_cast<int>(m->changes()); }
    Result<int> schema_version() { return m->schema_version(); }
    Result<void> set_schema_version(int v) { return m->set_schema_version(v); }
    bool usable() const { return m->usable(); }
    ksd::Db* sqlite() { return m->sqlite(); }
    // The --db value, without a password, for messages.
    std::string const& path() const { return m_target; }
    ConnImpl& impl() { return *m; }

private:
    std::unique_ptr<ConnImpl> m;
    std::string m_target;
};

// A write transaction: begun on creation, rolled back on destruction unless committed. On SQLite
// BEGIN IMMEDIATE takes the write lock; on PostgreSQL the transaction takes one advisory lock, so
// writers run one at a time on both engines (what the store's read-then-write steps rely on),
// across every server process sharing the database. Readers never wait for it.
class Tx {
public:
    static Result<Tx> begin(Conn&, TransactionKind = TransactionKind::Immediate);
    Tx(Tx&& o) noexcept
        : m_conn(o.m_conn)
        , m_done(o.m_done) {
        o.m_done = true;
    }
    Tx& operator=(Tx&&) = delete;
    Tx(Tx const&) = delete;
    Tx& operator=(Tx const&) = delete;
    ~Tx();
    // After an error from COMMIT the outcome is unknown: callers that promised something to a
    // person re-read to find out.
    Result<void> commit();

private:
    explicit Tx(Conn* c)
        : m_conn(c) { }
    Conn* m_conn;
    bool m_done {false};
};

struct ConnOptions {
    // How long a writer waits for the write lock (SQLite's busy timeout, PostgreSQL's
    // lock_timeout) before failing with a busy error: a 503 with Retry-After, not a 500.
    int busy_timeout_ms {10000};
};

// Opens a connection to target (a file path or a postgresql:// URI). No schema work: open_store
// in store.h migrates.
Result<Conn> open_conn(std::string const& target, ConnOptions const& = {});

// Errors that mean "try again shortly" on either engine: SQLite busy or locked beyond the
// timeout; PostgreSQL lock timeout, serialization failure, deadlock, too many connections, a lost
// or refused connection. They carry SQLITE_BUSY as their code, so that is_busy (store.h) answers
// them with 503 and Retry-After.
Error transient_error(std::string message);

// Brings the schema up to the last step's version, one transaction per step; the version is read
// again inside each step's transaction, so that servers started together migrate once. A database
// newer than the steps (a newer server wrote it) is refused, never touched.
Result<void> migrate(Conn&, std::span<Migration const> steps);

// The target with any password in a postgresql:// URI replaced by ***, for logs and messages.
std::string redact_target(std::string const& target);

} // namespace ksd::server
