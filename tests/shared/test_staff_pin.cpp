// The staff PIN: Argon2id hashes, growing delays after wrong PINs that survive reopening the
// device database, and a clock moved back. Each Argon2id call costs a noticeable fraction of
// a second, so the tests hash once and verify only a few times.
#include "ksd/device_db.h"
#include "ksd/staff_pin.h"
#include "test_support.h"

#include <catch2/catch.hpp>

using namespace ksd;

namespace {

constexpr int64_t t0 = 1795401000;

std::string const& pin_hash() {
    static std::string const hash = [] {
        auto h = hash_staff_pin("2468");
        REQUIRE(h.ok());
        return h.value();
    }();
    return hash;
}

std::string state(Db& db, std::string const& key) {
    auto v = get_state(db, key);
    REQUIRE(v.ok());
    return v->value_or("");
}

} // namespace

TEST_CASE("staff PIN delays: three tries free, then 30 s doubling up to an hour", "[staff_pin]") {
    CHECK(staff_pin_delay(0) == 0);
    CHECK(staff_pin_delay(1) == 0);
    CHECK(staff_pin_delay(2) == 0);
    CHECK(staff_pin_delay(3) == 30);
    CHECK(staff_pin_delay(4) == 60);
    CHECK(staff_pin_delay(5) == 120);
    CHECK(staff_pin_delay(9) == 1920);
    CHECK(staff_pin_delay(10) == 3600);
    CHECK(staff_pin_delay(11) == 3600);
    CHECK(staff_pin_delay(1'000'000) == 3600);
}

TEST_CASE("staff PIN hashes are Argon2id strings", "[staff_pin]") {
    std::string const& hash = pin_hash();
    CHECK(hash.starts_with("$argon2id$v=19$m="));
    CHECK(hash.find("2468") == std::string::npos);
    CHECK(is_staff_pin_hash(hash));
    CHECK_FALSE(is_staff_pin_hash(""));
    CHECK_FALSE(is_staff_pin_hash("2468"));
    CHECK_FALSE(is_staff_pin_hash("$argon2id$v=19$m=garbage"));
    CHECK_FALSE(is_staff_pin_hash(hash.substr(0, 30)));
    CHECK_FALSE(is_staff_pin_hash(hash.substr(1)));
    std::string argon2i = hash;
    argon2i.replace(0, 9, "$argon2i");
    CHECK_FALSE(is_staff_pin_hash(argon2i));
}

TEST_CASE("hash_staff_pin refuses PINs that are not 4 to 12 digits", "[staff_pin]") {
    for (char const* bad : {"", "123", "1234567890123", "12a4", "12 34", " 1234", "1234\n",
             "\xD9\xA1\xD9\xA2\xD9\xA3\xD9\xA4", "-1234"}) {
        INFO(bad);
        auto r = hash_staff_pin(bad);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Catch::Contains("4 to 12 digits"));
    }
    CHECK_FALSE(hash_staff_pin(std::string_view("12\0"
                                                "34",
                                   5))
                    .ok());
}

TEST_CASE("staff PIN accepted, and no hash means not configured", "[staff_pin]") {
    test::TempDir dir;
    auto db = open_device_db(dir / "device.db");
    REQUIRE(db.ok());
    auto r = check_staff_pin(*db, pin_hash(), "2468", t0);
    REQUIRE(r.ok());
    CHECK(r->verdict == PinVerdict::Accepted);
    CHECK(r->wait_seconds == 0);

    for (std::string hash : {std::string(), std::string("not a hash"), pin_hash().substr(0, 40)}) {
        auto nc = check_staff_pin(*db, hash, "2468", t0);
        REQUIRE(nc.ok());
        CHECK(nc->verdict == PinVerdict::NotConfigured);
    }
}

TEST_CASE("wrong staff PINs make the next try wait, across reopening the database", "[staff_pin]") {
    test::TempDir dir;
    std::string path = dir / "device.db";
    int64_t now = t0;
    {
        auto db = open_device_db(path);
        REQUIRE(db.ok());
        // The first two wrong PINs cost nothing; a malformed one counts like any wrong one.
        for (std::string_view wrong : {"1357", "12"}) {
            auto r = check_staff_pin(*db, pin_hash(), wrong, now);
            REQUIRE(r.ok());
            CHECK(r->verdict == PinVerdict::Wrong);
            CHECK(r->wait_seconds == 0);
            now += 5;
        }
        CHECK(state(*db, "staff.pin_failures") == "2");
        auto third = check_staff_pin(*db, pin_hash(), "0000", now);
        REQUIRE(third.ok());
        CHECK(third->verdict == PinVerdict::Wrong);
        CHECK(third->wait_seconds == 30);
        // Stored before returning.
        CHECK(state(*db, "staff.pin_failures") == "3");
        CHECK(state(*db, "staff.pin_next_try_at") == std::to_string(now + 30));
    }

    // A restart does not reset anything: even the right PIN must wait, and is not checked.
    auto db = open_device_db(path);
    REQUIRE(db.ok());
    auto wait = check_staff_pin(*db, pin_hash(), "2468", now + 10);
    REQUIRE(wait.ok());
    CHECK(wait->verdict == PinVerdict::Wait);
    CHECK(wait->wait_seconds == 20);
    CHECK(state(*db, "staff.pin_failures") == "3");

    // After the wait the right PIN is accepted and the count starts again.
    auto ok = check_staff_pin(*db, pin_hash(), "2468", now + 30);
    REQUIRE(ok.ok());
    CHECK(ok->verdict == PinVerdict::Accepted);
    CHECK(state(*db, "staff.pin_failures") == "0");
    CHECK(state(*db, "staff.pin_next_try_at") == "0");
}

TEST_CASE("a clock moved back waits at most the longest delay", "[staff_pin]") {
    test::TempDir dir;
    auto db = open_device_db(dir / "device.db");
    REQUIRE(db.ok());
    // Nine wrong PINs stored while the clock was a year ahead.
    REQUIRE(set_state(*db, "staff.pin_failures", "9").ok());
    REQUIRE(set_state(*db, "staff.pin_next_try_at", std::to_string(t0 + 365 * 86400)).ok());

    auto r = check_staff_pin(*db, pin_hash(), "2468", t0);
    REQUIRE(r.ok());
    CHECK(r->verdict == PinVerdict::Wait);
    CHECK(r->wait_seconds == 3600);
    // The clamp is stored, so the wait ends even while the clock stays behind.
    CHECK(state(*db, "staff.pin_next_try_at") == std::to_string(t0 + 3600));
    CHECK(state(*db, "staff.pin_failures") == "9");
    auto later = check_staff_pin(*db, pin_hash(), "2468", t0 + 1800);
    REQUIRE(later.ok());
    CHECK(later->verdict == PinVerdict::Wait);
    CHECK(later->wait_seconds == 1800);
}
