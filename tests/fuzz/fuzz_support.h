// Helpers shared by the fuzz targets: a private temporary folder per process, the "archive" format
// that splits one input into the files of a content source tree, and building such a tree.
#pragma once

#include "ksd/content_build.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ksd::fuzz {

inline std::string_view as_view(uint8_t const* data, size_t size) {
    return {reinterpret_cast<char const*>(data), size};
}

// A broken promise of the code under test: says which, then aborts (a crash for libFuzzer).
[[noreturn]] inline void fail(char const* what) {
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    std::abort();
}

// A folder under $TMPDIR (or /tmp) made once per process and removed at exit. Never destroyed:
// the removal at exit still needs its name.
inline std::string const& work_dir() {
    static std::string const* dir = [] {
        char const* t = std::getenv("TMPDIR");
        std::string tmpl = std::string(t && *t ? t : "/tmp") + "/ksd-fuzz-XXXXXX";
        if (!mkdtemp(tmpl.data()))
            std::abort();
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(work_dir(), ec);
        });
        return new std::string(tmpl);
    }();
    return *dir;
}

inline void write_file(std::string const& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Whether a relative path of the archive is one the tree may hold: lower-case names, at most
// one folder level (pages/, images/), no "..", nothing absolute.
inline bool safe_relative_path(std::string_view p) {
    if (p.empty() || p.size() > 80 || p.front() == '/' || p.find("..") != std::string_view::npos)
        return false;
    int slashes = 0;
    for (char c : p) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
            || c == '_' || c == '/';
        if (!ok)
            return false;
        slashes += c == '/';
    }
    return slashes <= 1 && p.back() != '/';
}

// Splits an archive into (path, bytes) pairs. The archive is text: a line "=== PATH" starts the
// file PATH, every following line up to the next such line is its content. Bytes before the
// first marker and files with unsafe paths are dropped. Example seeds: tests/fuzz/corpus/content/.
inline std::vector<std::pair<std::string, std::string>> split_archive(std::string_view in) {
    std::vector<std::pair<std::string, std::string>> files;
    size_t pos = 0;
    bool keep = false;
    while (pos < in.size()) {
        size_t eol = in.find('\n', pos);
        size_t next = eol == std::string_view::npos ? in.size() : eol + 1;
        std::string_view line = in.substr(pos, next - pos);
        if (line.starts_with("=== ")) {
            std::string_view path = line.substr(4);
            while (!path.empty() && (path.back() == '\n' || path.back() == '\r'))
                path.remove_suffix(1);
            keep = safe_relative_path(path) && files.size() < 64;
            if (keep)
                files.emplace_back(std::string(path), std::string());
        } else if (keep) {
            files.back().second.append(line);
        }
        pos = next;
    }
    return files;
}

// Writes the archive's files under dir (emptied first).
inline void write_tree(std::string const& dir, std::string_view archive) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    for (auto const& [path, bytes] : split_archive(archive)) {
        fs::path p = fs::path(dir) / path;
        fs::create_directories(p.parent_path(), ec);
        if (fs::is_directory(p, ec))
            continue;
        write_file(p.string(), bytes);
    }
}

// Writes the archive as the source tree work_dir()/src and builds it into out at now (the pack of
// the previous input removed first, so that what is left after a failed build is this build's).
inline ksd::BuildResult build_tree(std::string_view archive, std::string const& out, int64_t now) {
    std::string const src = work_dir() + "/src";
    write_tree(src, archive);
    std::error_code ec;
    std::filesystem::remove(out, ec);
    ksd::BuildOptions o;
    o.source_dir = src;
    o.output_path = out;
    o.now = now;
    return ksd::build_content_pack(o);
}

} // namespace ksd::fuzz
