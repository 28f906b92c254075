// A thin RAII layer over SQLite: connections, prepared statements with bound parameters only,
// transactions. Every failure is a returned Error carrying SQLite's own message.
#pragma once

#include "ksd/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace ksd {

enum class OpenMode {
    ReadOnly,
    // The file must not change while open (a signed content pack): no locking, no WAL.
    ReadOnlyImmutable,
    ReadWrite,
    ReadWriteCreate,
};

enum class Durability {
    // synchronous=FULL: a COMMIT has reached the disk when it returns (tickets).
    Full,
    // synchronous=NORMAL in WAL: safe against corruption, may lose the last commits on power
    // loss (caches, state that can be rebuilt).
    Normal,
};

class Statement;

// One connection. Move-only; closes on destruction.
class Db {
public:
    // Opens (or creates) a database. For writable modes it turns on WAL, foreign keys, the
    // given durability and a busy timeout, so that two processes (kiosk and sync agent) can
    // share one file. Fails with the path and SQLite's message.
    static Result<Db> open(std::string const& path, OpenMode mode,
        Durability durability = Durability::Full, int busy_timeout_ms = 5000);

    Db(Db&&) noexcept;
    Db& operator=(Db&&) noexcept;
    Db(Db const&) = delete;
    Db& operator=(Db const&) = delete;
    ~Db();

    // Runs one or more statements without parameters (schema, pragmas). Never pass user input.
    Result<void> exec(std::string_view sql);
    // Compiles one statement; bind values with Statement::bind, never by string building.
    Result<Statement> prepare(std::string_view sql);

    int64_t last_insert_rowid() const;
    int changes() const;
    // PRAGMA user_version.
    Result<int> user_version();
    std::string const& path() const { return m_path; }
    sqlite3* raw() const { return m_db; }
    // The last error message of this connection.
    std::string message() const;

private:
    Db(sqlite3* db, std::string path)
        : m_db(db)
        , m_path(std::move(path)) { }
    sqlite3* m_db {nullptr};
    std::string m_path;
};

// A prepared statement. Parameters are 1-based, as in SQLite.
class Statement {
public:
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) noexcept;
    Statement(Statement const&) = delete;
    Statement& operator=(Statement const&) = delete;
    ~Statement();

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, char const* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::string const& text) {
        return bind(index, std::string_view(text));
    }
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind_null(int index);
    Statement& bind(int index, std::optional<std::string> const& text);

    // Binds all parameters in order: stmt.bind_all("a", 1, 2.0).
    template <typename... Args>
    Statement& bind_all(Args const&... args) {
        int i = 1;
        (bind(i++, args), ...);
        return *this;
    }

    // Advances: true when a row is ready, false when done. A bind error found earlier is
    // reported here, so callers check one place.
    Result<bool> step();
    // Runs a statement that returns no rows (or ignores them) and resets it.
    Result<void> run();
    void reset();

    int column_count() const;
    bool column_is_null(int col) const;
    int64_t column_int64(int col) const;
    int column_int(int col) const { return static_cast<int>(column_int64(col)); }
    double column_double(int col) const;
    std::string column_text(int col) const;
    std::optional<std::string> column_optional_text(int col) const;
    std::string column_blob(int col) const;

    sqlite3_stmt* raw() const { return m_stmt; }

private:
    friend class Db;
    Statement(sqlite3_stmt* stmt, sqlite3* db)
        : m_stmt(stmt)
        , m_db(db) { }
    void note_bind(int rc);
    sqlite3_stmt* m_stmt {nullptr};
    sqlite3* m_db {nullptr};
    std::string m_bind_error;
};

enum class TransactionKind {
    Deferred,
    // Takes the write lock at BEGIN, so a busy database fails early instead of mid-way.
    Immediate,
};

// BEGIN on creation, ROLLBACK on destruction unless commit() succeeded.
class Transaction {
public:
    static Result<Transaction> begin(Db&, TransactionKind = TransactionKind::Immediate);
    Transaction(Transaction&&) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(Transaction const&) = delete;
    ~Transaction();

    // After an error from COMMIT the outcome is unknown (the commit may be durable anyway):
    // callers that promised something to a person must re-read to find out.
    Result<void> commit();

private:
    explicit Transaction(Db* db)
        : m_db(db) { }
    Db* m_db;
    bool m_done {false};
};

// Quotes an identifier for SQL ("a""b"); for schema code only.
std::string quote_identifier(std::string_view);

} // namespace ksd
