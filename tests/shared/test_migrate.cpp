// Schema migrations by user_version: every step from every older version, refusal of newer
// databases, and an interrupted step that leaves the last good version.
#include "ksd/device_db.h"
#include "ksd/migrate.h"
#include "test_support.h"

#include <catch2/catch.hpp>

using namespace ksd;

namespace {
// A three-step history standing in for a schema that grew over releases.
constexpr Migration history[] = {
    {1, "CREATE TABLE tickets(id TEXT PRIMARY KEY, body TEXT);"},
    {2, "ALTER TABLE tickets ADD COLUMN state TEXT NOT NULL DEFAULT 'queued';"},
    {3, "CREATE INDEX tickets_by_state ON tickets(state);"},
};

int version_of(Db& db) {
    return db.user_version().value();
}
} // namespace

TEST_CASE("migrating from every older version reaches the latest and keeps the data", "[migrate]") {
    for (int from = 0; from <= 3; ++from) {
        DYNAMIC_SECTION("from version " << from) {
            test::TempDir dir;
            auto db = Db::open(dir / "m.db", OpenMode::ReadWriteCreate).release_value();
            REQUIRE(migrate(db, std::span(history, static_cast<size_t>(from))).ok());
            REQUIRE(version_of(db) == from);
            if (from >= 1)
                REQUIRE(
                    db.exec("INSERT INTO tickets(id, body) VALUES('t1', 'pending ticket')").ok());
            REQUIRE(migrate(db, history).ok());
            CHECK(version_of(db) == 3);
            auto st = db.prepare("SELECT count(*), min(state) FROM tickets").release_value();
            REQUIRE(st.step().value());
            CHECK(st.column_int(0) == (from >= 1 ? 1 : 0));
            if (from >= 1)
                CHECK(st.column_text(1) == "queued");
            // Running again changes nothing.
            REQUIRE(migrate(db, history).ok());
            CHECK(version_of(db) == 3);
        }
    }
}

TEST_CASE("a database newer than the program is refused untouched", "[migrate]") {
    test::TempDir dir;
    auto db = Db::open(dir / "n.db", OpenMode::ReadWriteCreate).release_value();
    REQUIRE(db.exec("PRAGMA user_version = 9").ok());
    auto r = migrate(db, history);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("newer than this program"));
    CHECK(version_of(db) == 9);
}

TEST_CASE("a failing step rolls back and leaves the previous version", "[migrate]") {
    test::TempDir dir;
    auto db = Db::open(dir / "f.db", OpenMode::ReadWriteCreate).release_value();
    Migration const broken[] = {
        history[0],
        {2, "ALTER TABLE tickets ADD COLUMN x TEXT; CREATE TABLE tickets(y);"},
    };
    auto r = migrate(db, broken);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("version 2"));
    CHECK(version_of(db) == 1);
    // Step 2's first statement was rolled back with it.
    CHECK_FALSE(db.prepare("SELECT x FROM tickets").ok());
}

TEST_CASE("steps out of order are a programming error reported as such", "[migrate]") {
    test::TempDir dir;
    auto db = Db::open(dir / "o.db", OpenMode::ReadWriteCreate).release_value();
    Migration const gap[] = {history[0], history[2]};
    CHECK_FALSE(migrate(db, gap).ok());
}

TEST_CASE("the device database migrates from every older version", "[migrate]") {
    auto steps = device_db_migrations();
    for (size_t from = 0; from <= steps.size(); ++from) {
        DYNAMIC_SECTION("from version " << from) {
            test::TempDir dir;
            {
                auto db = Db::open(dir / "device.db", OpenMode::ReadWriteCreate).release_value();
                REQUIRE(migrate(db, steps.first(from)).ok());
            }
            auto db = open_device_db(dir / "device.db");
            REQUIRE(db.ok());
            CHECK(version_of(*db) == latest_version(steps));
            REQUIRE(set_state(*db, "content_version", "20261123000000").ok());
            REQUIRE(set_state(*db, "content_version", "20261124000000").ok());
            CHECK(get_state(*db, "content_version").value()
                == std::optional<std::string>("20261124000000"));
            CHECK(get_state(*db, "missing").value() == std::nullopt);
            // The status-lookup columns of version 3 are there whatever the starting point.
            CHECK(db->prepare("SELECT phone_check, email_check FROM tickets").ok());
        }
    }
}
