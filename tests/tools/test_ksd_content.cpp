// ksd-content as staff use it: build, check, sign, verify, info, search; signatures checked in
// both directions with Debian's minisign tool.
#include "test_images.h"
#include "test_support.h"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace ksd;
namespace fs = std::filesystem;

namespace {

std::string const tool = KSD_CONTENT_BIN;
std::string const content = std::string(KSD_SOURCE_DIR) + "/content";

test::Output ksd_content(std::string const& args) {
    return test::capture(tool + " " + args);
}

std::string q(std::string const& s) {
    return "'" + s + "'";
}

// Builds the demo pack into dir; returns its path.
std::string build_demo(test::TempDir const& dir) {
    std::string pack = dir / "ksd.pack";
    auto out = ksd_content("build " + q(content) + " -o " + q(pack));
    INFO(out.text);
    REQUIRE(out.status == 0);
    return pack;
}

} // namespace

TEST_CASE("--help and --version answer, unknown commands are usage errors", "[tools]") {
    auto help = ksd_content("--help");
    CHECK(help.status == 0);
    CHECK_THAT(help.text, Catch::Contains("build SRC -o PACK"));
    auto version = ksd_content("--version");
    CHECK(version.status == 0);
    CHECK_THAT(version.text, Catch::StartsWith("ksd-content "));
    CHECK(ksd_content("frobnicate").status == 2);
    CHECK(ksd_content("build").status == 2);
    CHECK(ksd_content("build x -o").status == 2);
}

TEST_CASE("build lists every problem as file:line and writes nothing", "[tools]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    fs::remove(src + "/pages/tkksd.en.md");
    std::string csv = src + "/agreements.csv";
    test::spit(csv,
        test::slurp(csv)
            + "DEMO/Z/1,KSDZ,PKS,PT A "
              "(fiktif),Uji,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas Uji,\n");
    auto out = ksd_content("build " + q(src) + " -o " + q(dir / "out.pack"));
    CHECK(out.status == 1);
    CHECK_THAT(out.text, Catch::Contains("pages/tkksd.id.md: missing translation"));
    CHECK_THAT(out.text, Catch::Matches("(.|\n)*agreements.csv:[0-9]+: unknown kind(.|\n)*"));
    CHECK_THAT(out.text, Catch::Contains("2 problems found; no pack was written."));
    CHECK_FALSE(fs::exists(dir / "out.pack"));
    for (auto const& e : fs::directory_iterator(dir.path()))
        CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
    auto check = ksd_content("check " + q(src));
    CHECK(check.status == 1);
}

TEST_CASE("info and search on a built pack", "[tools]") {
    test::TempDir dir;
    auto pack = build_demo(dir);
    auto info = ksd_content("info " + q(pack));
    CHECK(info.status == 0);
    CHECK_THAT(info.text, Catch::Contains("demo: yes"));
    // Format 2: the demo register has monitoring (issue 14).
    CHECK_THAT(info.text, Catch::Contains("format version: 2"));
    auto search = ksd_content("search " + q(pack) + " kelapa --limit 3");
    CHECK(search.status == 0);
    CHECK_THAT(search.text, Catch::StartsWith("1. ["));
    CHECK_THAT(search.text, Catch::Contains("[Kelapa]") || Catch::Contains("[kelapa]"));
    auto en = ksd_content("search " + q(pack) + " 'coconut' --lang en");
    CHECK(en.status == 0);
    CHECK_THAT(en.text, Catch::Contains("oconut"));
    auto none = ksd_content("search " + q(pack) + " zzzyyyxxx");
    CHECK(none.status == 0);
    CHECK_THAT(none.text, Catch::Contains("no results"));
    CHECK(ksd_content("search " + q(pack) + " kelapa --lang fr").status == 2);
    CHECK(ksd_content("info " + q(dir / "missing.pack")).status == 1);
}

TEST_CASE("a pack signed by ksd-content verifies with minisign, and a tampered one does not",
    "[tools][minisign]") {
    if (!test::have_tool("minisign")) {
        WARN("SKIPPED: Debian's minisign is not installed (apt-get install minisign)");
        return;
    }
    test::TempDir dir;
    auto pack = build_demo(dir);
    REQUIRE(ksd_content("keygen -p " + q(dir / "k.pub") + " -s " + q(dir / "k.key")).status == 0);
    auto sign = ksd_content("sign " + q(pack) + " -s " + q(dir / "k.key"));
    INFO(sign.text);
    REQUIRE(sign.status == 0);
    auto mv = test::capture("minisign -Vm " + q(pack) + " -p " + q(dir / "k.pub"));
    INFO(mv.text);
    CHECK(mv.status == 0);
    CHECK_THAT(mv.text, Catch::Contains("content_version:"));
    CHECK(ksd_content("verify " + q(pack) + " -p " + q(dir / "k.pub")).status == 0);
    // Flip one byte: both refuse.
    std::string bytes = test::slurp(pack);
    bytes[100] = static_cast<char>(bytes[100] ^ 0x20);
    test::spit(pack, bytes);
    CHECK(test::capture("minisign -Vm " + q(pack) + " -p " + q(dir / "k.pub")).status != 0);
    auto v = ksd_content("verify " + q(pack) + " -p " + q(dir / "k.pub"));
    CHECK(v.status == 1);
    CHECK_THAT(v.text, Catch::Contains("NOT valid"));
}

TEST_CASE("a pack signed by minisign verifies with ksd-content, another key is refused",
    "[tools][minisign]") {
    if (!test::have_tool("minisign")) {
        WARN("SKIPPED: Debian's minisign is not installed (apt-get install minisign)");
        return;
    }
    test::TempDir dir;
    auto pack = build_demo(dir);
    REQUIRE(test::run("minisign -G -W -p " + q(dir / "staff.pub") + " -s " + q(dir / "staff.key")
                + " >/dev/null 2>&1")
        == 0);
    REQUIRE(
        test::run("minisign -S -s " + q(dir / "staff.key") + " -m " + q(pack) + " >/dev/null 2>&1")
        == 0);
    auto ok = ksd_content("verify " + q(pack) + " -p " + q(dir / "staff.pub"));
    INFO(ok.text);
    CHECK(ok.status == 0);
    // Signed with minisign by a key the kiosk does not trust.
    REQUIRE(test::run("minisign -G -W -p " + q(dir / "other.pub") + " -s " + q(dir / "other.key")
                + " >/dev/null 2>&1")
        == 0);
    REQUIRE(
        test::run("minisign -S -s " + q(dir / "other.key") + " -m " + q(pack) + " >/dev/null 2>&1")
        == 0);
    auto bad = ksd_content("verify " + q(pack) + " -p " + q(dir / "staff.pub"));
    CHECK(bad.status == 1);
    CHECK_THAT(bad.text, Catch::Contains("another key"));
    // ksd-content signs with a password-protected minisign key too.
    REQUIRE(test::run("printf 'rahasia\\nrahasia\\n' | minisign -G -p " + q(dir / "pw.pub") + " -s "
                + q(dir / "pw.key") + " >/dev/null 2>&1")
        == 0);
    auto wrong = test::capture("KSD_SIGN_PASSWORD=salah " + tool + " sign " + q(pack) + " -s "
        + q(dir / "pw.key") + " </dev/null");
    CHECK(wrong.status == 1);
    auto right = test::capture("KSD_SIGN_PASSWORD=rahasia " + tool + " sign " + q(pack) + " -s "
        + q(dir / "pw.key") + " </dev/null");
    INFO(right.text);
    CHECK(right.status == 0);
    CHECK(test::run("minisign -Vm " + q(pack) + " -p " + q(dir / "pw.pub") + " >/dev/null 2>&1")
        == 0);
}

TEST_CASE("build takes a table with an image and names an image over the size limits", "[tools]") {
    // Issue 9: the first segfaulted ksd-content build; the second (a 109 KB PNG of
    // 30000x30000 pixels) passed it and crashed the kiosk.
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    fs::create_directories(src + "/images");
    test::spit(src + "/images/bagan.png", test::make_png(64, 48));
    std::string page = src + "/pages/tentang-ksd.id.md";
    test::spit(page,
        test::slurp(page) + "\n| Bagan | b |\n|---|---|\n| ![Bagan](images/bagan.png) | c |\n");
    auto ok = ksd_content("build " + q(src) + " -o " + q(dir / "ok.pack"));
    INFO(ok.text);
    CHECK(ok.status == 0);
    CHECK(fs::exists(dir / "ok.pack"));
    test::spit(src + "/images/huge.png", test::make_png(30000, 30000));
    auto bad = ksd_content("build " + q(src) + " -o " + q(dir / "bad.pack"));
    INFO(bad.text);
    CHECK(bad.status == 1);
    CHECK_THAT(bad.text,
        Catch::Contains("images/huge.png: 30000x30000 pixels is larger than the limit of "
                        "4096x4096; make it smaller"));
    CHECK_FALSE(fs::exists(dir / "bad.pack"));
}

TEST_CASE("sign refuses a pack whose schema is not the builder's", "[tools]") {
    test::TempDir dir;
    auto pack = build_demo(dir);
    REQUIRE(test::run("sqlite3 " + q(pack) + " 'CREATE VIEW v AS SELECT 1'") == 0);
    REQUIRE(ksd_content("keygen -p " + q(dir / "k.pub") + " -s " + q(dir / "k.key")).status == 0);
    auto out = ksd_content("sign " + q(pack) + " -s " + q(dir / "k.key"));
    CHECK(out.status == 1);
    CHECK_THAT(out.text, Catch::Contains("unexpected view 'v'"));
}
