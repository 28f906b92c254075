// The data partition's health: free space, and what a failed write means. A full disk or a
// read-only partition (an SD card that remounted itself read-only) must turn into a polite
// refusal of new requests and a reason on the staff screen, never a crash or a false "saved".
#pragma once

#include "ksd/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ksd {

struct DiskSpace {
    int64_t free_bytes {0}; // available to this (unprivileged) process
    int64_t total_bytes {0};
    bool read_only {false}; // mounted read-only
};
// statvfs of the file system holding path.
Result<DiskSpace> disk_space(std::string const& path);

enum class StorageProblem : uint8_t { None, Full, ReadOnly, IoError, Other };
// Classifies an error from saving (by its SQLite code; errno-based file errors by message).
StorageProblem classify_storage_error(Error const&);
std::string_view storage_problem_name(StorageProblem); // "disk full", "read-only", ...

// Below this much free space the kiosk stops taking new requests (they could not be saved, and
// SQLite needs room for its WAL); browsing goes on.
inline constexpr int64_t min_free_bytes_for_requests = 8 * 1024 * 1024;

} // namespace ksd
