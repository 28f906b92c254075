// Taking a content pack from elsewhere (a USB stick, a download) into the kiosk's pack path:
// copy it beside the target, fsync, verify the copy's signature and that it is newer than the
// pack shown, then rename it into place (and its .minisig), so the kiosk never sees a partial or
// unverified file. Used by staff mode (USB) and the sync agent (download).
#pragma once

#include "ksd/minisign.h"
#include "ksd/result.h"

#include <algorithm>
#include <cstdint>
#include <functional>
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

// The three passes over the pack's bytes, in order.
enum class ImportStage : uint8_t {
    Checking, // the source's signature, before anything is written
    Copying, // to a temporary file beside the target, fsynced
    Verifying, // the copy's signature (the copy is what gets installed)
};
inline constexpr int import_stage_count = 3;

// How far an import is: the stage and the bytes of the pack it has gone through in it.
struct ImportProgress {
    ImportStage stage {ImportStage::Checking};
    int64_t done {0};
    int64_t size {0}; // of the pack
    // Of the whole import, 0..1 (the three passes weigh the same).
    double fraction() const {
        if (size <= 0)
            return 0;
        return (double(int(stage)) + double(std::min(done, size)) / double(size))
            / import_stage_count;
    }
};
// Told the progress after each block, on the importing thread; Stop abandons the import
// (an error, the target untouched, no temporary file left).
using ImportMeter = std::function<Proceed(ImportProgress const&)>;

struct ImportedPack {
    int64_t content_version {0};
    std::string institution;
};

// Copies source (+ .minisig) to target_path's directory, verifies, and swaps it in. Refuses
// (with a message naming the problem, leaving target untouched and no temporary file behind):
// a missing or bad signature, another key, a pack that is not newer than current_version, a
// full disk, a meter that says Stop. current_version 0: any valid pack is newer.
Result<ImportedPack> import_pack(std::string const& source_path, std::string const& target_path,
    minisign::PublicKey const& key, int64_t current_version, ImportMeter const& meter = {});

} // namespace ksd
