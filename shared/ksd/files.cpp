// File helpers; see files.h.
#include "ksd/files.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace ksd {

namespace {
Error errno_error(std::string const& what, std::string const& path) {
    return Error {what + " " + path + ": " + std::strerror(errno)};
}

// Closes an fd on scope exit.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
};
} // namespace

Result<void> copy_file_synced(
    std::string const& from, std::string const& to, ByteMeter const& meter) {
    Fd in {::open(from.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0)
        return errno_error("cannot open", from);
    Fd out {::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
    if (out.fd < 0)
        return errno_error("cannot create", to);
    std::vector<char> buf(256 * 1024);
    int64_t copied = 0;
    while (true) {
        ssize_t n = ::read(in.fd, buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno_error("cannot read", from);
        }
        if (n == 0)
            break;
        char const* p = buf.data();
        while (n > 0) {
            ssize_t w = ::write(out.fd, p, static_cast<size_t>(n));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                return errno_error("cannot write", to);
            }
            p += w;
            n -= w;
            copied += w;
        }
        if (meter && meter(copied) == Proceed::Stop)
            return make_error("copy of " + from + " stopped");
    }
    if (::fsync(out.fd) != 0)
        return errno_error("cannot fsync", to);
    return {};
}

Result<std::string> read_file(std::string const& path, uint64_t max_bytes) {
    Fd f {::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0)
        return errno_error("cannot open", path);
    struct stat st { };
    if (::fstat(f.fd, &st) != 0)
        return errno_error("cannot stat", path);
    if (S_ISDIR(st.st_mode))
        return Error {"cannot read " + path + ": it is a directory"};
    if (static_cast<uint64_t>(st.st_size) > max_bytes)
        return Error {"cannot read " + path + ": " + std::to_string(st.st_size)
            + " bytes is more than the limit of " + std::to_string(max_bytes)};
    std::string out;
    out.reserve(static_cast<size_t>(st.st_size));
    char buf[65536];
    while (true) {
        ssize_t n = ::read(f.fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno_error("cannot read", path);
        }
        if (n == 0)
            break;
        out.append(buf, static_cast<size_t>(n));
        if (out.size() > max_bytes)
            return Error {"cannot read " + path + ": larger than the limit of "
                + std::to_string(max_bytes) + " bytes"};
    }
    return out;
}

std::string dirname_of(std::string const& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

std::string basename_of(std::string const& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool file_exists(std::string const& path) {
    struct stat st { };
    return ::stat(path.c_str(), &st) == 0;
}

std::string temp_path_beside(std::string const& target) {
    static std::atomic<unsigned> counter {0};
    return target + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

Result<void> fsync_path(std::string const& path) {
    Fd f {::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0)
        return errno_error("cannot open", path);
    if (::fsync(f.fd) != 0)
        return errno_error("cannot fsync", path);
    return {};
}

Result<void> rename_durable(std::string const& from, std::string const& to) {
    if (::rename(from.c_str(), to.c_str()) != 0)
        return errno_error("cannot rename " + from + " to", to);
    return fsync_path(dirname_of(to));
}

Result<void> write_file_atomic(std::string const& path, std::string_view bytes) {
    std::string tmp = temp_path_beside(path);
    TempFileGuard guard(tmp);
    {
        Fd f {::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
        if (f.fd < 0)
            return errno_error("cannot create", tmp);
        size_t done = 0;
        while (done < bytes.size()) {
            ssize_t n = ::write(f.fd, bytes.data() + done, bytes.size() - done);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return errno_error("cannot write", tmp);
            }
            done += static_cast<size_t>(n);
        }
        if (::fsync(f.fd) != 0)
            return errno_error("cannot fsync", tmp);
    }
    TRY_VOID(rename_durable(tmp, path));
    guard.release();
    return {};
}

TempFileGuard::~TempFileGuard() {
    if (!m_path.empty())
        ::unlink(m_path.c_str());
}

} // namespace ksd
