// ksd-setup, the real binary, into a temporary root: what it writes under DIR/run for each
// [time], [wifi] and [ssh] setting, that a later boot without them removes them, and that a bad
// file writes nothing and exits 78 with the line and key.
#include "test_support.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/stat.h>

using namespace ksd::test;
namespace fs = std::filesystem;

namespace {

std::string const setup_bin = KSD_SETUP_BIN;
std::string const token
    = "kiosk-01.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// A root with a zoneinfo tree holding the zones the tests name.
struct Root {
    TempDir dir;
    Root() {
        fs::create_directories(dir / "zoneinfo/Asia");
        spit(dir / "zoneinfo/Asia/Jakarta", "TZif2");
        spit(dir / "zoneinfo/Asia/Makassar", "TZif2");
        fs::create_directories(dir / "root");
    }
    Output setup(std::string const& config_text) {
        spit(dir / "ksd.toml", config_text);
        return capture(setup_bin + " --config " + dir / "ksd.toml" + " --root " + dir / "root"
            + " --zoneinfo " + dir / "zoneinfo");
    }
    std::string run(std::string const& rel) const { return dir / ("root/run/" + rel); }
};

unsigned mode_of(std::string const& path) {
    struct stat st { };
    return ::stat(path.c_str(), &st) == 0 ? unsigned(st.st_mode & 07777) : 0;
}

} // namespace

TEST_CASE("ksd-setup writes NTP, Wi-Fi, time zone and SSH under DIR/run, and only there") {
    Root r;
    auto out = r.setup("[kiosk]\nid = \"kiosk-01\"\n[server]\ntoken = \"" + token
        + "\"\n[time]\nntp_server = \"ntp.bmkg.go.id 0.id.pool.ntp.org\"\n"
          "timezone = \"Asia/Makassar\"\n"
          "[wifi]\nssid = \"Kantor KSD\"\npassword = \"rahasia-\\\"kuat\\\"\"\ncountry = \"ID\"\n"
          "[ssh]\nauthorized_key = \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample "
          "teknisi@laptop\"\n");
    INFO(out.text);
    REQUIRE(out.status == 0);
    CHECK(slurp(r.run("systemd/timesyncd.conf.d/ksd.conf"))
              .find("[Time]\nNTP=ntp.bmkg.go.id "
                    "0.id.pool.ntp.org\n")
        != std::string::npos);
    std::string wpa = slurp(r.run("ksd/wpa_supplicant-wlan0.conf"));
    CHECK(mode_of(r.run("ksd/wpa_supplicant-wlan0.conf")) == 0600);
    CHECK(wpa.find("country=ID\n") != std::string::npos);
    CHECK(wpa.find("ssid=4b616e746f72204b5344\n") != std::string::npos); // "Kantor KSD" in hex
    CHECK(wpa.find("psk=\"rahasia-\"kuat\"\"\n") != std::string::npos);
    CHECK(wpa.find("key_mgmt=WPA-PSK") != std::string::npos);
    CHECK(fs::is_symlink(r.run("ksd/localtime")));
    CHECK(fs::read_symlink(r.run("ksd/localtime")) == "/usr/share/zoneinfo/Asia/Makassar");
    CHECK(slurp(r.run("ksd/ssh/authorized_keys"))
        == "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample teknisi@laptop\n");
    CHECK(fs::exists(r.run("ksd/ssh-enabled")));
    // Nothing outside DIR/run.
    for (auto const& e : fs::recursive_directory_iterator(r.dir / "root")) {
        std::string rel = e.path().lexically_relative(r.dir / "root").string();
        INFO(rel);
        CHECK(rel.rfind("run", 0) == 0);
    }

    // The next boot with those keys gone: SSH off, the default NTP, an open network.
    out = r.setup("[wifi]\nssid = \"Tamu\"\n");
    INFO(out.text);
    REQUIRE(out.status == 0);
    CHECK(!fs::exists(r.run("systemd/timesyncd.conf.d/ksd.conf")));
    CHECK(!fs::exists(r.run("ksd/ssh-enabled")));
    CHECK(!fs::exists(r.run("ksd/ssh/authorized_keys")));
    wpa = slurp(r.run("ksd/wpa_supplicant-wlan0.conf"));
    CHECK(wpa.find("key_mgmt=NONE") != std::string::npos);
    CHECK(wpa.find("psk=") == std::string::npos);
    CHECK(fs::read_symlink(r.run("ksd/localtime")) == "/usr/share/zoneinfo/Asia/Jakarta");
}

TEST_CASE("ksd-setup without a ksd.toml writes the defaults, with a bad one nothing (exit 78)") {
    Root r;
    auto none = capture(setup_bin + " --config " + r.dir / "none.toml" + " --root " + r.dir / "root"
        + " --zoneinfo " + r.dir / "zoneinfo");
    INFO(none.text);
    REQUIRE(none.status == 0);
    CHECK(none.text.find("no technician's file") != std::string::npos);
    std::string wpa = slurp(r.run("ksd/wpa_supplicant-wlan0.conf"));
    CHECK(wpa.find("country=ID\n") != std::string::npos);
    CHECK(wpa.find("network=") == std::string::npos);
    CHECK(fs::read_symlink(r.run("ksd/localtime")) == "/usr/share/zoneinfo/Asia/Jakarta");
    CHECK(!fs::exists(r.run("ksd/ssh-enabled")));

    Root bad;
    auto out = bad.setup("[time]\ntimezone = \"Asia/Jakata\"\n[ssh]\nauthorized_key = \"hello\"\n");
    INFO(out.text);
    CHECK(out.status == 78);
    CHECK(out.text.find(bad.dir / "ksd.toml" + ":2: key 'time.timezone': unknown time zone")
        != std::string::npos);
    CHECK(out.text.find(bad.dir / "ksd.toml" + ":4: key 'ssh.authorized_key': ")
        != std::string::npos);
    CHECK(!fs::exists(bad.dir / "root/run"));

    auto version = capture(setup_bin + " --version");
    CHECK(version.status == 0);
    CHECK(version.text.rfind("ksd-setup ", 0) == 0);
}
