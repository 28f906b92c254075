// The SQLite wrapper on real files: errors as values with SQLite's message, transactions that
// roll back, WAL and durability settings.
#include "ksd/db.h"
#include "test_support.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sqlite3.h>

using namespace ksd;

TEST_CASE("open, write with bound parameters, read back", "[db]") {
    test::TempDir dir;
    auto db = Db::open(dir / "a.db", OpenMode::ReadWriteCreate);
    REQUIRE(db.ok());
    REQUIRE(db->exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n REAL, b BLOB)").ok());
    auto ins = db->prepare("INSERT INTO t(name, n, b) VALUES(?, ?, ?)");
    REQUIRE(ins.ok());
    // A value that would break string-built SQL is just data here.
    std::string tricky = "Robert'); DROP TABLE t;--";
    ins->bind(1, tricky).bind(2, 2.5).bind_blob(3, std::string("\0\1\2", 3));
    REQUIRE(ins->run().ok());
    CHECK(db->last_insert_rowid() == 1);
    auto sel = db->prepare("SELECT name, n, b FROM t WHERE id = ?");
    REQUIRE(sel.ok());
    sel->bind(1, 1);
    auto row = sel->step();
    REQUIRE(row.ok());
    REQUIRE(row.value());
    CHECK(sel->column_text(0) == tricky);
    CHECK(sel->column_double(1) == 2.5);
    CHECK(sel->column_blob(2) == std::string("\0\1\2", 3));
    auto mode = db->prepare("PRAGMA journal_mode");
    REQUIRE(mode.ok());
    REQUIRE(mode->step().value());
    CHECK(mode->column_text(0) == "wal");
    auto sync = db->prepare("PRAGMA synchronous");
    REQUIRE(sync->step().value());
    CHECK(sync->column_int(0) == 2); // FULL
}

TEST_CASE("errors carry SQLite's message", "[db]") {
    test::TempDir dir;
    auto missing = Db::open(dir / "nope/x.db", OpenMode::ReadWriteCreate);
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().message, Catch::Contains("unable to open"));

    { std::ofstream(dir / "junk.db") << std::string(8192, 'x'); }
    auto junk = Db::open(dir / "junk.db", OpenMode::ReadOnly);
    REQUIRE_FALSE(junk.ok());
    CHECK_THAT(junk.error().message, Catch::Contains("not a database"));

    auto db = Db::open(dir / "b.db", OpenMode::ReadWriteCreate);
    REQUIRE(db.ok());
    auto bad = db->prepare("SELEC 1");
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Catch::Contains("syntax error"));
    REQUIRE(db->exec("CREATE TABLE u(x UNIQUE)").ok());
    REQUIRE(db->exec("INSERT INTO u VALUES(1)").ok());
    auto dup = db->exec("INSERT INTO u VALUES(1)");
    REQUIRE_FALSE(dup.ok());
    CHECK_THAT(dup.error().message, Catch::Contains("UNIQUE constraint failed"));
}

TEST_CASE("a transaction rolls back unless committed", "[db]") {
    test::TempDir dir;
    auto db = Db::open(dir / "c.db", OpenMode::ReadWriteCreate).release_value();
    REQUIRE(db.exec("CREATE TABLE t(x)").ok());
    {
        auto tx = Transaction::begin(db);
        REQUIRE(tx.ok());
        REQUIRE(db.exec("INSERT INTO t VALUES(1)").ok());
        // no commit: destroyed here
    }
    {
        auto tx = Transaction::begin(db);
        REQUIRE(db.exec("INSERT INTO t VALUES(2)").ok());
        REQUIRE(tx->commit().ok());
    }
    auto st = db.prepare("SELECT group_concat(x) FROM t").release_value();
    REQUIRE(st.step().value());
    CHECK(st.column_text(0) == "2");
}

TEST_CASE("a second connection sees committed rows while the first keeps writing (WAL)", "[db]") {
    test::TempDir dir;
    auto writer = Db::open(dir / "d.db", OpenMode::ReadWriteCreate).release_value();
    REQUIRE(writer.exec("CREATE TABLE t(x)").ok());
    auto reader = Db::open(dir / "d.db", OpenMode::ReadOnly).release_value();
    auto tx = Transaction::begin(writer).release_value();
    REQUIRE(writer.exec("INSERT INTO t VALUES(1)").ok());
    auto count = reader.prepare("SELECT count(*) FROM t").release_value();
    REQUIRE(count.step().value());
    CHECK(count.column_int(0) == 0); // uncommitted rows are invisible, and reading does not block
    count.reset();
    REQUIRE(tx.commit().ok());
    REQUIRE(count.step().value());
    CHECK(count.column_int(0) == 1);
}

TEST_CASE("a bind error is reported by step", "[db]") {
    test::TempDir dir;
    auto db = Db::open(dir / "e.db", OpenMode::ReadWriteCreate).release_value();
    auto st = db.prepare("SELECT ?").release_value();
    st.bind(5, 1); // no such parameter
    auto r = st.step();
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("bind"));
}

TEST_CASE(
    "a database file that may not be written is refused for writing, with SQLite's code", "[db]") {
    test::TempDir dir;
    { REQUIRE(Db::open(dir / "x.db", OpenMode::ReadWriteCreate).ok()); }
    std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
    std::filesystem::permissions(dir / "x.db",
        std::filesystem::perms::owner_read | std::filesystem::perms::group_read
            | std::filesystem::perms::others_read);
    // 0: refused as read-only; 1: opened for writing; 2: refused for another reason;
    // 3: not even readable; 4: no way to give up root.
    int const outcome = test::in_child_when_root([&] {
        if (!test::drop_privileges())
            return 4;
        auto rw = Db::open(dir / "x.db", OpenMode::ReadWrite);
        if (rw.ok())
            return 1;
        if ((rw.error().sqlite_code & 0xFF) != SQLITE_READONLY
            || rw.error().message.find("read-only") == std::string::npos)
            return 2;
        return Db::open(dir / "x.db", OpenMode::ReadOnly).ok() ? 0 : 3;
    });
    CHECK(outcome == 0);
}
