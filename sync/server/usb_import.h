// Queue export by USB on the server (issue 14): the server's sealed-box key pair, and the import of
// a kiosk's export file through the sync upload's store path, answered with an acknowledgement
// file for the kiosk. Used by `ksd-server keys`, `ksd-server tickets import` and the dashboard's
// import page. Format: sync/PROTOCOL.md, "Queue export by USB".
#pragma once

#include "sla.h"

#include "ksd/queue_export.h"
#include "ksd/result.h"
#include "sql.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ksd::server {

// The key file's default path: beside the database.
std::string default_usb_key_path(std::string const& db_path);
// Reads the key pair (the file holds the secret key as 64 hex digits); an error naming the file
// and what to do when it is missing.
Result<BoxKeyPair> load_usb_keypair(std::string const& path);
// The key pair at path, made first when the file does not exist (mode 0600, written durably).
enum class KeyFile { Existed, Created };
struct UsbKeyPair {
    BoxKeyPair keys;
    KeyFile file {KeyFile::Existed};
};
Result<UsbKeyPair> load_or_create_usb_keypair(std::string const& path);

struct UsbImport {
    std::string kiosk_id;
    std::string export_id;
    int64_t exported_at {0};
    int requests {0};
    int created {0};
    int duplicate {0};
    int conflict {0};
    int invalid {0};
    int surveys {0}; // satisfaction survey answers in the export
    int surveys_created {0};
    int surveys_duplicate {0};
    int surveys_refused {0}; // conflict or invalid: the kiosk quarantines them
    std::string ack_name; // ksd-tanda-terima-KIOSK-YYYYMMDD-HHMMSS.ksda (server time, UTC)
    std::string ack; // the acknowledgement file's bytes
};

// Opens and checks an export file (truncated, altered, another server's, an unknown or revoked
// kiosk, a MAC not the kiosk's: refused with a sentence naming it, nothing stored), stores its
// requests and survey answers as a sync upload of that kiosk would (idempotent by id: one already
// stored is a duplicate) and builds the acknowledgement. now: the server's clock.
Result<UsbImport> import_queue_export(
    Conn&, std::string_view file, BoxKeyPair const& server, int64_t now, SlaRules const&);

// "kiosk lobi-1: 120 requests (118 new, 2 already stored, 0 conflicts, 0 invalid)", and when the
// export held any, "; 14 survey answers (14 new, 0 already stored, 0 refused)".
std::string describe_import(UsbImport const&);

} // namespace ksd::server
