// The technician's file /boot/firmware/ksd.toml: schema, checks and merges (see
// technician_config.h).
#include "ksd/technician_config.h"

#include "ksd/files.h"
#include "ksd/number.h"
#include "ksd/office_hours.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <system_error>

namespace ksd {
namespace {

bool valid_kiosk_id(std::string_view id) {
    // The server's rule (ksd-server kiosk add): 1-64 letters, digits, '-' or '_'.
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

std::string check_kiosk_id(std::string const& id) {
    if (id.empty() || valid_kiosk_id(id))
        return "";
    return "\"" + id
        + "\" is not a kiosk id: use 1-64 letters, digits, '-' or '_', exactly as registered on "
          "the server (ksd-server kiosk add ID)";
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The host of an http(s) URL, without port, user or IPv6 brackets ("" when there is none).
std::string url_host(std::string_view rest) {
    std::string host(rest.substr(0, rest.find_first_of("/?#")));
    if (auto at = host.rfind('@'); at != std::string::npos)
        host = host.substr(at + 1);
    if (!host.empty() && host.front() == '[') {
        auto close = host.find(']');
        return close == std::string::npos ? "" : host.substr(1, close - 1);
    }
    return lower(host.substr(0, host.find(':')));
}

bool loopback(std::string const& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string check_url(std::string const& url) {
    if (url.empty())
        return "";
    if (std::any_of(url.begin(), url.end(),
            [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
        return "\"" + url
            + "\" contains a space; write the address only, e.g. "
              "\"https://ksd.example.go.id\"";
    std::string const low = lower(url);
    bool https = low.rfind("https://", 0) == 0;
    bool http = low.rfind("http://", 0) == 0;
    if (!https && !http)
        return "\"" + url + "\" must start with https:// (e.g. \"https://ksd.example.go.id\")";
    std::string host = url_host(std::string_view(url).substr(https ? 8 : 7));
    if (host.empty())
        return "\"" + url + "\" has no server name after the scheme";
    if (http && !loopback(host))
        return "\"" + url
            + "\" uses plain http: tokens and visitors' data would cross the network unencrypted; "
              "use https:// (plain http is only for a server on this machine: localhost, "
              "127.0.0.1 or ::1)";
    return "";
}

std::string check_token(std::string const& token) {
    if (token.empty())
        return "";
    auto dot = token.find('.');
    if (dot == std::string::npos)
        return "not a token: it has the form KIOSK_ID.SECRET (one line printed by `ksd-server "
               "kiosk add ID`)";
    std::string id = token.substr(0, dot), secret = token.substr(dot + 1);
    if (!valid_kiosk_id(id))
        return "the part before the dot (\"" + id
            + "\") must be the kiosk id: 1-64 letters, digits, '-' or '_'";
    bool hex = std::all_of(secret.begin(), secret.end(),
        [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
    if (!hex || secret.size() != 64)
        return "the part after the dot must be 64 hexadecimal digits (0-9, a-f); it has "
            + std::to_string(secret.size())
            + " characters: copy the whole token again, it may be cut short";
    return "";
}

std::string check_office_hours(std::string const& text) {
    auto parsed = parse_office_hours(text);
    return parsed.ok() ? "" : parsed.error().message;
}

std::string check_timezone(std::string const& zoneinfo, std::string const& tz) {
    std::string const examples = " (e.g. \"Asia/Jakarta\" WIB, \"Asia/Makassar\" WITA, "
                                 "\"Asia/Jayapura\" WIT)";
    if (tz.empty())
        return "the time zone is empty" + examples;
    if (tz.front() == '/' || tz.find("..") != std::string::npos)
        return "\"" + tz + "\" is not a time zone name" + examples;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(zoneinfo + "/" + tz, ec))
        return "unknown time zone \"" + tz + "\" (no " + zoneinfo + "/" + tz + ")" + examples;
    return "";
}

std::string check_usb_key(std::string const& key) {
    bool const hex = key.size() == 64 && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
    return key.empty() || hex ? ""
                              : "not a key: 64 hex digits, the line printed by `ksd-server keys`";
}

std::string check_ntp(std::string const& servers) {
    bool ok = std::all_of(servers.begin(), servers.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':'
            || c == ' ';
    });
    return ok ? ""
              : "\"" + servers
            + "\" is not a list of server names: names or addresses separated by spaces, e.g. "
              "\"ntp.bmkg.go.id 0.id.pool.ntp.org\"";
}

std::string check_ssid(std::string const& ssid) {
    if (ssid.size() > 32)
        return "a Wi-Fi network name has at most 32 bytes; this one has "
            + std::to_string(ssid.size());
    if (std::any_of(ssid.begin(), ssid.end(), [](char c) { return c == '\n' || c == '\r'; }))
        return "the network name must be on one line";
    return "";
}

std::string check_password(std::string const& pw) {
    if (pw.empty())
        return "";
    bool printable = std::all_of(pw.begin(), pw.end(), [](char c) { return c >= 32 && c <= 126; });
    if (!printable)
        return "the Wi-Fi password must be plain characters (letters, digits, punctuation) on "
               "one line";
    if (pw.size() < 8 || pw.size() > 63)
        return "a WPA password has 8 to 63 characters; this one has " + std::to_string(pw.size())
            + " (leave it \"\" for an open network)";
    return "";
}

std::string check_country(std::string const& c) {
    bool ok = c.size() == 2 && std::isupper(static_cast<unsigned char>(c[0]))
        && std::isupper(static_cast<unsigned char>(c[1]));
    return ok ? ""
              : "\"" + c
            + "\" is not a country code: two capital letters (ISO 3166), \"ID\" for Indonesia";
}

std::string check_ssh_key(std::string const& key) {
    if (key.empty())
        return "";
    if (key.find('\n') != std::string::npos || key.find('\r') != std::string::npos)
        return "one public key on one line, as in the .pub file";
    static constexpr std::string_view types[] = {"ssh-ed25519 ", "ssh-rsa ", "ecdsa-sha2-nistp",
        "sk-ssh-ed25519@openssh.com ", "sk-ecdsa-sha2-nistp256@openssh.com "};
    for (auto t : types)
        if (key.rfind(t, 0) == 0)
            return "";
    return "not an SSH public key: paste the line of the .pub file, starting with ssh-ed25519 "
           "(or ssh-rsa, ecdsa-sha2-...); never the private key";
}

std::string check_device(std::string const& dev) {
    if (dev.empty() || dev.rfind("/dev/", 0) == 0)
        return "";
    return "\"" + dev + "\" is not a device: e.g. \"/dev/usb/lp0\", or \"\" for no printer";
}

std::string where(std::string_view source, Config const& cfg, std::string_view key) {
    return std::string(source) + ":" + std::to_string(cfg.line_of(key).value_or(0)) + ": key '"
        + std::string(key) + "': ";
}

} // namespace

std::string check_diagonal_inches(std::string const& text) {
    if (text.empty())
        return "";
    auto v = parse_double(text);
    if (!v || *v < min_diagonal_inches || *v > max_diagonal_inches)
        return "\"" + text
            + "\" is not a panel diagonal: write inches like \"7\" or \"10.1\" (3 to 100), "
              "or \"\" to assume it from the resolution";
    return "";
}

ConfigSchema technician_schema(std::string const& zoneinfo) {
    ConfigSchema s;
    s.string("kiosk.id", "",
        "Kode anjungan ini, sama dengan di server / This kiosk's id as registered on the server "
        "(ksd-server kiosk add ID); empty: kiosk.toml's device.id.");
    s.string("server.url", "",
        "Alamat server pusat / The central server, e.g. https://ksd.example.go.id (https unless "
        "the server is this machine).");
    s.string("server.token", "",
        "Token anjungan / This kiosk's token KIOSK_ID.SECRET from `ksd-server kiosk add`; its "
        "KIOSK_ID must equal [kiosk] id.");
    s.string("server.ca_file", "",
        "Sertifikat CA / CA bundle for the server's certificate; empty: the system's.");
    // Issue 14: the queue export by USB (ksd-sync's usb.server_public_key).
    s.string("server.usb_public_key", "",
        "Kunci publik USB server / The server's USB export public key, 64 hex digits from "
        "`ksd-server keys`; empty: sync.toml's.");
    s.choice("screen.rotation", "0", {"0", "90", "180", "270"},
        "Putaran layar / Clockwise rotation of the picture (touch follows).");
    s.integer("screen.width", 0, 0, 8192, "Lebar layar / Width in pixels; 0: the display's own.");
    s.integer(
        "screen.height", 0, 0, 8192, "Tinggi layar / Height in pixels; 0: the display's own.");
    s.integer("screen.drm_device_index", -1, -1, 9,
        "Kartu grafis / Which /dev/dri/cardN to use; -1: automatic (a Pi 5 may need 1).");
    s.string("screen.diagonal_inches", "",
        "Diagonal layar / The panel's diagonal in inches, e.g. \"10.1\"; sizes text so capitals "
        "are 4 mm tall. Empty: assumed from the resolution (7\" 800x480, 10.1\" 1280x800, 21.5\" "
        "1920x1080).");
    s.string("screen.office_hours", "",
        "Jam layanan / Office hours, e.g. \"mon-thu 07:30-16:00, fri 07:30-11:30\"; outside them "
        "the screen sleeps. Empty: always on.");
    s.integer("screen.wake_minutes", 5, 1, 60,
        "Menit layar menyala setelah disentuh / Minutes a touch wakes a sleeping screen for.");
    s.string("time.ntp_server", "",
        "Server waktu / NTP servers separated by spaces; empty: Debian's pool.");
    s.string("time.timezone", "Asia/Jakarta",
        "Zona waktu / Time zone: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT).");
    s.string("wifi.ssid", "", "Nama jaringan Wi-Fi / Wi-Fi network name; empty: cable only.");
    s.string("wifi.password", "",
        "Kata sandi Wi-Fi / Wi-Fi password (WPA, 8-63 characters); empty: an open network.");
    s.string("wifi.country", "ID", "Kode negara Wi-Fi / Wi-Fi country code (radio rules).");
    s.string("ssh.authorized_key", "",
        "Kunci publik SSH / One SSH public key (ssh-ed25519 ...) that may log in; empty: SSH off.");
    s.string("printer.device", "",
        "Printer struk / Receipt printer device, e.g. /dev/usb/lp0; \"\": no printer.");
    s.check("kiosk.id", check_kiosk_id)
        .check("server.url", check_url)
        .check("server.token", check_token)
        .check("server.usb_public_key", check_usb_key)
        .check("screen.diagonal_inches", check_diagonal_inches)
        .check("screen.office_hours", check_office_hours)
        .check("time.ntp_server", check_ntp)
        .check("time.timezone",
            [zoneinfo](std::string const& tz) { return check_timezone(zoneinfo, tz); })
        .check("wifi.ssid", check_ssid)
        .check("wifi.password", check_password)
        .check("wifi.country", check_country)
        .check("ssh.authorized_key", check_ssh_key)
        .check("printer.device", check_device);
    return s;
}

std::vector<std::string> technician_cross_checks(Config const& cfg, std::string_view source) {
    std::vector<std::string> out;
    std::string const& token = cfg.get_string("server.token");
    std::string const& id = cfg.get_string("kiosk.id");
    if (!token.empty()) {
        std::string token_id = token.substr(0, token.find('.'));
        if (id.empty())
            out.push_back(where(source, cfg, "server.token") + "the token is for kiosk \""
                + token_id + "\": [kiosk] id must be \"" + token_id + "\" too");
        else if (token_id != id)
            out.push_back(where(source, cfg, "server.token") + "the token is for kiosk \""
                + token_id + "\" but [kiosk] id is \"" + id
                + "\": use the token made for this kiosk (ksd-server kiosk add " + id + ")");
    }
    if (cfg.get_string("wifi.ssid").empty() && !cfg.get_string("wifi.password").empty())
        out.push_back(where(source, cfg, "wifi.password")
            + "a password without a network: write the network's name as ssid under [wifi]");
    return out;
}

Result<Config> parse_technician_config(
    std::string_view text, std::string_view source_name, ConfigSchema const& schema) {
    return parse_config(text, source_name, schema,
        [source_name](Config const& cfg) { return technician_cross_checks(cfg, source_name); });
}

Result<TechnicianConfig> load_technician_config(
    std::string const& path, ConfigSchema const& schema) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found)
        return TechnicianConfig {TechnicianFile::Missing, Config(schema)};
    auto text = read_file(path);
    if (!text.ok())
        return Error {path + ":0: cannot be read: " + text.error().message};
    TRY_RESULT(Config cfg, parse_technician_config(*text, path, schema));
    return TechnicianConfig {TechnicianFile::Read, std::move(cfg)};
}

void merge_into_kiosk(Config const& tech, ConfigSchema const& kiosk_schema, Config& kiosk) {
    auto move_string = [&](std::string_view from, std::string_view to) {
        if (tech.line_of(from) && kiosk_schema.find(to))
            kiosk.set(to, tech.get_string(from));
    };
    // An empty id means "kiosk.toml's": a kiosk without an id cannot sync.
    auto move_id = [&](std::string_view from, std::string_view to) {
        if (!tech.get_string(from).empty())
            move_string(from, to);
    };
    auto move_int = [&](std::string_view from, std::string_view to) {
        if (!tech.line_of(from))
            return;
        ConfigKey const* k = kiosk_schema.find(to);
        if (!k)
            return;
        // A narrower range on the kiosk's side is kept (never a value its schema refuses).
        int64_t v = std::clamp(tech.get_int(from), k->min, k->max);
        kiosk.set(to, v);
    };
    move_id("kiosk.id", "device.id");
    move_string("screen.rotation", "screen.rotation");
    move_int("screen.width", "screen.width");
    move_int("screen.height", "screen.height");
    move_int("screen.drm_device_index", "screen.drm_device_index");
    move_string("screen.diagonal_inches", "screen.diagonal_inches");
    // Declared by the kiosk only once its screen power is built: until then not moved.
    move_string("screen.office_hours", "power.office_hours");
    move_int("screen.wake_minutes", "power.wake_minutes");
    move_string("printer.device", "printer.device");
    move_string("time.timezone", "time.timezone");
    std::string url = tech.get_string("server.url");
    if (tech.line_of("server.url") && !url.empty()
        && kiosk.get_string("ticket.status_url").empty()) {
        while (!url.empty() && url.back() == '/')
            url.pop_back();
        kiosk.set("ticket.status_url", url + "/t/{code}");
    }
}

std::string merge_into_sync(Config const& tech, Config& sync) {
    // Empty url and token mean "sync.toml's" (an agent without them cannot work at all).
    if (tech.line_of("server.url") && !tech.get_string("server.url").empty())
        sync.set("server.url", tech.get_string("server.url"));
    if (tech.line_of("server.ca_file"))
        sync.set("server.ca_file", tech.get_string("server.ca_file"));
    if (tech.line_of("server.usb_public_key") && !tech.get_string("server.usb_public_key").empty())
        sync.set("usb.server_public_key", tech.get_string("server.usb_public_key"));
    return tech.get_string("server.token");
}

std::vector<ConfigProblem> split_config_problems(std::string_view message) {
    std::vector<ConfigProblem> out;
    size_t pos = 0;
    while (pos < message.size()) {
        size_t nl = message.find('\n', pos);
        std::string_view line
            = message.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? message.size() : nl + 1;
        if (line.empty())
            continue;
        ConfigProblem p;
        p.what = std::string(line);
        // FILE:LINE: key 'NAME': WHAT
        if (auto at = message_location(line)) {
            p.file = std::string(at->file);
            p.line = at->line;
            std::string_view rest = at->rest;
            std::string_view const key_open = "key '";
            if (rest.starts_with(key_open)) {
                auto close = rest.find("': ", key_open.size());
                if (close != std::string_view::npos) {
                    p.key = std::string(rest.substr(key_open.size(), close - key_open.size()));
                    rest.remove_prefix(close + 3);
                }
            }
            p.what = std::string(rest);
        }
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace ksd
