// Tests of pack_import.h: a pack is swapped in only when its copy verifies and is newer, and
// nothing is left behind when it is refused.
#include "ksd/pack_import.h"

#include "ksd/content_build.h"
#include "ksd/content_pack.h"
#include "ksd/files.h"
#include "test_support.h"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace ksd::test;

namespace {

struct Keys {
    ksd::minisign::PublicKey pub;
    ksd::minisign::SecretKey sec;
};

Keys make_keys() {
    auto pair = ksd::minisign::generate_key_pair();
    auto pub = ksd::minisign::parse_public_key(pair.public_key_file);
    auto sec = ksd::minisign::parse_secret_key(
        pair.secret_key_file, []() -> ksd::Result<std::string> { return std::string(); });
    REQUIRE(pub.ok());
    REQUIRE(sec.ok());
    return {*pub, *sec};
}

// Builds the project's content as a pack with the given version and signs it.
std::string signed_pack(TempDir const& dir, std::string const& name, int64_t version,
    ksd::minisign::SecretKey const& key) {
    std::string path = dir / name;
    auto built = ksd::build_content_pack(
        {std::string(KSD_SOURCE_DIR) + "/content", path, 1795400000, version});
    REQUIRE(built.ok());
    auto sig = ksd::minisign::sign(slurp(path), key, "file:" + name);
    REQUIRE(sig.ok());
    spit(path + ".minisig", *sig);
    return path;
}

// Names in dir other than the given ones (temporary files left behind).
std::vector<std::string> others(std::string const& dir, std::vector<std::string> const& expected) {
    std::vector<std::string> out;
    for (auto const& e : std::filesystem::directory_iterator(dir)) {
        auto name = e.path().filename().string();
        if (std::find(expected.begin(), expected.end(), name) == expected.end())
            out.push_back(name);
    }
    return out;
}

} // namespace

TEST_CASE("import_pack swaps in a newer signed pack and refuses older, tampered or foreign ones") {
    TempDir src;
    TempDir kiosk;
    Keys keys = make_keys();
    std::string v1 = signed_pack(src, "v1.pack", 20261101000000, keys.sec);
    std::string v2 = signed_pack(src, "v2.pack", 20261201000000, keys.sec);
    std::string target = kiosk / "ksd.pack";

    auto first = ksd::import_pack(v1, target, keys.pub, 0);
    REQUIRE(first.ok());
    CHECK(first->content_version == 20261101000000);
    CHECK_FALSE(first->institution.empty());
    CHECK(slurp(target) == slurp(v1));
    CHECK(slurp(target + ".minisig") == slurp(v1 + ".minisig"));
    CHECK(ksd::ContentPack::open(target, keys.pub).ok());

    SECTION("a newer pack replaces it") {
        auto second = ksd::import_pack(v2, target, keys.pub, first->content_version);
        REQUIRE(second.ok());
        CHECK(second->content_version == 20261201000000);
        CHECK(slurp(target) == slurp(v2));
        auto open = ksd::ContentPack::open(target, keys.pub);
        REQUIRE(open.ok());
        CHECK(open->meta().content_version == 20261201000000);
    }
    SECTION("the same or an older version is refused") {
        auto same = ksd::import_pack(v1, target, keys.pub, 20261101000000);
        REQUIRE_FALSE(same.ok());
        CHECK(same.error().message.find("not newer") != std::string::npos);
        auto older = ksd::import_pack(v1, target, keys.pub, 20261201000000);
        CHECK_FALSE(older.ok());
    }
    SECTION("a tampered pack is refused") {
        std::string bad = src / "bad.pack";
        std::string bytes = slurp(v2);
        bytes[bytes.size() / 2] ^= 0x01;
        spit(bad, bytes);
        spit(bad + ".minisig", slurp(v2 + ".minisig"));
        auto r = ksd::import_pack(bad, target, keys.pub, first->content_version);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.find("refused") != std::string::npos);
    }
    SECTION("a pack signed with another key is refused") {
        Keys other = make_keys();
        std::string foreign = signed_pack(src, "foreign.pack", 20261231000000, other.sec);
        auto r = ksd::import_pack(foreign, target, keys.pub, first->content_version);
        CHECK_FALSE(r.ok());
    }
    SECTION("a pack without its signature is refused") {
        std::string bare = src / "bare.pack";
        std::filesystem::copy_file(v2, bare);
        auto r = ksd::import_pack(bare, target, keys.pub, first->content_version);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.find("signature") != std::string::npos);
    }
    SECTION("a missing source is refused") {
        CHECK_FALSE(ksd::import_pack(src / "nope.pack", target, keys.pub, 0).ok());
    }
    // Whatever happened, only the pack and its signature are in the kiosk's directory, and the
    // pack there is one that verifies.
    CHECK(others(kiosk.path(), {"ksd.pack", "ksd.pack.minisig"}).empty());
    CHECK(ksd::ContentPack::open(target, keys.pub).ok());
}

TEST_CASE("import_pack into an empty directory leaves nothing behind when refused") {
    TempDir src;
    TempDir kiosk;
    Keys keys = make_keys();
    std::string v1 = signed_pack(src, "v1.pack", 20261101000000, keys.sec);
    std::string bytes = slurp(v1);
    bytes[100] ^= 0x10;
    spit(v1, bytes);
    CHECK_FALSE(ksd::import_pack(v1, kiosk / "ksd.pack", keys.pub, 0).ok());
    CHECK(others(kiosk.path(), {}).empty());
}

TEST_CASE("find_pack_candidates lists signed packs in the directories and one level below") {
    TempDir usb;
    std::filesystem::create_directories(usb / "ksd/deep/deeper");
    spit(usb / "a.pack", "x");
    spit(usb / "a.pack.minisig", "x");
    spit(usb / "unsigned.pack", "x");
    spit(usb / "ksd/b.pack", "xyz");
    spit(usb / "ksd/b.pack.minisig", "x");
    spit(usb / "ksd/deep/deeper/c.pack", "x");
    spit(usb / "ksd/deep/deeper/c.pack.minisig", "x");
    spit(usb / "notes.txt", "x");
    auto found = ksd::find_pack_candidates({usb.path(), usb / "missing"});
    REQUIRE(found.size() == 2);
    CHECK(found[0].path == usb / "a.pack");
    CHECK(found[1].path == usb / "ksd/b.pack");
    CHECK(found[1].size == 3);
}
