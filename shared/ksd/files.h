// File helpers: whole-file reads with a size cap, and atomic replacement (write a temporary file
// in the same directory, fsync it, rename over the target, fsync the directory), so a reader
// sees the old file or the new one, never a half-written one, even across a power cut.
#pragma once

#include "ksd/result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ksd {

// Reads a whole file; refuses files larger than max_bytes with a message naming the file.
Result<std::string> read_file(std::string const& path, uint64_t max_bytes = 256u << 20);

// Writes bytes to path atomically (see above).
Result<void> write_file_atomic(std::string const& path, std::string_view bytes);

// Renames from over to and fsyncs the directory of to.
Result<void> rename_durable(std::string const& from, std::string const& to);

// Whether a long file operation goes on, as a ByteMeter answers.
enum class Proceed : uint8_t { Go, Stop };
// Told the bytes done so far after each block of a long read or copy (on the thread doing it);
// answering Stop ends the operation with an error ("stopped").
using ByteMeter = std::function<Proceed(int64_t bytes_done)>;

// Copies from into a new file to (which must not exist yet), streaming, then fsyncs it. A meter
// that stops it leaves the partial file to the caller (who removes it: TempFileGuard).
Result<void> copy_file_synced(
    std::string const& from, std::string const& to, ByteMeter const& meter = {});

// fsyncs an existing file by path.
Result<void> fsync_path(std::string const& path);

// A file name next to target for a temporary copy: "<target>.tmp-<pid>-<n>".
std::string temp_path_beside(std::string const& target);

// Deletes a file on destruction unless release() was called: no half-written output is left
// behind when a step fails.
class TempFileGuard {
public:
    explicit TempFileGuard(std::string path)
        : m_path(std::move(path)) { }
    TempFileGuard(TempFileGuard const&) = delete;
    TempFileGuard& operator=(TempFileGuard const&) = delete;
    ~TempFileGuard();
    std::string const& path() const { return m_path; }
    void release() { m_path.clear(); }

private:
    std::string m_path;
};

std::string dirname_of(std::string const& path);
std::string basename_of(std::string const& path);
bool file_exists(std::string const& path);

} // namespace ksd
