// Helpers for tests: a temporary directory removed afterwards, running a command.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace ksd::test {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
public:
    TempDir() {
        auto base = std::filesystem::temp_directory_path() / "ksd-test-XXXXXX";
        std::string tmpl = base.string();
        char* made = ::mkdtemp(tmpl.data());
        if (!made)
            std::abort();
        m_path = made;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(TempDir const&) = delete;
    TempDir& operator=(TempDir const&) = delete;
    std::string path() const { return m_path.string(); }
    std::string operator/(std::string const& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

// Runs a shell command; returns its exit status (or -1 when it did not exit normally).
inline int run(std::string const& command) {
    int rc = std::system(command.c_str());
    if (rc == -1 || !WIFEXITED(rc))
        return -1;
    return WEXITSTATUS(rc);
}

inline bool have_tool(std::string const& name) {
    return run("command -v " + name + " >/dev/null 2>&1") == 0;
}

// Gives up root for nobody (65534); true when this process is now without privileges (also when
// it never had them). Root may write any file whatever its mode, so a file's mode alone proves
// nothing to a test run as root.
inline bool drop_privileges() {
    if (::geteuid() != 0)
        return true;
    return ::setgid(65534) == 0 && ::setuid(65534) == 0;
}

// Runs fn and returns what it returns (-1 when it did not exit normally): as root in a forked
// child, so that fn may call drop_privileges() once it has opened what it needs (a checkout may
// sit where nobody cannot read), otherwise simply here. fn must not use Catch2's assertions: the
// child reports through its return value.
inline int in_child_when_root(std::function<int()> const& fn) {
    if (::geteuid() != 0)
        return fn();
    pid_t pid = ::fork();
    if (pid == 0)
        ::_exit(fn());
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

} // namespace ksd::test

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace ksd::test {

struct Output {
    int status;
    std::string text; // stdout and stderr together
};

// Runs a shell command and captures what it prints (2>&1).
inline Output capture(std::string const& command) {
    Output out {-1, {}};
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (!p)
        return out;
    std::array<char, 4096> buf {};
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        out.text.append(buf.data(), n);
    int rc = ::pclose(p);
    out.status = (rc != -1 && WIFEXITED(rc)) ? WEXITSTATUS(rc) : -1;
    return out;
}

inline std::string slurp(std::string const& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline void spit(std::string const& path, std::string const& bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << bytes;
}

// Replaces the first occurrence of from in the file; returns false when it is not there.
inline bool replace_in_file(
    std::string const& path, std::string const& from, std::string const& to) {
    std::string s = slurp(path);
    auto pos = s.find(from);
    if (pos == std::string::npos)
        return false;
    s.replace(pos, from.size(), to);
    spit(path, s);
    return true;
}

// Copies the project's demo content into dir/content and returns that path.
inline std::string copy_demo_content(TempDir const& dir) {
    std::string dest = dir / "content";
    std::filesystem::copy(
        std::string(KSD_SOURCE_DIR) + "/content", dest, std::filesystem::copy_options::recursive);
    return dest;
}

} // namespace ksd::test
