// Configuration: defaults, documented output, and bad values refused with file, line, key and
// what is expected.
#include "ksd/config.h"
#include "test_support.h"

#include <catch2/catch.hpp>
#include <fstream>

using namespace ksd;

namespace {
ConfigSchema schema() {
    ConfigSchema s;
    s.string("pack_path", "/var/lib/ksd/content/ksd.pack", "The content pack the kiosk shows")
        .integer("screen.width", 1280, 320, 7680, "Screen width in pixels")
        .integer("screen.rotation", 0, 0, 270, "Rotation in degrees")
        .boolean("screen.fullscreen", true, "Full screen")
        .choice("language", "id", {"id", "en"}, "Language shown first");
    return s;
}
} // namespace

TEST_CASE("defaults apply to keys the file leaves out", "[config]") {
    auto c = parse_config("language = \"en\"\n", "kiosk.toml", schema());
    REQUIRE(c.ok());
    CHECK(c->get_string("language") == "en");
    CHECK(c->get_int("screen.width") == 1280);
    CHECK(c->get_bool("screen.fullscreen"));
    CHECK(c->get_string("pack_path") == "/var/lib/ksd/content/ksd.pack");
}

TEST_CASE("tables and values of the right type are read", "[config]") {
    auto c = parse_config("[screen]\nwidth = 800\nfullscreen = false\n", "kiosk.toml", schema());
    REQUIRE(c.ok());
    CHECK(c->get_int("screen.width") == 800);
    CHECK_FALSE(c->get_bool("screen.fullscreen"));
}

TEST_CASE("bad values name file, line, key and what is expected, all are listed", "[config]") {
    auto c = parse_config(
        "language = \"fr\"\n[screen]\nwidth = \"wide\"\nrotation = 400\nfulscreen = true\n",
        "kiosk.toml", schema());
    REQUIRE_FALSE(c.ok());
    auto const& m = c.error().message;
    CHECK_THAT(m,
        Catch::Contains("kiosk.toml:1: key 'language': expected one of \"id\", \"en\", got 'fr'"));
    CHECK_THAT(m,
        Catch::Contains("kiosk.toml:3: key 'screen.width': expected a whole number from 320 to "
                        "7680, got 'wide'"));
    CHECK_THAT(m,
        Catch::Contains(
            "kiosk.toml:4: key 'screen.rotation': expected a whole number from 0 to 270, got 400"));
    CHECK_THAT(m, Catch::Contains("kiosk.toml:5: key 'screen.fulscreen': unknown key"));
}

TEST_CASE("a file that is not TOML is refused with its line", "[config]") {
    auto c = parse_config("language = \"id\"\nwidth = = 3\n", "kiosk.toml", schema());
    REQUIRE_FALSE(c.ok());
    CHECK_THAT(c.error().message, Catch::StartsWith("kiosk.toml:2: not valid TOML"));
}

TEST_CASE("a missing file names its path", "[config]") {
    auto c = load_config("/nonexistent/kiosk.toml", schema());
    REQUIRE_FALSE(c.ok());
    CHECK_THAT(c.error().message, Catch::Contains("/nonexistent/kiosk.toml"));
}

TEST_CASE("the documented defaults are themselves a valid config", "[config]") {
    std::string doc = schema().documented_defaults("ksd-kiosk");
    CHECK_THAT(doc, Catch::Contains("# Screen width in pixels (a whole number from 320 to 7680)"));
    CHECK_THAT(doc, Catch::Contains("[screen]"));
    test::TempDir dir;
    { std::ofstream(dir / "k.toml") << doc; }
    auto c = load_config(dir / "k.toml", schema());
    REQUIRE(c.ok());
    CHECK(c->get_int("screen.width") == 1280);
}

TEST_CASE(
    "documented defaults of keys declared out of table order open each table once", "[config]") {
    // Found by fuzz_config: [screen] was written twice ("cannot redefine existing table").
    ConfigSchema s;
    s.integer("screen.width", 0, 0, 8192, "Width")
        .integer("sync.batch", 100, 1, 500, "Batch")
        .boolean("screen.fullscreen", true, "Full screen")
        .string("top", "", "A key outside any table")
        .string("a.b.c", "x", "Two tables deep");
    std::string doc = s.documented_defaults("fuzz");
    auto c = parse_config(doc, "defaults.toml", s);
    INFO(doc);
    REQUIRE(c.ok());
    CHECK(c->get_bool("screen.fullscreen"));
    CHECK(c->get_string("a.b.c") == "x");
}

TEST_CASE(
    "a message's FILE:LINE prefix is read back, and a message without one is not", "[config]") {
    auto at = ksd::message_location("/boot/firmware/ksd.toml:12: key 'kiosk.id': too long");
    REQUIRE(at.has_value());
    CHECK(at->file == "/boot/firmware/ksd.toml");
    CHECK(at->line == 12);
    CHECK(at->rest == "key 'kiosk.id': too long");
    CHECK_FALSE(ksd::message_location("kiosk.id: no line here").has_value());
    CHECK_FALSE(ksd::message_location("ksd.toml:twelve: not a number").has_value());
    CHECK_FALSE(ksd::message_location("no colon at all").has_value());
}
