// Disk space and storage error classification; see disk.h.
#include "ksd/disk.h"

#include <cerrno>
#include <cstring>
#include <sqlite3.h>
#include <sys/statvfs.h>

namespace ksd {

Result<DiskSpace> disk_space(std::string const& path) {
    struct statvfs st { };
    if (statvfs(path.c_str(), &st) != 0)
        return Error {"cannot read free space of " + path + ": " + std::strerror(errno)};
    DiskSpace d;
    d.free_bytes = int64_t(st.f_bavail) * int64_t(st.f_frsize);
    d.total_bytes = int64_t(st.f_blocks) * int64_t(st.f_frsize);
    d.read_only = (st.f_flag & ST_RDONLY) != 0;
    return d;
}

StorageProblem classify_storage_error(Error const& e) {
    int primary = e.sqlite_code & 0xFF;
    if (primary == SQLITE_FULL)
        return StorageProblem::Full;
    if (primary == SQLITE_READONLY)
        return StorageProblem::ReadOnly;
    if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_CORRUPT)
        return StorageProblem::IoError;
    if (e.sqlite_code == 0) {
        // Errors from plain file calls carry strerror's text.
        if (e.message.find(std::strerror(ENOSPC)) != std::string::npos)
            return StorageProblem::Full;
        if (e.message.find(std::strerror(EROFS)) != std::string::npos)
            return StorageProblem::ReadOnly;
    }
    return e.message.empty() ? StorageProblem::None : StorageProblem::Other;
}

std::string_view storage_problem_name(StorageProblem p) {
    switch (p) {
    case StorageProblem::None:
        return "none";
    case StorageProblem::Full:
        return "disk full";
    case StorageProblem::ReadOnly:
        return "data partition read-only";
    case StorageProblem::IoError:
        return "storage I/O error";
    case StorageProblem::Other:
        return "storage error";
    }
    return "storage error";
}

} // namespace ksd
