// The real ksd-kiosk under a stand-in for systemd's notify socket: NOTIFY_SOCKET names a Unix
// datagram socket this test reads, as systemd's is. READY=1 after the first frame, WATCHDOG=1
// repeatedly and in time while the kiosk sits idle, STOPPING=1 on SIGTERM; and a kiosk killed
// during a visit starts again on the attract screen with its queue intact.
#include "ksd/db.h"
#include "ksd/number.h"
#include "test_support.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;

struct Message {
    Clock::time_point at;
    std::string text;
};

// The receiving end of NOTIFY_SOCKET.
class NotifySocket {
public:
    explicit NotifySocket(std::string path)
        : m_path(std::move(path)) {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr {};
        addr.sun_family = AF_UNIX;
        REQUIRE(m_path.size() < sizeof addr.sun_path);
        std::copy(m_path.begin(), m_path.end(), addr.sun_path);
        REQUIRE(m_fd >= 0);
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~NotifySocket() { ::close(m_fd); }
    NotifySocket(NotifySocket const&) = delete;
    NotifySocket& operator=(NotifySocket const&) = delete;

    // Every message until the deadline or until one contains stop_at (then returns at once).
    std::vector<Message> read_until(Clock::time_point deadline, std::string const& stop_at = {}) {
        std::vector<Message> got;
        while (Clock::now() < deadline) {
            auto left
                = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            pollfd p {m_fd, POLLIN, 0};
            if (::poll(&p, 1, int(std::max<int64_t>(left.count(), 1))) <= 0)
                continue;
            char buf[4096];
            ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                continue;
            got.push_back({Clock::now(), std::string(buf, size_t(n))});
            if (!stop_at.empty() && got.back().text.find(stop_at) != std::string::npos)
                break;
        }
        return got;
    }
    std::string const& path() const { return m_path; }

private:
    std::string m_path;
    int m_fd {-1};
};

// A windowed kiosk on SDL's dummy driver with its own database and no content pack (the calm
// "being updated" screen: nothing moves, so the loop sits idle waiting for input).
std::string write_config(ksd::test::TempDir const& dir) {
    std::string path = dir / "kiosk.toml";
    ksd::test::spit(path,
        "[content]\npack = \"" + dir / "none.pack" + "\"\n[device]\ndb = \"" + dir / "device.db"
            + "\"\n[screen]\nwidth = 800\nheight = 480\nfullscreen = false\n");
    return path;
}

// Starts ksd-kiosk with args, output to log; NOTIFY_SOCKET and WATCHDOG_USEC set when given.
pid_t spawn(std::vector<std::string> args, std::string const& notify_socket,
    std::string const& watchdog_usec, std::string const& log, std::string const& preload = {}) {
    pid_t pid = ::fork();
    if (pid == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        ::setenv("SDL_VIDEODRIVER", "dummy", 1);
        if (!notify_socket.empty())
            ::setenv("NOTIFY_SOCKET", notify_socket.c_str(), 1);
        if (!watchdog_usec.empty())
            ::setenv("WATCHDOG_USEC", watchdog_usec.c_str(), 1);
        if (!preload.empty()) {
            ::setenv("LD_PRELOAD", preload.c_str(), 1);
            ::setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1); // the ASan build
        }
        args.insert(args.begin(), KSD_KIOSK_BIN);
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(KSD_KIOSK_BIN, argv.data());
        ::_exit(127);
    }
    return pid;
}

pid_t spawn_kiosk(std::string const& config, std::string const& notify_socket,
    std::string const& watchdog_usec, std::string const& log) {
    return spawn({"--config", config}, notify_socket, watchdog_usec, log);
}

// Waits for the kiosk to exit after a SIGTERM (as systemctl stop sends); its exit status, -1
// if it had to be killed.
int wait_exit(pid_t pid) {
    auto deadline = Clock::now() + std::chrono::seconds(20);
    int status = 0;
    while (Clock::now() < deadline) {
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        ::usleep(20'000);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return -1;
}

size_t count(std::vector<Message> const& ms, std::string const& what) {
    return size_t(std::count_if(ms.begin(), ms.end(),
        [&](Message const& m) { return m.text.find(what) != std::string::npos; }));
}

// The longest time between two WATCHDOG=1 messages (and from `from` to the first one).
int64_t longest_gap_ms(std::vector<Message> const& ms, Clock::time_point from) {
    int64_t longest = 0;
    Clock::time_point last = from;
    for (auto const& m : ms) {
        if (m.text.find("WATCHDOG=1") == std::string::npos)
            continue;
        longest = std::max<int64_t>(
            longest, std::chrono::duration_cast<std::chrono::milliseconds>(m.at - last).count());
        last = m.at;
    }
    return longest;
}

} // namespace

TEST_CASE("ksd-kiosk tells systemd READY=1 after the first frame, then feeds the watchdog") {
    ksd::test::TempDir dir;
    NotifySocket sock(dir / "notify.sock");
    pid_t pid = spawn_kiosk(write_config(dir), sock.path(), "2000000", dir / "kiosk.log");
    REQUIRE(pid > 0);
    // Start-up under ASan on a busy machine takes a few seconds; systemd would wait 60.
    auto start = sock.read_until(Clock::now() + std::chrono::seconds(30), "READY=1");
    INFO(ksd::test::slurp(dir / "kiosk.log"));
    bool ready = count(start, "READY=1") == 1;
    auto after = sock.read_until(Clock::now() + std::chrono::seconds(3));
    ::kill(pid, SIGTERM);
    int status = wait_exit(pid);
    REQUIRE(ready);
    // Every 500 ms (a quarter of 2 s) or more often: at least 4 in 3 s.
    size_t feeds = count(after, "WATCHDOG=1");
    std::printf("WATCHDOG=1 messages in 3 s with WatchdogSec=2: %zu\n", feeds);
    CHECK(feeds >= 4);
    CHECK(count(after, "READY=1") == 0); // once only
    CHECK(status == 0);
}

TEST_CASE("an idle ksd-kiosk feeds a 1 s watchdog in time and says STOPPING=1 on SIGTERM") {
    // At rest the loop would sleep a second between turns; with a 1 s watchdog that would be
    // too late every time. The wait is cut to a quarter of the interval.
    ksd::test::TempDir dir;
    NotifySocket sock(dir / "notify.sock");
    pid_t pid = spawn_kiosk(write_config(dir), sock.path(), "1000000", dir / "kiosk.log");
    REQUIRE(pid > 0);
    auto start = sock.read_until(Clock::now() + std::chrono::seconds(30), "READY=1");
    INFO(ksd::test::slurp(dir / "kiosk.log"));
    bool ready = count(start, "READY=1") == 1;
    auto from = Clock::now();
    auto idle = sock.read_until(from + std::chrono::seconds(4));
    ::kill(pid, SIGTERM);
    auto end = sock.read_until(Clock::now() + std::chrono::seconds(20), "STOPPING=1");
    int status = wait_exit(pid);
    REQUIRE(ready);
    int64_t gap = longest_gap_ms(idle, from);
    std::printf("idle 4 s with WatchdogSec=1: %zu WATCHDOG=1, longest gap %lld ms\n",
        count(idle, "WATCHDOG=1"), static_cast<long long>(gap));
    CHECK(count(idle, "WATCHDOG=1") >= 5);
    // systemd kills the service when a whole interval passes without one.
    CHECK(gap < 1000);
    CHECK(count(end, "STOPPING=1") == 1);
    CHECK(status == 0);
}

#ifdef KSD_DEMO_DIR
TEST_CASE("a kiosk killed with SIGKILL during a visit starts again on the attract screen, queue "
          "intact") {
    ksd::test::TempDir dir;
    std::string const db = dir / "device.db";
    // 1. A visit: a request sent (its code declared on screen), then a second request form
    //    open and being photographed screen by screen when SIGKILL comes.
    std::string script = "screen request-done\nremember-code\nscreen request-keyboard\n";
    for (int i = 0; i < 400; ++i)
        script += "screenshot shot.png\n";
    ksd::test::spit(dir / "visit.txt", script);
    pid_t visit = spawn({"--sample", "--size", "800x480", "--device-db", db, "--script",
                            dir / "visit.txt", "--out-dir", dir.path()},
        {}, {}, dir / "visit.log");
    REQUIRE(visit > 0);
    std::string code;
    auto deadline = Clock::now() + std::chrono::seconds(60);
    std::string const prefix = "ticket code on screen: ";
    while (code.empty() && Clock::now() < deadline) {
        std::string out = ksd::test::slurp(dir / "visit.log");
        if (auto at = out.find(prefix);
            at != std::string::npos && out.size() >= at + prefix.size() + 11)
            code = out.substr(at + prefix.size(), 11);
        else
            ::usleep(10'000);
    }
    ::kill(visit, SIGKILL);
    int status = 0;
    ::waitpid(visit, &status, 0);
    INFO(ksd::test::slurp(dir / "visit.log"));
    REQUIRE(!code.empty());
    REQUIRE(WIFSIGNALED(status)); // killed mid-visit, not finished

    // 2. Started again as systemd's Restart=always does: the real display loop on that database.
    std::string config = dir / "kiosk.toml";
    ksd::test::spit(config,
        "[content]\npack = \"" KSD_DEMO_DIR "/ksd-demo.pack\"\npublic_key = \"" KSD_DEMO_DIR
        "/ksd-demo.pub\"\n[device]\ndb = \""
            + db + "\"\n[screen]\nwidth = 800\nheight = 480\nfullscreen = false\n");
    NotifySocket sock(dir / "notify.sock");
    pid_t kiosk = spawn_kiosk(config, sock.path(), "2000000", dir / "kiosk.log");
    REQUIRE(kiosk > 0);
    auto got = sock.read_until(Clock::now() + std::chrono::seconds(30), "STATUS=attract screen");
    ::kill(kiosk, SIGTERM);
    int kiosk_status = wait_exit(kiosk);
    INFO(ksd::test::slurp(dir / "kiosk.log"));
    std::string all;
    for (auto const& m : got)
        all += m.text + "\n";
    INFO(all);
    CHECK(count(got, "READY=1") == 1);
    CHECK(count(got, "STATUS=attract screen") == 1);
    CHECK(kiosk_status == 0);

    // 3. The queue: the declared ticket, still queued for ksd-sync, in an intact database.
    auto opened = ksd::Db::open(db, ksd::OpenMode::ReadWrite);
    REQUIRE(opened.ok());
    auto check = opened->prepare("PRAGMA integrity_check");
    REQUIRE(check.ok());
    REQUIRE(check->step().ok());
    CHECK(check->column_text(0) == "ok");
    auto row = opened->prepare("SELECT state FROM tickets WHERE code = ?1");
    REQUIRE(row.ok());
    row->bind(1, code);
    auto stepped = row->step();
    REQUIRE(stepped.ok());
    REQUIRE(stepped.value());
    CHECK(row->column_text(0) == "queued");
}
#endif

#ifdef KSD_FAKE_NTP_SYNCED
TEST_CASE("a ksd-kiosk outside office hours sleeps, still feeds a 1 s watchdog and marks it") {
    // Office hours on a day three days away: closed now, whatever the day (local time).
    static char const* const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    std::time_t now = std::time(nullptr);
    std::tm tm {};
    ::localtime_r(&now, &tm);
    std::string hours = std::string(days[(tm.tm_wday + 6 + 3) % 7]) + " 08:00-09:00";
    ksd::test::TempDir dir;
    std::string config = write_config(dir);
    {
        std::string text = ksd::test::slurp(config);
        ksd::test::spit(config, text + "[power]\noffice_hours = \"" + hours + "\"\n");
    }
    NotifySocket sock(dir / "notify.sock");
    // The clock counts as NTP-synchronised (the fake): a Pi's clock before NTP never sleeps.
    pid_t pid = spawn(
        {"--config", config}, sock.path(), "1000000", dir / "kiosk.log", KSD_FAKE_NTP_SYNCED);
    REQUIRE(pid > 0);
    auto start = sock.read_until(
        Clock::now() + std::chrono::seconds(30), "STATUS=screen asleep (outside office hours)");
    auto from = Clock::now();
    auto asleep = sock.read_until(from + std::chrono::seconds(4));
    ::kill(pid, SIGTERM);
    auto end = sock.read_until(Clock::now() + std::chrono::seconds(20), "STOPPING=1");
    int status = wait_exit(pid);
    std::string log = ksd::test::slurp(dir / "kiosk.log");
    INFO(log);
    CHECK(count(start, "READY=1") == 1); // the first frame is always shown
    REQUIRE(count(start, "STATUS=screen asleep (outside office hours)") == 1);
    int64_t gap = longest_gap_ms(asleep, from);
    std::printf("asleep 4 s with WatchdogSec=1: %zu WATCHDOG=1, longest gap %lld ms\n",
        count(asleep, "WATCHDOG=1"), static_cast<long long>(gap));
    CHECK(count(asleep, "WATCHDOG=1") >= 5);
    CHECK(gap < 1000);
    CHECK(count(asleep, "STATUS=") == 0); // nothing drawn: the status stays
    CHECK(log.find("screen asleep: outside the office hours") != std::string::npos);
    CHECK(log.find("dummy video driver has no panel to switch off") != std::string::npos);
    CHECK(count(end, "STOPPING=1") == 1);
    CHECK(status == 0);
    // The mark the agent's heartbeat carries.
    auto db = ksd::Db::open(dir / "device.db", ksd::OpenMode::ReadOnly);
    REQUIRE(db.ok());
    auto st = db->prepare("SELECT value FROM device_state WHERE key = 'kiosk.screen_asleep_at'");
    REQUIRE(st.ok());
    auto row = st->step();
    REQUIRE(row.ok());
    REQUIRE(row.value());
    CHECK(std::abs(ksd::parse_int<int64_t>(st->column_text(0)).value_or(0) - int64_t(now)) < 120);
}
#endif

TEST_CASE("ksd-kiosk refuses bad power keys, naming them on the technician's page") {
    ksd::test::TempDir dir;
    for (auto const* bad : {"[power]\noffice_hours = \"mon-fri 16:00-07:30\"\n",
             "[power]\noffice_hours = \"weekdays 08:00-16:00\"\n", "[power]\nwake_minutes = 0\n",
             "[power]\nwake_minutes = 61\n"}) {
        INFO(bad);
        ksd::test::spit(dir / "bad.toml", bad);
        // The page stays until the technician fixes the file; --first-frame-exit ends the run
        // after drawing it, with the configuration error's status.
        pid_t pid = spawn({"--config", dir / "bad.toml", "--first-frame-exit",
                              "--technician-config", dir / "none.toml"},
            {}, {}, dir / "bad.log");
        int status = wait_exit(pid);
        std::string out = ksd::test::slurp(dir / "bad.log");
        INFO(out);
        CHECK(status == 78);
        CHECK(out.find(std::string("power.")
                  + (std::string(bad).find("office") != std::string::npos ? "office_hours"
                                                                          : "wake_minutes"))
            != std::string::npos);
    }
}
