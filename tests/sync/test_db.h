// The server's database for a test: a file in the test's TempDir on SQLite (the default), or a
// fresh database in the throw-away PostgreSQL cluster of tests/pg/cluster.sh when KSD_TEST_PG
// names that cluster's directory (the "sync-pg: " tests). Either way a string for --db.
#pragma once

#include "test_support.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace ksd::test {

// Thrown by server_db() after it printed "SKIPPED: why": ends the test, which CTest then reports
// as skipped (SKIP_REGULAR_EXPRESSION "SKIPPED:") whatever Catch2 makes of the exception.
struct PgSkipped : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// True when the tests run against PostgreSQL: KSD_TEST_PG holds the cluster's directory.
inline bool test_on_postgres() {
    char const* dir = std::getenv("KSD_TEST_PG");
    return dir && *dir;
}

namespace pg_detail {

inline std::string cluster_dir() {
    char const* dir = std::getenv("KSD_TEST_PG");
    return dir ? dir : "";
}

// Single-quotes for sh, quotes included (URIs hold '&' and '?').
inline std::string sh_quote(std::string const& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

inline std::string first_line(std::string s) {
    auto end = s.find('\n');
    return end == std::string::npos ? s : s.substr(0, end);
}

// psql from where cluster.sh found PostgreSQL, else from PATH.
inline std::string psql() {
    std::string bindir = first_line(slurp(cluster_dir() + "/bindir"));
    return bindir.empty() ? "psql" : sh_quote(bindir + "/psql");
}

inline std::string psql_command(std::string const& url) {
    return psql() + " -X -q -v ON_ERROR_STOP=1 -d " + sh_quote(url);
}

// The cluster's URI with its database (the path after the authority) replaced.
inline std::string with_database(std::string const& url, std::string const& db) {
    auto start = url.find('/', url.find("://") + 3);
    auto end = url.find('?', start);
    return url.substr(0, start + 1) + db + (end == std::string::npos ? "" : url.substr(end));
}

// The databases this process made, dropped when it exits (a long suite would otherwise
// fill the disk; cluster.sh stop removes whatever a killed test leaves).
class Registry {
public:
    ~Registry() {
        // A forked child that exits through exit() must not drop its parent's databases.
        if (m_names.empty() || ::getpid() != m_owner)
            return;
        std::string command = psql_command(m_url);
        for (auto const& name : m_names)
            command += " -c " + sh_quote("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        run(command + " >/dev/null 2>&1");
    }
    void add(std::string const& url, std::string const& name) {
        std::lock_guard lock(m_mutex);
        m_url = url;
        m_names.push_back(name);
    }
    int next() {
        std::lock_guard lock(m_mutex);
        return ++m_counter;
    }

private:
    std::mutex m_mutex;
    pid_t m_owner {::getpid()};
    std::string m_url;
    std::vector<std::string> m_names;
    int m_counter {0};
};

inline Registry& registry() {
    static Registry r;
    return r;
}

[[noreturn]] inline void skip(std::string const& why) {
    std::printf("SKIPPED: %s\n", why.c_str());
    std::fflush(stdout);
    throw PgSkipped("SKIPPED: " + why);
}

} // namespace pg_detail

// What the test passes to ksd-server --db: dir/name on SQLite; on PostgreSQL the URI of a new,
// empty database of its own (named after this process, a counter and name's stem), or a skip
// when the cluster is not there.
inline std::string server_db(TempDir const& dir, std::string const& name = "server.db") {
    if (!test_on_postgres())
        return dir / name;
    using namespace pg_detail;
    std::string cluster = cluster_dir();
    if (std::filesystem::exists(cluster + "/skip"))
        skip(first_line(slurp(cluster + "/skip")));
    std::string url = first_line(slurp(cluster + "/url"));
    if (url.empty())
        skip("no PostgreSQL test cluster (tests/pg/cluster.sh start was not run)");

    // A valid identifier without quoting: lower-case letters, digits and '_', at most 63 bytes.
    std::string stem;
    for (char c : std::filesystem::path(name).stem().string())
        stem += std::isalnum(static_cast<unsigned char>(c))
            ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
            : '_';
    std::string db = "ksd_" + std::to_string(::getpid()) + "_" + std::to_string(registry().next())
        + "_" + stem;
    db.resize(std::min<size_t>(db.size(), 63));

    // Dropped first: a test killed by its timeout leaves its databases, and a later process
    // may get the same pid. Two -c: CREATE DATABASE refuses to run inside a transaction block.
    auto out = capture(psql_command(url) + " -c "
        + sh_quote("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)") + " -c "
        + sh_quote("CREATE DATABASE " + db));
    INFO(out.text);
    REQUIRE(out.status == 0);
    registry().add(url, db);
    return with_database(url, db);
}

// What the sqlite3 shell prints for sql on a test's server database (rows of '|'-separated
// columns, one per line), on either engine: sqlite3 for a file, psql -At for a URI.
inline Output db_sql(std::string const& target, std::string const& sql) {
    if (target.starts_with("postgresql://") || target.starts_with("postgres://"))
        return capture(
            pg_detail::psql_command(target) + " -At -F '|' -c " + pg_detail::sh_quote(sql));
    return capture("sqlite3 " + pg_detail::sh_quote(target) + " " + pg_detail::sh_quote(sql));
}

// Ends a test that is about SQLite itself (its file, its shell) when the suite runs on
// PostgreSQL, as skipped with the reason.
inline void sqlite_only(std::string const& why) {
    if (test_on_postgres())
        pg_detail::skip("SQLite only: " + why);
}

} // namespace ksd::test
