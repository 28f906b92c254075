// The PostgreSQL side of the server's connection (sql.h), through libpq: ?N placeholders become
// $N, parameters are sent as text (integers typed int8, blobs as binary bytea), results are read
// as text. The schema version is a one-row table; a write transaction takes one advisory lock
// (see Tx). SQLSTATEs that mean "try again" become transient errors (503 with Retry-After), a
// full disk SQLite's SQLITE_FULL, a unique violation SQLITE_CONSTRAINT, so callers that tell
// those apart need not know the engine.
#include "sql_engines.h"

#include "ksd/number.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace ksd::server {

namespace {

// pg_type OIDs (server/catalog/pg_type_d.h, stable since PostgreSQL 7).
constexpr Oid oid_bool = 16;
constexpr Oid oid_bytea = 17;
constexpr Oid oid_int8 = 20;
constexpr Oid oid_float8 = 701;

// The advisory lock every write transaction takes: "ksd" in ASCII.
constexpr char const* begin_write = "BEGIN; SELECT pg_advisory_xact_lock(7041892)";

// ?N -> $N and ? -> $k (k counting), outside string literals, quoted identifiers and comments.
std::string to_dollar_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 8);
    int next = 0;
    for (size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (c == '\'' || c == '"') {
            size_t end = sql.find(c, i + 1);
            end = end == std::string_view::npos ? sql.size() - 1 : end;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            size_t end = sql.find('\n', i);
            end = end == std::string_view::npos ? sql.size() - 1 : end;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (c == '?') {
            size_t j = i + 1;
            while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9')
                ++j;
            out += '$';
            if (j > i + 1) {
                out.append(sql.substr(i + 1, j - i - 1));
                i = j - 1;
            } else {
                out += std::to_string(++next);
            }
        } else {
            out += c;
        }
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 0;
}

bool is_transient_state(std::string_view state) {
    return state.starts_with("08") // connection exception
        || state == "40001" // serialization_failure
        || state == "40P01" // deadlock_detected
        || state == "55P03" // lock_not_available (lock_timeout)
        || state == "53300" // too_many_connections
        || state == "57P01" || state == "57P02" || state == "57P03"; // shutdown, cannot connect
}

class PgConn;

class PgStmt final : public StmtImpl {
public:
    PgStmt(PgConn* conn, std::string sql)
        : m_conn(conn)
        , m_sql(std::move(sql)) { }
    ~PgStmt() override { clear(); }
    PgStmt(PgStmt const&) = delete;
    PgStmt& operator=(PgStmt const&) = delete;

    void bind_text(int i, std::string_view t) override { set(i, std::string(t), 0, 0); }
    void bind_int(int i, int64_t v) override { set(i, std::to_string(v), oid_int8, 0); }
    void bind_double(int i, double v) override {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", v);
        set(i, buf, oid_float8, 0);
    }
    void bind_blob(int i, std::string_view b) override { set(i, std::string(b), oid_bytea, 1); }
    void bind_null(int i) override { set(i, std::nullopt, 0, 0); }
    Result<bool> step() override;
    void reset() override { clear(); }
    int column_count() const override { return m_res ? PQnfields(m_res) : 0; }
    bool column_is_null(int c) const override {
        return !has_row() || PQgetisnull(m_res, m_row, c) != 0;
    }
    int64_t column_int64(int c) const override {
        if (column_is_null(c))
            return 0;
        char const* v = PQgetvalue(m_res, m_row, c);
        if (PQftype(m_res, c) == oid_bool)
            return v[0] == 't' ? 1 : 0;
        int64_t out = 0;
        auto len = static_cast<size_t>(PQgetlength(m_res, m_row, c));
        auto [p, ec] = std::from_chars(v, v + len, out);
        if (ec != std::errc() || p != v + len) // numeric (sum, avg): truncated, as SQLite casts
            return static_cast<int64_t>(ksd::parse_double(std::string_view(v, len)).value_or(0.0));
        return out;
    }
    double column_double(int c) const override {
        if (column_is_null(c))
            return 0.0;
        return ksd::parse_double(std::string_view(PQgetvalue(m_res, m_row, c),
                                     static_cast<size_t>(PQgetlength(m_res, m_row, c))))
            .value_or(0.0);
    }
    std::string column_text(int c) const override {
        if (column_is_null(c))
            return {};
        return std::string(
            PQgetvalue(m_res, m_row, c), static_cast<size_t>(PQgetlength(m_res, m_row, c)));
    }
    std::string column_blob(int c) const override {
        std::string text = column_text(c);
        if (PQftype(m_res, c) != oid_bytea || !text.starts_with("\\x"))
            return text;
        std::string out;
        out.reserve((text.size() - 2) / 2);
        for (size_t i = 2; i + 1 < text.size(); i += 2)
            out += static_cast<char>(hex_value(text[i]) * 16 + hex_value(text[i + 1]));
        return out;
    }

private:
    void set(int i, std::optional<std::string> value, Oid type, int format) {
        if (i < 1)
            return;
        auto n = static_cast<size_t>(i);
        if (m_values.size() < n) {
            m_values.resize(n);
            m_types.resize(n, 0);
            m_formats.resize(n, 0);
        }
        m_values[n - 1] = std::move(value);
        m_types[n - 1] = type;
        m_formats[n - 1] = format;
    }
    bool has_row() const { return m_res && m_row >= 0 && m_row < PQntuples(m_res); }
    void clear() {
        if (m_res)
            PQclear(m_res);
        m_res = nullptr;
        m_row = -1;
    }

    PgConn* m_conn;
    std::string m_sql;
    std::vector<std::optional<std::string>> m_values;
    std::vector<Oid> m_types;
    std::vector<int> m_formats;
    PGresult* m_res {nullptr};
    int m_row {-1};
};

class PgConn final : public ConnImpl {
public:
    explicit PgConn(PGconn* c)
        : m_c(c) { }
    ~PgConn() override { PQfinish(m_c); }
    PgConn(PgConn const&) = delete;
    PgConn& operator=(PgConn const&) = delete;

    Engine engine() const override { return Engine::Postgres; }
    Result<void> exec(std::string_view sql) override {
        PGresult* r = PQexec(m_c, std::string(sql).c_str());
        auto out = check(r);
        PQclear(r);
        return out;
    }
    Result<Stmt> prepare(std::string_view sql) override {
        if (!usable())
            return lost();
        return Stmt(std::make_unique<PgStmt>(this, to_dollar_placeholders(sql)));
    }
    int64_t changes() const override { return m_changes; }
    Result<int> schema_version() override {
        TRY_RESULT(auto st,
            prepare("SELECT CASE WHEN to_regclass('ksd_schema_version') IS NULL THEN 0 "
                    "ELSE 1 END"));
        TRY_RESULT(bool row, st.step());
        if (!row || st.column_int64(0) == 0)
            return 0;
        TRY_RESULT(auto v, prepare("SELECT coalesce(max(version), 0) FROM ksd_schema_version"));
        TRY_RESULT(bool got, v.step());
        return got ? v.column_int(0) : 0;
    }
    Result<void> set_schema_version(int v) override {
        return exec("CREATE TABLE IF NOT EXISTS ksd_schema_version (version INTEGER NOT NULL);"
                    "DELETE FROM ksd_schema_version;"
                    "INSERT INTO ksd_schema_version(version) VALUES ("
            + std::to_string(v) + ")");
    }
    Result<void> begin() override {
        auto r = exec(begin_write);
        if (!r.ok())
            rollback(); // BEGIN ran, the lock wait failed: the transaction is open and aborted
        return r;
    }
    Result<void> commit() override {
        PGresult* r = PQexec(m_c, "COMMIT");
        auto out = check(r);
        // COMMIT of a transaction that had failed answers ROLLBACK without an error.
        if (out.ok() && std::string_view(PQcmdStatus(r)) == "ROLLBACK")
            out = make_error("the transaction was rolled back");
        PQclear(r);
        return out;
    }
    void rollback() override {
        if (PQtransactionStatus(m_c) != PQTRANS_IDLE && usable())
            PQclear(PQexec(m_c, "ROLLBACK"));
    }
    bool usable() const override {
        return PQstatus(m_c) == CONNECTION_OK && PQtransactionStatus(m_c) != PQTRANS_UNKNOWN;
    }
    Db* sqlite() override { return nullptr; }

    PGconn* raw() { return m_c; }
    void set_changes(int64_t n) { m_changes = n; }

    // The outcome of a statement as a value: transient states (and a lost connection) carry
    // SQLITE_BUSY; see the file comment.
    Result<void> check(PGresult* r) {
        auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
            return {};
        std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(m_c);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
            message.pop_back();
        char const* state_field = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        std::string state = state_field ? state_field : "";
        if (message.empty())
            message = "PostgreSQL: no answer";
        if (!usable() || is_transient_state(state))
            return transient_error("PostgreSQL: " + message);
        int code = SQLITE_ERROR;
        if (state == "53100")
            code = SQLITE_FULL;
        else if (state.starts_with("23"))
            code = SQLITE_CONSTRAINT;
        return Error {"PostgreSQL: " + message + (state.empty() ? "" : " [" + state + "]"), code};
    }
    Error lost() const {
        std::string m = PQerrorMessage(m_c);
        while (!m.empty() && m.back() == '\n')
            m.pop_back();
        return transient_error("PostgreSQL: the connection is lost" + (m.empty() ? "" : ": " + m));
    }

private:
    PGconn* m_c;
    int64_t m_changes {0};
};

Result<bool> PgStmt::step() {
    if (!m_res) {
        std::vector<char const*> values(m_values.size());
        std::vector<int> lengths(m_values.size());
        for (size_t i = 0; i < m_values.size(); ++i) {
            values[i] = m_values[i] ? m_values[i]->c_str() : nullptr;
            lengths[i] = m_values[i] ? static_cast<int>(m_values[i]->size()) : 0;
        }
        PGconn* c = m_conn->raw();
        m_res = PQexecParams(c, m_sql.c_str(), static_cast<int>(m_values.size()), m_types.data(),
            values.data(), lengths.data(), m_formats.data(), 0);
        auto ok = m_conn->check(m_res);
        if (!ok.ok()) {
            clear();
            return ok.error();
        }
        std::string_view cmd = PQcmdStatus(m_res);
        if (cmd.starts_with("INSERT") || cmd.starts_with("UPDATE") || cmd.starts_with("DELETE")) {
            char const* n = PQcmdTuples(m_res);
            m_conn->set_changes(n ? ksd::parse_int<int64_t>(n).value_or(0) : 0);
        }
        m_row = 0;
        return m_row < PQntuples(m_res);
    }
    ++m_row;
    return m_row < PQntuples(m_res);
}

// TLS verification on by default: libpq's own default (sslmode=prefer) encrypts when it can but
// checks no certificate. A database reached over the network gets verify-full unless the URI
// names its own sslmode; a Unix socket or the loopback keeps libpq's default.
Result<std::string> default_sslmode(std::string const& uri, std::string const& shown) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(uri.c_str(), &err);
    if (!opts) {
        std::string why = err ? err : "cannot be parsed";
        PQfreemem(err);
        while (!why.empty() && why.back() == '\n')
            why.pop_back();
        return make_error("PostgreSQL URI " + shown + ": " + why);
    }
    std::string host;
    for (PQconninfoOption* o = opts; o->keyword; ++o)
        if (o->val
            && (std::string_view(o->keyword) == "host"
                || std::string_view(o->keyword) == "hostaddr"))
            host += o->val;
    PQconninfoFree(opts);
    bool const local = host.empty() || host[0] == '/' || host == "localhost" || host == "127.0.0.1"
        || host == "::1";
    return std::string(local ? "prefer" : "verify-full");
}

} // namespace

Result<Conn> open_postgres(std::string const& uri, ConnOptions const& options) {
    std::string shown = redact_target(uri);
    TRY_RESULT(std::string sslmode, default_sslmode(uri, shown));
    // Keywords before dbname are overridden by what the URI itself says (expand_dbname).
    char const* const keys[] = {"sslmode", "dbname", nullptr};
    char const* const values[] = {sslmode.c_str(), uri.c_str(), nullptr};
    PGconn* c = PQconnectdbParams(keys, values, 1);
    if (!c)
        return make_error("PostgreSQL " + shown + ": out of memory");
    if (PQstatus(c) != CONNECTION_OK) {
        std::string m = PQerrorMessage(c);
        while (!m.empty() && m.back() == '\n')
            m.pop_back();
        PQfinish(c);
        return transient_error("cannot connect to PostgreSQL " + shown + ": " + m);
    }
    auto impl = std::make_unique<PgConn>(c);
    // A writer waits for the advisory lock as SQLite's busy timeout does; notices (e.g. "relation
    // exists, skipping") are not printed on the server's log.
    PQsetNoticeProcessor(
        c, [](void*, char const*) {}, nullptr);
    TRY_VOID(impl->exec("SET lock_timeout = " + std::to_string(options.busy_timeout_ms)
        + "; SET client_encoding = 'UTF8'; SET application_name = 'ksd-server'"));
    return Conn(std::move(impl), shown);
}

} // namespace ksd::server
