// The technician's one file, /boot/firmware/ksd.toml (FAT, edited on any laptop): its schema and
// checks, and the pure merges onto the kiosk's and the agent's own configs (keys set in ksd.toml
// win over kiosk.toml and sync.toml; command-line options are applied after, so they win over
// both).
#pragma once

#include "ksd/config.h"

#include <string>
#include <string_view>
#include <vector>

namespace ksd {

inline constexpr char const* technician_config_path = "/boot/firmware/ksd.toml";
inline constexpr char const* default_zoneinfo_dir = "/usr/share/zoneinfo";
// EX_CONFIG of sysexits.h: the agent and ksd-setup exit with it on a bad file, and the units
// say RestartPreventExitStatus=78 (restarting cannot fix a file).
inline constexpr int exit_config_error = 78;

// zoneinfo_dir: where time.timezone must name a file (a test passes its own).
ConfigSchema technician_schema(std::string const& zoneinfo_dir = default_zoneinfo_dir);

// Checks that need two keys (the token's kiosk id against [kiosk] id, a Wi-Fi password without
// a network name). One "SOURCE:LINE: key 'NAME': ..." line per problem; empty when all is well.
std::vector<std::string> technician_cross_checks(Config const&, std::string_view source_name);

// parse_config with the technician's schema plus the cross checks, all problems in one Error
// (a token for another kiosk is reported with a bad time zone, not after it is fixed).
Result<Config> parse_technician_config(
    std::string_view text, std::string_view source_name, ConfigSchema const& schema);

// screen.diagonal_inches, in ksd.toml and kiosk.toml: the panel's diagonal in inches as text
// ("7", "10.1"; TOML has no unit-safe number we read), or "" to assume it from the resolution.
// Returns what is wrong in a sentence, or "" when the value is fine.
std::string check_diagonal_inches(std::string const& text);
inline constexpr double min_diagonal_inches = 3.0, max_diagonal_inches = 100.0;

enum class TechnicianFile { Missing, Read };
struct TechnicianConfig {
    TechnicianFile file;
    Config config; // the defaults, none set, when the file is missing
};
// A missing file is fine (a desktop, a Pi without the boot partition): the defaults, nothing
// set. An unreadable file or a bad value is an Error naming the path.
Result<TechnicianConfig> load_technician_config(
    std::string const& path, ConfigSchema const& schema);

// The kiosk's config after ksd.toml: [kiosk] id -> device.id, [screen] rotation, width, height,
// drm_device_index, diagonal_inches -> screen.*, office_hours and wake_minutes -> power.* (only
// when the kiosk's schema declares them), [printer] device -> printer.device, and, when [server]
// url is set and ticket.status_url is empty, status_url = URL + "/t/{code}". Only keys set in
// ksd.toml move, and an empty [kiosk] id never does (it means "kiosk.toml's").
void merge_into_kiosk(Config const& technician, ConfigSchema const& kiosk_schema, Config& kiosk);

// The agent's config after ksd.toml: [server] url and ca_file -> server.* (an empty url never
// moves), [server] usb_public_key -> usb.server_public_key (issue 14; an empty one never moves).
// Returns the inline token ([server] token) or "" when ksd.toml has none (then server.token_file is
// read).
std::string merge_into_sync(Config const& technician, Config& sync);

// One problem of a config error message, split for the technician's page.
struct ConfigProblem {
    std::string file; // as the message names it, e.g. "/boot/firmware/ksd.toml"
    int line {0}; // 0 when the message names no line
    std::string key; // "server.url"; "" when the message names no key
    std::string what; // what is wrong
};
// Splits the "FILE:LINE: key 'NAME': WHAT" lines of parse_config's errors; a line in another
// form becomes a problem with only `what` set, so nothing is lost.
std::vector<ConfigProblem> split_config_problems(std::string_view message);

} // namespace ksd
