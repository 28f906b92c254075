// Taking a content pack from elsewhere (a USB stick, a download) into the kiosk's pack path:
// copy it beside the target, fsync, verify the copy's signature and that it is newer than the
// pack shown, then rename it into place (and its .minisig), so the kiosk never sees a partial or
// unverified file. Used by staff mode (USB) and the sync agent (download).
#pragma once

#include "ksd/minisign.h"
#include "ksd/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ksd {

struct PackCandidate {
    std::string path; // the .pack file; its signature is path + ".minisig"
    int64_t size {0};
};

// Looks for *.pack files with a .minisig beside them in each directory and one level below
// (a USB stick mounted at /media/ksd-usb or /media/usb0/ksd/...). Unreadable directories are
// skipped. Sorted by path.
std::vector<PackCandidate> find_pack_candidates(std::vector<std::string> const& dirs);

struct ImportedPack {
    int64_t content_version {0};
    std::string institution;
};

// Copies source (+ .minisig) to target_path's directory, verifies, and swaps it in. Refuses
// (with a message naming the problem, leaving target untouched and no temporary file behind):
// a missing or bad signature, another key, a pack that is not newer than current_version, a
// full disk. current_version 0: any valid pack is newer.
Result<ImportedPack> import_pack(std::string const& source_path, std::string const& target_path,
    minisign::PublicKey const& key, int64_t current_version);

} // namespace ksd
