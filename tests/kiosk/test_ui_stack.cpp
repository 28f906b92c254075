// The toolkit's check of its scroll (and clip) stack, issue 13: a pass whose begin_scroll and
// end_scroll do not pair is a programming error that Ui::end and Ui::end_scroll report as a
// StackError; debug and sanitizer builds abort on it (shown in a forked child), release repairs.
#include "kiosk_fixture.h"
#include "recording_renderer.h"

#include <csignal>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace kiosk;
using namespace kiosk::ui;

namespace {

constexpr Size screen_size {800, 480};
constexpr Rect whole_screen {0, 0, 800, 480};
constexpr Rect viewport {0, 100, 400, 200};

} // namespace

TEST_CASE("a scroll view left open is reported by Ui::end, which closes it and its clip") {
    auto k = test::make_kiosk(screen_size);
    test::RecordingRenderer rec(k->renderer(), k->fonts(), screen_size);
    Ui ui(rec, k->fonts());
    ui.set_on_misuse(OnMisuse::Repair);
    Theme t = Theme::make(screen_size, TextSize::Normal);

    // Balanced: nothing to report.
    ui.begin(t, std::nullopt, 0);
    ui.begin_scroll("list", viewport);
    CHECK(ui.end_scroll(500) == StackError::None);
    CHECK(ui.end() == StackError::None);
    CHECK(rec.clip() == whole_screen);

    // The end_scroll is missing: Ui::end says so and pops the viewport's clip.
    ui.begin(t, std::nullopt, 0);
    ui.begin_scroll("list", viewport);
    CHECK(rec.clip() == viewport);
    CHECK(ui.end() == StackError::UnclosedScroll);
    CHECK(rec.clip() == whole_screen);

    // Repaired: the next pass is clean.
    ui.begin(t, std::nullopt, 0);
    CHECK(ui.end() == StackError::None);
}

TEST_CASE("an end_scroll without its begin_scroll is reported and pops nothing") {
    auto k = test::make_kiosk(screen_size);
    test::RecordingRenderer rec(k->renderer(), k->fonts(), screen_size);
    Ui ui(rec, k->fonts());
    ui.set_on_misuse(OnMisuse::Repair);
    Theme t = Theme::make(screen_size, TextSize::Normal);

    ui.begin(t, std::nullopt, 0);
    ui.begin_scroll("list", viewport);
    CHECK(ui.end_scroll(500) == StackError::None);
    CHECK(ui.end_scroll(500) == StackError::ExtraEndScroll);
    CHECK(rec.clip() == whole_screen);
    CHECK(ui.end() == StackError::None);
    CHECK(std::string(describe(StackError::ExtraEndScroll)).find("begin_scroll")
        != std::string::npos);
}

TEST_CASE("debug and sanitizer builds abort on an unbalanced stack, saying how to fix it") {
    if (default_on_misuse == OnMisuse::Repair) {
        // A release build repairs (tested above) and logs: no abort to see.
        SUCCEED("SKIPPED: a release build (NDEBUG without a sanitizer) repairs instead");
        return;
    }
    auto k = test::make_kiosk(screen_size);
    test::RecordingRenderer rec(k->renderer(), k->fonts(), screen_size);
    Ui ui(rec, k->fonts());
    Theme t = Theme::make(screen_size, TextSize::Normal);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The child misuses the stack with the default (Abort); it must not get past Ui::end.
        // Catch's own SIGABRT handler would report a failure from the child too: the default
        // action lets the parent see the signal alone.
        std::signal(SIGABRT, SIG_DFL);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        ui.begin(t, std::nullopt, 0);
        ui.begin_scroll("list", viewport);
        ui.end();
        _exit(0);
    }
    close(fds[1]);
    std::string said;
    char buf[512];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
        said.append(buf, size_t(n));
    close(fds[0]);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    INFO("child's stderr: " << said);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGABRT);
    CHECK(said.find("call end_scroll(content_height) once for each begin_scroll")
        != std::string::npos);
}
