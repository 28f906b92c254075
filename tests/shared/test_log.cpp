// Logging: one plain line per event on stderr, filtered by level.
#include "ksd/log.h"
#include "test_support.h"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <unistd.h>

using namespace ksd;

namespace {
// Runs fn with stderr sent to a file; returns what was written.
template <typename F>
std::string stderr_of(F&& fn) {
    test::TempDir dir;
    std::string path = dir / "err.txt";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int saved = ::dup(2);
    ::dup2(fd, 2);
    fn();
    ::dup2(saved, 2);
    ::close(saved);
    ::close(fd);
    return test::slurp(path);
}
} // namespace

TEST_CASE("log lines are plain, one per event, filtered by level", "[log]") {
    auto before = log::level();
    log::set_level(log::Level::Info);
    std::string out = stderr_of([] {
        log::debug("content", "not shown");
        log::info("content", "pack loaded");
        log::warn("sync", "server said 503\nretrying");
    });
    CHECK(out == "info content: pack loaded\nwarn sync: server said 503 retrying\n");
    CHECK(log::set_level_from_name("error"));
    CHECK(stderr_of([] { log::warn("x", "hidden"); }).empty());
    CHECK_FALSE(log::set_level_from_name("loud"));
    CHECK(log::level() == log::Level::Error);
    log::set_level(before);
}
