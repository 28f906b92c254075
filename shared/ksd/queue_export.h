// Queue export by USB (issue 14), for kiosks with no network at all: the file of not yet
// acknowledged requests that staff carry to the server, sealed to the server's public key
// (libsodium sealed box) and authenticated with a key that kiosk and server derive from the
// kiosk's sync token, and the acknowledgement file they carry back. Format: sync/PROTOCOL.md,
// "Queue export by USB". Pure functions over bytes, plus the device-database steps both the
// agent (`ksd-sync export`, `import-ack`) and the kiosk's staff mode call.
#pragma once

#include "ksd/clock.h"
#include "ksd/db.h"
#include "ksd/result.h"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ksd {

// tickets.h: not included here, so that the server (which has its own purge_personal_data)
// can include this header beside its own.
struct Ticket;
struct WallClock;

using Key32 = std::array<unsigned char, 32>;

inline constexpr std::string_view export_magic = "KSDQEXP1"; // 8 bytes, then a length
inline constexpr std::string_view ack_magic = "KSDQACK1";
inline constexpr char const* export_extension = ".ksdq";
inline constexpr char const* ack_extension = ".ksda";
// The sealed payload's largest size we accept (10,000 requests take about 6 MiB).
inline constexpr uint64_t max_export_bytes = 256u << 20;

// The ticket as a sync upload carries it (PROTOCOL.md, POST /api/v1/tickets): the 16 fields and
// the optional ones of issue 11; age_s only when the ticket was saved in this boot. The sync
// pass and the export both build it here, so the server's import sees what a sync would send.
nlohmann::json ticket_upload_json(Ticket const&, BootClock const& now);

// BLAKE2b-256 of the token "KIOSK_ID.SECRET", unkeyed: what the server stores of it.
Key32 sync_token_hash(std::string_view token);
// The kiosk's USB key: BLAKE2b-256 keyed with the token hash of "ksd queue export v1". Both sides
// can make it (the kiosk from its token, the server from the hash it stores), nobody without one
// of them can; ksd-sync stores it in the device database for the kiosk app (usb_keys_key).
Key32 usb_kiosk_key(Key32 const& token_hash);
// Subkeys of the kiosk's USB key (crypto_kdf, context "ksdusbq1"): one for exports, one for
// acknowledgements, so one file can never pass as the other.
Key32 usb_export_mac_key(Key32 const& kiosk_key);
Key32 usb_ack_mac_key(Key32 const& kiosk_key);

std::string key_hex(Key32 const&);
// 64 hex digits (either case, surrounding spaces ignored) to a key; an error naming `what`.
Result<Key32> parse_key_hex(std::string_view text, std::string_view what);

// The server's sealed-box key pair (X25519).
struct BoxKeyPair {
    Key32 public_key {};
    Key32 secret_key {};
};
BoxKeyPair generate_box_keypair();

// Seals an export: the payload (the JSON object of PROTOCOL.md, compressed with zlib) with the
// kiosk id and a MAC with the export key, sealed to the server's public key, behind the magic and
// the sealed length.
std::string seal_queue_export(std::string_view kiosk_id, std::string_view payload,
    Key32 const& export_mac_key, Key32 const& server_public_key);

// An export opened with the server's key pair. The MAC is not checked yet: the kiosk id inside
// names the kiosk whose key checks it (verify_export_mac).
struct OpenedExport {
    std::string kiosk_id;
    std::string payload; // zlib-compressed: payload_json() after the MAC is checked
    std::string mac; // 32 bytes
};
// Refuses with a sentence naming what is wrong: not an export (magic), truncated (fewer bytes
// than its length says: a stick pulled while writing), longer than said, cannot be opened (sealed
// for another server, or altered), or its inside is malformed.
Result<OpenedExport> open_queue_export(std::string_view file, BoxKeyPair const& server);
// Whether the export's MAC is the kiosk's (constant time).
bool verify_export_mac(OpenedExport const&, Key32 const& export_mac_key);
// The payload's JSON text, decompressed (at most max_export_bytes: a bomb is refused).
Result<std::string> payload_json(OpenedExport const&);

// An acknowledgement file: the magic, the JSON's length, the JSON, a MAC with the ack key.
std::string build_ack_file(std::string_view json, Key32 const& ack_mac_key);
// The JSON of an acknowledgement file, or a sentence naming what is wrong (not one, truncated,
// its MAC is not this kiosk's: forged, altered or meant for another kiosk).
Result<std::string> open_ack_file(std::string_view file, Key32 const& ack_mac_key);

// What the kiosk needs to export and to apply acknowledgements, written by ksd-sync into the
// device database under usb_keys_key as "KIOSK_ID SERVER_PUBLIC_KEY_HEX KIOSK_KEY_HEX" (the kiosk
// app cannot read the token file; it reads this).
inline constexpr char const* usb_keys_key = "usb.export_keys";
struct UsbKeys {
    std::string kiosk_id;
    Key32 server_public_key {};
    Key32 kiosk_key {};
};
std::string format_usb_keys(UsbKeys const&);
// An error saying what to do when ksd-sync has not stored them (no server key configured).
Result<UsbKeys> load_usb_keys(Db&);

// "YYYYMMDD-HHMMSS" (UTC) of a Unix time, for the files' names; 0 for a time before 1970.
std::string usb_file_stamp(int64_t unix_seconds);

// What an export wrote.
struct ExportWritten {
    std::string path;
    int requests {0};
    int surveys {0}; // satisfaction survey answers
    int64_t bytes {0};
};
// The export payload's JSON of every request in state queued, sending or quarantined (oldest
// first), and in "surveys" every survey answer of this kiosk not yet acknowledged (skm.h; answers
// saved under another device.id wait, as the sync agent leaves them). Counts into the pointers
// when given.
Result<std::string> build_export_payload(Db&, std::string const& kiosk_id, WallClock now,
    BootClock const& boot, int* count, int* surveys = nullptr);
// Builds, seals and writes the export into dir as ksd-antrean-KIOSK-YYYYMMDD-HHMMSS.ksdq: written
// under a temporary name, fsynced, renamed, directory fsynced, so a stick pulled midway leaves no
// file that looks complete. An empty queue is written too (the server acknowledges nothing).
Result<ExportWritten> write_queue_export(
    Db&, UsbKeys const&, std::string const& dir, WallClock now, BootClock const& boot);

struct AckApplied {
    int acknowledged {0}; // newly marked acknowledged
    int quarantined {0}; // refused by the server (conflict, invalid): quarantined as a sync does
    int already {0}; // acknowledged before (by a sync or an earlier ack): unchanged
    int unknown {0}; // not on this kiosk (any more)
    int surveys {0}; // survey answers the server stored: deleted from the kiosk, as a sync does
    int surveys_quarantined {0}; // survey answers the server refused for their content
};
// Applies an acknowledgement file's bytes: checks its MAC and kiosk, then in one transaction
// marks each `created`/`duplicate` request acknowledged at the server's time of the import with
// the server's status and dates (as a sync does), quarantines `conflict`/`invalid` ones that are
// still waiting; survey answers (`survey_results`) stored by the server are deleted, refused ones
// quarantined. Applying it again changes nothing.
Result<AckApplied> apply_queue_ack(Db&, UsbKeys const&, std::string_view file);

} // namespace ksd
