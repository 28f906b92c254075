// Taking a content pack into the kiosk's pack path; see pack_import.h.
#include "ksd/pack_import.h"

#include "ksd/content_pack.h"
#include "ksd/disk.h"
#include "ksd/files.h"

#include <algorithm>
#include <filesystem>
#include <sys/stat.h>
#include <vector>

namespace ksd {

namespace {

namespace fs = std::filesystem;

// Room kept free beyond the pack itself: SQLite (the kiosk's WAL) must still be able to write.
constexpr int64_t spare_bytes = 4 * 1024 * 1024;

bool has_pack_extension(fs::path const& p) {
    return p.extension() == ".pack";
}

void scan(fs::path const& dir, int depth, std::vector<PackCandidate>& out) {
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec)
        return;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec)
            return;
        auto const& entry = *it;
        std::error_code e2;
        if (entry.is_directory(e2)) {
            if (depth > 0)
                scan(entry.path(), depth - 1, out);
            continue;
        }
        if (!entry.is_regular_file(e2) || !has_pack_extension(entry.path()))
            continue;
        std::string path = entry.path().string();
        if (!fs::is_regular_file(path + ".minisig", e2))
            continue;
        auto size = entry.file_size(e2);
        if (e2)
            continue;
        out.push_back(PackCandidate {path, static_cast<int64_t>(size)});
    }
}

} // namespace

std::vector<PackCandidate> find_pack_candidates(std::vector<std::string> const& dirs) {
    std::vector<PackCandidate> out;
    for (auto const& d : dirs)
        scan(d, 1, out);
    std::sort(out.begin(), out.end(),
        [](PackCandidate const& a, PackCandidate const& b) { return a.path < b.path; });
    out.erase(std::unique(out.begin(), out.end(),
                  [](PackCandidate const& a, PackCandidate const& b) { return a.path == b.path; }),
        out.end());
    return out;
}

Result<ImportedPack> import_pack(std::string const& source_path, std::string const& target_path,
    minisign::PublicKey const& key, int64_t current_version, ImportMeter const& meter) {
    std::string const source_sig = source_path + ".minisig";
    struct stat st { };
    if (::stat(source_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return Error {"pack refused: cannot read " + source_path};
    if (!file_exists(source_sig))
        return Error {"pack refused: no signature " + source_sig};
    int64_t const size = static_cast<int64_t>(st.st_size);
    auto stage_meter = [&meter, size](ImportStage stage) -> ByteMeter {
        if (!meter)
            return {};
        return [&meter, size, stage](int64_t done) { return meter({stage, done, size}); };
    };
    // Cheap checks on the source first, so that a bad pack does not cost a copy.
    if (auto v
        = minisign::verify_file(source_path, key, source_sig, stage_meter(ImportStage::Checking));
        !v)
        return Error {"pack refused: " + source_path + ": " + v.error().message};

    std::string const dir = dirname_of(target_path);
    if (auto space = disk_space(dir); space.ok()) {
        if (space->read_only)
            return Error {"pack refused: " + dir + " is read-only"};
        if (space->free_bytes < static_cast<int64_t>(st.st_size) + spare_bytes)
            return Error {"pack refused: disk full (" + std::to_string(space->free_bytes)
                + " bytes free in " + dir + ", the pack needs " + std::to_string(st.st_size) + ")"};
    }

    // The copy is verified, not the source: a USB stick pulled or rewritten meanwhile cannot
    // slip in bytes that were not checked.
    TempFileGuard tmp(temp_path_beside(target_path));
    TempFileGuard tmp_sig(tmp.path() + ".minisig");
    if (auto r = copy_file_synced(source_path, tmp.path(), stage_meter(ImportStage::Copying)); !r)
        return Error {"pack refused: " + r.error().message};
    if (auto r = copy_file_synced(source_sig, tmp_sig.path()); !r)
        return Error {"pack refused: " + r.error().message};
    if (auto v = minisign::verify_file(
            tmp.path(), key, tmp_sig.path(), stage_meter(ImportStage::Verifying));
        !v)
        return Error {"pack refused: the copy does not verify: " + v.error().message};

    ImportedPack imported;
    {
        auto pack = ContentPack::open(tmp.path(), key);
        if (!pack)
            return Error {"pack refused: " + pack.error().message};
        imported.content_version = pack->meta().content_version;
        imported.institution = pack->institution().name.id;
    }
    if (imported.content_version <= current_version)
        return Error {"pack refused: version " + std::to_string(imported.content_version)
            + " is not newer than " + std::to_string(current_version)};

    // The signature first: a pack is only ever beside a signature that was checked with it.
    if (auto r = rename_durable(tmp_sig.path(), target_path + ".minisig"); !r)
        return Error {"pack not installed: " + r.error().message};
    tmp_sig.release();
    if (auto r = rename_durable(tmp.path(), target_path); !r)
        return Error {"pack not installed: " + r.error().message};
    tmp.release();
    return imported;
}

} // namespace ksd
