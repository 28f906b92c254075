// SQLite RAII wrapper; see db.h for the contracts.
#include "ksd/db.h"

#include <sqlite3.h>

namespace ksd {

namespace {
Error sqlite_error(sqlite3* db, std::string_view what) {
    std::string m(what);
    m += ": ";
    m += db ? sqlite3_errmsg(db) : "out of memory";
    return Error {std::move(m), db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM};
}
} // namespace

Result<Db> Db::open(
    std::string const& path, OpenMode mode, Durability durability, int busy_timeout_ms) {
    int flags = SQLITE_OPEN_NOMUTEX;
    std::string target = path;
    bool uri = false;
    switch (mode) {
    case OpenMode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case OpenMode::ReadOnlyImmutable: {
        flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
        uri = true;
        // Percent-encode what a URI path cannot hold as is.
        std::string encoded = "file:";
        for (char c : path) {
            if (c == '%' || c == '?' || c == '#') {
                char buf[4];
                snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
                encoded += buf;
            } else {
                encoded += c;
            }
        }
        target = encoded + "?immutable=1";
        break;
    }
    case OpenMode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case OpenMode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    (void)uri;
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(target.c_str(), &raw, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error e = sqlite_error(raw, "cannot open database " + path);
        sqlite3_close(raw);
        return e;
    }
    sqlite3_extended_result_codes(raw, 1);
    Db db(raw, path);
    sqlite3_busy_timeout(raw, busy_timeout_ms);
    if (mode == OpenMode::ReadWrite || mode == OpenMode::ReadWriteCreate) {
        // SQLite quietly opens a file it may not write read-only, and the first write fails
        // much later (for the kiosk: when the visitor presses "Kirim" after six steps). Asked
        // for writing, a read-only file is an error now, with SQLite's own code.
        if (sqlite3_db_readonly(raw, "main") == 1)
            return Error {"cannot open database " + path
                    + " for writing: the file is read-only (check its owner and permissions)",
                SQLITE_READONLY};
        // journal_mode returns a row; exec() ignores it. WAL lets readers (the sync agent)
        // run while the kiosk writes.
        TRY_VOID(db.exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"));
        TRY_VOID(db.exec(durability == Durability::Full ? "PRAGMA synchronous=FULL;"
                                                        : "PRAGMA synchronous=NORMAL;"));
    }
    // Touch the schema now so that a file that is not a database fails at open, not later.
    auto check = db.exec("SELECT count(*) FROM sqlite_schema;");
    if (!check.ok())
        return Error {"cannot open database " + path + ": " + check.error().message};
    return db;
}

Db::Db(Db&& other) noexcept
    : m_db(other.m_db)
    , m_path(std::move(other.m_path)) {
    other.m_db = nullptr;
}

Db& Db::operator=(Db&& other) noexcept {
    if (this != &other) {
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = other.m_db;
        m_path = std::move(other.m_path);
        other.m_db = nullptr;
    }
    return *this;
}

Db::~Db() {
    if (m_db)
        sqlite3_close_v2(m_db);
}

Result<void> Db::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string m = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        return Error {m, sqlite3_extended_errcode(m_db)};
    }
    return {};
}

Result<Statement> Db::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return sqlite_error(m_db, "cannot prepare statement");
    }
    return Statement(stmt, m_db);
}

int64_t Db::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(m_db);
}
int Db::changes() const {
    return sqlite3_changes(m_db);
}
std::string Db::message() const {
    return sqlite3_errmsg(m_db);
}

Result<int> Db::user_version() {
    TRY_RESULT(auto st, prepare("PRAGMA user_version"));
    TRY_RESULT(bool row, st.step());
    if (!row)
        return Error {"PRAGMA user_version returned no row"};
    return st.column_int(0);
}

Statement::Statement(Statement&& o) noexcept
    : m_stmt(o.m_stmt)
    , m_db(o.m_db)
    , m_bind_error(std::move(o.m_bind_error)) {
    o.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& o) noexcept {
    if (this != &o) {
        sqlite3_finalize(m_stmt);
        m_stmt = o.m_stmt;
        m_db = o.m_db;
        m_bind_error = std::move(o.m_bind_error);
        o.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

void Statement::note_bind(int rc) {
    if (rc != SQLITE_OK && m_bind_error.empty())
        m_bind_error = std::string("cannot bind parameter: ") + sqlite3_errmsg(m_db);
}

Statement& Statement::bind(int index, std::string_view text) {
    note_bind(sqlite3_bind_text64(
        m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement& Statement::bind(int index, int64_t value) {
    note_bind(sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Statement& Statement::bind(int index, double value) {
    note_bind(sqlite3_bind_double(m_stmt, index, value));
    return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
    note_bind(sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bind_null(int index) {
    note_bind(sqlite3_bind_null(m_stmt, index));
    return *this;
}

Statement& Statement::bind(int index, std::optional<std::string> const& text) {
    return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Result<bool> Statement::step() {
    if (!m_bind_error.empty())
        return Error {m_bind_error};
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    std::string m = sqlite3_errmsg(m_db);
    int code = sqlite3_extended_errcode(m_db);
    sqlite3_reset(m_stmt);
    return Error {m, code};
}

Result<void> Statement::run() {
    auto r = step();
    reset();
    if (!r.ok())
        return r.error();
    return {};
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bind_error.clear();
}

int Statement::column_count() const {
    return sqlite3_column_count(m_stmt);
}
bool Statement::column_is_null(int col) const {
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}
int64_t Statement::column_int64(int col) const {
    return sqlite3_column_int64(m_stmt, col);
}
double Statement::column_double(int col) const {
    return sqlite3_column_double(m_stmt, col);
}

std::string Statement::column_text(int col) const {
    auto p = sqlite3_column_text(m_stmt, col);
    int n = sqlite3_column_bytes(m_stmt, col);
    return p ? std::string(reinterpret_cast<char const*>(p), static_cast<size_t>(n))
             : std::string();
}

std::optional<std::string> Statement::column_optional_text(int col) const {
    if (column_is_null(col))
        return std::nullopt;
    return column_text(col);
}

std::string Statement::column_blob(int col) const {
    auto p = sqlite3_column_blob(m_stmt, col);
    int n = sqlite3_column_bytes(m_stmt, col);
    return p ? std::string(static_cast<char const*>(p), static_cast<size_t>(n)) : std::string();
}

Result<Transaction> Transaction::begin(Db& db, TransactionKind kind) {
    TRY_VOID(db.exec(kind == TransactionKind::Immediate ? "BEGIN IMMEDIATE" : "BEGIN"));
    return Transaction(&db);
}

Transaction::Transaction(Transaction&& o) noexcept
    : m_db(o.m_db)
    , m_done(o.m_done) {
    o.m_done = true;
}

Transaction::~Transaction() {
    if (!m_done && sqlite3_get_autocommit(m_db->raw()) == 0)
        (void)m_db->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
    auto r = m_db->exec("COMMIT");
    if (r.ok()) {
        m_done = true;
        return {};
    }
    // A failed COMMIT may leave the transaction open; the destructor rolls it back.
    return r.error().context("commit failed");
}

std::string quote_identifier(std::string_view id) {
    std::string out = "\"";
    for (char c : id) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

} // namespace ksd
