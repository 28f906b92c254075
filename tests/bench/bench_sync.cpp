// Sync benchmarks (issue 5): the real ksd-server and ksd-sync on loopback.
// - drain: N queued tickets sent by ksd-sync (repeated --once passes of 500) through our
//   pass-through proxy, which counts the bytes on the wire (both ways, headers included, the
//   updates feed included);
// - ingest: 50 concurrent in-process HTTP clients (one kiosk and token each) posting batches of
//   100 tickets (plain JSON) to one server;
// - idle CPU: the agent's CPU time while the server is unreachable.
#include "bench.h"
#include "bench_server.h"
#include "fault_proxy.h"
#include "test_support.h"

#include "ksd/db.h"
#include "ksd/device_db.h"
#include "ksd/number.h"
#include "ksd/tickets.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <iostream>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ksd::bench {

namespace {

using ksd::test::capture;
using ksd::test::TempDir;
using nlohmann::json;

std::string const server_bin = KSD_SERVER_BIN;
std::string const sync_bin = KSD_SYNC_BIN;

std::string shq(std::string const& s) {
    return "'" + s + "'";
}

std::string add_kiosk(std::string const& db, std::string const& id) {
    auto out = capture(server_bin + " --db " + shq(db) + " kiosk add " + id + " 2>/dev/null");
    return out.status == 0 ? out.text.substr(0, out.text.find('\n')) : std::string();
}

TicketInput visitor(int i) {
    TicketInput in;
    in.category = "Perangkat daerah";
    in.topic = "Kerja sama daerah";
    in.name = "Pengunjung " + std::to_string(i);
    in.phone = "+6281234567890";
    in.question = "Bagaimana alur kerja sama dengan daerah lain untuk pengelolaan pelabuhan?";
    in.consent_version = "2026-1";
    return in;
}

int64_t now_s() {
    return static_cast<int64_t>(std::time(nullptr));
}

void drain(Options const& options, Report& report) {
    int const n = options.smoke ? 100 : 10000;
    TempDir dir;
    std::string device = dir / "device.db";
    std::string server_db = dir / "server.db";
    std::string token = add_kiosk(server_db, "kiosk-1");
    {
        auto db = open_device_db(device);
        if (!db || !db->exec("PRAGMA synchronous = OFF").ok()) {
            std::cerr << "bench sync: cannot create the device database\n";
            return;
        }
        for (int i = 0; i < n; ++i)
            if (!save_ticket(*db, visitor(i), "kiosk-1", WallClock {now_s(), true}).ok()) {
                std::cerr << "bench sync: cannot save a ticket\n";
                return;
            }
    }
    BenchServer server(server_db, dir / "server.log");
    if (server.port() == 0 || token.empty()) {
        std::cerr << "bench sync: the server did not start\n";
        return;
    }
    ksd::test::FaultProxy proxy(server.port());
    std::string command = "KSD_LOG_LEVEL=warn " + sync_bin + " --db " + shq(device) + " --server "
        + shq(proxy.url()) + " --token " + shq(token) + " --batch 500 --once >/dev/null 2>&1";
    auto start = std::chrono::steady_clock::now();
    int passes = 0;
    int64_t left = n;
    while (left > 0 && passes < n / 10 + 10) {
        ++passes;
        if (ksd::test::run(command) == 1)
            break;
        auto db = open_device_db(device);
        auto counts = db ? queue_counts(*db) : Result<QueueCounts>(Error {"no db"});
        if (!counts)
            break;
        left = counts->queued + counts->sending;
    }
    double seconds = ms_since(start) / 1000.0;
    double bytes = static_cast<double>(proxy.bytes_up() + proxy.bytes_down()) / n;
    double up = static_cast<double>(proxy.bytes_up()) / n;
    std::string label = std::to_string(n) + " tickets";
    if (left > 0)
        std::cerr << "bench sync: " << left << " tickets not drained\n";
    report.add({"sync", "drain " + label + " (" + std::to_string(passes) + " passes)", seconds, "s",
        options.smoke ? "" : "< 10 s",
        options.smoke ? std::nullopt : std::optional(seconds < 10 && left == 0)});
    report.add({"sync", "bytes on the wire per ticket (both ways)", bytes, "B",
        options.smoke ? "" : "< 400 B", options.smoke ? std::nullopt : std::optional(bytes < 400)});
    report.add({"sync", "  of which agent to server", up, "B", "", std::nullopt});
}

void ingest(Options const& options, Report& report) {
    int const agents = options.smoke ? 4 : 50;
    int const batches = options.smoke ? 1 : 4;
    int const per_batch = options.smoke ? 20 : 100;
    TempDir dir;
    std::string server_db = dir / "server.db";
    std::vector<std::string> tokens;
    std::vector<std::vector<std::string>> bodies(agents);
    for (int a = 0; a < agents; ++a) {
        std::string kiosk = "kiosk-" + std::to_string(a);
        tokens.push_back(add_kiosk(server_db, kiosk));
        if (tokens.back().empty()) {
            std::cerr << "bench sync: cannot add " << kiosk << "\n";
            return;
        }
        for (int b = 0; b < batches; ++b) {
            json list = json::array();
            for (int i = 0; i < per_batch; ++i) {
                int seq = b * per_batch + i + 1;
                TicketInput in = visitor(seq);
                list.push_back({{"id", generate_uuid_v4()}, {"code", generate_ticket_code()},
                    {"kiosk_id", kiosk}, {"created_at", now_s()}, {"clock_trusted", true},
                    {"sequence", seq}, {"category", in.category}, {"topic", in.topic},
                    {"sector", ""}, {"name", in.name}, {"phone", in.phone}, {"email", ""},
                    {"organisation", ""}, {"question", in.question}, {"lang", "id"},
                    {"consent_version", in.consent_version}});
            }
            bodies[a].push_back(json {{"tickets", list}}.dump());
        }
    }
    BenchServer server(server_db, dir / "server.log");
    if (server.port() == 0) {
        std::cerr << "bench sync: the server did not start\n";
        return;
    }
    std::atomic<int> stored {0};
    std::atomic<int> failed {0};
    std::atomic<int> ready {0};
    std::vector<std::thread> threads;
    std::vector<double> latencies_ms(static_cast<size_t>(agents * batches));
    auto start = std::chrono::steady_clock::now();
    for (int a = 0; a < agents; ++a)
        threads.emplace_back([&, a] {
            httplib::Client c("127.0.0.1", server.port());
            c.set_read_timeout(60);
            c.set_bearer_token_auth(tokens[a].c_str());
            ++ready;
            for (int b = 0; b < batches; ++b) {
                auto t0 = std::chrono::steady_clock::now();
                auto r = c.Post("/api/v1/tickets", bodies[a][b], "application/json");
                latencies_ms[static_cast<size_t>(a * batches + b)] = ms_since(t0);
                if (r && r->status == 200) {
                    stored += per_batch;
                } else {
                    ++failed;
                    std::cerr << "bench sync: upload failed: "
                              << (r ? "HTTP " + std::to_string(r->status)
                                    : httplib::to_string(r.error()))
                              << "\n";
                }
            }
        });
    for (auto& t : threads)
        t.join();
    double seconds = ms_since(start) / 1000.0;
    double rate = stored / seconds;
    if (failed > 0) {
        std::cerr << "bench sync: " << failed << " uploads failed; server log:\n"
                  << ksd::test::slurp(dir / "server.log").substr(0, 3000);
    }
    report.add({"sync",
        "ingest, " + std::to_string(agents) + " concurrent clients x " + std::to_string(batches)
            + " batches of " + std::to_string(per_batch),
        rate, "ticket/s", options.smoke ? "" : ">= 2000",
        options.smoke ? std::nullopt : std::optional(rate >= 2000 && failed == 0)});
    report.add(
        {"sync", "ingest, one batch p99", percentile(latencies_ms, 99), "ms", "", std::nullopt});
}

// A loopback port nothing listens on.
int closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// utime + stime of a process in seconds, from /proc/PID/stat.
double cpu_seconds(pid_t pid) {
    std::string stat;
    if (FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r")) {
        char buf[1024];
        size_t n = std::fread(buf, 1, sizeof buf, f);
        stat.assign(buf, n);
        std::fclose(f);
    }
    auto close = stat.rfind(')');
    if (close == std::string::npos)
        return 0;
    // Fields after the name: state is field 3; utime and stime are fields 14 and 15.
    double ticks = 0;
    int field = 3;
    char const* p = stat.c_str() + close + 2;
    while (*p && field <= 15) {
        if (field == 14 || field == 15)
            ticks += double(ksd::parse_leading_int<long long>(p).value_or(0));
        while (*p && *p != ' ')
            ++p;
        while (*p == ' ')
            ++p;
        ++field;
    }
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

void idle_cpu(Options const& options, Report& report) {
    double const window_s = options.smoke ? 1.0 : 10.0;
    TempDir dir;
    std::string device = dir / "device.db";
    {
        auto db = open_device_db(device);
        if (!db)
            return;
        for (int i = 0; i < 20; ++i)
            (void)save_ticket(*db, visitor(i), "kiosk-1", WallClock {now_s(), true});
    }
    std::string url = "http://127.0.0.1:" + std::to_string(closed_port());
    std::string token = "kiosk-1." + std::string(64, '0');
    // The daemon (ksd-sync without --once), as systemd runs it on the Pi.
    pid_t pid = ::fork();
    if (pid == 0) {
        int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execl(sync_bin.c_str(), sync_bin.c_str(), "--db", device.c_str(), "--server", url.c_str(),
            "--token", token.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(window_s));
    double cpu = cpu_seconds(pid);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    double percent = cpu / window_s * 100;
    report.add({"sync", "agent CPU, server unreachable (daemon)", percent, "% core",
        options.smoke ? "" : "< 1 %", options.smoke ? std::nullopt : std::optional(percent < 1)});
}

} // namespace

void run_sync_benchmarks(Options const& options, Report& report) {
    drain(options, report);
    ingest(options, report);
    idle_cpu(options, report);
}

} // namespace ksd::bench
