// Building a content pack from the staff-edited sources in content/ (see content/FORMAT.md).
// Everything is validated before anything is written; every problem is reported with file and
// line, not only the first; on any problem no pack (and no half-written file) is left behind.
#pragma once

#include "ksd/result.h"
#include "ksd/taxonomy.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ksd {

struct Diagnostic {
    std::string file; // relative to the source directory
    size_t line {0}; // 1-based; 0 when the problem concerns the whole file
    std::string message; // English (ksd-content, logs)
    std::string message_id; // the same in Bahasa Indonesia (the staff's web pages)
    // The agreements.csv column or the TOML key the problem is about, "" when none: lets a page
    // show the problem next to its field.
    std::string field;
    std::string format() const; // "file:line: message" (English)
    std::string text(Lang) const; // the message in one language
};

struct BuildOptions {
    std::string source_dir;
    std::string output_path;
    int64_t now {0}; // build time, Unix seconds (passed in: reproducible builds)
    std::optional<int64_t> content_version; // default: the build time as YYYYMMDDhhmmss (UTC)
};

struct BuildStats {
    int pages {0}; // per language
    int agreements {0};
    int potential {0};
    int contacts {0};
    int faq {0};
    int assets {0};
    int64_t content_version {0};
    std::string source_hash;
    bool demo {false};
};

struct BuildResult {
    std::vector<Diagnostic> errors; // empty on success
    BuildStats stats;
    bool ok() const { return errors.empty(); }
};

// Validates source_dir and, when it is valid, writes the pack to output_path atomically.
BuildResult build_content_pack(BuildOptions const&);
// Validation only (no output).
BuildResult check_content_sources(std::string const& source_dir);

// "YYYYMMDDhhmmss" of a Unix time in UTC, as a number.
int64_t version_from_time(int64_t unix_seconds);
// The Unix time a version made by version_from_time stands for; nullopt for a version that is
// not such a time (one given by hand with --content-version, e.g. 200), so staff see a date
// where there is one and the bare number otherwise.
std::optional<int64_t> time_from_version(int64_t version);

} // namespace ksd
