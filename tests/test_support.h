// Helpers for tests: a temporary directory removed afterwards, running a command.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace ksd::test {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
public:
    TempDir()
    {
        auto base = std::filesystem::temp_directory_path() / "ksd-test-XXXXXX";
        std::string tmpl = base.string();
        char* made = ::mkdtemp(tmpl.data());
        if (!made)
            std::abort();
        m_path = made;
    }
    ~TempDir()
    {
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
inline int run(std::string const& command)
{
    int rc = std::system(command.c_str());
    if (rc == -1 || !WIFEXITED(rc))
        return -1;
    return WEXITSTATUS(rc);
}

inline bool have_tool(std::string const& name)
{
    return run("command -v " + name + " >/dev/null 2>&1") == 0;
}

} // namespace ksd::test
