// What a technician needs to set up an enrolled kiosk: the ready-made lines of its config files
// (ksd-sync's server URL and token file, the kiosk's device.id) and the same text as a QR code.
#pragma once

#include "ksd/result.h"

#include <string>

namespace ksd::server {

// Where the Pi image keeps the files (sync/README.md, kiosk/README.md).
inline constexpr char const* sync_config_path = "/etc/ksd/ksd-sync.toml";
inline constexpr char const* token_file_path = "/etc/ksd/sync-token";
inline constexpr char const* kiosk_config_path = "/boot/firmware/ksd-kiosk.toml";

// A TOML basic string: quoted, with \ " and control characters escaped.
std::string toml_string(std::string const&);

// The lines for the three files, each headed by a comment naming the file, e.g.
//   # /etc/ksd/ksd-sync.toml
//   [server]
//   url = "https://ksd.example.go.id"
//   token_file = "/etc/ksd/sync-token"
// then the token file (the token alone) and the kiosk's [device] id.
std::string kiosk_config_lines(
    std::string const& kiosk_id, std::string const& token, std::string const& server_url);

// The text as a QR code (libqrencode, error correction M) in SVG, `pixels` wide; an error when
// the text is too long for a QR code.
Result<std::string> qr_code_svg(std::string const& text, int pixels, std::string const& title);

} // namespace ksd::server
