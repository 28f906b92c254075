// ksd-setup: applies the technician's ksd.toml to the system at boot (ksd-setup.service, before
// timesyncd, wpa_supplicant, ssh and the kiosk): NTP servers, Wi-Fi, time zone and SSH. The root
// is read-only, so everything it writes is under /run; it starts and stops no service.
#include "ksd/log.h"
#include "ksd/main_guard.h"
#include "ksd/technician_config.h"
#include "ksd/version.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

constexpr char const* usage
    = "usage: ksd-setup [--config FILE] [--root DIR]\n"
      "Reads the technician's file (default /boot/firmware/ksd.toml; a missing file gives the\n"
      "defaults) and writes, under DIR (default /):\n"
      "  run/systemd/timesyncd.conf.d/ksd.conf  [Time] NTP= (only when time.ntp_server is set)\n"
      "  run/ksd/wpa_supplicant-wlan0.conf      Wi-Fi network and country (mode 0600)\n"
      "  run/ksd/localtime                      symlink to /usr/share/zoneinfo/<time.timezone>\n"
      "  run/ksd/ssh/authorized_keys, run/ksd/ssh-enabled   only when ssh.authorized_key is set\n"
      "Exit status: 0 done, 78 a bad value in the file (each problem printed), 1 cannot write.\n"
      "       ksd-setup --version | --help\n";

// Writes path whole (a temporary file renamed over it) with the given mode, making its
// directories; a reader never sees half a file.
ksd::Result<void> write_whole(fs::path const& path, std::string const& text, mode_t mode) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        return ksd::make_error("cannot make " + path.parent_path().string() + ": " + ec.message());
    std::string tmp = path.string() + ".tmp";
    ::unlink(tmp.c_str());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return ksd::make_error("cannot write " + tmp + ": " + std::strerror(errno));
    bool ok = ::fchmod(fd, mode) == 0; // the umask must not loosen or tighten it
    size_t done = 0;
    while (ok && done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += ok ? size_t(n) : 0;
    }
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        return ksd::make_error("cannot write " + path.string() + ": " + why);
    }
    return {};
}

ksd::Result<void> remove_if_there(fs::path const& path) {
    std::error_code ec;
    fs::remove(path, ec);
    if (ec)
        return ksd::make_error("cannot remove " + path.string() + ": " + ec.message());
    return {};
}

ksd::Result<void> symlink_whole(fs::path const& link, std::string const& target) {
    std::error_code ec;
    fs::create_directories(link.parent_path(), ec);
    if (ec)
        return ksd::make_error("cannot make " + link.parent_path().string() + ": " + ec.message());
    std::string tmp = link.string() + ".tmp";
    ::unlink(tmp.c_str());
    if (::symlink(target.c_str(), tmp.c_str()) != 0 || ::rename(tmp.c_str(), link.c_str()) != 0) {
        std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        return ksd::make_error("cannot link " + link.string() + ": " + why);
    }
    return {};
}

std::string hex(std::string const& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// wpa_supplicant's file for wlan0: always written (with the country, and no network when no
// SSID is set), so wpa_supplicant@wlan0 starts the same way on every kiosk.
std::string wpa_conf(ksd::Config const& cfg) {
    std::string out
        = "# Written by ksd-setup at every boot from ksd.toml [wifi]: edit that file instead.\n"
          "ctrl_interface=DIR=/run/wpa_supplicant GROUP=netdev\n"
          "update_config=0\n"
          "country="
        + cfg.get_string("wifi.country") + "\n";
    std::string const& ssid = cfg.get_string("wifi.ssid");
    if (ssid.empty())
        return out;
    // The name in hex: any byte the technician typed, no quoting rules to get wrong.
    out += "network={\n\tssid=" + hex(ssid) + "\n\tscan_ssid=1\n";
    std::string const& password = cfg.get_string("wifi.password");
    if (password.empty())
        out += "\tkey_mgmt=NONE\n";
    else
        out += "\tkey_mgmt=WPA-PSK\n\tpsk=\"" + password + "\"\n";
    return out + "}\n";
}

int apply_settings(ksd::Config const& cfg, fs::path const& root) {
    fs::path const run = root / "run";
    fs::path const ksd_run = run / "ksd";
    std::string const& ntp = cfg.get_string("time.ntp_server");
    fs::path const timesyncd = run / "systemd/timesyncd.conf.d/ksd.conf";
    auto r = ntp.empty()
        ? remove_if_there(timesyncd)
        : write_whole(timesyncd,
            "# Written by ksd-setup from ksd.toml [time] ntp_server.\n[Time]\nNTP=" + ntp + "\n",
            0644);
    if (r.ok())
        r = write_whole(ksd_run / "wpa_supplicant-wlan0.conf", wpa_conf(cfg), 0600);
    if (r.ok())
        r = symlink_whole(ksd_run / "localtime",
            std::string(ksd::default_zoneinfo_dir) + "/" + cfg.get_string("time.timezone"));
    std::string const& key = cfg.get_string("ssh.authorized_key");
    if (r.ok() && key.empty()) {
        r = remove_if_there(ksd_run / "ssh-enabled");
        if (r.ok())
            r = remove_if_there(ksd_run / "ssh/authorized_keys");
    } else if (r.ok()) {
        r = write_whole(ksd_run / "ssh/authorized_keys", key + "\n", 0644);
        if (r.ok())
            r = write_whole(ksd_run / "ssh-enabled", "", 0644);
    }
    if (!r.ok()) {
        ksd::log::error("setup", r.error().message);
        return 1;
    }
    ksd::log::info("setup",
        "applied: time zone " + cfg.get_string("time.timezone") + ", NTP "
            + (ntp.empty() ? std::string("Debian's pool") : ntp) + ", Wi-Fi "
            + (cfg.get_string("wifi.ssid").empty() ? std::string("off") : "network set") + ", SSH "
            + (key.empty() ? "off" : "on"));
    return 0;
}

int run(int argc, char** argv) {
    std::string config = ksd::technician_config_path;
    std::string root = "/";
    std::string zoneinfo = ksd::default_zoneinfo_dir;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::printf("%s", usage);
            return 0;
        }
        if (a == "--version") {
            std::printf("%s\n", ksd::version_line("ksd-setup").c_str());
            return 0;
        }
        // --zoneinfo is for tests: where the time zone names are checked.
        if ((a == "--config" || a == "--root" || a == "--zoneinfo") && i + 1 < argc) {
            std::string v = argv[++i];
            (a == "--config" ? config : a == "--root" ? root : zoneinfo) = v;
            continue;
        }
        std::fprintf(stderr, "ksd-setup: unexpected argument '%s'\n%s", a.c_str(), usage);
        return 1;
    }
    auto const schema = ksd::technician_schema(zoneinfo);
    auto tech = ksd::load_technician_config(config, schema);
    if (!tech.ok()) {
        std::string const& m = tech.error().message;
        size_t pos = 0;
        while (pos < m.size()) {
            size_t nl = m.find('\n', pos);
            ksd::log::error("setup", m.substr(pos, nl == std::string::npos ? nl : nl - pos));
            pos = nl == std::string::npos ? m.size() : nl + 1;
        }
        return ksd::exit_config_error;
    }
    if (tech->file == ksd::TechnicianFile::Missing)
        ksd::log::info("setup", "no technician's file " + config + ": the defaults");
    return apply_settings(tech->config, root);
}

} // namespace

// What the code cannot turn into a message of its own (out of memory, a library's exception)
// still ends in one line and exit status 70 (EX_SOFTWARE), not in std::terminate's abort.
int main(int argc, char** argv) {
    return ksd::guarded_main("ksd-setup", [&] { return run(argc, argv); });
}
