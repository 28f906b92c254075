// The SQLite side of the server's connection (sql.h): ksd::Db and ksd::Statement underneath,
// the schema version in PRAGMA user_version, BEGIN IMMEDIATE for the write lock.
#include "sql_engines.h"

#include <sqlite3.h>

namespace ksd::server {

namespace {

class SqliteStmt final : public StmtImpl {
public:
    explicit SqliteStmt(Statement st)
        : m_st(std::move(st)) { }
    void bind_text(int i, std::string_view t) override { m_st.bind(i, t); }
    void bind_int(int i, int64_t v) override { m_st.bind(i, v); }
    void bind_double(int i, double v) override { m_st.bind(i, v); }
    void bind_blob(int i, std::string_view b) override { m_st.bind_blob(i, b); }
    void bind_null(int i) override { m_st.bind_null(i); }
    Result<bool> step() override { return m_st.step(); }
    void reset() override { m_st.reset(); }
    int column_count() const override { return m_st.column_count(); }
    bool column_is_null(int c) const override { return m_st.column_is_null(c); }
    int64_t column_int64(int c) const override { return m_st.column_int64(c); }
    double column_double(int c) const override { return m_st.column_double(c); }
    std::string column_text(int c) const override { return m_st.column_text(c); }
    std::string column_blob(int c) const override { return m_st.column_blob(c); }

private:
    Statement m_st;
};

class SqliteConn final : public ConnImpl {
public:
    explicit SqliteConn(Db db)
        : m_db(std::move(db)) { }
    Engine engine() const override { return Engine::Sqlite; }
    Result<void> exec(std::string_view sql) override { return m_db.exec(sql); }
    Result<Stmt> prepare(std::string_view sql) override {
        TRY_RESULT(auto st, m_db.prepare(sql));
        return Stmt(std::make_unique<SqliteStmt>(std::move(st)));
    }
    int64_t changes() const override { return m_db.changes(); }
    Result<int> schema_version() override { return m_db.user_version(); }
    Result<void> set_schema_version(int v) override {
        return m_db.exec("PRAGMA user_version = " + std::to_string(v));
    }
    Result<void> begin() override { return m_db.exec("BEGIN IMMEDIATE"); }
    Result<void> commit() override { return m_db.exec("COMMIT"); }
    void rollback() override {
        if (sqlite3_get_autocommit(m_db.raw()) == 0)
            (void)m_db.exec("ROLLBACK");
    }
    bool usable() const override { return true; }
    Db* sqlite() override { return &m_db; }

private:
    Db m_db;
};

} // namespace

Result<Conn> open_sqlite(std::string const& path, ConnOptions const& options) {
    TRY_RESULT(auto db,
        Db::open(path, OpenMode::ReadWriteCreate, Durability::Full, options.busy_timeout_ms));
    return Conn(std::make_unique<SqliteConn>(std::move(db)), path);
}

Result<Conn> open_conn(std::string const& target, ConnOptions const& options) {
    switch (engine_of(target)) {
    case Engine::Sqlite:
        return open_sqlite(target, options);
    case Engine::Postgres:
        return open_postgres(target, options);
    }
    return make_error("unknown database engine");
}

} // namespace ksd::server
