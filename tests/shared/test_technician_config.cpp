// The technician's ksd.toml: every check names the file, line and key; the merges onto the
// kiosk's and the agent's configs; the commented example image/ksd.toml parses and documents
// every key. Real files in a temporary directory (a fake zoneinfo tree for the time zone).
#include "test_support.h"

#include "ksd/technician_config.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

using namespace ksd;

namespace {

std::string const token_01
    = "kiosk-01.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// A zoneinfo directory with Asia/Jakarta only.
struct Zones {
    test::TempDir dir;
    Zones() {
        std::filesystem::create_directories(dir / "Asia");
        test::spit(dir / "Asia/Jakarta", "TZif2");
        test::spit(dir / "Asia/Makassar", "TZif2");
    }
    std::string path() const { return dir.path(); }
};

std::string error_of(std::string const& text, std::string const& zoneinfo) {
    auto r = parse_technician_config(text, "ksd.toml", technician_schema(zoneinfo));
    REQUIRE(!r.ok());
    return r.error().message;
}

// A kiosk schema like ksd-kiosk's keys that ksd.toml reaches (with or without [power]).
ConfigSchema kiosk_like(bool with_power) {
    ConfigSchema s;
    s.string("device.id", "kiosk-dev", "id")
        .integer("screen.width", 0, 0, 8192, "w")
        .integer("screen.height", 0, 0, 8192, "h")
        .choice("screen.rotation", "0", {"0", "90", "180", "270"}, "r")
        .integer("screen.drm_device_index", -1, -1, 9, "d")
        .string("ticket.status_url", "", "u")
        .string("printer.device", "", "p")
        .string("time.timezone", "Asia/Jakarta", "z");
    if (with_power)
        s.string("power.office_hours", "", "o").integer("power.wake_minutes", 5, 1, 60, "m");
    return s;
}

ConfigSchema sync_like() {
    ConfigSchema s;
    s.string("server.url", "", "u")
        .string("server.token_file", "/etc/ksd/sync-token", "t")
        .string("server.ca_file", "", "c");
    return s;
}

} // namespace

TEST_CASE("ksd.toml: each bad value is reported with its file, line and key") {
    Zones zones;
    std::string text = "[kiosk]\n"
                       "id = \"kiosk-01\"\n"
                       "[server]\n"
                       "url = \"ftp://ksd.example.go.id\"\n" // line 4
                       "token = \"kiosk-01.abc\"\n" // line 5
                       "[screen]\n"
                       "office_hours = \"mon-fri 07:30-25:00\"\n" // line 7
                       "rotation = \"45\"\n" // line 8
                       "[time]\n"
                       "timezone = \"Asia/Jakata\"\n" // line 10
                       "[wifi]\n"
                       "country = \"id\"\n"; // line 12
    std::string m = error_of(text, zones.path());
    INFO(m);
    auto problems = split_config_problems(m);
    REQUIRE(problems.size() == 6);
    CHECK(problems[0].file == "ksd.toml");
    CHECK(problems[0].line == 4);
    CHECK(problems[0].key == "server.url");
    CHECK(problems[0].what.find("https://") != std::string::npos);
    CHECK(problems[1].line == 5);
    CHECK(problems[1].key == "server.token");
    CHECK(problems[1].what.find("64 hexadecimal") != std::string::npos);
    CHECK(problems[2].line == 7);
    CHECK(problems[2].key == "screen.office_hours");
    CHECK(problems[3].line == 8);
    CHECK(problems[3].key == "screen.rotation");
    CHECK(problems[4].line == 10);
    CHECK(problems[4].key == "time.timezone");
    CHECK(problems[4].what.find("Asia/Jakata") != std::string::npos);
    CHECK(problems[5].line == 12);
    CHECK(problems[5].key == "wifi.country");
}

TEST_CASE("ksd.toml: plain http only for a server on this machine") {
    Zones zones;
    auto schema = technician_schema(zones.path());
    for (auto const* ok : {"https://ksd.example.go.id", "https://ksd.example.go.id:8443/ksd",
             "http://127.0.0.1:8480", "http://localhost:8480", "http://[::1]:8480"}) {
        INFO(ok);
        CHECK(parse_technician_config(
            std::string("[server]\nurl = \"") + ok + "\"\n", "ksd.toml", schema)
                  .ok());
    }
    for (auto const* bad : {"http://ksd.example.go.id", "http://10.0.0.5:8480", "ksd.example.go.id",
             "https://", "https://ksd.example.go.id /x"}) {
        INFO(bad);
        auto r = parse_technician_config(
            std::string("[server]\nurl = \"") + bad + "\"\n", "ksd.toml", schema);
        REQUIRE(!r.ok());
        CHECK(r.error().message.rfind("ksd.toml:2: key 'server.url': ", 0) == 0);
    }
    std::string plain = error_of("[server]\nurl = \"http://ksd.example.go.id\"\n", zones.path());
    CHECK(plain.find("use https://") != std::string::npos);
    CHECK(plain.find("localhost") != std::string::npos);
}

TEST_CASE("ksd.toml: the token's kiosk id must be [kiosk] id, named at the token's line") {
    Zones zones;
    std::string other = "[kiosk]\nid = \"kiosk-02\"\n[server]\ntoken = \"" + token_01 + "\"\n";
    std::string m = error_of(other, zones.path());
    CHECK(m.rfind("ksd.toml:4: key 'server.token': ", 0) == 0);
    CHECK(m.find("kiosk-01") != std::string::npos);
    CHECK(m.find("kiosk-02") != std::string::npos);
    std::string no_id = "[server]\ntoken = \"" + token_01 + "\"\n";
    CHECK(
        error_of(no_id, zones.path()).find("[kiosk] id must be \"kiosk-01\"") != std::string::npos);
    // Reported together with the other problems of the file, in line order.
    auto both = split_config_problems(error_of(
        "[time]\ntimezone = \"Asia/Jakata\"\n" + other.substr(0, other.size()), zones.path()));
    REQUIRE(both.size() == 2);
    CHECK(both[0].key == "time.timezone");
    CHECK(both[1].key == "server.token");
    CHECK(both[1].line == 6);
    std::string same = "[kiosk]\nid = \"kiosk-01\"\n[server]\ntoken = \"" + token_01 + "\"\n";
    CHECK(parse_technician_config(same, "ksd.toml", technician_schema(zones.path())).ok());
    // A password without a network, and a private key pasted instead of the public one.
    CHECK(error_of("[wifi]\npassword = \"rahasia123\"\n", zones.path())
              .rfind("ksd.toml:2: key 'wifi.password': ", 0)
        == 0);
    CHECK(
        error_of("[ssh]\nauthorized_key = \"-----BEGIN OPENSSH PRIVATE KEY-----\"\n", zones.path())
            .find("never the private key")
        != std::string::npos);
    CHECK(error_of("[wifi]\nssid = \"x\"\npassword = \"short\"\n", zones.path()).find("8 to 63")
        != std::string::npos);
}

TEST_CASE("ksd.toml: a missing file gives the defaults, an unreadable one is an error") {
    Zones zones;
    test::TempDir dir;
    auto schema = technician_schema(zones.path());
    auto missing = load_technician_config(dir / "ksd.toml", schema);
    REQUIRE(missing.ok());
    CHECK(missing->file == TechnicianFile::Missing);
    CHECK(missing->config.get_string("time.timezone") == "Asia/Jakarta");
    CHECK(!missing->config.line_of("time.timezone"));
    // A directory where the file should be cannot be read (whoever runs the test).
    std::filesystem::create_directories(dir / "dir.toml");
    auto unreadable = load_technician_config(dir / "dir.toml", schema);
    REQUIRE(!unreadable.ok());
    CHECK(unreadable.error().message.find(dir / "dir.toml") == 0);
    test::spit(dir / "ok.toml", "[time]\ntimezone = \"Asia/Jakarta\"\n");
    auto read = load_technician_config(dir / "ok.toml", schema);
    REQUIRE(read.ok());
    CHECK(read->file == TechnicianFile::Read);
    CHECK(read->config.line_of("time.timezone") == 2);
}

TEST_CASE("ksd.toml onto the kiosk's config: set keys win, the others keep kiosk.toml's") {
    Zones zones;
    auto tech = parse_technician_config("[kiosk]\nid = \"kiosk-07\"\n"
                                        "[server]\nurl = \"https://ksd.example.go.id/\"\n"
                                        "[screen]\nrotation = \"90\"\nwidth = 1080\n"
                                        "office_hours = \"mon-fri 07:30-16:00\"\n"
                                        "wake_minutes = 3\n"
                                        "[time]\ntimezone = \"Asia/Makassar\"\n",
        "ksd.toml", technician_schema(zones.path()));
    REQUIRE(tech.ok());
    for (bool with_power : {false, true}) {
        INFO("kiosk schema with [power]: " << with_power);
        auto schema = kiosk_like(with_power);
        auto kiosk = parse_config("[screen]\nwidth = 800\nheight = 480\n[printer]\ndevice = "
                                  "\"/dev/usb/lp0\"\n",
            "kiosk.toml", schema);
        REQUIRE(kiosk.ok());
        merge_into_kiosk(*tech, schema, *kiosk);
        CHECK(kiosk->get_string("device.id") == "kiosk-07");
        CHECK(kiosk->get_string("screen.rotation") == "90");
        CHECK(kiosk->get_int("screen.width") == 1080); // set in both: ksd.toml wins
        CHECK(kiosk->get_int("screen.height") == 480); // not in ksd.toml: kiosk.toml's
        CHECK(kiosk->get_int("screen.drm_device_index") == -1);
        CHECK(kiosk->get_string("printer.device") == "/dev/usb/lp0");
        CHECK(kiosk->get_string("ticket.status_url") == "https://ksd.example.go.id/t/{code}");
        CHECK(kiosk->get_string("time.timezone") == "Asia/Makassar"); // the clock's zone
        if (with_power) {
            CHECK(kiosk->get_string("power.office_hours") == "mon-fri 07:30-16:00");
            CHECK(kiosk->get_int("power.wake_minutes") == 3);
        }
    }
    // kiosk.toml's own status page stays; an empty id in ksd.toml leaves device.id alone.
    auto schema = kiosk_like(false);
    auto kiosk = parse_config(
        "[ticket]\nstatus_url = \"https://status.example.go.id/{code}\"\n[device]\nid = \"k-9\"\n",
        "kiosk.toml", schema);
    REQUIRE(kiosk.ok());
    auto tech2 = parse_technician_config(
        "[kiosk]\nid = \"\"\n[server]\nurl = \"https://ksd.example.go.id\"\n[printer]\ndevice = "
        "\"\"\n",
        "ksd.toml", technician_schema(zones.path()));
    REQUIRE(tech2.ok());
    kiosk->set("printer.device", std::string("/dev/usb/lp1"));
    merge_into_kiosk(*tech2, schema, *kiosk);
    CHECK(kiosk->get_string("ticket.status_url") == "https://status.example.go.id/{code}");
    CHECK(kiosk->get_string("device.id") == "k-9");
    CHECK(kiosk->get_string("printer.device").empty()); // "" set on purpose: no printer
}

TEST_CASE("ksd.toml onto the agent's config: url, ca_file and the inline token") {
    Zones zones;
    auto schema = sync_like();
    auto sync = parse_config(
        "[server]\nurl = \"https://old.example.go.id\"\nca_file = \"/etc/ksd/ca.pem\"\n",
        "sync.toml", schema);
    REQUIRE(sync.ok());
    auto none = parse_technician_config("", "ksd.toml", technician_schema(zones.path()));
    REQUIRE(none.ok());
    ksd::Config unchanged = *sync;
    CHECK(merge_into_sync(*none, unchanged).empty());
    CHECK(unchanged.get_string("server.url") == "https://old.example.go.id");
    CHECK(unchanged.get_string("server.ca_file") == "/etc/ksd/ca.pem");
    auto tech = parse_technician_config("[kiosk]\nid = \"kiosk-01\"\n[server]\nurl = "
                                        "\"https://ksd.example.go.id\"\ntoken = \""
            + token_01 + "\"\nca_file = \"\"\n",
        "ksd.toml", technician_schema(zones.path()));
    REQUIRE(tech.ok());
    CHECK(merge_into_sync(*tech, *sync) == token_01);
    CHECK(sync->get_string("server.url") == "https://ksd.example.go.id");
    CHECK(sync->get_string("server.ca_file").empty());
    CHECK(sync->get_string("server.token_file") == "/etc/ksd/sync-token");
}

TEST_CASE("image/ksd.toml parses as shipped and, uncommented, sets every key of the schema") {
    std::string const path = std::string(KSD_SOURCE_DIR) + "/image/ksd.toml";
    std::string text = test::slurp(path);
    REQUIRE(!text.empty());
    auto const schema = technician_schema(); // the real /usr/share/zoneinfo for the example zone
    if (!std::filesystem::exists(std::string(default_zoneinfo_dir) + "/Asia/Jakarta")) {
        WARN("SKIPPED: no " << default_zoneinfo_dir << "/Asia/Jakarta (package tzdata)");
        return;
    }
    auto shipped = parse_technician_config(text, "ksd.toml", schema);
    INFO((shipped.ok() ? std::string() : shipped.error().message));
    REQUIRE(shipped.ok());
    // "#key = value" lines are the examples; "# ..." lines are prose.
    // (A loop, not <regex>: GCC 12 warns falsely inside <regex> at -O2, and -Werror.)
    std::string uncommented;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        size_t name_end = line.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", 1);
        bool example = line.size() > 1 && line[0] == '#' && name_end > 1
            && name_end != std::string::npos && line.compare(name_end, 3, " = ") == 0;
        uncommented += (example ? line.substr(1) : line) + "\n";
    }
    REQUIRE(uncommented != text);
    auto all = parse_technician_config(uncommented, "ksd.toml", schema);
    INFO((all.ok() ? std::string() : all.error().message));
    REQUIRE(all.ok());
    for (auto const& k : schema.keys()) {
        INFO(k.name << " has no example line in image/ksd.toml");
        CHECK(all->line_of(k.name).has_value());
    }
    // Both languages: each key's comment has an Indonesian (ID:) and an English (EN:) line.
    std::istringstream in(text);
    int id_lines = 0, en_lines = 0;
    for (std::string line; std::getline(in, line);) {
        id_lines += line.rfind("# ID:", 0) == 0;
        en_lines += line.rfind("# EN:", 0) == 0;
    }
    CHECK(id_lines >= int(schema.keys().size()) - 2); // width/height share one comment
    CHECK(en_lines == id_lines);
}

TEST_CASE("split_config_problems keeps lines in another form whole") {
    auto p = split_config_problems("kiosk.toml:3: key 'screen.width': expected a whole number\n"
                                   "something else: entirely\n"
                                   "/boot/firmware/ksd.toml:0: cannot be read: Permission denied");
    REQUIRE(p.size() == 3);
    CHECK(p[0].file == "kiosk.toml");
    CHECK(p[0].line == 3);
    CHECK(p[0].key == "screen.width");
    CHECK(p[0].what == "expected a whole number");
    CHECK(p[1].file.empty());
    CHECK(p[1].what == "something else: entirely");
    CHECK(p[2].file == "/boot/firmware/ksd.toml");
    CHECK(p[2].key.empty());
    CHECK(p[2].what == "cannot be read: Permission denied");
}

TEST_CASE("ksd.toml onto the agent's config: the USB export's public key (issue 14)") {
    Zones zones;
    auto schema = sync_like();
    schema.string("usb.server_public_key", "", "k");
    auto sync = parse_config(
        "[usb]\nserver_public_key = \"" + std::string(64, 'a') + "\"\n", "sync.toml", schema);
    REQUIRE(sync.ok());
    auto none = parse_technician_config(
        "[server]\nusb_public_key = \"\"\n", "ksd.toml", technician_schema(zones.path()));
    REQUIRE(none.ok());
    (void)merge_into_sync(*none, *sync);
    CHECK(sync->get_string("usb.server_public_key") == std::string(64, 'a'));
    std::string const key(64, 'b');
    auto tech = parse_technician_config("[server]\nusb_public_key = \"" + key + "\"\n", "ksd.toml",
        technician_schema(zones.path()));
    REQUIRE(tech.ok());
    (void)merge_into_sync(*tech, *sync);
    CHECK(sync->get_string("usb.server_public_key") == key);
    auto bad = parse_technician_config(
        "[server]\nusb_public_key = \"abc\"\n", "ksd.toml", technician_schema(zones.path()));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("ksd.toml:2: key 'server.usb_public_key': not a key")
        != std::string::npos);
}
